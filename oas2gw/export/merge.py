"""`export --into`: write what API Gateway holds into an existing document, touching nothing else.

Only operations (and root settings) whose normalised model differs from the API's are edited, so
an API exported into the document it came from changes nothing at all. Edits are made on a
ruamel.yaml round-trip tree (JSON: an ordered tree); the text is then spliced: every line whose
content did not change is taken from the original file byte for byte, so ruamel's own
reformatting (indentation, spacing before comments, flow collections) never leaks into the
result. Should the splice not read back as the edited tree, ruamel's full output is used.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from oas2gw.diagnostics import Diagnostic, DiagnosticList, join_pointer
from oas2gw.emit.openapi import (
    API_KEY_SCHEME,
    SIGV4_SCHEME,
    X,
    _literal,
    _literal_ok,
    _quoted,
    _scalar,
    _yaml_mapping,
    _yaml_sequence,
    build_openapi,
)
from oas2gw.export import codes as C
from oas2gw.model.normalize import INTEGRATION_DEFAULTS, normalize
from oas2gw.model.types import ApiModel, Method

#: root extensions whose content API Gateway holds (others are the document's own), and the
#: model field behind each
ROOT_OWNED = {
    "binary-media-types": "binary_media_types",
    "api-key-source": "api_key_source",
    "minimum-compression-size": "minimum_compression_size",
    "endpoint-configuration": "endpoint_configuration",
    "policy": "policy",
    "documentation": "documentation",
    "disable-execute-api-endpoint": "disable_execute_api_endpoint",
    "request-validators": "request_validators",
    "request-validator": "default_request_validator",
    "gateway-responses": "gateway_responses",
}
#: integration keys compared without case (API Gateway's enums)
_ENUM_KEYS = {"type", "httpMethod", "connectionType", "passthroughBehavior", "contentHandling"}
#: integration keys whose stated default the API reports as absent: a document may keep them
_DEFAULT_KEYS = {
    "timeoutInMillis": INTEGRATION_DEFAULTS["timeout_in_millis"],
    "connectionType": INTEGRATION_DEFAULTS["connection_type"],
    "passthroughBehavior": INTEGRATION_DEFAULTS["passthrough_behavior"],
    "cacheKeyParameters": [],
    "requestParameters": {},
    "requestTemplates": {},
    "responseParameters": {},
    "responseTemplates": {},
}
_OPERATION_KEYS = ("get", "put", "post", "delete", "options", "head", "patch")
_INTRINSIC = re.compile(r"^(Ref|Fn::\w+)$")


@dataclass(frozen=True)
class MergeResult:
    text: str
    changed: bool
    diagnostics: list[Diagnostic]


def merge_into(
    original: str,
    model: ApiModel,
    *,
    name: str = "<document>",
    document_model: ApiModel | None = None,
    unknown: frozenset[str] = frozenset(),
) -> MergeResult:
    """`original` (YAML or JSON text) with `model`'s API Gateway parts written into it.

    `document_model` is the model of `original` if the caller has read it already (with `$ref`s
    resolved); otherwise it is built from the text here. `unknown` names the parts the source
    did not give (`oas2gw.export.dump.PARTS`): the document keeps its own for those.
    """
    diags = DiagnosticList()
    is_json = original.lstrip().startswith(("{", "["))
    try:
        plain = json.loads(original) if is_json else _fast_yaml(original)
    except ValueError as exc:
        diags.error(C.E404, f"{name} is not JSON: {exc}")
        return MergeResult(original, False, diags.items)
    except Exception as exc:  # yaml.YAMLError, without importing yaml at module load
        diags.error(C.E404, f"{name} is not YAML: {str(exc).splitlines()[0]}")
        return MergeResult(original, False, diags.items)
    if (
        not isinstance(plain, dict)
        or not ({"openapi", "swagger"} & plain.keys())
        or not isinstance(plain.get("paths", {}), dict)
    ):
        diags.error(
            C.E404,
            f"{name} is not a plain OpenAPI document (no `openapi`/`swagger` at its root); "
            "--into writes into OpenAPI documents, not templates",
        )
        return MergeResult(original, False, diags.items)
    if document_model is None:
        from oas2gw.model.build import build_model

        document_model, _ = build_model(plain)
    model = _borrow(model, document_model, unknown)
    oas2 = "swagger" in plain
    sigv4, api_key = _scheme_names(plain, oas2)
    exported, emitted = build_openapi(
        model, "2.0" if oas2 else "3.0", sigv4_scheme=sigv4, api_key_scheme=api_key
    )
    diags.items.extend(emitted)
    edits = _Edits(normalize(document_model), normalize(model), exported, diags)
    if not edits.plan(plain):
        return MergeResult(original, False, diags.items)
    text = _merge_json(original, plain, edits) if is_json else _merge_yaml(original, edits)
    return MergeResult(text, text != original, diags.items)


def _borrow(model: ApiModel, document: ApiModel, unknown: frozenset[str]) -> ApiModel:
    """`model` with what its source did not say taken from the document: what is unknown is
    not gone."""
    update: dict[str, Any] = {}
    if "rest_api" in unknown:
        for field in (
            "name", "description", "version", "binary_media_types", "api_key_source",
            "minimum_compression_size", "endpoint_configuration", "policy",
            "disable_execute_api_endpoint",
        ):  # fmt: skip
            update[field] = getattr(document, field)
    if "validators" in unknown:
        update["request_validators"] = document.request_validators
        update["default_request_validator"] = document.default_request_validator
    if "authorizers" in unknown:
        update["authorizers"] = document.authorizers
    if "models" in unknown:
        update["models"] = document.models
    if "gateway_responses" in unknown:
        update["gateway_responses"] = document.gateway_responses
    if "documentation_parts" in unknown:
        update["documentation"] = document.documentation
    if not {"validators", "authorizers"} & unknown:
        return model.model_copy(update=update) if update else model
    theirs = {(r.path, m.http_method): m for r, m in normalize(document).iter_methods()}
    resources = []
    for resource in model.resources:
        methods = []
        for method in resource.methods:
            doc = theirs.get((resource.path, method.http_method))
            borrowed: dict[str, Any] = {}
            if doc is not None and "validators" in unknown:
                borrowed["request_validator"] = doc.request_validator
            custom = ("CUSTOM", "COGNITO_USER_POOLS")
            if doc is not None and "authorizers" in unknown and method.authorization_type in custom:
                borrowed.update(
                    authorization_type=doc.authorization_type,
                    authorizer=doc.authorizer,
                    authorization_scopes=doc.authorization_scopes,
                )
            methods.append(method.model_copy(update=borrowed) if borrowed else method)
        resources.append(resource.model_copy(update={"methods": tuple(methods)}))
    update["resources"] = tuple(resources)
    return model.model_copy(update=update)


def _scheme_names(plain: Mapping[str, Any], oas2: bool) -> tuple[str, str]:
    """The document's own names for its SigV4 and API key schemes, if it has them."""
    schemes = _get(plain, ("securityDefinitions",) if oas2 else ("components", "securitySchemes"))
    sigv4, api_key = SIGV4_SCHEME, API_KEY_SCHEME
    found_sigv4 = found_key = False
    for name, scheme in (schemes or {}).items():
        if not isinstance(scheme, Mapping) or X + "authorizer" in scheme:
            continue
        if str(scheme.get(X + "authtype", "")).lower() == "awssigv4" and not found_sigv4:
            sigv4, found_sigv4 = str(name), True
        elif scheme.get("type") == "apiKey" and X + "authtype" not in scheme and not found_key:
            api_key, found_key = str(name), True
    return sigv4, api_key


