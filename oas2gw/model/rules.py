"""API Gateway's rules over an `ApiModel`: what AWS would refuse, or accept and get wrong.

The checks run on the model, before any call reaches AWS, and return every finding at once.
Each finding carries the JSON pointer of the offending key (the model object's `pointer` extended
by the extension key), so the reader's locator can show file:line:column.

Enumerated values are read from botocore's service model at run time, so a value AWS adds later
is accepted as soon as botocore knows it, and a value AWS does not know cannot slip by. The
model's file is read directly, and only for a value this version does not know: importing
botocore.session and building its service model cost a tenth of a second of every run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from oas2gw.diagnostics import Diagnostic, DiagnosticList, join_pointer
from oas2gw.model import codes as C
from oas2gw.model.types import (
    AUTHORIZATION_TYPES,
    CONNECTION_TYPES,
    CONTENT_HANDLINGS,
    HTTP_METHODS,
    INTEGRATION_TYPES,
    PASSTHROUGH_BEHAVIORS,
    RESPONSE_TRANSFER_MODES,
    ApiModel,
    Authorizer,
    Integration,
    IntegrationResponse,
    Method,
    MethodResponse,
    Resource,
)

X = "x-amazon-apigateway-"
BUILTIN_MODELS = frozenset({"Empty", "Error"})
PROXY_TYPES = frozenset({"HTTP_PROXY", "AWS_PROXY"})
HTTP_TYPES = frozenset({"HTTP", "HTTP_PROXY"})
NEEDS_HTTP_METHOD = frozenset({"HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY"})

MIN_TIMEOUT_MS = 50
BUFFERED_TIMEOUT_MS = 29_000
STREAM_TIMEOUT_MS = 900_000  # 15 minutes, API Gateway's cap on a streamed response
MAX_COMPRESSION_BYTES = 10_485_760
MAX_AUTHORIZER_TTL_S = 3600

#: keys that only HTTP APIs (apigatewayv2) read, wherever they appear
HTTP_API_ONLY = frozenset(
    {
        "payloadFormatVersion",
        "integrationSubtype",
        X + "cors",
        X + "importexport-version",
    }
)

# --- botocore's enums ------------------------------------------------------------------------

#: the shapes in botocore's apigateway model, with the values this version of the tool knew.
#: A value in these lists is accepted at once; any other is looked up in botocore's model, so
#: a value AWS adds later is accepted as soon as botocore knows it. passthroughBehavior is a
#: plain string in botocore, so only our list exists.
_ENUM_FALLBACKS: dict[str, tuple[str, ...]] = {
    "IntegrationType": INTEGRATION_TYPES,
    "ConnectionType": CONNECTION_TYPES,
    "ContentHandlingStrategy": CONTENT_HANDLINGS,
    "ResponseTransferMode": RESPONSE_TRANSFER_MODES,
    "AuthorizerType": ("TOKEN", "REQUEST", "COGNITO_USER_POOLS"),
    "ApiKeySourceType": ("HEADER", "AUTHORIZER"),
    "EndpointType": ("REGIONAL", "EDGE", "PRIVATE"),
    "GatewayResponseType": (
        "DEFAULT_4XX",
        "DEFAULT_5XX",
        "RESOURCE_NOT_FOUND",
        "UNAUTHORIZED",
        "INVALID_API_KEY",
        "ACCESS_DENIED",
        "AUTHORIZER_FAILURE",
        "AUTHORIZER_CONFIGURATION_ERROR",
        "INVALID_SIGNATURE",
        "EXPIRED_TOKEN",
        "MISSING_AUTHENTICATION_TOKEN",
        "INTEGRATION_FAILURE",
        "INTEGRATION_TIMEOUT",
        "API_CONFIGURATION_ERROR",
        "UNSUPPORTED_MEDIA_TYPE",
        "BAD_REQUEST_PARAMETERS",
        "BAD_REQUEST_BODY",
        "REQUEST_TOO_LARGE",
        "THROTTLED",
        "QUOTA_EXCEEDED",
        "WAF_FILTERED",
    ),
    "PassthroughBehavior": PASSTHROUGH_BEHAVIORS,
    # plain strings in botocore too: API Gateway's documented values
    "AuthorizationType": AUTHORIZATION_TYPES,
    "HttpMethod": HTTP_METHODS,
}

#: the same as sets: the rules look up ~9 values per method
_KNOWN_VALUES: dict[str, frozenset[str]] = {
    shape: frozenset(values) for shape, values in _ENUM_FALLBACKS.items()
}

#: the enumerated fields of an integration: (botocore shape, model field, extension key)
_INTEGRATION_ENUMS = (
    ("ConnectionType", "connection_type", "connectionType"),
    ("ContentHandlingStrategy", "content_handling", "contentHandling"),
    ("ResponseTransferMode", "response_transfer_mode", "responseTransferMode"),
    ("PassthroughBehavior", "passthrough_behavior", "passthroughBehavior"),
    ("HttpMethod", "http_method", "httpMethod"),
)


@cache
def _botocore_enums() -> dict[str, tuple[str, ...]]:
    """Every string enum of botocore's apigateway model, loaded once."""
    try:
        shapes = _botocore_service_model()["shapes"]
        return {
            name: tuple(shape["enum"])
            for name, shape in shapes.items()
            if shape.get("type") == "string" and shape.get("enum")
        }
    except Exception:  # botocore absent or unreadable: fall back to what we knew
        return {}


def _botocore_service_model() -> Any:
    """botocore's `apigateway/<newest version>/service-2.json` (gzipped in recent releases),
    found and parsed without importing botocore: the version its loader would pick."""
    import gzip
    import importlib.util
    from pathlib import Path

    import orjson

    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("botocore")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "apigateway"
    version = folder / max(p.name for p in folder.iterdir() if p.is_dir())
    plain, packed = version / "service-2.json", version / "service-2.json.gz"
    data = plain.read_bytes() if plain.is_file() else gzip.decompress(packed.read_bytes())
    return orjson.loads(data)


