"""The API Gateway model: what a REST API holds, independent of where it was read from.

Field aliases own the spellings. Each field's `alias` is its key in the OpenAPI extension
(`httpMethod`); `api_name()` gives the botocore parameter (`integrationHttpMethod`) and
`cli_option()` the `aws` CLI flag (`--integration-http-method`). Nothing else spells them.

String fields may hold an unresolved CloudFormation intrinsic (`{"Fn::Sub": ...}`); the rules
report those where a literal is needed.
"""

from __future__ import annotations

import functools
import re
import typing
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

#: A string, or a CloudFormation intrinsic function kept as its JSON form.
Intrinsic = dict[str, Any]
Text = str | Intrinsic

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "ANY")
INTEGRATION_TYPES = ("HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY")
CONNECTION_TYPES = ("INTERNET", "VPC_LINK")
PASSTHROUGH_BEHAVIORS = ("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER")
CONTENT_HANDLINGS = ("CONVERT_TO_BINARY", "CONVERT_TO_TEXT")
RESPONSE_TRANSFER_MODES = ("BUFFERED", "STREAM")
AUTHORIZATION_TYPES = ("NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS")


#: API Gateway accepts enum values in any case; we keep them upper case (in pydantic's core,
#: without a Python call per value)
Upper = Annotated[str, StringConstraints(to_upper=True)]


def _not_a_flag(value: Any) -> Any:
    if type(value) is bool:
        raise PydanticCustomError("int_type", "Input should be a valid integer, not true or false")
    return value


#: A whole number: `29000`, `"29000"` or `29000.0` as pydantic reads numbers, but not `true`
#: (which pydantic would read as 1: a timeout of 1 ms, a cache of 1 s)
Count = Annotated[int, BeforeValidator(_not_a_flag)]


class Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, populate_by_name=True, extra="forbid", validate_default=False
    )

    def model_post_init(self, context: Any, /) -> None:
        """Objects share what pydantic gives each its own copy of: the fields set (28 MiB for
        the 62,000 objects of 10,000 operations, 27 distinct sets among them), empty dicts
        (72,000) and equal small dicts of strings and flags (64,000 holding 1,100 distinct
        ones: the same response models, CORS headers, path parameters), together a third of
        the model. The models are frozen and nothing here changes a dict or a fields set in
        place (`model_copy` copies the set first); neither may a caller."""
        values = self.__dict__
        for name, share in _DICT_FIELDS.get(type(self), ()):
            value = values[name]
            if type(value) is not dict:
                continue
            if not value:
                values[name] = _EMPTY
            elif share:
                try:
                    key = (share, *value.items())
                    values[name] = _DICTS[key]
                except KeyError:
                    if len(_DICTS) < _KEPT:
                        _DICTS[key] = value
                except TypeError:  # an intrinsic among the values
                    pass
        fields = self.__pydantic_fields_set__
        shared = _FIELDS_SETS.get(members := frozenset(fields))
        if shared is None:
            if len(_FIELDS_SETS) >= _KEPT:
                return
            shared = _FIELDS_SETS.setdefault(members, fields)
        _set_attribute(self, "__pydantic_fields_set__", shared)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        _DICT_FIELDS[cls] = _dict_fields(cls)


