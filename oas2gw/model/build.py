"""From an OpenAPI tree (Swagger 2.0 or OpenAPI 3.x) to the `ApiModel`.

The tree comes from the reader: plain JSON values with `$ref`s resolved (schemas may keep theirs).
Any shape is accepted: where a node is not what OpenAPI says, the builder records a diagnostic with
the node's pointer and goes on, so one run shows every problem and no input raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from oas2gw.diagnostics import Diagnostic, DiagnosticList, join_pointer, pointer_at
from oas2gw.model import build_codes as C
from oas2gw.model.types import (
    ApiModel,
    Authorizer,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    RequestValidator,
    Resource,
)

X = "x-amazon-apigateway-"
INTEGRATION = X + "integration"
ANY_METHOD = X + "any-method"
OPERATION_KEYS = ("get", "put", "post", "delete", "options", "head", "patch")
#: operation key (lower case) -> API Gateway's method
_VERBS = {key: key.upper() for key in OPERATION_KEYS}
PARAM_LOCATIONS = {"path": "path", "query": "querystring", "header": "header"}
BUILTIN_MODELS = ("Empty", "Error")

#: root extensions the model holds, and the ApiModel field each feeds
ROOT_EXTENSIONS = {
    X + "binary-media-types": "binary_media_types",
    X + "api-key-source": "api_key_source",
    X + "minimum-compression-size": "minimum_compression_size",
    X + "endpoint-configuration": "endpoint_configuration",
    X + "policy": "policy",
    X + "documentation": "documentation",
    X + "disable-execute-api-endpoint": "disable_execute_api_endpoint",
}
#: root extensions read elsewhere in this module
ROOT_HANDLED = {
    X + "request-validators",
    X + "request-validator",
    X + "gateway-responses",
}
#: operation-level extensions read by this module
OPERATION_HANDLED = {INTEGRATION, X + "request-validator", X + "auth"}

_MODEL_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9]")


def build_model(tree: Any, *, consume: bool = False) -> tuple[ApiModel, list[Diagnostic]]:
    """Build the model of a REST API from an OpenAPI tree; never raises on bad shapes.

    `consume`: the tree is not used afterwards, so each path item is let go (its member of
    `paths` set to None) once its methods are built, and the tree and the model are never
    whole at once: at 10,000 operations that is most of the tree, 25 MiB of the peak."""
    return _Builder(consume).build(tree)


def model_name_from_ref(ref: str) -> str | None:
    """`#/definitions/Pet` or `#/components/schemas/Pet` -> `Pet`."""
    for prefix in ("#/definitions/", "#/components/schemas/"):
        if ref.startswith(prefix):
            name = ref[len(prefix) :]
            return name.replace("~1", "/").replace("~0", "~")
    return None


class _Builder:
    def __init__(self, consume: bool = False) -> None:
        self.consume = consume
        self.diags = DiagnosticList()
        self.models: dict[str, Any] = {}
        self.schema_names: dict[int, str] = {}
        #: `$ref` -> the model it names (a pure function of the text; refs repeat)
        self.ref_names: dict[str, str | None] = {}
        self.schemes: dict[str, Mapping[str, Any]] = {}
        self.oas2 = False
        self.schemes_pointer = "/components/securitySchemes"

    # -- shape helpers -----------------------------------------------------------------------

    def mapping(self, value: Any, pointer: str, what: str) -> Mapping[str, Any]:
        if type(value) is dict:  # what the reader makes: no ABC check
            return value
        if value is None:
            return {}
        if isinstance(value, Mapping):
            return value
        self.diags.error(C.E251, f"{what} must be a mapping, not {_kind(value)}", pointer)
        return {}

    def sequence(self, value: Any, pointer: str, what: str) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.diags.error(C.E251, f"{what} must be a list, not {_kind(value)}", pointer)
        return []

    def construct(self, cls: type[BaseModel], data: dict[str, Any], pointer: str) -> Any:
        """Validate `data` into `cls`; on failure report each field and drop the bad ones."""
        try:
            # what `cls.model_validate` runs, without its wrapper: 55,000 calls at 10,000 ops
            return cls.__pydantic_validator__.validate_python(data)
        except ValidationError as exc:
            bad: set[str] = set()
            for err in exc.errors():
                # pydantic marks a bad mapping key with a `[key]` step: the key is the place
                loc = [str(p) for p in err["loc"] if p != "[key]"]
                if loc:
                    bad.add(loc[0])
                where = join_pointer(pointer, *[_alias_of(cls, p) for p in loc[:1]], *loc[1:])
                self.diags.error(C.E252, f"{'.'.join(loc) or cls.__name__}: {err['msg']}", where)
            required = {f.alias or n for n, f in cls.model_fields.items() if f.is_required()}
            kept = {k: v for k, v in data.items() if k not in bad or k in required}
            try:
                return cls.model_validate({k: v for k, v in kept.items() if k not in bad})
            except ValidationError:
                return None

    # -- the document ------------------------------------------------------------------------

    def build(self, tree: Any) -> tuple[ApiModel, list[Diagnostic]]:
        root = self.mapping(tree, "", "the document")
        version = root.get("swagger", root.get("openapi"))
        self.oas2 = "swagger" in root
        self.root_consumes = root.get("consumes")
        self.root_produces = root.get("produces")
        info = self.mapping(root.get("info"), "/info", "info")

        self.read_models(root)
        self.read_security_schemes(root)
        data: dict[str, Any] = {
            "name": _text_or_none(info.get("title")),
            "description": _text_or_none(info.get("description")),
            "version": _text_or_none(info.get("version")),
            "openapi_version": str(version) if version is not None else None,
        }
        for key, field in ROOT_EXTENSIONS.items():
            if key in root:
                data[field] = root[key]
        extensions = {
            k: v
            for k, v in root.items()
            if isinstance(k, str)
            and k.startswith(X)
            and k not in ROOT_EXTENSIONS
            and k not in ROOT_HANDLED
        }
        data["extensions"] = extensions
        data["request_validators"] = self.read_validators(root)
        default_validator = root.get(X + "request-validator")
        if default_validator is not None:
            if isinstance(default_validator, str):
                data["default_request_validator"] = default_validator
            else:
                self.diags.error(
                    C.E251,
                    "x-amazon-apigateway-request-validator must be a validator name",
                    "/" + X + "request-validator",
                )
        data["gateway_responses"] = self.read_gateway_responses(root)
        data["authorizers"] = self.read_authorizers()
        data["models"] = self.models
        root_security = root.get("security")
        data["resources"] = self.read_paths(root, root_security)
        model = self.construct(ApiModel, data, "")
        if model is None:  # only the resources survive a broken root
            model = ApiModel(resources=data["resources"])
        return model, self.diags.items

    def read_models(self, root: Mapping[str, Any]) -> None:
        if self.oas2 or "definitions" in root:
            ptr, schemas = "/definitions", root.get("definitions")
        else:
            comps = self.mapping(root.get("components"), "/components", "components")
            ptr, schemas = "/components/schemas", comps.get("schemas")
        for name, schema in self.mapping(schemas, ptr, "schemas").items():
            self.models[str(name)] = schema
            self.schema_names[id(schema)] = str(name)

    def read_security_schemes(self, root: Mapping[str, Any]) -> None:
        if self.oas2:
            ptr, schemes = "/securityDefinitions", root.get("securityDefinitions")
        else:
            comps: Any = root.get("components")
            if not isinstance(comps, Mapping):
                comps = {}
            ptr, schemes = "/components/securitySchemes", comps.get("securitySchemes")
        self.schemes_pointer = ptr
        for name, scheme in self.mapping(schemes, ptr, "security schemes").items():
            self.schemes[str(name)] = self.mapping(
                scheme, pointer_at(ptr, name), "a security scheme"
            )

    def read_validators(self, root: Mapping[str, Any]) -> list[RequestValidator]:
        ptr = "/" + X + "request-validators"
        out = []
        for name, body in self.mapping(
            root.get(X + "request-validators"), ptr, "validators"
        ).items():
            body = self.mapping(body, pointer_at(ptr, name), "a request validator")
            v = self.construct(RequestValidator, {"name": str(name), **body}, pointer_at(ptr, name))
            if v is not None:
                out.append(v)
        return out

    def read_gateway_responses(self, root: Mapping[str, Any]) -> list[GatewayResponse]:
        ptr = "/" + X + "gateway-responses"
        out = []
        for rtype, body in self.mapping(
            root.get(X + "gateway-responses"), ptr, "gateway responses"
        ).items():
            where = pointer_at(ptr, rtype)
            body = self.mapping(body, where, "a gateway response")
            g = self.construct(GatewayResponse, {"responseType": str(rtype), **body}, where)
            if g is not None:
                out.append(g)
        return out

    def read_authorizers(self) -> list[Authorizer]:
        out = []
        for name, scheme in self.schemes.items():
            auth = scheme.get(X + "authorizer")
            if auth is None:
                continue
            where = join_pointer(self.schemes_pointer, name, X + "authorizer")
            body = dict(self.mapping(auth, where, "an authorizer"))
            if "type" not in body:
                self.diags.error(
                    C.E253, "authorizer needs a type: token, request or cognito_user_pools", where
                )
                continue
            atype = str(body.get("type", "")).upper()
            if (
                atype in ("TOKEN", "COGNITO_USER_POOLS")
                and "identitySource" not in body
                and scheme.get("in") == "header"
                and isinstance(scheme.get("name"), str)
            ):
                # API Gateway's importer takes the header of a token or Cognito authorizer from
                # the security scheme
                body["identitySource"] = f"method.request.header.{scheme['name']}"
            extra = {k: v for k, v in body.items() if k not in _AUTHORIZER_KEYS}
            data = {k: v for k, v in body.items() if k in _AUTHORIZER_KEYS}
            data.update(
                name=name, authType=scheme.get(X + "authtype"), pointer=where, extensions=extra
            )
            a = self.construct(Authorizer, data, where)
            if a is not None:
                out.append(a)
        return out

    # -- paths -------------------------------------------------------------------------------
    #
    # The builder visits ~25 nodes per operation. Pointers are built only for what keeps one
    # (the model objects' `pointer`) or where a diagnostic is reported; a node that has the
    # shape the reader makes (`type(x) is dict`) is taken without a call.

    def read_paths(self, root: Mapping[str, Any], root_security: Any) -> list[Resource]:
        paths = self.mapping(root.get("paths"), "/paths", "paths")
        resources = []
        for path, item in paths.items():
            if not isinstance(path, str):
                self.diags.error(C.E251, f"path {path!r} must be a string", "/paths")
                continue
            if path.startswith("x-"):
                continue
            ptr = pointer_at("/paths", path)
            if not path.startswith("/"):
                self.diags.error(C.E254, f"path {path!r} must start with '/'", ptr)
                continue
            if type(item) is not dict:
                item = self.mapping(item, ptr, "a path item")
            shared = item.get("parameters")
            if type(shared) is not list:
                shared = self.sequence(shared, ptr + "/parameters", "parameters")
            methods = []
            for key, op in item.items():
                if not isinstance(key, str):
                    continue
                low = key.lower()
                if low in _VERBS:
                    verb = _VERBS[low]
                elif key == ANY_METHOD:
                    verb = "ANY"
                elif low == "trace":
                    self.diags.warning(
                        C.W255,
                        "API Gateway has no TRACE method; the operation is skipped",
                        pointer_at(ptr, key),
                    )
                    continue
                else:
                    continue
                m = self.read_method(verb, op, pointer_at(ptr, key), shared, ptr, root_security)
                if m is not None:
                    methods.append(m)
            resources.append(Resource(path=path, methods=tuple(methods), pointer=ptr))
            if self.consume and isinstance(paths, dict):
                paths[path] = None
        return resources

    def read_method(
        self,
        verb: str,
        op_value: Any,
        ptr: str,
        shared: list[Any],
        path_ptr: str,
        root_security: Any,
    ) -> Method | None:
        op = op_value if type(op_value) is dict else self.mapping(op_value, ptr, "an operation")
        data: dict[str, Any] = {"httpMethod": verb}
        operation_id = op.get("operationId")
        if isinstance(operation_id, str):
            data["operationName"] = operation_id
        params, models = self.read_parameters(shared, path_ptr, op, ptr)
        data["requestParameters"] = params
        data["requestModels"] = models
        if "security" in op or root_security is not None or X + "auth" in op:
            data.update(self.read_security(op, ptr, root_security))
        validator = op.get(X + "request-validator")
        if validator is not None:
            if isinstance(validator, str):
                data["requestValidator"] = validator
            else:
                self.diags.error(
                    C.E251,
                    "x-amazon-apigateway-request-validator must be a validator name",
                    ptr + "/" + X + "request-validator",
                )
        data["responses"] = self.read_method_responses(op, ptr)
        if INTEGRATION in op:
            data["integration"] = self.read_integration(op[INTEGRATION], ptr + "/" + INTEGRATION)
        data["pointer"] = ptr
        try:
            method: Method | None = _Method(data)
        except ValidationError:  # construct() reports each bad field and drops it
            method = self.construct(Method, data, ptr)
        return method

    def read_parameters(
        self, shared: list[Any], path_ptr: str, op: Mapping[str, Any], ptr: str
    ) -> tuple[dict[str, bool], dict[str, str]]:
        # (location, name) -> the parameter, its list's pointer and its index there
        merged: dict[tuple[str, str], tuple[Mapping[str, Any], str, int]] = {}
        own = op.get("parameters")
        if type(own) is not list:
            own = self.sequence(own, ptr + "/parameters", "parameters")
        for plist, base in ((shared, path_ptr + "/parameters"), (own, ptr + "/parameters")):
            for i, p in enumerate(plist):
                if type(p) is not dict:
                    p = self.mapping(p, f"{base}/{i}", "a parameter")
                name, loc = p.get("name"), p.get("in")
                if not isinstance(name, str) or not isinstance(loc, str):
                    self.diags.error(
                        C.E251, "a parameter needs a string `name` and `in`", f"{base}/{i}"
                    )
                    continue
                merged[(loc, name)] = (p, base, i)
        params: dict[str, bool] = {}
        models: dict[str, str] = {}
        for (loc, name), (p, base, i) in merged.items():
            if loc in PARAM_LOCATIONS:
                required = p.get("required", loc == "path")
                params[f"method.request.{PARAM_LOCATIONS[loc]}.{name}"] = bool(required)
            elif loc == "body":
                model = self.schema_model(p.get("schema"), f"{base}/{i}")
                if model:
                    for ct in self.consumes(op):
                        models[ct] = model
            elif loc == "cookie":
                self.diags.warning(
                    C.W256,
                    f"API Gateway REST APIs cannot declare cookie parameter {name!r}",
                    f"{base}/{i}",
                )
        body = op.get("requestBody")
        if body is not None:
            bptr = ptr + "/requestBody"
            content = self.mapping(
                self.mapping(body, bptr, "requestBody").get("content"), bptr + "/content", "content"
            )
            for ct, media in content.items():
                if type(media) is not dict:
                    media = self.mapping(media, pointer_at(bptr + "/content", ct), "a media type")
                model = self.schema_model(media.get("schema"), bptr + "/content", ct)
                if model:
                    models[str(ct)] = model
        return params, models

    def consumes(self, op: Mapping[str, Any]) -> list[str]:
        cts = op.get("consumes") or self.root_consumes
        return [str(c) for c in cts] if isinstance(cts, list) and cts else ["application/json"]

    root_consumes: Any = None
    root_produces: Any = None

    def schema_model(self, schema: Any, base: str, token: str | None = None) -> str | None:
        """The API Gateway model a schema names: its `$ref` target, or the schema itself.

        The schema sits at `base` (`/token` appended when given) + `/schema`: the pointer is
        joined only for the warning.
        """
        if type(schema) is not dict and not isinstance(schema, Mapping):
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            try:
                name = self.ref_names[ref]
            except KeyError:
                name = self.ref_names[ref] = model_name_from_ref(ref)
            if name is None:
                where = base if token is None else pointer_at(base, token)
                self.diags.warning(
                    C.W257, f"schema reference {ref!r} names no model", where + "/schema"
                )
            return name
        return self.schema_names.get(id(schema))

    def read_security(self, op: Mapping[str, Any], ptr: str, root_security: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        security = op.get("security", root_security)
        sec_ptr = ptr + "/security" if "security" in op else "/security"
        for i, requirement in enumerate(self.sequence(security, sec_ptr, "security")):
            if type(requirement) is not dict:
                requirement = self.mapping(requirement, f"{sec_ptr}/{i}", "a security requirement")
            for name, scopes in requirement.items():
                scheme = self.schemes.get(str(name))
                if scheme is None:
                    self.diags.error(
                        C.E258,
                        f"security scheme {name!r} is not defined",
                        pointer_at(f"{sec_ptr}/{i}", name),
                    )
                    continue
                authtype = str(scheme.get(X + "authtype", "")).lower()
                auth = scheme.get(X + "authorizer")
                if type(auth) is dict or isinstance(auth, Mapping):
                    atype = str(auth.get("type", "")).lower()
                    out["authorizationType"] = (
                        "COGNITO_USER_POOLS" if atype == "cognito_user_pools" else "CUSTOM"
                    )
                    out["authorizer"] = str(name)
                    if isinstance(scopes, list) and scopes:
                        out["authorizationScopes"] = [str(s) for s in scopes]
                elif authtype == "awssigv4":
                    out["authorizationType"] = "AWS_IAM"
                elif scheme.get("type") == "apiKey":
                    out["apiKeyRequired"] = True
        auth_ext = op.get(X + "auth")
        if auth_ext is not None:
            aptr = ptr + "/" + X + "auth"
            kind = str(self.mapping(auth_ext, aptr, "x-amazon-apigateway-auth").get("type", ""))
            if kind.lower() == "aws_iam":
                out["authorizationType"] = "AWS_IAM"
            elif kind.lower() == "none":
                out["authorizationType"] = "NONE"
            elif kind:
                self.diags.error(
                    C.E253, f"x-amazon-apigateway-auth type {kind!r} is not aws_iam or none", aptr
                )
        return out

    def read_method_responses(self, op: Mapping[str, Any], ptr: str) -> list[MethodResponse]:
        rptr = ptr + "/responses"
        out = []
        responses = op.get("responses")
        if type(responses) is not dict:
            responses = self.mapping(responses, rptr, "responses")
        for status, resp in responses.items():
            code = status if type(status) is str else str(status)
            if code == "default" or code.startswith("x-"):
                continue
            where = pointer_at(rptr, code)
            if type(resp) is not dict:
                resp = self.mapping(resp, where, "a response")
            headers = resp.get("headers")
            if headers is None:
                params: dict[str, bool] = {}
            else:
                if type(headers) is not dict:
                    headers = self.mapping(headers, where + "/headers", "headers")
                params = {
                    f"method.response.header.{h}": (
                        (type(spec) is dict or isinstance(spec, Mapping))
                        and spec.get("required", False) is True
                    )
                    for h, spec in headers.items()
                }
            models: dict[str, str] = {}
            if self.oas2:
                model = self.schema_model(resp.get("schema"), where)
                if model:
                    for ct in self.produces(op):
                        models[ct] = model
            else:
                content = resp.get("content")
                if type(content) is not dict:
                    content = self.mapping(content, where + "/content", "content")
                for ct, media in content.items():
                    if type(media) is not dict:
                        media = self.mapping(
                            media, pointer_at(where + "/content", ct), "a media type"
                        )
                    model = self.schema_model(media.get("schema"), where + "/content", ct)
                    if model:
                        models[str(ct)] = model
            data = {
                "statusCode": code,
                "responseParameters": params,
                "responseModels": models,
                "pointer": where,
            }
            try:
                out.append(_MethodResponse(data))
            except ValidationError:  # construct() reports each bad field and drops it
                mr = self.construct(MethodResponse, data, where)
                if mr is not None:
                    out.append(mr)
        return out

    def produces(self, op: Mapping[str, Any]) -> list[str]:
        cts = op.get("produces") or self.root_produces
        return [str(c) for c in cts] if isinstance(cts, list) and cts else ["application/json"]

    def read_integration(self, value: Any, ptr: str) -> Integration | None:
        if type(value) is not dict and not isinstance(value, Mapping):
            self.diags.error(
                C.E251,
                f"x-amazon-apigateway-integration must be a mapping, not {_kind(value)}",
                ptr,
            )
            return None
        fields = _INTEGRATION_FIELDS
        data: dict[str, Any] = {}
        extensions: dict[str, Any] = {}
        for key, v in value.items():
            if key in fields:
                data[key if type(key) is str else str(key)] = v
            elif key != "responses":
                extensions[key if type(key) is str else str(key)] = v
        if "type" not in data:
            self.diags.error(
                C.E253,
                "the integration needs a type: HTTP, HTTP_PROXY, AWS, AWS_PROXY or MOCK",
                ptr,
            )
            return None
        responses = []
        rptr = ptr + "/responses"
        bodies = value.get("responses")
        if type(bodies) is not dict:
            bodies = {} if bodies is None else self.mapping(bodies, rptr, "responses")
        response_keys = _INTEGRATION_RESPONSE_KEYS
        for pattern, body in bodies.items():
            where = pointer_at(rptr, pattern)
            if type(body) is not dict:
                body = self.mapping(body, where, "an integration response")
            rdata: dict[str, Any] = {}
            rext: dict[str, Any] = {}
            for key, v in body.items():
                (rdata if key in response_keys else rext)[key if type(key) is str else str(key)] = v
            if "statusCode" not in rdata:
                self.diags.error(C.E253, "an integration response needs a statusCode", where)
                continue
            text = pattern if type(pattern) is str else str(pattern)
            rdata["selectionPattern"] = None if text == "default" else text
            rdata["pointer"] = where
            rdata["extensions"] = rext
            try:
                responses.append(_IntegrationResponse(rdata))
            except ValidationError:  # construct() reports each bad field and drops it
                ir = self.construct(IntegrationResponse, rdata, where)
                if ir is not None:
                    responses.append(ir)
        data["responses"] = responses
        data["pointer"] = ptr
        data["extensions"] = extensions
        try:
            integ: Integration | None = _Integration(data)
        except ValidationError:  # construct() reports each bad field and drops it
            integ = self.construct(Integration, data, ptr)
        return integ


def _keys(cls: type[BaseModel]) -> frozenset[str]:
    """The keys a model reads from a document (aliases, else field names)."""
    return frozenset(f.alias or n for n, f in cls.model_fields.items())


_INTEGRATION_KEYS = _keys(Integration) - {"extensions", "pointer"}
#: the integration's keys that feed fields directly (its responses are read apart)
_INTEGRATION_FIELDS = _INTEGRATION_KEYS - {"responses"}
_INTEGRATION_RESPONSE_KEYS = frozenset(
    {"statusCode", "responseParameters", "responseTemplates", "contentHandling"}
)
_AUTHORIZER_KEYS = _keys(Authorizer)

# What `cls.model_validate` runs, for the objects built per operation: validating again in
# `construct` when this fails gives the same errors, so the common case needs no wrapper.
_Method = Method.__pydantic_validator__.validate_python
_MethodResponse = MethodResponse.__pydantic_validator__.validate_python
_Integration = Integration.__pydantic_validator__.validate_python
_IntegrationResponse = IntegrationResponse.__pydantic_validator__.validate_python


def _alias_of(cls: type[BaseModel], field: str) -> str:
    info = cls.model_fields.get(field)
    return (info.alias or field) if info is not None else field


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)