def _known(shape: str, value: str) -> bool:
    """A value of the enum: ours first, botocore's model only for the others."""
    return value in _ENUM_FALLBACKS.get(shape, ()) or value in enum_values(shape)


def enum_values(shape: str) -> tuple[str, ...]:
    """The values of one of botocore's apigateway enums (our own list where botocore has none)."""
    return _botocore_enums().get(shape) or _ENUM_FALLBACKS.get(shape, ())


# --- expressions -----------------------------------------------------------------------------

_NAME = r"[^\s.'\"]+(?:\.[^\s.'\"]+)*"  # parameter names may hold dots (`filter.name`)
_LOCATIONS = r"(querystring|path|header|multivaluequerystring|multivalueheader)"
INTEGRATION_REQUEST_KEY = re.compile(rf"integration\.request\.{_LOCATIONS}\.({_NAME})")
METHOD_REQUEST_PARAM = re.compile(rf"method\.request\.{_LOCATIONS}\.({_NAME})")
METHOD_REQUEST_DECLARED = re.compile(rf"method\.request\.(querystring|path|header)\.({_NAME})")
METHOD_RESPONSE_HEADER = re.compile(rf"method\.response\.header\.({_NAME})")
GATEWAY_RESPONSE_HEADER = re.compile(rf"gatewayresponse\.header\.({_NAME})")
METHOD_BODY = re.compile(r"method\.request\.body(\.\S+)?")
INTEGRATION_BODY = re.compile(r"integration\.response\.body(\.\S+)?")
INTEGRATION_RESPONSE_HEADER = re.compile(
    rf"integration\.response\.(header|multivalueheader)\.{_NAME}"
)
STAGE_OR_CONTEXT = re.compile(r"\$?(stageVariables|context)\.[A-Za-z0-9_.\-]+")
STATUS_CODE = re.compile(r"[1-5]\d\d")
MEDIA_TYPE = re.compile(r"[^/\s]+/[^/\s]+")

_PARTITION = r"aws|aws-cn|aws-us-gov"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d+"
AWS_URI = re.compile(
    rf"arn:(?:{_PARTITION}):apigateway:(?P<region>{_REGION}):"
    r"(?:(?P<subdomain>[A-Za-z0-9.\-]+)\.)?(?P<service>[a-z0-9\-]+):"
    r"(?P<kind>path|action)/(?P<rest>\S+)"
)
LAMBDA_PATH = re.compile(
    r"(?P<version>2015-03-31|2021-11-15)/functions/(?P<function>.+)/"
    r"(?P<action>invocations|response-streaming-invocations)"
)
LAMBDA_FUNCTION = re.compile(
    rf"arn:(?:{_PARTITION}):lambda:{_REGION}:\d{{12}}:function:[A-Za-z0-9_\-]+(?::[A-Za-z0-9_\-$]+)?"
)
STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.[A-Za-z0-9_]+\}")
URI_PARAM = re.compile(r"\{([A-Za-z0-9._\-]+)\+?\}")
#: RFC 3986 characters a URI may hold unencoded (reserved and unreserved)
URL_SAFE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
#: URL_SAFE for texts without '%' (it cannot match one), so matching it implies URL_SAFE;
#: six times faster than URL_SAFE's alternation, which only texts with escapes then need
URL_SAFE_UNESCAPED = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*")
#: scheme and authority (host, optional user info and port) of an absolute http(s) URL
HTTP_AUTHORITY = re.compile(r"https?://(?:[^/?#@\s]*@)?[^/?#@:\s]+(?::\d*)?(?=[/?#]|$)", re.I)


def _placeholders_removed(uri: str) -> str:
    """The uri with stage variables and path parameters replaced by a plain token."""
    if "{" not in uri:  # both start with one
        return uri
    return URI_PARAM.sub("p", STAGE_VARIABLE.sub("0", uri))


_PLACEHOLDER = re.compile(r"\$\{([^}!][^}]*)\}")
#: pseudo parameters the reader fills without being told
_DEFAULTED = frozenset({"AWS::Partition", "AWS::URLSuffix", "AWS::NoValue"})


def unsubstituted(text: str) -> list[str]:
    """Template placeholders (`${AWS::Region}`, `${lambda_uri}`) left in a literal string."""
    if "${" not in text:  # what every placeholder starts with: nothing to look for
        return []
    names = (n.strip() for n in _PLACEHOLDER.findall(text))
    return list(dict.fromkeys(n for n in names if not n.startswith("stageVariables.")))


def http_uri_problem(uri: str) -> str | None:
    """Why `uri` is not an absolute, encoded http(s) URL, or None when it is one."""
    plain = _placeholders_removed(uri)
    if not HTTP_AUTHORITY.match(plain):
        return "is not an absolute http:// or https:// URL with a host"
    if not (URL_SAFE_UNESCAPED.fullmatch(plain) or URL_SAFE.fullmatch(plain)):
        bad = sorted({ch for ch in plain if not URL_SAFE.fullmatch(ch)} - {"%"})
        if bad:
            return "holds characters that must be percent-encoded: " + " ".join(map(repr, bad))
        return "holds a '%' that does not start a %XX escape"
    return None


#: status codes STATUS_CODE accepts that are plain ASCII: looked up before the regex runs
_ASCII_STATUS_CODES = frozenset(str(code) for code in range(100, 600))
_NEED_AUTHORIZERS = frozenset({"CUSTOM", "COGNITO_USER_POOLS"})
_KNOWN_HANDLINGS = frozenset({None, *CONTENT_HANDLINGS})

# Verdicts on expressions, cached per distinct text: a document repeats the same few mapping
# expressions thousands of times. Each is a pure function of its string; the caches are bounded
# so that a hostile document cannot grow them without limit.
_MEMO = 4096


@lru_cache(maxsize=_MEMO)
def _integration_request_key(key: str) -> tuple[str, str] | None:
    """(location, name) of `integration.request.{location}.{name}`, or None."""
    match = INTEGRATION_REQUEST_KEY.fullmatch(key)
    return (match[1], match[2]) if match else None