def _fast_yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


# -- deciding what to edit --------------------------------------------------------------------

Edit = Callable[[MutableMapping[str, Any]], None]


class _Edits:
    """The edits to make, decided on the fast plain tree, applied to the round-trip tree."""

    def __init__(
        self, doc: ApiModel, api: ApiModel, exported: dict[str, Any], diags: DiagnosticList
    ) -> None:
        self.doc = doc
        self.api = api
        self.exported = exported
        self.diags = diags
        self.edits: list[Edit] = []
        self.needed_schemes: set[str] = set()
        self.schemes_at: tuple[str, ...] = ()
        self.exported_schemes: Mapping[str, Any] = {}

    def plan(self, plain: Mapping[str, Any]) -> bool:
        self.plan_root(plain)
        self.plan_paths(plain)
        doc_schemes = _get(plain, self.schemes_at) or {}
        for name in sorted(self.needed_schemes):
            if name not in doc_schemes and name in self.exported_schemes:
                self.edits.append(
                    _at_path(self.schemes_at, _ensure_key(name, self.exported_schemes[name]))
                )
        return bool(self.edits)

    def need_schemes(self, operation: Mapping[str, Any]) -> None:
        for requirement in operation.get("security", []):
            self.needed_schemes.update(requirement)

    def apply(self, root: MutableMapping[str, Any]) -> None:
        for edit in self.edits:
            edit(root)

    def plan_root(self, plain: Mapping[str, Any]) -> None:
        doc, api = self.doc, self.api
        pairs = {key: (getattr(doc, f), getattr(api, f)) for key, f in ROOT_OWNED.items()}
        for key, (old, new) in pairs.items():
            if old != new:
                self.edits.append(_sync_key(X + key, self.exported.get(X + key)))
        info = self.exported.get("info", {})
        for field, old, new in (
            ("title", doc.name, api.name),
            ("description", doc.description, api.description),
            ("version", doc.version, api.version),
        ):
            if new is not None and old != new:
                self.edits.append(_at_path(("info",), _sync_key(field, info.get(field))))
        schemas_at = ("definitions",) if "swagger" in self.exported else ("components", "schemas")
        exported_schemas = _get(self.exported, schemas_at) or {}
        doc_schemas = _get(plain, schemas_at) or {}
        for model_name, schema in exported_schemas.items():
            if _plain(doc_schemas.get(model_name)) != _plain(schema):
                self.edits.append(_at_path(schemas_at, _sync_key(model_name, schema)))
        schemes_at = (
            ("securityDefinitions",)
            if "swagger" in self.exported
            else ("components", "securitySchemes")
        )
        exported_schemes = _get(self.exported, schemes_at) or {}
        doc_auth = {a.name: a for a in doc.authorizers}
        for authorizer in api.authorizers:
            if doc_auth.get(authorizer.name) != authorizer:
                scheme = exported_schemes[authorizer.name]
                self.edits.append(_at_path(schemes_at, _scheme_edit(authorizer.name, scheme)))
        self.schemes_at = schemes_at
        self.exported_schemes = exported_schemes

    def plan_paths(self, plain: Mapping[str, Any]) -> None:
        doc_methods = {(r.path, m.http_method): m for r, m in self.doc.iter_methods()}
        api_methods = {(r.path, m.http_method): m for r, m in self.api.iter_methods()}
        doc_paths = plain.get("paths") or {}
        for (path, verb), method in api_methods.items():
            item = self.exported["paths"][path]
            key = _op_key(verb)
            if path not in doc_paths:
                for operation in item.values():
                    self.need_schemes(operation)
                self.edits.append(_at_path(("paths",), _sync_key(path, item)))
                continue
            existing_key = _find_op_key(doc_paths[path], verb)
            if existing_key is None:
                self.need_schemes(item[key])
                self.edits.append(_at_path(("paths", path), _sync_key(key, item[key])))
                continue
            old = doc_methods.get((path, verb))
            if old is not None and _same_method(old, method):
                continue
            if old is None or _security(old) != _security(method):
                self.need_schemes(item[key])
            self.edits.append(
                _at_path(("paths", path, existing_key), _OperationEdit(item[key], old, method))
            )
        for (path, verb), _ in doc_methods.items():
            if (path, verb) not in api_methods:
                self.diags.warning(
                    C.W406,
                    f"{verb} {path} is not in the API; left as it is",
                    join_pointer("/paths", path, _op_key(verb)),
                )