def _dict_fields(cls: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """The fields that hold a dict (or None), not a string or a dict (`Text`), each with the
    key its equal dicts are shared under: `(class, field)` for those whose values are strings,
    flags or `Text` (whose values of one type compare equal only when they are the same
    value), None for the others (`Any` could hold `1` and `True`, which compare equal)."""
    out = []
    for name, info in cls.model_fields.items():
        kinds = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        if typing.get_origin(info.annotation) is dict:
            kinds = [info.annotation]
        if kinds and all(typing.get_origin(a) is dict for a in kinds):
            value_types = {typing.get_args(a)[1] if typing.get_args(a) else Any for a in kinds}
            out.append((name, (cls, name) if value_types <= {str, bool, Text} else None))
    return tuple(out)


#: each model class's dict fields (`_dict_fields`), filled as the classes are made
_DICT_FIELDS: dict[type[BaseModel], tuple[tuple[str, Any], ...]] = {}


#: the one empty dict that empty dict fields hold
_EMPTY: dict[str, Any] = {}
#: shared dicts by field name and items, and fields sets by content; bounded all the same
_DICTS: dict[tuple[Any, ...], dict[str, Any]] = {}
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
_KEPT = 1 << 16

_set_attribute = object.__setattr__


def api(name: str) -> Any:
    """Field metadata: the botocore parameter name where it differs from the alias."""
    return {"api": name}


class TlsConfig(Frozen):
    insecure_skip_verification: bool | None = Field(None, alias="insecureSkipVerification")


class IntegrationResponse(Frozen):
    """One `put-integration-response`; `selection_pattern` None is the `default` key."""

    status_code: str = Field(alias="statusCode")
    selection_pattern: str | None = Field(None, alias="selectionPattern")
    response_parameters: dict[str, Text] = Field(default_factory=dict, alias="responseParameters")
    response_templates: dict[str, Text] = Field(default_factory=dict, alias="responseTemplates")
    content_handling: Upper | None = Field(None, alias="contentHandling")
    #: extension keys the model does not know, kept verbatim
    extensions: dict[str, Any] = Field(default_factory=dict, exclude=True)
    pointer: str = Field("", exclude=True)

    @field_validator("status_code", mode="before")
    @classmethod
    def _status_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class Integration(Frozen):
    """Every member of botocore's PutIntegration input, plus the integration responses."""

    type: Upper
    http_method: Upper | None = Field(
        None, alias="httpMethod", json_schema_extra=api("integrationHttpMethod")
    )
    uri: Text | None = None
    connection_type: Upper | None = Field(None, alias="connectionType")
    connection_id: Text | None = Field(None, alias="connectionId")
    credentials: Text | None = None
    request_parameters: dict[str, Text] = Field(default_factory=dict, alias="requestParameters")
    request_templates: dict[str, Text] = Field(default_factory=dict, alias="requestTemplates")
    passthrough_behavior: Upper | None = Field(None, alias="passthroughBehavior")
    cache_namespace: Text | None = Field(None, alias="cacheNamespace")
    cache_key_parameters: tuple[str, ...] = Field((), alias="cacheKeyParameters")
    content_handling: Upper | None = Field(None, alias="contentHandling")
    timeout_in_millis: Count | None = Field(None, alias="timeoutInMillis")
    tls_config: TlsConfig | None = Field(None, alias="tlsConfig")
    response_transfer_mode: Upper | None = Field(None, alias="responseTransferMode")
    integration_target: Text | None = Field(None, alias="integrationTarget")
    responses: tuple[IntegrationResponse, ...] = ()
    extensions: dict[str, Any] = Field(default_factory=dict, exclude=True)
    pointer: str = Field("", exclude=True)


class MethodResponse(Frozen):
    """One `put-method-response`: header names map to their `required` flag."""

    status_code: str = Field(alias="statusCode")
    #: `method.response.header.X-Foo` -> required
    response_parameters: dict[str, bool] = Field(default_factory=dict, alias="responseParameters")
    #: content type -> model name
    response_models: dict[str, str] = Field(default_factory=dict, alias="responseModels")
    pointer: str = Field("", exclude=True)


class Method(Frozen):
    http_method: Upper = Field(alias="httpMethod")
    authorization_type: Upper = Field("NONE", alias="authorizationType")
    #: the authorizer's name; the plan looks up its id
    authorizer: str | None = Field(None, alias="authorizer", json_schema_extra=api("authorizerId"))
    authorization_scopes: tuple[str, ...] = Field((), alias="authorizationScopes")
    api_key_required: bool = Field(False, alias="apiKeyRequired")
    operation_name: str | None = Field(None, alias="operationName")
    #: `method.request.querystring.q` -> required
    request_parameters: dict[str, bool] = Field(default_factory=dict, alias="requestParameters")
    #: content type -> model name
    request_models: dict[str, str] = Field(default_factory=dict, alias="requestModels")
    #: the request validator's name; the plan looks up its id
    request_validator: str | None = Field(
        None, alias="requestValidator", json_schema_extra=api("requestValidatorId")
    )
    responses: tuple[MethodResponse, ...] = ()
    integration: Integration | None = None
    pointer: str = Field("", exclude=True)


class Resource(Frozen):
    """A path and its methods. Parents are implied by the path; the plan creates them."""

    path: str
    methods: tuple[Method, ...] = ()
    pointer: str = Field("", exclude=True)


class RequestValidator(Frozen):
    name: str
    validate_request_body: bool = Field(False, alias="validateRequestBody")
    validate_request_parameters: bool = Field(False, alias="validateRequestParameters")


class Authorizer(Frozen):
    """A custom or Cognito authorizer, from a security scheme's `x-amazon-apigateway-authorizer`."""

    name: str
    type: Upper  # TOKEN | REQUEST | COGNITO_USER_POOLS
    authorizer_uri: Text | None = Field(None, alias="authorizerUri")
    authorizer_credentials: Text | None = Field(None, alias="authorizerCredentials")
    identity_source: Text | None = Field(None, alias="identitySource")
    identity_validation_expression: Text | None = Field(None, alias="identityValidationExpression")
    authorizer_result_ttl_in_seconds: Count | None = Field(
        None, alias="authorizerResultTtlInSeconds"
    )
    provider_arns: tuple[Text, ...] = Field((), alias="providerARNs")
    auth_type: str | None = Field(None, alias="authType")
    #: JWT authorizers (issuer, audiences), newer than some botocore releases
    jwt_configuration: dict[str, Any] | None = Field(None, alias="jwtConfiguration")
    extensions: dict[str, Any] = Field(default_factory=dict, exclude=True)
    pointer: str = Field("", exclude=True)


class GatewayResponse(Frozen):
    response_type: str = Field(alias="responseType")
    status_code: str | None = Field(None, alias="statusCode")
    response_parameters: dict[str, Text] = Field(default_factory=dict, alias="responseParameters")
    response_templates: dict[str, Text] = Field(default_factory=dict, alias="responseTemplates")

    @field_validator("status_code", mode="before")
    @classmethod
    def _status_as_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class ApiModel(Frozen):
    """A REST API: its settings, its shared definitions and its resources in document order."""

    name: str | None = None
    description: str | None = None
    version: str | None = None
    #: the OpenAPI version the model was read from ("2.0", "3.0.3", ...), or None from AWS
    openapi_version: str | None = Field(None, exclude=True)
    binary_media_types: tuple[str, ...] = Field((), alias="binaryMediaTypes")
    api_key_source: Upper | None = Field(None, alias="apiKeySource")
    minimum_compression_size: Count | None = Field(None, alias="minimumCompressionSize")
    endpoint_configuration: dict[str, Any] | None = Field(None, alias="endpointConfiguration")
    policy: Any = None
    disable_execute_api_endpoint: bool | None = Field(None, alias="disableExecuteApiEndpoint")
    #: name of the validator that applies where a method names none
    default_request_validator: str | None = Field(None, alias="defaultRequestValidator")
    request_validators: tuple[RequestValidator, ...] = Field((), alias="requestValidators")
    authorizers: tuple[Authorizer, ...] = ()
    gateway_responses: tuple[GatewayResponse, ...] = Field((), alias="gatewayResponses")
    #: model name -> JSON schema (API Gateway models, from definitions / components.schemas)
    models: dict[str, Any] = Field(default_factory=dict)
    documentation: Any = None
    resources: tuple[Resource, ...] = ()
    #: root extension keys the model does not know, kept verbatim
    extensions: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def iter_methods(self) -> list[tuple[Resource, Method]]:
        return [(r, m) for r in self.resources for m in r.methods]

    @property
    def integration_count(self) -> int:
        return sum(1 for _, m in self.iter_methods() if m.integration is not None)


# --- spellings -------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def api_name(model: type[BaseModel], field: str) -> str:
    """The botocore parameter name of a model field (cached: the plan asks per object)."""
    return _api_name(model, field)


@functools.cache
def _api_name(model: Any, field: str) -> str:
    info: FieldInfo = model.model_fields[field]
    extra = info.json_schema_extra
    if isinstance(extra, dict) and "api" in extra:
        return str(extra["api"])
    return info.alias or field


def extension_name(model: type[BaseModel], field: str) -> str:
    """The key of a model field in the OpenAPI extension."""
    return _extension_name(model, field)


@functools.cache
def _extension_name(model: Any, field: str) -> str:
    info: FieldInfo = model.model_fields[field]
    return info.alias or field


@functools.cache
def cli_option(api_parameter: str) -> str:
    """`integrationHttpMethod` -> `--integration-http-method`, as the aws CLI spells it."""
    special = {"providerARNs": "--provider-arns"}
    if api_parameter in special:
        return special[api_parameter]
    return "--" + _CAMEL.sub("-", api_parameter).lower()


#: PutIntegration members that the Integration model carries (botocore names).
def integration_api_members() -> set[str]:
    return {api_name(Integration, f) for f in Integration.model_fields} - {
        "responses",
        "extensions",
        "pointer",
    }