@lru_cache(maxsize=_MEMO)
def _request_source(value: str) -> tuple[str, str] | Literal[True] | None:
    """An integration request value: (location, name) of the method request parameter it
    reads, True for any other mapping expression, None for no expression at all."""
    source = METHOD_REQUEST_PARAM.fullmatch(value)
    if source:
        return (source[1], source[2])
    if METHOD_BODY.fullmatch(value) or STAGE_OR_CONTEXT.fullmatch(value) or _is_static(value):
        return True
    return None


@lru_cache(maxsize=_MEMO)
def _method_response_header(key: str) -> bool:
    return METHOD_RESPONSE_HEADER.fullmatch(key) is not None


@lru_cache(maxsize=_MEMO)
def _response_source(value: str) -> bool:
    """Is an integration response value a mapping expression API Gateway reads?"""
    return bool(
        INTEGRATION_RESPONSE_HEADER.fullmatch(value)
        or INTEGRATION_BODY.fullmatch(value)
        or STAGE_OR_CONTEXT.fullmatch(value)
        or _is_static(value)
    )


def _uri_parameters(uri: str) -> tuple[str, ...]:
    """The distinct `{name}`s of a uri's path, in order of appearance."""
    return tuple(dict.fromkeys(URI_PARAM.findall(uri)))


# --- CloudFormation intrinsics ---------------------------------------------------------------