def _security(m: Method) -> tuple[Any, ...]:
    return (m.authorization_type, m.authorizer, m.authorization_scopes, m.api_key_required)


def _same_method(a: Method, b: Method) -> bool:
    return a.model_dump(by_alias=True) == b.model_dump(by_alias=True)


def _op_key(verb: str) -> str:
    return X + "any-method" if verb == "ANY" else verb.lower()


def _find_op_key(item: Any, verb: str) -> str | None:
    if not isinstance(item, Mapping):
        return None
    for key in item:
        if isinstance(key, str) and (
            (verb == "ANY" and key == X + "any-method") or key.lower() == verb.lower()
        ):
            return key
    return None


def _get(tree: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = tree
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _plain(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(_text_keys(value), sort_keys=True, default=str))


def _text_keys(value: Any) -> Any:
    """Keys as JSON spells them: YAML may mix `200:` and `"x":` in one mapping, which sorting
    cannot compare."""
    if isinstance(value, Mapping):
        return {str(k): _text_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text_keys(v) for v in value]
    return value


def _at_path(path: Sequence[str], edit: Edit) -> Edit:
    """Apply `edit` to the mapping at `path`, making missing mappings on the way."""

    def run(root: MutableMapping[str, Any]) -> None:
        node = root
        for key in path:
            if key not in node or not isinstance(node[key], MutableMapping):
                node[key] = {}
            node = node[key]
        edit(node)

    return run


def _scheme_edit(name: str, scheme: Mapping[str, Any]) -> Edit:
    """A security scheme's authorizer and authtype follow the API; its description stays."""

    def run(schemes: MutableMapping[str, Any]) -> None:
        current = schemes.get(name)
        if not isinstance(current, MutableMapping):
            schemes[name] = scheme
            return
        for key in (X + "authtype", X + "authorizer"):
            _sync_key(key, scheme.get(key))(current)

    return run


def _sync_key(key: str, value: Any) -> Edit:
    """Set `key` to `value` (recursively, keeping what is equal), or remove it when None."""

    def run(node: MutableMapping[str, Any]) -> None:
        if value is None:
            node.pop(key, None)
        elif key in node:
            node[key] = _sync(node[key], value)
        else:
            node[key] = value

    return run


def _ensure_key(key: str, value: Any) -> Edit:
    def run(node: MutableMapping[str, Any]) -> None:
        if key not in node:
            node[key] = value

    return run


def _insert(node: MutableMapping[str, Any], key: str, value: Any, order: list[str]) -> None:
    """Add `key` after the nearest key that precedes it in `order` (the export's key order)."""
    position = order.index(key)
    earlier = [k for k in order[:position] if k in node]
    keys = list(node)
    index = keys.index(earlier[-1]) + 1 if earlier else 0
    insert = getattr(node, "insert", None)
    if insert is not None:  # ruamel's CommentedMap keeps comments this way
        insert(index, key, value)
        return
    items = list(node.items())
    items.insert(index, (key, value))
    node.clear()
    node.update(items)


def _is_intrinsic(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and len(value) == 1
        and bool(_INTRINSIC.match(str(next(iter(value)))))
    )


def _equal_scalar(old: Any, new: Any, key: str | None) -> bool:
    if old == new and type(old) is type(new):
        return True
    if (
        isinstance(old, (int, str))
        and isinstance(new, (int, str))
        and not isinstance(old, bool)
        and str(old) == str(new)
    ):
        return True
    return (
        key in _ENUM_KEYS
        and isinstance(old, str)
        and isinstance(new, str)
        and old.upper() == new.upper()
    )


def _sync(old: Any, new: Any, key: str | None = None, defaults: bool = False) -> Any:
    """`new`, reusing the parts of `old` that already say the same (so they keep their
    comments and formatting)."""
    if _is_intrinsic(old) and isinstance(new, str):
        return old  # a CloudFormation intrinsic resolves to what the API holds; keep it
    if isinstance(old, MutableMapping) and isinstance(new, Mapping):
        for k in list(old):
            if k not in new and not (
                defaults and k in _DEFAULT_KEYS and _plain(old[k]) == _DEFAULT_KEYS[k]
            ):
                del old[k]
        for k, v in new.items():
            if k in old:
                synced = _sync(old[k], v, k, defaults or k == X + "integration")
                if synced is not old[k]:
                    old[k] = synced
            else:
                _insert(old, k, v, list(new))
        return old
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):
            for i, (o, n) in enumerate(zip(old, new, strict=True)):
                synced = _sync(o, n, key, defaults)
                if synced is not o:
                    old[i] = synced
            return old
        return new
    if isinstance(new, (Mapping, list)) or isinstance(old, (Mapping, list)):
        return new
    return old if _equal_scalar(old, new, key) else new


