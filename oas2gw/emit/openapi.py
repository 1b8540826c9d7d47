"""`ApiModel` -> OpenAPI 3.0 or Swagger 2.0 tree -> YAML or JSON text.

The tree is exactly what `oas2gw.model.build.build_model` reads back into the same model: every
field the model holds has one place in the document, and nothing else is invented. Output is
deterministic (model order, fixed key order) and ends in a newline. YAML quotes every string
that a YAML 1.1 or 1.2 reader could take for something else (`504e31`, `on`, `0755`, `2024-01-01`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any, Literal

import orjson
import yaml

from oas2gw.diagnostics import Diagnostic, join_pointer, pointer_at, warning
from oas2gw.model.normalize import rewrite_model_refs
from oas2gw.model.types import (
    ApiModel,
    Authorizer,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
)

X = "x-amazon-apigateway-"
OasVersion = Literal["3.0", "2.0"]
TextFormat = Literal["yaml", "json"]

#: written as `openapi:` for 3.0 output
OPENAPI_3_VERSION = "3.0.1"
#: security scheme names the export invents for AWS_IAM and API keys
SIGV4_SCHEME = "sigv4"
API_KEY_SCHEME = "api_key"
#: the models API Gateway keeps its schema references in, however they were written
_PARAM = re.compile(r"^method\.request\.(path|querystring|header)\.(.+)$")
_PARAM_IN = {"path": "path", "querystring": "query", "header": "header"}
_HEADER = "method.response.header."


def build_openapi(
    model: ApiModel,
    oas: OasVersion = "3.0",
    *,
    sigv4_scheme: str = SIGV4_SCHEME,
    api_key_scheme: str = API_KEY_SCHEME,
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The OpenAPI tree of `model`, and a warning for each thing that version cannot hold.

    AWS_IAM and API keys are written as security schemes named `sigv4_scheme` and
    `api_key_scheme` (a document being merged into may have its own names for them)."""
    emitter = _Emitter(model, oas)
    emitter.sigv4_scheme, emitter.api_key_scheme = sigv4_scheme, api_key_scheme
    return emitter.document()


def render_text(tree: Any, fmt: TextFormat = "yaml") -> str:
    """YAML (block style, ambiguous strings quoted) or two-space JSON, ending in a newline."""
    if fmt == "json":
        # a schema read from YAML may have integer keys (`200:`); JSON spells them as strings
        option = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE
        return orjson.dumps(tree, option=option).decode("utf-8")
    return render_yaml(tree)


def emit_openapi(
    model: ApiModel, oas: OasVersion = "3.0", fmt: TextFormat = "yaml"
) -> tuple[str, list[Diagnostic]]:
    tree, diags = build_openapi(model, oas)
    return render_text(tree, fmt), diags


def emit_openapi_chunks(
    model: ApiModel, oas: OasVersion = "3.0", fmt: TextFormat = "yaml"
) -> tuple[Iterator[str], list[Diagnostic]]:
    """`emit_openapi`, the text in pieces (`yaml_chunks`); the findings are all known first."""
    tree, diags = build_openapi(model, oas)
    if fmt == "json":
        return iter([render_text(tree, fmt)]), diags
    return yaml_chunks(tree), diags


def schema_ref(name: str, oas: OasVersion) -> str:
    token = name.replace("~", "~0").replace("/", "~1")
    return ("#/definitions/" if oas == "2.0" else "#/components/schemas/") + token


def localize_refs(schema: Any, oas: OasVersion) -> Any:
    """References to models, however written (API Gateway's model URLs, the other OpenAPI
    version's form), become this document's references."""
    return rewrite_model_refs(schema, schema_ref("", oas))


def _dump(obj: Any, *, skip: set[str] | None = None) -> dict[str, Any]:
    """A model's fields by alias, leaving out unset and empty values and `skip`."""
    return _filled(obj.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=skip))