def is_intrinsic(value: Any) -> bool:
    """A CloudFormation intrinsic in its long JSON form: `{"Ref": "X"}`, `{"Fn::Sub": ...}`."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((key, body),) = value.items()
    return (key == "Ref" and isinstance(body, str)) or (
        isinstance(key, str) and key.startswith("Fn::")
    )


def intrinsic_needs(value: Any) -> tuple[list[str], list[str]]:
    """The variable names (`--var`) and conditions (`--condition`) an intrinsic waits for."""
    names: list[str] = []
    conditions: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        for key, body in node.items():
            if key == "Ref" and isinstance(body, str):
                names.append(body)
            elif key == "Fn::GetAtt":
                parts = body.split(".", 1) if isinstance(body, str) else body
                if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
                    names.append(".".join(parts))  # the reader takes `--var Res.Attr=...`
                else:
                    walk(body)
            elif key == "Fn::Sub":
                # `!Sub text` or `!Sub [text, {Name: value}]`: the mapping's names are bound
                template, bound = body, {}
                if isinstance(body, list):
                    template = body[0] if body else ""
                    bound = body[1] if len(body) > 1 and isinstance(body[1], dict) else {}
                walk(list(bound.values()))
                if isinstance(template, str):
                    names.extend(n for n in unsubstituted(template) if n not in bound)
            elif key == "Fn::If":
                if isinstance(body, list) and body and isinstance(body[0], str):
                    conditions.append(body[0])
                walk(body[1:] if isinstance(body, list) else body)
            else:
                walk(body)

    walk(value)
    wanted = [n for n in names if n not in _DEFAULTED]
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(conditions))


def intrinsic_message(what: str, value: dict[str, Any]) -> str:
    (function,) = value
    names, conditions = intrinsic_needs(value)
    supply = [f"--var {n}=VALUE" for n in names] + [
        f"--condition {c}=true|false" for c in conditions
    ]
    if supply:
        how = "supply " + " ".join(supply)
    elif function == "Fn::Sub":
        how = "it substitutes nothing CloudFormation knows: write its string as the value"
    else:
        how = "replace it with a literal value"
    return f"{what} holds an unresolved {function}: {how}"


# --- the rules -------------------------------------------------------------------------------


def check_model(model: ApiModel) -> list[Diagnostic]:
    """Every rule over the whole model, in document order."""
    return _Rules(model).run()


class _Rules:
    def __init__(self, model: ApiModel) -> None:
        self.model = model
        self.out = DiagnosticList()
        self.authorizers = {a.name: a for a in model.authorizers}
        self.validators = {v.name for v in model.request_validators}

    def run(self) -> list[Diagnostic]:
        self.check_api()
        for authorizer in self.model.authorizers:
            self.check_authorizer(authorizer)
        methods = self.model.iter_methods()
        for resource, method in methods:
            self.check_method(resource, method)
        self.check_intrinsics(methods)
        return self.out.items

    # -- helpers ----------------------------------------------------------------------------

    def enum(
        self, shape: str, value: str | None, what: str, pointer: str, code: str = C.E312
    ) -> bool:
        """Report a value outside botocore's enum; True when the value is acceptable."""
        if value is None or value in _KNOWN_VALUES.get(shape, ()):
            return True  # known to this version: no need to load botocore's model
        allowed = enum_values(shape)
        if not allowed or value in allowed:
            return True
        self.out.error(code, f"{what} {value!r} is not one of {', '.join(allowed)}", pointer)
        return False

    # -- the API ----------------------------------------------------------------------------

    def check_api(self) -> None:
        m = self.model
        self.enum("ApiKeySourceType", m.api_key_source, "apiKeySource", "/" + X + "api-key-source")
        size = m.minimum_compression_size
        if size is not None and not 0 <= size <= MAX_COMPRESSION_BYTES:
            self.out.error(
                C.E334,
                f"minimum compression size {size} is outside 0..{MAX_COMPRESSION_BYTES} bytes",
                "/" + X + "minimum-compression-size",
            )
        for i, media in enumerate(m.binary_media_types):
            if not MEDIA_TYPE.fullmatch(media):
                self.out.error(
                    C.E334,
                    f"binary media type {media!r} is not type/subtype (e.g. image/png, */*)",
                    join_pointer("/" + X + "binary-media-types", i),
                )
        endpoint = m.endpoint_configuration or {}
        types = endpoint.get("types") if isinstance(endpoint, Mapping) else None
        if isinstance(types, list):
            for i, etype in enumerate(types):
                if isinstance(etype, str):
                    self.enum(
                        "EndpointType",
                        etype.upper(),
                        "endpoint type",
                        join_pointer("/" + X + "endpoint-configuration", "types", i),
                    )
        if m.default_request_validator is not None:
            self.validator(m.default_request_validator, "/" + X + "request-validator")
        for key in m.extensions:
            self.unknown_key(key, join_pointer("", key), "API")
        for gr in m.gateway_responses:
            ptr = join_pointer("/" + X + "gateway-responses", gr.response_type)
            self.enum("GatewayResponseType", gr.response_type, "gateway response type", ptr)
            if gr.status_code is not None:
                self.status_code(gr.status_code, "gateway response", ptr + "/statusCode")
            for key, value in gr.response_parameters.items():
                kptr = join_pointer(ptr, "responseParameters", key)
                if not GATEWAY_RESPONSE_HEADER.fullmatch(key):
                    self.out.error(
                        C.E320,
                        f"gateway response parameter {key!r} must be gatewayresponse.header.NAME",
                        kptr,
                    )
                if isinstance(value, str) and not (
                    _is_static(value)
                    or STAGE_OR_CONTEXT.fullmatch(value)
                    or METHOD_REQUEST_PARAM.fullmatch(value)
                ):
                    self.out.error(
                        C.E320,
                        f"gateway response parameter value {value!r} must be a quoted static "
                        "value, method.request.{location}.NAME, stageVariables.NAME or "
                        "context.NAME",
                        kptr,
                    )

    def unknown_key(self, key: str, pointer: str, where: str) -> None:
        if key in HTTP_API_ONLY:
            self.out.warning(
                C.W322,
                f"{key} is for HTTP APIs (apigatewayv2); a REST API ignores it: remove it",
                pointer,
            )
        else:
            self.out.warning(
                C.W323,
                f"{key!r} is not a known {where} extension key; it is kept but not sent: "
                "check its spelling or remove it",
                pointer,
            )

    def validator(self, name: str, pointer: str) -> None:
        if name not in self.validators:
            known = ", ".join(sorted(self.validators)) or "none is defined"
            self.out.error(
                C.E327,
                f"request validator {name!r} is not defined in "
                f"x-amazon-apigateway-request-validators (defined: {known})",
                pointer,
            )

    def status_code(self, code: str, what: str, pointer: str) -> bool:
        if code in _ASCII_STATUS_CODES or STATUS_CODE.fullmatch(code):
            return True
        self.out.error(
            C.E317, f"{what} status code {code!r} must be three digits from 100 to 599", pointer
        )
        return False

    # -- authorizers ------------------------------------------------------------------------

    def check_authorizer(self, a: Authorizer) -> None:
        ptr = a.pointer
        if not self.enum("AuthorizerType", a.type, "authorizer type", ptr + "/type"):
            return
        if a.type in ("TOKEN", "REQUEST"):
            if a.authorizer_uri is None:
                self.out.error(
                    C.E331,
                    f"{a.type} authorizer {a.name!r} needs authorizerUri: the Lambda "
                    "function's invocation ARN",
                    ptr,
                )
            elif isinstance(a.authorizer_uri, str) and not self.placeholders(
                a.authorizer_uri, "authorizerUri", ptr + "/authorizerUri"
            ):
                self.aws_uri(a.authorizer_uri, ptr + "/authorizerUri", lambda_only=True)
        elif not a.provider_arns:
            self.out.error(
                C.E331,
                f"Cognito authorizer {a.name!r} needs providerARNs: the user pool ARNs",
                ptr,
            )
        if a.type in ("TOKEN", "COGNITO_USER_POOLS") and a.identity_source is None:
            self.out.error(
                C.E331,
                f"{a.type} authorizer {a.name!r} needs identitySource, the header with the "
                "token: e.g. method.request.header.Authorization (or the security scheme's "
                "`in: header` and `name`)",
                ptr,
            )
        if isinstance(a.identity_source, str):
            self.identity_source(a, a.identity_source, ptr + "/identitySource")
        ttl = a.authorizer_result_ttl_in_seconds
        if ttl is not None and not 0 <= ttl <= MAX_AUTHORIZER_TTL_S:
            self.out.error(
                C.E331,
                f"authorizerResultTtlInSeconds {ttl} is outside 0..{MAX_AUTHORIZER_TTL_S}",
                ptr + "/authorizerResultTtlInSeconds",
            )
        for key in a.extensions:
            self.unknown_key(key, join_pointer(ptr, key), "authorizer")

    def identity_source(self, a: Authorizer, source: str, pointer: str) -> None:
        parts = [p.strip() for p in source.split(",")]
        if a.type == "TOKEN":
            if len(parts) != 1 or not re.fullmatch(rf"method\.request\.header\.{_NAME}", parts[0]):
                self.out.error(
                    C.E331,
                    f"TOKEN authorizer identitySource {source!r} must be one header, "
                    "method.request.header.NAME",
                    pointer,
                )
            return
        for part in parts:
            if not (METHOD_REQUEST_PARAM.fullmatch(part) or STAGE_OR_CONTEXT.fullmatch(part)):
                self.out.error(
                    C.E331,
                    f"identitySource entry {part!r} must be method.request.{{header|querystring}}"
                    ".NAME, stageVariables.NAME or context.NAME (comma-separated)",
                    pointer,
                )

    # -- methods ----------------------------------------------------------------------------

    def check_method(self, resource: Resource, method: Method) -> None:
        ptr = method.pointer
        if method.authorization_type not in _KNOWN_VALUES["AuthorizationType"]:
            self.enum(
                "AuthorizationType",
                method.authorization_type,
                "authorizationType",
                ptr + "/security",
            )
        if (
            method.authorizer is not None
            or method.authorization_scopes
            or method.authorization_type in _NEED_AUTHORIZERS
        ):
            self.authorization(method)
        if method.request_validator is not None and method.request_validator not in self.validators:
            self.validator(method.request_validator, join_pointer(ptr, X + "request-validator"))
        models = self.model.models
        for content_type, name in method.request_models.items():
            if name not in models and name not in BUILTIN_MODELS:
                self.model_ref(name, f"request model for {content_type}", ptr)
        statuses: dict[str, MethodResponse] = {}
        for response in method.responses:
            code = response.status_code
            if code not in _ASCII_STATUS_CODES:
                self.status_code(code, "method response", response.pointer)
            statuses[code] = response
            for content_type, name in response.response_models.items():
                if name not in models and name not in BUILTIN_MODELS:
                    self.model_ref(name, f"response model for {content_type}", response.pointer)
        if method.integration is None:
            self.out.warning(
                C.W336,
                f"{method.http_method} {resource.path} has no x-amazon-apigateway-integration; "
                "API Gateway will not deploy it: add one (MOCK for a placeholder)",
                ptr,
            )
        else:
            self.check_integration(method, method.integration, statuses)

    def authorization(self, method: Method) -> None:
        ptr = method.pointer + "/security"
        kind = method.authorization_type
        name = method.authorizer
        if name is not None and name not in self.authorizers:
            self.out.error(
                C.E326,
                f"authorizer {name!r} is not defined: add x-amazon-apigateway-authorizer to "
                "its security scheme",
                ptr,
            )
        authorizer = self.authorizers.get(name) if name is not None else None
        if authorizer is not None and not _known("AuthorizerType", authorizer.type):
            authorizer = None  # its type is reported on the authorizer itself
        if kind == "CUSTOM":
            if name is None:
                self.out.error(
                    C.E329, "CUSTOM authorization needs an authorizer (TOKEN or REQUEST)", ptr
                )
            elif authorizer is not None and authorizer.type not in ("TOKEN", "REQUEST"):
                self.out.error(
                    C.E329,
                    f"CUSTOM authorization needs a TOKEN or REQUEST authorizer, and {name!r} is "
                    f"{authorizer.type}: use COGNITO_USER_POOLS authorization",
                    ptr,
                )
        elif kind == "COGNITO_USER_POOLS":
            if name is None:
                self.out.error(
                    C.E329, "COGNITO_USER_POOLS authorization needs a Cognito authorizer", ptr
                )
            elif authorizer is not None and authorizer.type != "COGNITO_USER_POOLS":
                self.out.error(
                    C.E329,
                    f"COGNITO_USER_POOLS authorization needs a Cognito authorizer, and {name!r} "
                    f"is {authorizer.type}: use CUSTOM authorization",
                    ptr,
                )
        elif name is not None and kind in AUTHORIZATION_TYPES:
            self.out.error(
                C.E329,
                f"{kind} authorization takes no authorizer, but the method names {name!r}: "
                "remove one of them",
                ptr,
            )
        if method.authorization_scopes and kind != "COGNITO_USER_POOLS":
            self.out.error(
                C.E330,
                f"authorization scopes {list(method.authorization_scopes)} need "
                f"COGNITO_USER_POOLS authorization, not {kind}: remove them",
                ptr,
            )

    def model_ref(self, name: str, what: str, pointer: str) -> None:
        if name not in self.model.models and name not in BUILTIN_MODELS:
            self.out.error(
                C.E328,
                f"{what} {name!r} is not defined (nor a built-in model Empty or Error)",
                pointer,
            )

    # -- integrations -----------------------------------------------------------------------

    def check_integration(
        self, method: Method, integ: Integration, statuses: Mapping[str, MethodResponse]
    ) -> None:
        ptr = integ.pointer
        known_type = self.enum(
            "IntegrationType", integ.type, "integration type", ptr + "/type", C.E300
        )
        for shape, field, key in _INTEGRATION_ENUMS:
            value = getattr(integ, field)
            if value is not None and value not in _KNOWN_VALUES[shape]:
                self.enum(shape, value, key, ptr + "/" + key)
        for key in integ.extensions:
            self.unknown_key(key, join_pointer(ptr, key), "integration")
        if known_type:
            self.target(integ)
            self.connection(integ)
            self.timeout(integ)
            if integ.type in PROXY_TYPES and integ.request_templates:
                self.out.warning(
                    C.W325,
                    f"{integ.type} passes the request through and ignores requestTemplates: "
                    "remove them or use a non-proxy integration",
                    ptr + "/requestTemplates",
                )
        self.request_parameters(method, integ)
        self.cache_keys(method, integ)
        self.integration_responses(method, integ, statuses)

    def target(self, integ: Integration) -> None:
        """`httpMethod` and `uri` as the integration type needs them."""
        ptr, kind = integ.pointer, integ.type
        if kind in NEEDS_HTTP_METHOD and integ.http_method is None:
            self.out.error(
                C.E302,
                f"httpMethod is required when type is {kind}"
                + (" (POST for Lambda)" if kind.startswith("AWS") else ""),
                ptr,
            )
        if kind == "MOCK":
            return
        if integ.uri is None:
            example = "an http(s) URL" if kind in HTTP_TYPES else "an arn:aws:apigateway:... ARN"
            self.out.error(C.E301, f"uri is required when type is {kind}: give {example}", ptr)
            return
        if not isinstance(integ.uri, str):
            return  # an intrinsic: reported by check_intrinsics
        uptr = ptr + "/uri"
        if self.placeholders(integ.uri, "uri", uptr):
            return
        if kind in HTTP_TYPES:
            problem = http_uri_problem(integ.uri)
            if problem:
                self.out.error(C.E303, f"uri {integ.uri!r} {problem}", uptr)
                return
        else:
            lambda_fn = self.aws_uri(integ.uri, uptr, lambda_only=False, proxy=kind == "AWS_PROXY")
            if lambda_fn and integ.http_method not in (None, "POST"):
                self.out.error(
                    C.E332,
                    f"Lambda functions are invoked with POST, not {integ.http_method}: "
                    "set httpMethod to POST",
                    ptr + "/httpMethod",
                )
            if lambda_fn and kind == "AWS_PROXY":
                streamed = integ.response_transfer_mode == "STREAM"
                streaming_uri = integ.uri.rstrip("/").endswith("/response-streaming-invocations")
                if streamed != streaming_uri:
                    self.out.error(
                        C.E311,
                        "a streamed Lambda proxy integration must call "
                        ".../2021-11-15/functions/{function-arn}/response-streaming-invocations"
                        if streamed
                        else "response-streaming-invocations needs responseTransferMode: STREAM",
                        uptr,
                    )
        self.uri_parameters(integ)

    def placeholders(self, text: str, what: str, pointer: str) -> bool:
        """Report `${name}` placeholders nobody substituted; True when there were some."""
        names = unsubstituted(text)
        if names:
            supply = " ".join(f"--var {n}=VALUE" for n in names)
            self.out.error(
                C.E324,
                f"{what} {text!r} holds unsubstituted placeholders: supply {supply}",
                pointer,
            )
        return bool(names)

    def aws_uri(self, uri: str, pointer: str, *, lambda_only: bool, proxy: bool = False) -> bool:
        """Check an apigateway service ARN; True when it invokes a Lambda function."""
        match = AWS_URI.fullmatch(_placeholders_removed(uri))
        if match is None:
            self.out.error(
                C.E304,
                f"uri {uri!r} must be arn:aws:apigateway:{{region}}:{{service}}:"
                "{path|action}/{...}",
                pointer,
            )
            return False
        service, kind = match["service"], match["kind"]
        is_lambda = service == "lambda" and not match["subdomain"]
        if is_lambda:
            rest = uri.split(":path/", 1)[1] if kind == "path" else ""
            lam = LAMBDA_PATH.fullmatch(rest)
            if lam is None:
                self.out.error(
                    C.E304,
                    f"Lambda uri {uri!r} must end in path/2015-03-31/functions/"
                    "{function-arn}/invocations",
                    pointer,
                )
                return True
            function = lam["function"]
            if "${" not in function and not LAMBDA_FUNCTION.fullmatch(function):
                self.out.error(
                    C.E304,
                    f"{function!r} in the uri is not a Lambda function ARN "
                    "(arn:aws:lambda:{region}:{account}:function:{name})",
                    pointer,
                )
            return True
        if lambda_only:
            self.out.error(
                C.E304,
                f"an authorizer uri must invoke a Lambda function, not {service}",
                pointer,
            )
        elif proxy and service != "firehose":
            self.out.error(
                C.E305,
                f"AWS_PROXY invokes Lambda functions, not {service}: use type AWS with mapping "
                "templates for other services",
                pointer,
            )
        return False

    def uri_parameters(self, integ: Integration) -> None:
        """Every `{name}` in the uri is filled by an `integration.request.path.name` mapping."""
        assert isinstance(integ.uri, str)
        uri = integ.uri
        if "{" not in uri:  # no stage variable, no parameter
            return
        uri = STAGE_VARIABLE.sub("", uri)
        if integ.type in ("AWS", "AWS_PROXY"):
            # only the service path, not the embedded function ARN, takes parameters
            uri = uri.split(":path/", 1)[1] if ":path/" in uri else ""
        names = _uri_parameters(uri)
        if not names:
            return
        mapped = {
            parsed[1]
            for key in integ.request_parameters
            if (parsed := _integration_request_key(key)) and parsed[0] == "path"
        }
        for name in names:
            if name not in mapped:
                self.out.warning(
                    C.W333,
                    f"uri parameter {{{name}}} is not filled: add requestParameters "
                    f"integration.request.path.{name}: method.request.path.{name}",
                    integ.pointer + "/uri",
                )

    def connection(self, integ: Integration) -> None:
        vpc = integ.connection_type == "VPC_LINK"
        if (
            not vpc
            and integ.connection_id is None
            and integ.integration_target is None
            and integ.tls_config is None
        ):
            return  # nothing below applies
        ptr = integ.pointer
        if vpc and integ.connection_id is None:
            self.out.error(
                C.E306, "connectionType VPC_LINK needs connectionId: the VPC link's id", ptr
            )
        if vpc and integ.type not in HTTP_TYPES:
            self.out.error(
                C.E335,
                f"connectionType VPC_LINK needs type HTTP or HTTP_PROXY, not {integ.type}",
                ptr + "/connectionType",
            )
        if not vpc:
            for field, key in (
                (integ.connection_id, "connectionId"),
                (integ.integration_target, "integrationTarget"),
            ):
                if field is not None:
                    self.out.error(
                        C.E307,
                        f"{key} is only for private integrations: set connectionType: VPC_LINK "
                        f"or remove {key}",
                        ptr + "/" + key,
                    )
        if integ.tls_config is not None and integ.type not in HTTP_TYPES:
            self.out.error(
                C.E308,
                f"tlsConfig is only for HTTP and HTTP_PROXY integrations, not {integ.type}: "
                "remove it",
                ptr + "/tlsConfig",
            )

    def timeout(self, integ: Integration) -> None:
        ptr = integ.pointer
        streamed = integ.response_transfer_mode == "STREAM"
        if streamed and integ.type not in PROXY_TYPES:
            self.out.error(
                C.E311,
                f"responseTransferMode STREAM is only for HTTP_PROXY and AWS_PROXY, not "
                f"{integ.type}: use BUFFERED",
                ptr + "/responseTransferMode",
            )
        ms = integ.timeout_in_millis
        if ms is None:
            return
        tptr = ptr + "/timeoutInMillis"
        limit = STREAM_TIMEOUT_MS if streamed else BUFFERED_TIMEOUT_MS
        if ms < MIN_TIMEOUT_MS or ms > STREAM_TIMEOUT_MS:
            self.out.error(
                C.E309,
                f"timeoutInMillis {ms} is outside {MIN_TIMEOUT_MS}..{limit:,} ms"
                + (
                    "" if streamed else f" ({STREAM_TIMEOUT_MS:,} with responseTransferMode STREAM)"
                ),
                tptr,
            )
        elif ms > limit:
            if self.edge_only():
                self.out.error(
                    C.E309,
                    f"timeoutInMillis {ms} is above {limit:,} ms, which edge-optimized APIs "
                    "never allow: use a REGIONAL endpoint with a quota increase, or stream",
                    tptr,
                )
            else:
                self.out.warning(
                    C.W310,
                    f"timeoutInMillis {ms} is above {limit:,} ms: it needs a quota increase "
                    "and a REGIONAL or PRIVATE endpoint (or responseTransferMode STREAM)",
                    tptr,
                )

    def edge_only(self) -> bool:
        endpoint = self.model.endpoint_configuration
        types = endpoint.get("types") if isinstance(endpoint, Mapping) else None
        return isinstance(types, list) and [str(t).upper() for t in types] == ["EDGE"]

    def request_parameters(self, method: Method, integ: Integration) -> None:
        base = integ.pointer + "/requestParameters"
        declared = method.request_parameters
        for key, value in integ.request_parameters.items():
            if _integration_request_key(key) is None:
                self.out.error(
                    C.E313,
                    f"{key!r} must be integration.request.{{querystring|path|header|"
                    "multivaluequerystring|multivalueheader}.NAME",
                    join_pointer(base, key),
                )
            if not isinstance(value, str):
                continue  # an intrinsic: reported by check_intrinsics
            source = _request_source(value)
            if source is True or (source is not None and _declares(declared, *source)):
                continue
            ptr = join_pointer(base, key)
            if source is not None:
                self.declared(method, source[0], source[1], f"{key!r} maps {value!r}", ptr)
            else:
                self.out.error(
                    C.E314,
                    f"{key!r} maps {value!r}, which is no mapping expression: use "
                    "method.request.{location}.NAME, method.request.body[.JSONPath], "
                    "stageVariables.NAME, context.NAME or a quoted 'static' value",
                    ptr,
                )

    def declared(self, method: Method, location: str, name: str, what: str, ptr: str) -> bool:
        """Is `method.request.{location}.{name}` declared (multivalue reads the single one)?"""
        if _declares(method.request_parameters, location, name):
            return True
        single = location.replace("multivalue", "")
        self.out.error(
            C.E315,
            f"{what}, but the method declares no {single} parameter {name!r}: declare it",
            ptr,
        )
        return False

    def cache_keys(self, method: Method, integ: Integration) -> None:
        base = integ.pointer + "/cacheKeyParameters"
        for i, key in enumerate(integ.cache_key_parameters):
            ptr = join_pointer(base, i)
            match = METHOD_REQUEST_DECLARED.fullmatch(key)
            if match is None:
                self.out.error(
                    C.E316,
                    f"cache key {key!r} must name a method request parameter, "
                    "method.request.{querystring|path|header}.NAME",
                    ptr,
                )
            elif key not in method.request_parameters:
                self.out.error(
                    C.E316,
                    f"cache key {key!r} is not a request parameter of the method: declare it",
                    ptr,
                )

    def integration_responses(
        self, method: Method, integ: Integration, statuses: Mapping[str, MethodResponse]
    ) -> None:
        by_status: dict[str, IntegrationResponse] = {}
        by_pattern: dict[str | None, IntegrationResponse] = {}
        for response in integ.responses:
            ptr = response.pointer
            for key in response.extensions:
                self.unknown_key(key, join_pointer(ptr, key), "integration response")
            if response.content_handling not in _KNOWN_HANDLINGS:
                self.enum(
                    "ContentHandlingStrategy",
                    response.content_handling,
                    "contentHandling",
                    ptr + "/contentHandling",
                )
            if integ.type in PROXY_TYPES and (
                response.response_templates
                or response.response_parameters
                or response.content_handling
            ):
                ignored = [
                    key
                    for key, present in (
                        ("responseTemplates", response.response_templates),
                        ("responseParameters", response.response_parameters),
                        ("contentHandling", response.content_handling),
                    )
                    if present
                ]
                if ignored:
                    self.out.warning(
                        C.W325,
                        f"{integ.type} returns the backend's response as it is and ignores "
                        f"{', '.join(ignored)}: remove them or use a non-proxy integration",
                        ptr,
                    )
            code = response.status_code
            if code not in _ASCII_STATUS_CODES and not self.status_code(
                code, "integration response", ptr + "/statusCode"
            ):
                continue
            same_status = by_status.get(code)
            same_pattern = by_pattern.get(response.selection_pattern)
            if same_status is not None:
                self.out.error(
                    C.E319,
                    f"integration responses {_pattern(same_status)} and {_pattern(response)} "
                    f"both map to {code}; API Gateway keeps one per status code: merge the "
                    "patterns into one regular expression (a|b)",
                    ptr,
                )
            elif same_pattern is not None:
                self.out.error(
                    C.E319,
                    f"integration responses for {same_pattern.status_code} and {code} share "
                    f"the selection pattern {_pattern(response)}; API Gateway keeps one: give "
                    "each its own pattern",
                    ptr,
                )
            by_status.setdefault(code, response)
            by_pattern.setdefault(response.selection_pattern, response)
            declared = statuses.get(code)
            if declared is None:
                self.out.error(
                    C.E318,
                    f"status code {code} is not a response of the method: declare it under "
                    "responses",
                    ptr + "/statusCode",
                )
            self.response_parameters(response, declared)

    def response_parameters(
        self, response: IntegrationResponse, declared: MethodResponse | None
    ) -> None:
        if not response.response_parameters:
            return
        base = response.pointer + "/responseParameters"
        headers = {h.lower() for h in declared.response_parameters} if declared else None
        for key, value in response.response_parameters.items():
            if not _method_response_header(key):
                self.out.error(
                    C.E320,
                    f"response parameter {key!r} must be method.response.header.NAME",
                    join_pointer(base, key),
                )
            elif headers is not None and key.lower() not in headers:
                self.out.error(
                    C.E321,
                    f"{key} is not a header of the {response.status_code} method response: "
                    "declare it under that response's headers",
                    join_pointer(base, key),
                )
            if isinstance(value, str) and not _response_source(value):
                self.out.error(
                    C.E320,
                    f"{key!r} maps {value!r}, which is no mapping expression: use "
                    "integration.response.header.NAME, integration.response.body[.JSONPath], "
                    "stageVariables.NAME, context.NAME or a quoted 'static' value",
                    join_pointer(base, key),
                )

    # -- intrinsics -------------------------------------------------------------------------

    def check_intrinsics(self, methods: list[tuple[Resource, Method]]) -> None:
        m = self.model
        for authorizer in m.authorizers:
            self.intrinsics_in(authorizer, authorizer.pointer)
        for _, method in methods:
            integ = method.integration
            if integ is None:
                continue
            if _holds_mapping(integ):
                self.intrinsics_in(integ, integ.pointer)
            for response in integ.responses:
                # its only text fields are these two maps: most responses have neither
                if (response.response_parameters or response.response_templates) and _holds_mapping(
                    response
                ):
                    self.intrinsics_in(response, response.pointer)
        roots = {
            "endpoint_configuration": "/" + X + "endpoint-configuration",
            "policy": "/" + X + "policy",
            "documentation": "/" + X + "documentation",
        }
        for field, ptr in roots.items():
            self.intrinsics_at(getattr(m, field), ptr, (), field_label(field))
        for gr in m.gateway_responses:
            ptr = join_pointer("/" + X + "gateway-responses", gr.response_type)
            for key in ("responseParameters", "responseTemplates"):
                value = (
                    gr.response_parameters if key == "responseParameters" else gr.response_templates
                )
                self.intrinsics_at(value, ptr, (key,), key)
        models = "/definitions" if m.openapi_version == "2.0" else "/components/schemas"
        for name, schema in m.models.items():
            self.intrinsics_at(schema, join_pointer(models, name), (), f"model {name}")

    def intrinsics_in(self, obj: BaseModel, pointer: str) -> None:
        """The text fields of one model object: each a string, or an intrinsic to resolve."""
        for name, key, shape in _text_fields(type(obj)):
            value = getattr(obj, name)
            if not value:
                continue
            items: list[tuple[tuple[str, ...], Any]]
            if shape == "map":
                items = [((key, str(k)), v) for k, v in value.items()]
            elif shape == "list":
                items = [((key, str(i)), v) for i, v in enumerate(value)]
            else:
                items = [((key,), value)]
            for path, item in items:
                if not isinstance(item, dict):
                    continue
                what = key + "".join(f"[{token}]" for token in path[1:])
                if is_intrinsic(item):
                    message = intrinsic_message(what, item)
                    self.out.error(C.E324, message, join_pointer(pointer, *path))
                else:
                    self.out.error(
                        C.E337,
                        f"{what} must be a string, not a mapping: write the value as text",
                        join_pointer(pointer, *path),
                    )

    def intrinsics_at(self, value: Any, base: str, prefix: tuple[str, ...], label: str) -> None:
        """Report every intrinsic under `value`; pointers are only built for what is found."""
        if not isinstance(value, (dict, list, tuple)):
            return
        for path, found in _find_intrinsics(value, prefix):
            what = label + "".join(f"[{token}]" for token in path[len(prefix) :])
            self.out.error(C.E324, intrinsic_message(what, found), join_pointer(base, *path))