class _OperationEdit:
    """Bring one operation in line with the API: its integration, validator, operationId,
    security, parameters and responses; descriptions, examples, tags and the rest stay."""

    def __init__(self, exported: Mapping[str, Any], old: Method | None, new: Method) -> None:
        self.exported = exported
        self.old = old
        self.new = new

    def __call__(self, op: MutableMapping[str, Any]) -> None:
        ex = self.exported
        old, new = self.old, self.new
        if old is None or old.integration != new.integration:
            if X + "integration" in op and X + "integration" in ex:
                op[X + "integration"] = _sync(
                    op[X + "integration"], ex[X + "integration"], None, True
                )
            else:
                _sync_key(X + "integration", ex.get(X + "integration"))(op)
        if old is None or old.request_validator != new.request_validator:
            _sync_key(X + "request-validator", ex.get(X + "request-validator"))(op)
        if (old is None or old.operation_name != new.operation_name) and "operationId" in ex:
            op["operationId"] = ex["operationId"]
        if old is None or (
            old.authorization_type,
            old.authorizer,
            old.authorization_scopes,
            old.api_key_required,
        ) != (
            new.authorization_type,
            new.authorizer,
            new.authorization_scopes,
            new.api_key_required,
        ):
            op["security"] = ex.get("security", [])
        if old is None or old.request_parameters != new.request_parameters:
            self.parameters(op)
        if old is None or old.request_models != new.request_models:
            wanted_body = ex.get("requestBody")
            body = op.get("requestBody")
            if isinstance(body, MutableMapping) and isinstance(body.get("content"), MutableMapping):
                _sync_content(body["content"], (wanted_body or {}).get("content", {}))
                if not body["content"]:
                    del op["requestBody"]
            else:
                _sync_key("requestBody", wanted_body)(op)
            if "consumes" in ex:
                op["consumes"] = _sync(op.get("consumes"), ex["consumes"])
        if old is None or old.responses != new.responses:
            self.responses(op)

    def parameters(self, op: MutableMapping[str, Any]) -> None:
        wanted = {(p["in"], p["name"]): p for p in self.exported.get("parameters", [])}
        params = op.get("parameters")
        if not isinstance(params, list):
            params = []
        kept: list[Any] = []
        seen: set[tuple[str, str]] = set()
        for p in params:
            if not isinstance(p, MutableMapping) or "$ref" in p:
                kept.append(p)
                continue
            where = (str(p.get("in")), str(p.get("name")))
            if where[0] not in ("path", "query", "header", "body"):
                kept.append(p)
                continue
            if where in wanted:
                if bool(p.get("required", where[0] == "path")) != wanted[where]["required"]:
                    p["required"] = wanted[where]["required"]
                kept.append(p)
                seen.add(where)
            elif where[0] == "body" and any(k[0] == "body" for k in wanted):
                body = next(v for k, v in wanted.items() if k[0] == "body")
                kept.append(_sync(p, body))
                seen.add(("body", body["name"]))
        kept.extend(v for k, v in wanted.items() if k not in seen)
        if kept:
            if "parameters" in op and isinstance(op["parameters"], list):
                op["parameters"][:] = kept
            else:
                op["parameters"] = kept
        else:
            op.pop("parameters", None)

    def responses(self, op: MutableMapping[str, Any]) -> None:
        wanted = self.exported.get("responses", {})
        responses = op.get("responses")
        if not isinstance(responses, MutableMapping):
            op["responses"] = wanted
            return
        for code in list(responses):
            if (
                str(code) not in wanted
                and str(code) != "default"
                and not str(code).startswith("x-")
            ):
                del responses[code]
        by_text = {str(code): code for code in responses}
        for code, body in wanted.items():
            if code not in by_text:
                responses[code] = body
                continue
            current = responses[by_text[code]]
            if not isinstance(current, MutableMapping):
                responses[by_text[code]] = body
                continue
            if "headers" in body:
                if isinstance(current.get("headers"), MutableMapping):
                    self.headers(current["headers"], body["headers"])
                else:
                    current["headers"] = body["headers"]
            elif "headers" in current:
                del current["headers"]
            if isinstance(current.get("content"), MutableMapping):
                _sync_content(current["content"], body.get("content", {}))
                if not current["content"]:
                    del current["content"]
            elif "content" in body:
                current["content"] = body["content"]
            if "schema" in body:
                current["schema"] = _sync(current.get("schema"), body["schema"])
            elif _has_ref(current.get("schema")):
                del current["schema"]

    @staticmethod
    def headers(current: MutableMapping[str, Any], wanted: Mapping[str, Any]) -> None:
        for name in list(current):
            if name not in wanted:
                del current[name]
        for name, spec in wanted.items():
            if name not in current or not isinstance(current[name], MutableMapping):
                current[name] = spec
            elif bool(current[name].get("required", False)) != bool(spec.get("required", False)):
                current[name]["required"] = bool(spec.get("required", False))