def _filled(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without its empty dicts and lists."""
    # JSON-mode values are dicts, lists, strings, numbers and booleans: among them only an
    # empty dict or list equals `{}`, `[]` or `()`, and those are falsy
    return {k: v for k, v in data.items() if v or not isinstance(v, (dict, list, tuple))}


#: fields that `_dump` leaves out, per model: each has its own place in the document
_GATEWAY_RESPONSE_SKIP = {"response_type"}
_AUTHORIZER_SKIP = {"name", "auth_type", "pointer"}


class _Emitter:
    def __init__(self, model: ApiModel, oas: OasVersion) -> None:
        self.model = model
        self.oas = oas
        self.diags: list[Diagnostic] = []
        self.schemes: dict[str, dict[str, Any]] = {}
        self.sigv4_scheme = SIGV4_SCHEME
        self.missing: set[str | None] = set()
        self.api_key_scheme = API_KEY_SCHEME
        #: model name -> its `$ref` (a few models serve thousands of responses)
        self.refs: dict[str, str] = {}
        #: request parameter -> (name, `in`), or None when OpenAPI has no form for it
        self.params: dict[str, tuple[str, str] | None] = {}

    def ref(self, name: str) -> dict[str, str]:
        try:
            return {"$ref": self.refs[name]}
        except KeyError:
            ref = self.refs[name] = schema_ref(name, self.oas)
            return {"$ref": ref}

    def param(self, key: str) -> tuple[str, str] | None:
        found = _PARAM.match(key)
        form = None if found is None else (found[2], _PARAM_IN[found[1]])
        self.params[key] = form
        return form

    def document(self) -> tuple[dict[str, Any], list[Diagnostic]]:
        m = self.model
        doc: dict[str, Any] = (
            {"swagger": "2.0"} if self.oas == "2.0" else {"openapi": OPENAPI_3_VERSION}
        )
        info: dict[str, Any] = {}
        for key, value in (("title", m.name), ("description", m.description)):
            if value is not None:
                info[key] = value
        if m.version is not None:
            info["version"] = m.version
        doc["info"] = info
        for authorizer in m.authorizers:
            self.schemes[authorizer.name] = self.authorizer_scheme(authorizer)
        doc["paths"] = self.paths()
        schemas = {name: localize_refs(s, self.oas) for name, s in m.models.items()}
        if self.oas == "2.0":
            if schemas:
                doc["definitions"] = schemas
            if self.schemes:
                doc["securityDefinitions"] = self.schemes
        else:
            components: dict[str, Any] = {}
            if schemas:
                components["schemas"] = schemas
            if self.schemes:
                components["securitySchemes"] = self.schemes
            if components:
                doc["components"] = components
        doc.update(self.root_extensions())
        return doc, self.diags

    # -- root ------------------------------------------------------------------------------

    def root_extensions(self) -> dict[str, Any]:
        m = self.model
        out: dict[str, Any] = {}
        if m.binary_media_types:
            out[X + "binary-media-types"] = list(m.binary_media_types)
        simple = (
            ("api-key-source", m.api_key_source),
            ("minimum-compression-size", m.minimum_compression_size),
            ("endpoint-configuration", m.endpoint_configuration),
            ("policy", m.policy),
            ("disable-execute-api-endpoint", m.disable_execute_api_endpoint),
            ("request-validator", m.default_request_validator),
        )
        for key, value in simple:
            if value is not None:
                out[X + key] = value
        if m.request_validators:
            out[X + "request-validators"] = {
                v.name: self.validator(v) for v in m.request_validators
            }
        if m.gateway_responses:
            out[X + "gateway-responses"] = {
                g.response_type: self.gateway_response(g) for g in m.gateway_responses
            }
        if m.documentation is not None:
            out[X + "documentation"] = m.documentation
        for key, value in m.extensions.items():
            out.setdefault(key, value)
        return out

    @staticmethod
    def validator(v: RequestValidator) -> dict[str, Any]:
        return {
            "validateRequestBody": v.validate_request_body,
            "validateRequestParameters": v.validate_request_parameters,
        }

    @staticmethod
    def gateway_response(g: GatewayResponse) -> dict[str, Any]:
        return _dump(g, skip=_GATEWAY_RESPONSE_SKIP)

    def authorizer_scheme(self, a: Authorizer) -> dict[str, Any]:
        source = a.identity_source if isinstance(a.identity_source, str) else ""
        header = (
            source[len("method.request.header.") :]
            if source.startswith("method.request.header.") and "," not in source
            else "Unused"
        )
        body = _dump(a, skip=_AUTHORIZER_SKIP)
        body["type"] = a.type.lower()
        for key, value in a.extensions.items():
            body.setdefault(key, value)
        scheme: dict[str, Any] = {"type": "apiKey", "name": header, "in": "header"}
        if a.auth_type is not None:
            scheme[X + "authtype"] = a.auth_type
        scheme[X + "authorizer"] = body
        return scheme

    # -- paths -----------------------------------------------------------------------------

    def paths(self) -> dict[str, Any]:
        paths: dict[str, Any] = {}
        for resource in self.model.resources:
            item: dict[str, Any] = {}
            base = pointer_at("/paths", resource.path)
            for method in resource.methods:
                key = _method_key(method.http_method)
                item[key] = self.operation(method, pointer_at(base, key))
            paths[resource.path] = item
        return paths

    def operation(self, method: Method, ptr: str) -> dict[str, Any]:
        op: dict[str, Any] = {}
        produces: set[str] = set()
        if method.operation_name is not None:
            op["operationId"] = method.operation_name
        parameters = self.parameters(method, ptr)
        if self.oas == "2.0":
            consumes, body = self.body_parameter(method, ptr)
            if consumes:
                op["consumes"] = consumes
            if body is not None:
                parameters.append(body)
            produces = {ct for r in method.responses for ct in r.response_models}
            if produces:
                op["produces"] = sorted(produces)
        if parameters:
            op["parameters"] = parameters
        if self.oas != "2.0" and method.request_models:
            op["requestBody"] = {
                "content": {
                    ct: {"schema": self.ref(name)} for ct, name in method.request_models.items()
                },
                "required": True,
            }
        op["responses"] = {
            r.status_code: self.method_response(r, produces, ptr) for r in method.responses
        }
        security = self.security(method, ptr)
        if security:
            op["security"] = [security]
        if method.request_validator is not None:
            op[X + "request-validator"] = method.request_validator
        if method.integration is not None:
            op[X + "integration"] = self.integration(method.integration, ptr)
        return op

    def parameters(self, method: Method, ptr: str) -> list[dict[str, Any]]:
        out = []
        params = self.params
        for key, required in method.request_parameters.items():
            try:
                form = params[key]
            except KeyError:
                form = self.param(key)
            if form is None:
                self.diags.append(
                    warning(
                        "W402",
                        f"request parameter {key!r} has no OpenAPI form and is left out",
                        ptr,
                    )
                )
                continue
            name, where = form
            param: dict[str, Any] = {"name": name, "in": where, "required": required}
            if self.oas == "2.0":
                param["type"] = "string"
            else:
                param["schema"] = {"type": "string"}
            out.append(param)
        return out

    def body_parameter(self, method: Method, ptr: str) -> tuple[list[str], dict[str, Any] | None]:
        """Swagger 2.0 has one body schema per operation, applied to every `consumes` type."""
        if not method.request_models:
            return [], None
        names = list(dict.fromkeys(method.request_models.values()))
        if len(names) > 1:
            self.diags.append(
                warning(
                    "W401",
                    f"Swagger 2.0 holds one request body model; {names[0]!r} is written for "
                    f"every content type, {names[1:]!r} are left out (use --oas 3.0)",
                    ptr,
                )
            )
        return list(method.request_models), {
            "in": "body",
            "name": names[0],
            "required": True,
            "schema": self.ref(names[0]),
        }

    def method_response(self, r: MethodResponse, produces: set[str], ptr: str) -> dict[str, Any]:
        """`produces`: the method's response content types (Swagger 2.0 has one list)."""
        out: dict[str, Any] = {"description": f"{r.status_code} response"}
        headers: dict[str, Any] = {}
        for key, required in r.response_parameters.items():
            if not key.startswith(_HEADER):
                self.diags.append(
                    warning(
                        "W402",
                        f"response parameter {key!r} has no OpenAPI form and is left out",
                        join_pointer(ptr, "responses", r.status_code),
                    )
                )
                continue
            header: dict[str, Any] = (
                {"type": "string"} if self.oas == "2.0" else {"schema": {"type": "string"}}
            )
            if required:
                header["required"] = True
            headers[key[len(_HEADER) :]] = header
        if r.response_models:
            if self.oas == "2.0":
                names = list(dict.fromkeys(r.response_models.values()))
                if len(names) > 1 or produces != set(r.response_models):
                    self.diags.append(
                        warning(
                            "W401",
                            f"Swagger 2.0 holds one response model for every `produces` type; "
                            f"{names[0]!r} is written (use --oas 3.0)",
                            join_pointer(ptr, "responses", r.status_code),
                        )
                    )
                out["schema"] = self.ref(names[0])
            else:
                out["content"] = {
                    ct: {"schema": self.ref(name)} for ct, name in r.response_models.items()
                }
        if headers:
            out["headers"] = headers
        return out

    def security(self, method: Method, ptr: str) -> dict[str, list[str]]:
        requirement: dict[str, list[str]] = {}
        kind = method.authorization_type
        if kind == "AWS_IAM":
            self.schemes.setdefault(
                self.sigv4_scheme,
                {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    X + "authtype": "awsSigv4",
                },
            )
            requirement[self.sigv4_scheme] = []
        elif kind in ("CUSTOM", "COGNITO_USER_POOLS"):
            if method.authorizer is None or method.authorizer not in self.schemes:
                if method.authorizer in self.missing:
                    return requirement
                self.missing.add(method.authorizer)
                self.diags.append(
                    warning(
                        "W403",
                        f"authorizer {method.authorizer!r} is not in the source; the security "
                        f"of {kind} methods that name it is left out",
                        ptr,
                    )
                )
            else:
                requirement[method.authorizer] = list(method.authorization_scopes)
        if method.api_key_required:
            self.schemes.setdefault(
                self.api_key_scheme, {"type": "apiKey", "name": "x-api-key", "in": "header"}
            )
            requirement[self.api_key_scheme] = []
        return requirement

    def integration(self, integration: Integration, ptr: str) -> dict[str, Any]:
        # one serialiser call for the integration and its responses: each response's dump is
        # what `_dump(r)` gives, and `responses` is moved to the end as when added afterwards
        data = integration.model_dump(mode="json", by_alias=True, exclude_none=True)
        dumped = data.pop("responses", ())
        out = _filled(data)
        responses: dict[str, Any] = {}
        for r, raw in zip(integration.responses, dumped, strict=True):
            key = "default" if r.selection_pattern is None else r.selection_pattern
            if key == "default" and r.selection_pattern is not None:
                # the extension keys responses by pattern and "default" names the response
                # without one: a pattern that is literally "default" cannot be written apart
                if any(x.selection_pattern is None for x in integration.responses):
                    self.diags.append(_default_pattern(r, ptr, "is left out"))
                    continue
                self.diags.append(
                    _default_pattern(r, ptr, "is written as the default response (no pattern)")
                )
            responses[key] = _integration_response(r, raw)
        if responses:
            out["responses"] = responses
        for key, value in integration.extensions.items():
            out.setdefault(key, value)
        return out


def _default_pattern(r: IntegrationResponse, ptr: str, outcome: str) -> Diagnostic:
    return warning(
        "W407",
        f"integration response {r.status_code!r} has the selection pattern 'default', which "
        f"the extension reads as no pattern; it {outcome}",
        join_pointer(ptr, X + "integration", "responses", "default"),
    )


def _integration_response(r: IntegrationResponse, dumped: dict[str, Any]) -> dict[str, Any]:
    """The response's entry under its selection pattern, from its dump (all fields by alias)."""
    dumped.pop("selectionPattern", None)
    out = _filled(dumped)
    for key, value in r.extensions.items():
        out.setdefault(key, value)
    return out


def _method_key(http_method: str) -> str:
    return X + "any-method" if http_method == "ANY" else http_method.lower()


# -- YAML ----------------------------------------------------------------------------------
#
# A direct block-style writer: PyYAML's representer and resolver cost five times the parse of
# the document, and our trees hold only mappings, lists, strings, numbers, booleans and null.
# A string is written plain only when no YAML 1.1 or 1.2 reader could take it for anything else;
# else as a literal block (multi-line text such as templates) or JSON-style double quotes,
# which YAML reads with the same escapes.

#: plain scalars that YAML 1.2's core schema (ruamel, most other tools) reads as non-strings
_YAML12_NON_STRING = re.compile(
    r"""^(?:
        null|Null|NULL|~|true|True|TRUE|false|False|FALSE
      | [-+]?[0-9]+
      | 0o[0-7]+ | 0x[0-9a-fA-F]+
      | [-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    )$""",
    re.X,
)
#: what may stand plain: no indicator first, no `: ` or ` #`, no edge spaces, one line
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#\n\r\t]|:(?=\S)|(?<=\S)#)*(?<![\s:])$")
_YAML11 = yaml.resolver.Resolver()
_YAML11_FIRST = frozenset(_YAML11.yaml_implicit_resolvers)
_STR_TAG = "tag:yaml.org,2002:str"


def _yaml11_tag(value: str) -> str:
    tag: str = _YAML11.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _plain_ok(value: str) -> bool:
    if not _PLAIN.match(value) or not value.isprintable() or _YAML12_NON_STRING.match(value):
        return False
    return value[0] not in _YAML11_FIRST or _yaml11_tag(value) == _STR_TAG


def _quoted(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        for c in text
    )


def _literal_ok(value: str) -> bool:
    """Text that a literal block holds exactly: printable lines without edge blanks."""
    if "\n" not in value or value[0] in " \n" or "\r" in value or not value.strip("\n"):
        return False
    return (
        all(
            line.isprintable() and line == line.rstrip(" \t") and "\t" not in line[:1]
            for line in value.split("\n")
        )
        and "\ufeff" not in value
    )


@functools.lru_cache(maxsize=1 << 16)
def _string(value: str) -> str:
    """A string as it is written (keys and enum values repeat: decided once)."""
    return value if _plain_ok(value) else _quoted(value)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _literal(value: str, indent: str) -> str:
    body = value[:-1] if value.endswith("\n") else value
    chomp = "+" if value.endswith("\n\n") else ("" if value.endswith("\n") else "-")
    if chomp == "+":
        body = value.rstrip("\n") + "\n" * (len(value) - len(value.rstrip("\n")) - 1)
    lines = "".join(f"{indent}{line}\n" if line else "\n" for line in body.split("\n"))
    return f"|{chomp}\n{lines}"


class _YamlWriter:
    """Block-style YAML of a tree, in pieces joined once at the end.

    Lines are added as tuples of pieces (`out += lead, key, ": ", form, "\\n"`): the pieces are
    the memoised forms themselves, so a line costs list slots, not a new string (7% less CPU
    and 20 MB less peak than one string per line at 10,000 operations).

    The hot loops take exact `str`, `dict`, `list`, `int`, `bool` and `None` inline and look
    each string's written form up in `words` or `names` (at 10,000 operations 600,000 strings
    are written, 20,000 of them distinct). Anything else (a subclass, a float) goes through
    `item` and `value`, the general rule; the fast paths are that rule specialised to one exact
    type, so the text is the same either way (tests/test_export_yaml_writer.py holds the
    recursive writer this replaced and compares the two)."""

    __slots__ = ("blocks", "names", "out", "seq", "words")

    def __init__(self, seq: str = "") -> None:
        self.out: list[str] = []
        #: how much deeper than its key a list under a key is indented ("" or "  ")
        self.seq = seq
        #: string -> its one-line form; "" for a string written as a literal block
        self.words: dict[str, str] = {}
        #: key -> its form (never a literal block)
        self.names: dict[str, str] = {}
        #: (text, indent) -> its literal block (templates repeat across methods)
        self.blocks: dict[tuple[str, str], str] = {}

    def block(self, value: str, indent: str) -> str:
        """`value` as a literal block, its lines at `indent`."""
        try:
            return self.blocks[value, indent]
        except KeyError:
            text = self.blocks[value, indent] = _literal(value, indent)
            return text

    def word(self, value: str) -> str:
        """How `value` is written on one line, or "" when it is a literal block."""
        form = "" if "\n" in value and _literal_ok(value) else _string(value)
        self.words[value] = form
        return form

    def mapping(self, node: dict[Any, Any], indent: str, lead: str) -> None:
        """The entries of a non-empty mapping at `indent`, the first line starting `lead`."""
        out = self.out
        words = self.words
        names = self.names
        inner = indent + "  "
        for key, value in node.items():
            if type(key) is str:
                try:
                    k = names[key]
                except KeyError:
                    k = names[key] = _string(key)
            else:  # integer status codes read from YAML, str subclasses
                k = _string(str(key))
            kind = type(value)
            if kind is str:
                try:
                    form = words[value]
                except KeyError:
                    form = self.word(value)
                if form:
                    out += lead, k, ": ", form, "\n"
                else:
                    out += lead, k, ": ", self.block(value, inner)
            elif kind is dict:
                if value:
                    out += lead, k, ":\n"
                    self.mapping(value, inner, inner)
                else:
                    out += lead, k, ": {}\n"
            elif kind is list:
                if value:
                    out += lead, k, ":\n"
                    self.sequence(value, indent + self.seq)
                else:
                    out += lead, k, ": []\n"
            elif value is True:
                out += lead, k, ": true\n"
            elif value is False:
                out += lead, k, ": false\n"
            elif value is None:
                out += lead, k, ": null\n"
            elif kind is int:
                out += lead, k, ": ", str(value), "\n"
            else:
                out += lead, k, ":"
                self.value(value, indent)
            lead = indent

    def sequence(self, node: list[Any], indent: str) -> None:
        """The items of a non-empty list, each starting `indent` + `- `."""
        out = self.out
        words = self.words
        dash = indent + "- "
        inner = indent + "  "
        for item in node:
            kind = type(item)
            if kind is str:
                try:
                    form = words[item]
                except KeyError:
                    form = self.word(item)
                if form:
                    out += dash, form, "\n"
                else:
                    out += dash, self.block(item, inner)
            elif kind is dict and item:
                self.mapping(item, inner, dash)
            else:
                self.item(item, indent)

    def item(self, item: Any, indent: str) -> None:
        if isinstance(item, dict) and item:
            self.mapping(item, indent + "  ", indent + "- ")
        elif isinstance(item, list) and item:
            self.out.append(f"{indent}-\n")
            self.sequence(item, indent + "  ")
        else:
            self.out.append(f"{indent}-")
            self.value(item, indent)

    def value(self, value: Any, indent: str) -> None:
        """The general rule: `value` after a `key:` or `-` already written (without its
        space), the key at `indent`."""
        append = self.out.append
        if isinstance(value, dict):
            if not value:
                append(" {}\n")
                return
            append("\n")
            self.mapping(value, indent + "  ", indent + "  ")
        elif isinstance(value, list):
            if not value:
                append(" []\n")
                return
            append("\n")
            self.sequence(value, indent + self.seq)
        elif isinstance(value, str) and "\n" in value and _literal_ok(value):
            append(" " + _literal(value, indent + "  "))
        else:
            append(" " + _scalar(value) + "\n")


def _yaml_mapping(
    node: dict[str, Any], indent: str, out: list[str], first: str = "", seq: str = ""
) -> None:
    """Append a non-empty mapping's lines to `out`, at `indent`, the first line starting
    `first` (a list item's `- `); lists under keys indented by `seq`."""
    writer = _YamlWriter(seq)
    writer.mapping(node, indent, first or indent)
    out.extend(writer.out)


def _yaml_sequence(node: list[Any], indent: str, out: list[str], seq: str = "") -> None:
    """Append a non-empty list's lines to `out`, each item at `indent`."""
    writer = _YamlWriter(seq)
    writer.sequence(node, indent)
    out.extend(writer.out)


def yaml_chunks(tree: Any) -> Iterator[str]:
    """`render_yaml(tree)` in pieces: each member of the top level, and each member of a
    mapping there (each path, each component section), joined on its own. A member's lines do
    not depend on its neighbours, so the pieces join to the same text; a caller that writes
    them as they come never holds the whole text or the list of its parts."""
    if not (isinstance(tree, dict) and tree):
        yield render_yaml(tree)
        return
    writer = _YamlWriter()
    out = writer.out
    for key, value in tree.items():
        if type(value) is dict and value:
            out += _string(key if type(key) is str else str(key)), ":\n"
            for inner_key, inner_value in value.items():
                writer.mapping({inner_key: inner_value}, "  ", "  ")
                if len(out) >= _CHUNK_PIECES:
                    yield "".join(out)
                    out.clear()
        else:
            writer.mapping({key: value}, "", "")
    yield "".join(out)


#: pieces of text joined into one chunk (a few hundred KB)
_CHUNK_PIECES = 1 << 15


def render_yaml(tree: Any) -> str:
    writer = _YamlWriter()
    if isinstance(tree, dict) and tree:
        writer.mapping(tree, "", "")
    elif isinstance(tree, list) and tree:
        writer.sequence(tree, "")
    else:
        out = writer.out
        out.append(_scalar(tree) if not isinstance(tree, (dict, list)) else json.dumps(tree))
        out.append("\n")
    return "".join(writer.out)