def _declares(parameters: Mapping[str, bool], location: str, name: str) -> bool:
    """Does a method declare `method.request.{location}.{name}` (multivalue reads the single
    one; header names are case-insensitive)?"""
    single = location.replace("multivalue", "")
    wanted = {f"method.request.{single}.{name}", f"method.request.{location}.{name}"}
    if not wanted.isdisjoint(parameters):
        return True  # as spelled: no need to fold case
    if single != "header":
        return False
    return not {w.lower() for w in wanted}.isdisjoint(h.lower() for h in parameters)


def _holds_mapping(obj: BaseModel) -> bool:
    """Does a text field of `obj` hold a mapping (what `intrinsics_in` reports)? Most hold
    strings only: this looks without building a path per value."""
    values = obj.__dict__
    scalars, maps = _text_field_names(type(obj))
    for name in scalars:
        if isinstance(values[name], dict):
            return True
    for name in maps:
        for item in values[name].values():
            if isinstance(item, dict):
                return True
    return False


@cache
def _text_field_names(cls: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of `_text_fields(cls)`: (single texts, maps of texts); no lists among them."""
    fields = _text_fields(cls)
    assert all(shape != "list" for _, _, shape in fields), "lists are not looked at here"
    return (
        tuple(name for name, _, shape in fields if shape == "text"),
        tuple(name for name, _, shape in fields if shape == "map"),
    )


@cache
def _text_fields(cls: type[BaseModel]) -> tuple[tuple[str, str, str], ...]:
    """(field, extension key, "text" | "map" | "list") of the fields typed `Text` or holding it."""
    out = []
    for name, info in cls.model_fields.items():
        spelled = str(info.annotation)
        if name in ("pointer", "extensions", "responses") or "dict[" not in spelled:
            continue
        shape = (
            "map"
            if spelled.startswith("dict[")
            else "list"
            if spelled.startswith("tuple[")
            else "text"
        )
        out.append((name, info.alias or name, shape))
    return tuple(out)


def _find_intrinsics(
    value: Any, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    if isinstance(value, dict):
        if is_intrinsic(value):
            yield path, value
            return
        for key, item in value.items():
            if isinstance(item, (dict, list, tuple)):
                yield from _find_intrinsics(item, (*path, str(key)))
    else:
        for i, item in enumerate(value):
            if isinstance(item, (dict, list, tuple)):
                yield from _find_intrinsics(item, (*path, str(i)))


def field_label(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(word.title() for word in rest)


def _is_static(value: str) -> bool:
    return len(value) >= 2 and value.startswith("'") and value.endswith("'")


def _pattern(response: IntegrationResponse) -> str:
    pattern = response.selection_pattern
    return "default" if pattern is None else repr(pattern)