def _has_ref(schema: Any) -> bool:
    """A schema that names a model; inline schemas are the document's own."""
    return isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str)


def _sync_content(current: MutableMapping[str, Any], wanted: Mapping[str, Any]) -> None:
    """Media types follow the API's models; examples and inline schemas stay."""
    for media_type in list(current):
        media = current[media_type]
        if media_type in wanted or not isinstance(media, MutableMapping):
            continue
        if _has_ref(media.get("schema")):
            del media["schema"]
            if not media:
                del current[media_type]
    for media_type, body in wanted.items():
        media = current.get(media_type)
        if not isinstance(media, MutableMapping):
            current[media_type] = body
        else:
            media["schema"] = _sync(media.get("schema"), body["schema"])


# -- writing ----------------------------------------------------------------------------------


def _merge_json(original: str, plain: dict[str, Any], edits: _Edits) -> str:
    indent = _json_indent(original)
    ensure_ascii = original.isascii()
    newline = "\n" if original.endswith("\n") else ""

    def dump(tree: Any) -> str:
        return json.dumps(tree, indent=indent, ensure_ascii=ensure_ascii) + newline

    base = dump(plain)
    edits.apply(plain)
    edited = dump(plain)
    if base == original:  # written the way json.dumps writes: nothing to restore
        return edited
    text = _splice(original, base, edited)
    try:
        if json.loads(text) == json.loads(edited):
            return text
    except ValueError:
        pass
    return edited


def _json_indent(text: str) -> int | str | None:
    found = re.search(r"[{\[]\r?\n([ \t]+)\S", text)
    if found is None:
        return None
    ws = found.group(1)
    return "\t" if ws.startswith("\t") else len(ws)


def _merge_yaml(original: str, edits: _Edits) -> str:
    """The edits written straight into the text where the document allows (fast, and exact
    for every line not edited); else through ruamel.yaml's round trip."""
    text = _TextEdits.apply(original, edits)
    return text if text is not None else _merge_yaml_ruamel(original, edits)


def _same_plain(old: Any, new: Any) -> bool:
    return type(old) is type(new) and old == new


def _block(value: Any, column: int, seq: str = "") -> str:
    """`value` in block style, its first line indented like the rest, at `column`; lists
    under keys indented by `seq`."""
    out: list[str] = []
    if isinstance(value, dict):
        _yaml_mapping(value, " " * column, out, seq=seq)
    else:
        _yaml_sequence(value, " " * column, out, seq)
    return "".join(out)


class _Unsupported(Exception):
    """A shape the text editor does not rewrite in place (the round trip handles it)."""


class _TextEdits:
    """Edits as replacements of character ranges, located with libyaml's node marks.

    Only what differs between the document's tree and the edited tree is rewritten: a changed
    scalar in place, a removed key with its lines, an added key after its predecessor at the
    siblings' indentation, a collection that changed shape as a whole.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.seq = " " * _yaml_indent(text)[2]
        self.ops: list[tuple[int, int, int, str]] = []  # start, end, order, replacement

    @classmethod
    def apply(cls, original: str, edits: _Edits) -> str | None:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            root = yaml.compose(original, Loader=loader)
            before = yaml.load(original, Loader=loader)
            after = yaml.load(original, Loader=loader)
            edits.apply(after)
            self = cls(original)
            self.value(root, before, after, 0)
            text = self.result()
            if yaml.load(text, Loader=loader) == after:
                return text
        except (_Unsupported, yaml.YAMLError, RecursionError):
            pass
        return None

    def result(self) -> str:
        text = self.text
        for start, end, _, replacement in sorted(self.ops, reverse=True):
            text = text[:start] + replacement + text[end:]
        return text

    def add(self, start: int, end: int, replacement: str) -> None:
        self.ops.append((start, end, len(self.ops), replacement))

    # -- positions --------------------------------------------------------------------------

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def next_line(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def end_of(self, node: Any) -> int:
        """Where the lines of `node` end: after its last line, comments included."""
        import yaml

        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            return self.end_of(node.value[-1][1])
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return self.end_of(node.value[-1])
        mark = node.end_mark
        return mark.index if mark.column == 0 else self.next_line(mark.index)

    def alone_on_line(self, node: Any) -> bool:
        start = node.start_mark.index
        return self.text[self.line_start(start) : start].strip() == ""

    # -- the walk ---------------------------------------------------------------------------

    def value(self, node: Any, old: Any, new: Any, column: int, key: Any = None) -> None:
        """Make the text of `node` (holding `old`, its key at `column`) say `new`."""
        import yaml

        if _same_plain(old, new):
            return
        block = getattr(node, "flow_style", None) is False
        if (
            isinstance(node, yaml.MappingNode)
            and block
            and isinstance(old, dict)
            and isinstance(new, dict)
            and new
        ):
            self.mapping(node, old, new)
            return
        if (
            isinstance(node, yaml.SequenceNode)
            and block
            and isinstance(old, list)
            and isinstance(new, list)
            and len(new) == len(old)
        ):
            for item, o, n in zip(node.value, old, new, strict=True):
                self.value(item, o, n, node.start_mark.column)
            return
        self.replace(node, new, column, key)

    def mapping(self, node: Any, old: dict[Any, Any], new: dict[Any, Any]) -> None:
        if len(node.value) != len(old):  # merge keys or duplicates: not a plain mapping
            raise _Unsupported
        entries = dict(zip(old, node.value, strict=True))
        column = node.value[0][0].start_mark.column
        for key, (key_node, value_node) in entries.items():
            if key not in new:
                if not self.alone_on_line(key_node):
                    raise _Unsupported
                self.add(self.line_start(key_node.start_mark.index), self.end_of(value_node), "")
            else:
                self.value(value_node, old[key], new[key], column, key_node)
        previous: Any = None
        for key in new:
            if key in entries:
                previous = entries[key][1]
                continue
            if previous is not None:
                at = self.end_of(previous)
            else:
                first = node.value[0][0]
                if not self.alone_on_line(first):
                    raise _Unsupported
                at = self.line_start(first.start_mark.index)
            self.add(at, at, _block({key: new[key]}, column, self.seq))

    def replace(self, node: Any, new: Any, column: int, key: Any = None) -> None:
        import yaml

        start = node.start_mark.index
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            end = node.end_mark.index
            if node.end_mark.column != 0:
                raise _Unsupported
            if isinstance(new, str) and _literal_ok(new):
                self.add(start, end, _literal(new, " " * (column + 2)))
            elif isinstance(new, (dict, list)) and new:
                self.add(start, end, "\n" + _block(new, column + 2, self.seq))
            else:
                self.add(start, end, _scalar(new) + "\n")
            return
        if isinstance(node, yaml.ScalarNode) or node.flow_style:
            end = node.end_mark.index
            if isinstance(new, (dict, list)) and new:
                if isinstance(node, yaml.ScalarNode):
                    self.add(start, end, "\n" + _block(new, column + 2, self.seq).rstrip("\n"))
                else:
                    self.add(start, end, json.dumps(new, ensure_ascii=False))
            elif isinstance(new, str) and ("\n" in new or node.style == '"'):
                self.add(start, end, _quoted(new))
            elif isinstance(new, str) and node.style == "'" and new.isprintable():
                self.add(start, end, "'" + new.replace("'", "''") + "'")
            else:
                flat = json.dumps(new) if isinstance(new, (dict, list)) else _scalar(new)
                self.add(start, end, flat)
            return
        if not isinstance(new, (dict, list)) or not new:
            if key is None or not isinstance(key, yaml.ScalarNode) or key.style:
                raise _Unsupported  # a list item becoming a scalar: left to the round trip
            flat = json.dumps(new) if isinstance(new, (dict, list)) else _scalar(new)
            self.add(key.end_mark.index, self.end_of(node), f": {flat}\n")
            return
        inner = node.start_mark.column
        self.add(start, self.end_of(node), _block(new, inner, self.seq)[inner:])


def _merge_yaml_ruamel(original: str, edits: _Edits) -> str:
    """ruamel.yaml's round trip, its reformatting undone line by line (`_splice`)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 30
    mapping, sequence, offset = _yaml_indent(original)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.explicit_start = original.lstrip().startswith("---")
    tree = yaml.load(original)

    def dump() -> str:
        out = io.StringIO()
        yaml.dump(tree, out)
        return out.getvalue()

    base = dump()
    edits.apply(tree)
    edited = dump()
    text = _splice(original, base, edited)
    try:
        if _fast_yaml(text) == _fast_yaml(edited):
            return text
    except Exception:  # the splice is only a nicety; ruamel's full output is always right
        pass
    return edited


def _yaml_indent(text: str) -> tuple[int, int, int]:
    """The document's mapping indent and its sequence indent and dash offset."""
    mapping = 2
    steps: dict[int, int] = {}
    offset: int | None = None
    previous_key_indent: int | None = None
    for line in text.splitlines()[:4000]:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if previous_key_indent is not None:
            if stripped.startswith("- ") and offset is None:
                offset = indent - previous_key_indent
            elif indent > previous_key_indent:
                steps[indent - previous_key_indent] = steps.get(indent - previous_key_indent, 0) + 1
        previous_key_indent = indent if stripped.rstrip().endswith(":") else None
    if steps:
        mapping = max(steps, key=lambda k: steps[k])
    dash = max(offset or 0, 0)
    return mapping, dash + 2, dash


def _splice(original: str, base: str, edited: str) -> str:
    """`edited`, with every stretch that is unchanged from `base` (ruamel's rendering of the
    untouched document) taken from `original` instead."""
    a = original.splitlines(keepends=True)
    b = base.splitlines(keepends=True)
    c = edited.splitlines(keepends=True)
    #: for each stretch of `b` that renders a stretch of `a`: where it starts -> (end, a lines)
    blocks: dict[int, tuple[int, list[str]]] = {}
    #: lines of `a` that `b` lost (e.g. blank lines), emitted before the `b` line they precede
    before: dict[int, list[str]] = {}
    for tag, a1, a2, b1, b2 in _opcodes(a, b):
        if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
            for k in range(b2 - b1):
                blocks[b1 + k] = (b1 + k + 1, [a[a1 + k]])
        elif tag == "delete":
            before.setdefault(b1, []).extend(a[a1:a2])
        else:
            blocks[b1] = (b2, a[a1:a2])
    out: list[str] = []
    for tag, b1, b2, c1, c2 in _opcodes(b, c):
        if tag != "equal":
            out.extend(c[c1:c2])
            continue
        j = b1
        while j < b2:
            out.extend(before.get(j, ()))
            block = blocks.get(j)
            if block is not None and block[0] <= b2:
                out.extend(block[1])
                j = block[0]
            else:
                out.append(b[j])
                j += 1
    return "".join(out)


def _opcodes(x: list[str], y: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Line-level difference; a long common head and tail are matched first, which keeps
    large documents with a few edits linear."""
    head = 0
    limit = min(len(x), len(y))
    while head < limit and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < limit - head and x[len(x) - 1 - tail] == y[len(y) - 1 - tail]:
        tail += 1
    ops: list[tuple[str, int, int, int, int]] = []
    if head:
        ops.append(("equal", 0, head, 0, head))
    # on long middles, lines found in more than 1% of places stop anchoring the match (linear
    # time; the result is checked by reading it back, so a longer edit costs nothing but bytes)
    big = len(x) - head - tail > 5000
    middle = difflib.SequenceMatcher(None, x[head : len(x) - tail], y[head : len(y) - tail], big)
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        ops.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        ops.append(("equal", len(x) - tail, len(x), len(y) - tail, len(y)))
    return ops
