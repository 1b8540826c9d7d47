"""API Gateway's rules: each fires on a minimal bad model, with its code, severity and pointer,
and stays quiet on the good one next to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.diagnostics import Diagnostic, Severity
from oas2gw.model.rules import check_model, enum_values, intrinsic_needs
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
    TlsConfig,
)

ROOT = Path(__file__).resolve().parent.parent
METHOD = "/paths/~1pets~1{id}/get"
INTEG = METHOD + "/x-amazon-apigateway-integration"
AUTH = "/components/securitySchemes/jwt/x-amazon-apigateway-authorizer"
LAMBDA_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:pets/invocations"
)
STREAM_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:pets/response-streaming-invocations"
)

# --- minimal models --------------------------------------------------------------------------


def response(status: str = "200", pattern: str | None = None, **kw: Any) -> IntegrationResponse:
    key = "default" if pattern is None else pattern.replace("~", "~0").replace("/", "~1")
    return IntegrationResponse(
        status_code=status, selection_pattern=pattern, pointer=f"{INTEG}/responses/{key}", **kw
    )


def integration(**kw: Any) -> Integration:
    kw.setdefault("type", "HTTP")
    if kw["type"] in ("HTTP", "HTTP_PROXY"):
        kw.setdefault("http_method", "GET")
        kw.setdefault("uri", "https://backend.example.com/pets")
    elif kw["type"] in ("AWS", "AWS_PROXY"):
        kw.setdefault("http_method", "POST")
        kw.setdefault("uri", LAMBDA_URI)
    return Integration(pointer=INTEG, **kw)


def api(
    integ: Integration | None = None, *, method: dict[str, Any] | None = None, **kw: Any
) -> ApiModel:
    """One resource `/pets/{id}` with one GET method declaring `id`, a 200 response with X-Id."""
    m: dict[str, Any] = {
        "http_method": "GET",
        "request_parameters": {"method.request.path.id": True},
        "responses": (
            MethodResponse(
                status_code="200",
                response_parameters={"method.response.header.X-Id": False},
                pointer=METHOD + "/responses/200",
            ),
        ),
        "integration": integ if integ is not None else integration(),
    }
    m.update(method or {})
    resource = Resource(
        path="/pets/{id}", methods=(Method(pointer=METHOD, **m),), pointer="/paths/~1pets~1{id}"
    )
    return ApiModel(name="pets", resources=(resource,), **kw)


def token_authorizer(**kw: Any) -> Authorizer:
    kw.setdefault("type", "TOKEN")
    kw.setdefault("authorizer_uri", LAMBDA_URI)
    kw.setdefault("identity_source", "method.request.header.Authorization")
    kw.setdefault("name", "jwt")
    return Authorizer(pointer=AUTH, **kw)


def found(model: ApiModel, code: str) -> list[Diagnostic]:
    return [d for d in check_model(model) if d.code == code]


E, W = Severity.ERROR, Severity.WARNING

# --- each rule: a bad model firing it -------------------------------------------------------

BAD: list[Any] = [
    ("unknown_type_is_E300", api(integration(type="SOAP")), "E300", E, INTEG + "/type"),
    (
        "aws_proxy_without_uri_is_E301",
        api(integration(type="AWS_PROXY", uri=None)),
        "E301",
        E,
        INTEG,
    ),
    ("http_without_uri_is_E301", api(integration(type="HTTP", uri=None)), "E301", E, INTEG),
    (
        "aws_without_http_method_is_E302",
        api(integration(type="AWS", http_method=None)),
        "E302",
        E,
        INTEG,
    ),
    (
        "http_proxy_without_http_method_is_E302",
        api(integration(type="HTTP_PROXY", http_method=None)),
        "E302",
        E,
        INTEG,
    ),
    ("relative_http_uri_is_E303", api(integration(uri="/pets")), "E303", E, INTEG + "/uri"),
    ("ftp_uri_is_E303", api(integration(uri="ftp://example.com/x")), "E303", E, INTEG + "/uri"),
    (
        "unencoded_space_in_uri_is_E303",
        api(integration(uri="https://example.com/a b")),
        "E303",
        E,
        INTEG + "/uri",
    ),
    (
        "broken_percent_escape_is_E303",
        api(integration(uri="https://example.com/a%zz")),
        "E303",
        E,
        INTEG + "/uri",
    ),
    (
        "https_uri_on_aws_is_E304",
        api(integration(type="AWS", uri="https://dynamodb.example.com")),
        "E304",
        E,
        INTEG + "/uri",
    ),
    (
        "aws_uri_without_path_or_action_is_E304",
        api(integration(type="AWS", uri="arn:aws:apigateway:us-east-1:sqs:SendMessage")),
        "E304",
        E,
        INTEG + "/uri",
    ),
    (
        "aws_uri_in_unknown_partition_is_E304",
        api(integration(type="AWS", uri="arn:azure:apigateway:us-east-1:sqs:action/SendMessage")),
        "E304",
        E,
        INTEG + "/uri",
    ),
    (
        "lambda_uri_without_invocations_is_E304",
        api(integration(type="AWS_PROXY", uri=LAMBDA_URI.removesuffix("/invocations"))),
        "E304",
        E,
        INTEG + "/uri",
    ),
    (
        "lambda_uri_with_placeholder_account_is_E304",
        api(integration(type="AWS_PROXY", uri=LAMBDA_URI.replace("123456789012", "ACCOUNT_ID"))),
        "E304",
        E,
        INTEG + "/uri",
    ),
    (
        "aws_proxy_to_dynamodb_is_E305",
        api(
            integration(
                type="AWS_PROXY", uri="arn:aws:apigateway:us-east-1:dynamodb:action/GetItem"
            )
        ),
        "E305",
        E,
        INTEG + "/uri",
    ),
    (
        "vpc_link_without_connection_id_is_E306",
        api(integration(connection_type="VPC_LINK")),
        "E306",
        E,
        INTEG,
    ),
    (
        "connection_id_without_vpc_link_is_E307",
        api(integration(connection_id="abc123")),
        "E307",
        E,
        INTEG + "/connectionId",
    ),
    (
        "integration_target_on_internet_is_E307",
        api(
            integration(
                integration_target="arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2"
            )
        ),
        "E307",
        E,
        INTEG + "/integrationTarget",
    ),
    (
        "tls_config_on_aws_is_E308",
        api(integration(type="AWS", tls_config=TlsConfig(insecure_skip_verification=True))),
        "E308",
        E,
        INTEG + "/tlsConfig",
    ),
    (
        "tls_config_on_mock_is_E308",
        api(integration(type="MOCK", tls_config=TlsConfig())),
        "E308",
        E,
        INTEG + "/tlsConfig",
    ),
    (
        "timeout_below_50_is_E309",
        api(integration(timeout_in_millis=49)),
        "E309",
        E,
        INTEG + "/timeoutInMillis",
    ),
    (
        "timeout_above_15_minutes_streamed_is_E309",
        api(
            integration(
                type="HTTP_PROXY", response_transfer_mode="STREAM", timeout_in_millis=900_001
            )
        ),
        "E309",
        E,
        INTEG + "/timeoutInMillis",
    ),
    (
        "timeout_above_29s_on_edge_api_is_E309",
        api(integration(timeout_in_millis=29_001), endpoint_configuration={"types": ["EDGE"]}),
        "E309",
        E,
        INTEG + "/timeoutInMillis",
    ),
    (
        "timeout_above_29s_buffered_is_W310",
        api(integration(timeout_in_millis=29_001)),
        "W310",
        W,
        INTEG + "/timeoutInMillis",
    ),
    (
        "stream_on_http_is_E311",
        api(integration(response_transfer_mode="STREAM")),
        "E311",
        E,
        INTEG + "/responseTransferMode",
    ),
    (
        "stream_on_lambda_invocations_uri_is_E311",
        api(integration(type="AWS_PROXY", response_transfer_mode="STREAM")),
        "E311",
        E,
        INTEG + "/uri",
    ),
    (
        "streaming_uri_without_stream_is_E311",
        api(integration(type="AWS_PROXY", uri=STREAM_URI)),
        "E311",
        E,
        INTEG + "/uri",
    ),
    (
        "unknown_connection_type_is_E312",
        api(integration(connection_type="PRIVATE")),
        "E312",
        E,
        INTEG + "/connectionType",
    ),
    (
        "unknown_content_handling_is_E312",
        api(integration(content_handling="CONVERT_TO_JSON")),
        "E312",
        E,
        INTEG + "/contentHandling",
    ),
    (
        "unknown_transfer_mode_is_E312",
        api(integration(response_transfer_mode="CHUNKED")),
        "E312",
        E,
        INTEG + "/responseTransferMode",
    ),
    (
        "unknown_passthrough_behavior_is_E312",
        api(integration(passthrough_behavior="ALWAYS")),
        "E312",
        E,
        INTEG + "/passthroughBehavior",
    ),
    (
        "unknown_integration_http_method_is_E312",
        api(integration(http_method="FETCH")),
        "E312",
        E,
        INTEG + "/httpMethod",
    ),
    (
        "unknown_api_key_source_is_E312",
        api(api_key_source="COOKIE"),
        "E312",
        E,
        "/x-amazon-apigateway-api-key-source",
    ),
    (
        "unknown_endpoint_type_is_E312",
        api(endpoint_configuration={"types": ["GLOBAL"]}),
        "E312",
        E,
        "/x-amazon-apigateway-endpoint-configuration/types/0",
    ),
    (
        "unknown_gateway_response_type_is_E312",
        api(gateway_responses=(GatewayResponse(response_type="TEAPOT"),)),
        "E312",
        E,
        "/x-amazon-apigateway-gateway-responses/TEAPOT",
    ),
    (
        "unknown_authorizer_type_is_E312",
        api(authorizers=(token_authorizer(type="SAML"),)),
        "E312",
        E,
        AUTH + "/type",
    ),
    (
        "unknown_authorization_type_is_E312",
        api(method={"authorization_type": "OAUTH"}),
        "E312",
        E,
        METHOD + "/security",
    ),
    (
        "request_parameter_key_from_method_side_is_E313",
        api(
            integration(
                request_parameters={"method.request.querystring.q": "method.request.path.id"}
            )
        ),
        "E313",
        E,
        INTEG + "/requestParameters/method.request.querystring.q",
    ),
    (
        "request_parameter_key_with_body_location_is_E313",
        api(
            integration(request_parameters={"integration.request.body.x": "method.request.path.id"})
        ),
        "E313",
        E,
        INTEG + "/requestParameters/integration.request.body.x",
    ),
    (
        "unquoted_static_value_is_E314",
        api(integration(request_parameters={"integration.request.header.X": "static"})),
        "E314",
        E,
        INTEG + "/requestParameters/integration.request.header.X",
    ),
    (
        "response_source_in_request_mapping_is_E314",
        api(
            integration(
                request_parameters={"integration.request.header.X": "integration.response.body"}
            )
        ),
        "E314",
        E,
        INTEG + "/requestParameters/integration.request.header.X",
    ),
    (
        "undeclared_method_parameter_is_E315",
        api(
            integration(
                request_parameters={
                    "integration.request.querystring.q": "method.request.querystring.q"
                }
            )
        ),
        "E315",
        E,
        INTEG + "/requestParameters/integration.request.querystring.q",
    ),
    (
        "undeclared_cache_key_is_E316",
        api(integration(cache_key_parameters=("method.request.querystring.q",))),
        "E316",
        E,
        INTEG + "/cacheKeyParameters/0",
    ),
    (
        "cache_key_of_integration_side_is_E316",
        api(integration(cache_key_parameters=("integration.request.path.id",))),
        "E316",
        E,
        INTEG + "/cacheKeyParameters/0",
    ),
    (
        "integration_response_status_600_is_E317",
        api(integration(responses=(response("600"),))),
        "E317",
        E,
        INTEG + "/responses/default/statusCode",
    ),
    (
        "method_response_status_word_is_E317",
        api(
            method={
                "responses": (MethodResponse(status_code="ok", pointer=METHOD + "/responses/ok"),)
            }
        ),
        "E317",
        E,
        METHOD + "/responses/ok",
    ),
    (
        "gateway_response_status_2000_is_E317",
        api(gateway_responses=(GatewayResponse(response_type="DEFAULT_4XX", status_code="2000"),)),
        "E317",
        E,
        "/x-amazon-apigateway-gateway-responses/DEFAULT_4XX/statusCode",
    ),
    (
        "integration_response_without_method_response_is_E318",
        api(integration(responses=(response("404"),))),
        "E318",
        E,
        INTEG + "/responses/default/statusCode",
    ),
    (
        "two_patterns_on_one_status_is_E319",
        api(integration(responses=(response("200"), response("200", "ok.*")))),
        "E319",
        E,
        INTEG + "/responses/ok.*",
    ),
    (
        "response_parameter_key_not_a_header_is_E320",
        api(
            integration(responses=(response(response_parameters={"method.response.body": "'x'"}),))
        ),
        "E320",
        E,
        INTEG + "/responses/default/responseParameters/method.response.body",
    ),
    (
        "response_parameter_value_from_request_is_E320",
        api(
            integration(
                responses=(
                    response(
                        response_parameters={
                            "method.response.header.X-Id": "method.request.path.id"
                        }
                    ),
                )
            )
        ),
        "E320",
        E,
        INTEG + "/responses/default/responseParameters/method.response.header.X-Id",
    ),
    (
        "gateway_response_key_not_a_header_is_E320",
        api(
            gateway_responses=(
                GatewayResponse(
                    response_type="DEFAULT_4XX",
                    response_parameters={"method.response.header.X": "'x'"},
                ),
            )
        ),
        "E320",
        E,
        "/x-amazon-apigateway-gateway-responses/DEFAULT_4XX/responseParameters/method.response.header.X",
    ),
    (
        "response_parameter_for_undeclared_header_is_E321",
        api(
            integration(
                responses=(response(response_parameters={"method.response.header.X-Other": "'x'"}),)
            )
        ),
        "E321",
        E,
        INTEG + "/responses/default/responseParameters/method.response.header.X-Other",
    ),
    (
        "payload_format_version_is_W322",
        api(integration(extensions={"payloadFormatVersion": "2.0"})),
        "W322",
        W,
        INTEG + "/payloadFormatVersion",
    ),
    (
        "integration_subtype_is_W322",
        api(integration(extensions={"integrationSubtype": "SQS-SendMessage"})),
        "W322",
        W,
        INTEG + "/integrationSubtype",
    ),
    (
        "http_api_cors_is_W322",
        api(extensions={"x-amazon-apigateway-cors": {"allowOrigins": ["*"]}}),
        "W322",
        W,
        "/x-amazon-apigateway-cors",
    ),
    (
        "unknown_integration_key_is_W323",
        api(integration(extensions={"timeoutInMilis": 100})),
        "W323",
        W,
        INTEG + "/timeoutInMilis",
    ),
    (
        "unknown_integration_response_key_is_W323",
        api(integration(responses=(response(extensions={"selectionPattern": "x"}),))),
        "W323",
        W,
        INTEG + "/responses/default/selectionPattern",
    ),
    (
        "unknown_root_extension_is_W323",
        api(extensions={"x-amazon-apigateway-binary-media-type": ["x/y"]}),
        "W323",
        W,
        "/x-amazon-apigateway-binary-media-type",
    ),
    (
        "unknown_authorizer_key_is_W323",
        api(authorizers=(token_authorizer(extensions={"ttl": 5}),)),
        "W323",
        W,
        AUTH + "/ttl",
    ),
    (
        "fn_sub_uri_is_E324",
        api(
            integration(
                type="AWS_PROXY",
                uri={
                    "Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
                    "functions/${Fn.Arn}/invocations"
                },
            )
        ),
        "E324",
        E,
        INTEG + "/uri",
    ),
    (
        "ref_in_request_template_is_E324",
        api(integration(request_templates={"application/json": {"Ref": "Table"}})),
        "E324",
        E,
        INTEG + "/requestTemplates/application~1json",
    ),
    (
        "fn_if_in_response_parameter_is_E324",
        api(
            integration(
                responses=(
                    response(
                        response_parameters={
                            "method.response.header.X-Id": {"Fn::If": ["Prod", "'a'", "'b'"]}
                        }
                    ),
                )
            )
        ),
        "E324",
        E,
        INTEG + "/responses/default/responseParameters/method.response.header.X-Id",
    ),
    (
        "get_att_in_provider_arns_is_E324",
        api(
            authorizers=(
                Authorizer(
                    name="jwt",
                    type="COGNITO_USER_POOLS",
                    provider_arns=({"Fn::GetAtt": ["Pool", "Arn"]},),
                    pointer=AUTH,
                ),
            )
        ),
        "E324",
        E,
        AUTH + "/providerARNs/0",
    ),
    (
        "ref_in_policy_is_E324",
        api(policy={"Statement": [{"Resource": {"Ref": "ApiArn"}}]}),
        "E324",
        E,
        "/x-amazon-apigateway-policy/Statement/0/Resource",
    ),
    (
        "mapping_as_request_parameter_value_is_E337",
        api(integration(request_parameters={"integration.request.header.X": {"a": 1}})),
        "E337",
        E,
        INTEG + "/requestParameters/integration.request.header.X",
    ),
    (
        "mapping_as_uri_is_E337",
        api(integration(uri={"host": "example.com"})),
        "E337",
        E,
        INTEG + "/uri",
    ),
    (
        "request_templates_on_proxy_is_W325",
        api(integration(type="HTTP_PROXY", request_templates={"application/json": "{}"})),
        "W325",
        W,
        INTEG + "/requestTemplates",
    ),
    (
        "response_templates_on_lambda_proxy_is_W325",
        api(
            integration(
                type="AWS_PROXY",
                responses=(response(response_templates={"application/json": "{}"}),),
            )
        ),
        "W325",
        W,
        INTEG + "/responses/default",
    ),
    (
        "undefined_authorizer_is_E326",
        api(method={"authorization_type": "CUSTOM", "authorizer": "nope"}),
        "E326",
        E,
        METHOD + "/security",
    ),
    (
        "undefined_request_validator_is_E327",
        api(method={"request_validator": "strict"}),
        "E327",
        E,
        METHOD + "/x-amazon-apigateway-request-validator",
    ),
    (
        "undefined_default_validator_is_E327",
        api(default_request_validator="strict"),
        "E327",
        E,
        "/x-amazon-apigateway-request-validator",
    ),
    (
        "undefined_request_model_is_E328",
        api(method={"request_models": {"application/json": "Pet"}}),
        "E328",
        E,
        METHOD,
    ),
    (
        "undefined_response_model_is_E328",
        api(
            method={
                "responses": (
                    MethodResponse(
                        status_code="200",
                        response_models={"application/json": "Pet"},
                        pointer=METHOD + "/responses/200",
                    ),
                )
            }
        ),
        "E328",
        E,
        METHOD + "/responses/200",
    ),
    (
        "custom_without_authorizer_is_E329",
        api(method={"authorization_type": "CUSTOM"}),
        "E329",
        E,
        METHOD + "/security",
    ),
    (
        "custom_with_cognito_authorizer_is_E329",
        api(
            authorizers=(
                Authorizer(
                    name="jwt",
                    type="COGNITO_USER_POOLS",
                    provider_arns=(
                        "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x",
                    ),
                    pointer=AUTH,
                ),
            ),
            method={"authorization_type": "CUSTOM", "authorizer": "jwt"},
        ),
        "E329",
        E,
        METHOD + "/security",
    ),
    (
        "cognito_with_token_authorizer_is_E329",
        api(
            authorizers=(token_authorizer(),),
            method={"authorization_type": "COGNITO_USER_POOLS", "authorizer": "jwt"},
        ),
        "E329",
        E,
        METHOD + "/security",
    ),
    (
        "iam_with_authorizer_is_E329",
        api(
            authorizers=(token_authorizer(),),
            method={"authorization_type": "AWS_IAM", "authorizer": "jwt"},
        ),
        "E329",
        E,
        METHOD + "/security",
    ),
    (
        "scopes_with_custom_authorizer_is_E330",
        api(
            authorizers=(token_authorizer(),),
            method={
                "authorization_type": "CUSTOM",
                "authorizer": "jwt",
                "authorization_scopes": ("read",),
            },
        ),
        "E330",
        E,
        METHOD + "/security",
    ),
    (
        "token_authorizer_without_uri_is_E331",
        api(authorizers=(token_authorizer(authorizer_uri=None),)),
        "E331",
        E,
        AUTH,
    ),
    (
        "token_authorizer_without_identity_source_is_E331",
        api(authorizers=(token_authorizer(identity_source=None),)),
        "E331",
        E,
        AUTH,
    ),
    (
        "token_authorizer_with_two_sources_is_E331",
        api(
            authorizers=(
                token_authorizer(
                    identity_source="method.request.header.A, method.request.header.B"
                ),
            )
        ),
        "E331",
        E,
        AUTH + "/identitySource",
    ),
    (
        "cognito_authorizer_without_pools_is_E331",
        api(authorizers=(Authorizer(name="jwt", type="COGNITO_USER_POOLS", pointer=AUTH),)),
        "E331",
        E,
        AUTH,
    ),
    (
        "cognito_authorizer_without_identity_source_is_E331",
        api(
            authorizers=(
                Authorizer(
                    name="jwt",
                    type="COGNITO_USER_POOLS",
                    provider_arns=("arn:aws:cognito-idp:us-east-1:123456789012:userpool/x",),
                    pointer=AUTH,
                ),
            )
        ),
        "E331",
        E,
        AUTH,
    ),
    (
        "authorizer_ttl_above_an_hour_is_E331",
        api(authorizers=(token_authorizer(authorizer_result_ttl_in_seconds=3601),)),
        "E331",
        E,
        AUTH + "/authorizerResultTtlInSeconds",
    ),
    (
        "authorizer_uri_to_sqs_is_E304",
        api(
            authorizers=(
                token_authorizer(
                    authorizer_uri="arn:aws:apigateway:us-east-1:sqs:action/SendMessage"
                ),
            )
        ),
        "E304",
        E,
        AUTH + "/authorizerUri",
    ),
    (
        "lambda_invoked_with_get_is_E332",
        api(integration(type="AWS", http_method="GET")),
        "E332",
        E,
        INTEG + "/httpMethod",
    ),
    (
        "unmapped_uri_parameter_is_W333",
        api(integration(uri="https://example.com/pets/{id}")),
        "W333",
        W,
        INTEG + "/uri",
    ),
    (
        "minimum_compression_size_too_big_is_E334",
        api(minimum_compression_size=10_485_761),
        "E334",
        E,
        "/x-amazon-apigateway-minimum-compression-size",
    ),
    (
        "binary_media_type_without_subtype_is_E334",
        api(binary_media_types=("image",)),
        "E334",
        E,
        "/x-amazon-apigateway-binary-media-types/0",
    ),
    (
        "vpc_link_on_aws_is_E335",
        api(integration(type="AWS", connection_type="VPC_LINK", connection_id="abc")),
        "E335",
        E,
        INTEG + "/connectionType",
    ),
    ("method_without_integration_is_W336", api(method={"integration": None}), "W336", W, METHOD),
]


@pytest.mark.parametrize(
    ("model", "code", "severity", "pointer"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD],
)
def test_rule_fires(model: ApiModel, code: str, severity: Severity, pointer: str) -> None:
    hits = found(model, code)
    assert hits, f"{code} did not fire; got {[d.render() for d in check_model(model)]}"
    assert {(d.severity, d.pointer) for d in hits} == {(severity, pointer)}
    assert all(d.message for d in hits)


# --- and the good model next to each rule stays quiet ---------------------------------------

GOOD: list[Any] = [
    ("mock_without_uri_or_http_method", integration(type="MOCK")),
    ("http_uri_with_stage_variable_host", integration(uri="https://${stageVariables.host}/pets")),
    (
        "http_uri_with_mapped_greedy_parameter",
        integration(
            type="HTTP_PROXY",
            http_method="ANY",
            uri="http://127.0.0.1:8080/{proxy}",
            request_parameters={"integration.request.path.proxy": "method.request.path.id"},
        ),
    ),
    ("http_uri_with_encoded_query", integration(uri="https://example.com/search?q=a%20b&x=%2F")),
    ("lambda_proxy", integration(type="AWS_PROXY")),
    (
        "lambda_proxy_in_china",
        integration(
            type="AWS_PROXY",
            uri=LAMBDA_URI.replace(":aws:", ":aws-cn:").replace("us-east-1", "cn-north-1"),
        ),
    ),
    (
        "lambda_alias_from_stage_variable",
        integration(
            type="AWS",
            uri=LAMBDA_URI.replace(":function:pets", ":function:pets:${stageVariables.alias}"),
        ),
    ),
    (
        "streamed_lambda_proxy_for_15_minutes",
        integration(
            type="AWS_PROXY",
            uri=STREAM_URI,
            response_transfer_mode="STREAM",
            timeout_in_millis=900_000,
        ),
    ),
    (
        "streamed_http_proxy",
        integration(type="HTTP_PROXY", response_transfer_mode="stream", timeout_in_millis=600_000),
    ),
    (
        "dynamodb_action",
        integration(
            type="AWS",
            uri="arn:aws:apigateway:us-east-1:dynamodb:action/PutItem",
            passthrough_behavior="when_no_templates",
            request_templates={"application/json": "{}"},
        ),
    ),
    (
        "s3_path_with_mapped_parameter",
        integration(
            type="AWS",
            http_method="GET",
            uri="arn:aws:apigateway:us-west-2:s3:path/bucket/{id}",
            request_parameters={"integration.request.path.id": "method.request.path.id"},
        ),
    ),
    (
        "s3_subdomain",
        integration(
            type="AWS", http_method="GET", uri="arn:aws:apigateway:eu-west-1:bucket.s3:path/key"
        ),
    ),
    (
        "firehose_proxy",
        integration(type="AWS_PROXY", uri="arn:aws:apigateway:us-east-1:firehose:action/PutRecord"),
    ),
    (
        "vpc_link",
        integration(
            type="HTTP_PROXY",
            connection_type="vpc_link",
            connection_id="${stageVariables.vpcLinkId}",
            tls_config=TlsConfig(insecure_skip_verification=False),
        ),
    ),
    ("timeouts_at_the_limits", integration(timeout_in_millis=29_000)),
    ("content_handling", integration(type="AWS_PROXY", content_handling="CONVERT_TO_TEXT")),
    (
        "every_mapping_source",
        integration(
            request_parameters={
                "integration.request.path.id": "method.request.path.id",
                "integration.request.header.X-Body": "method.request.body",
                "integration.request.header.X-Name": "method.request.body.pet.name",
                "integration.request.header.X-Stage": "stageVariables.stage",
                "integration.request.header.X-Req": "context.requestId",
                "integration.request.querystring.v": "'2'",
                "integration.request.multivalueheader.X-Ids": (
                    "method.request.multivalueheader.x-id"
                ),
            }
        ),
    ),
    ("cache_key_declared", integration(cache_key_parameters=("method.request.path.id",))),
    (
        "mapped_declared_response_header",
        integration(
            responses=(
                response(
                    "200",
                    response_parameters={
                        "method.response.header.X-Id": "integration.response.header.Id"
                    },
                ),
            )
        ),
    ),
]


@pytest.mark.parametrize("integ", [pytest.param(i, id=n) for n, i in GOOD])
def test_good_integration_is_quiet(integ: Integration) -> None:
    model = api(
        integ,
        method={
            "request_parameters": {
                "method.request.path.id": True,
                "method.request.header.X-Id": False,
            }
        },
    )
    assert [d.render() for d in check_model(model)] == []


def test_good_api_with_authorizers_validators_models_and_gateway_responses_is_quiet() -> None:
    cognito = Authorizer(
        name="pool",
        type="COGNITO_USER_POOLS",
        provider_arns=("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x",),
        identity_source="method.request.header.Authorization",
        pointer="/components/securitySchemes/pool/x-amazon-apigateway-authorizer",
    )
    request = token_authorizer(
        name="req",
        type="REQUEST",
        identity_source="method.request.header.A, context.sourceIp",
        authorizer_result_ttl_in_seconds=300,
    ).model_copy(update={"name": "req"})
    model = api(
        integration(
            responses=(
                response(
                    "200",
                    response_parameters={
                        "method.response.header.X-Id": "integration.response.body.id"
                    },
                ),
                response("404", "Not found.*"),
            )
        ),
        method={
            "authorization_type": "COGNITO_USER_POOLS",
            "authorizer": "pool",
            "authorization_scopes": ("pets/read",),
            "request_validator": "all",
            "request_models": {"application/json": "Pet"},
            "responses": (
                MethodResponse(
                    status_code="200",
                    response_parameters={"method.response.header.x-id": False},
                    response_models={"application/json": "Empty"},
                    pointer=METHOD + "/responses/200",
                ),
                MethodResponse(
                    status_code="404",
                    response_models={"application/json": "Error"},
                    pointer=METHOD + "/responses/404",
                ),
            ),
        },
        authorizers=(token_authorizer(), cognito, request),
        request_validators=(RequestValidator(name="all", validate_request_body=True),),
        default_request_validator="all",
        models={"Pet": {"type": "object"}},
        api_key_source="AUTHORIZER",
        binary_media_types=("image/png", "*/*"),
        minimum_compression_size=0,
        endpoint_configuration={"types": ["REGIONAL"]},
        gateway_responses=(
            GatewayResponse(
                response_type="DEFAULT_4XX",
                status_code="400",
                response_parameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
            ),
        ),
    )
    assert [d.render() for d in check_model(model)] == []


# --- finer points ----------------------------------------------------------------------------


def test_unresolved_intrinsic_names_each_variable_and_condition_to_supply() -> None:
    uri = {
        "Fn::Sub": [
            "arn:aws:apigateway:${AWS::Region}:lambda:path/${Fn.Arn}/${!Literal}/${X}",
            {"X": {"Ref": "Y"}},
        ]
    }
    assert intrinsic_needs(uri) == (["Y", "AWS::Region", "Fn.Arn"], [])
    assert intrinsic_needs({"Fn::If": ["IsProd", {"Fn::GetAtt": ["Fn", "Arn"]}, "x"]}) == (
        ["Fn.Arn"],
        ["IsProd"],
    )
    (diag,) = found(api(integration(type="AWS_PROXY", uri=uri)), "E324")
    assert "--var Y=VALUE" in diag.message and "--var AWS::Region=VALUE" in diag.message
    (diag,) = found(api(integration(credentials={"Fn::If": ["IsProd", "a", "b"]})), "E324")
    assert "--condition IsProd=true|false" in diag.message


def test_json_schema_property_named_ref_is_not_an_intrinsic() -> None:
    model = api(models={"Pet": {"properties": {"Ref": {"type": "string"}}}})
    assert found(model, "E324") == []


def test_enums_come_from_botocore() -> None:
    import botocore.session

    service = botocore.session.get_session().get_service_model("apigateway")
    assert enum_values("IntegrationType") == tuple(service.shape_for("IntegrationType").enum)
    assert "STREAM" in enum_values("ResponseTransferMode")
    assert "WAF_FILTERED" in enum_values("GatewayResponseType")


def test_known_values_do_not_need_botocore_and_the_fallback_matches_it() -> None:
    from oas2gw.model.rules import _ENUM_FALLBACKS, _botocore_enums

    for shape, ours in _ENUM_FALLBACKS.items():
        if shape in _botocore_enums():  # botocore may add values, never lose ours
            assert set(ours) <= set(_botocore_enums()[shape]), shape


def test_duplicate_default_responses_are_E319() -> None:
    model = api(
        integration(responses=(response("200"), response("404"))),
        method={
            "responses": (
                MethodResponse(status_code="200", pointer=METHOD + "/responses/200"),
                MethodResponse(status_code="404", pointer=METHOD + "/responses/404"),
            )
        },
    )
    (diag,) = found(model, "E319")
    assert "share the selection pattern default" in diag.message


def test_every_finding_says_its_fix_and_is_registered() -> None:
    from oas2gw.codes import CODES

    models = [case[1] for case in BAD]
    codes = {d.code for m in models for d in check_model(m)}
    assert codes <= set(CODES)
    used = set(re.findall(r'"([EW]3\d\d)"', (ROOT / "oas2gw/model/codes.py").read_text()))
    assert used <= codes, f"rules never exercised: {sorted(used - codes)}"


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("https://example.com/a b", "' '"),
        ("https://example.com/a|b", "'|'"),
        ("https://example.com/%zz", "%XX"),
        ("https:///pets", "with a host"),
        ("https://:8080/pets", "with a host"),
        ("example.com/pets", "with a host"),
    ],
)
def test_http_uri_message_says_what_is_wrong(uri: str, problem: str) -> None:
    (diag,) = found(api(integration(uri=uri)), "E303")
    assert problem in diag.message


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.com",
        "http://127.0.0.1:8080/v1/{proxy}?a=1#x",
        "https://user@example.com:443/p",
        "https://${stageVariables.host}:${stageVariables.port}/p",
        "HTTPS://EXAMPLE.COM/P",
    ],
)
def test_good_http_uri_forms_pass(uri: str) -> None:
    assert found(api(integration(uri=uri)), "E303") == []


def test_template_placeholder_left_in_uri_is_E324_naming_the_variable() -> None:
    model = api(integration(type="AWS_PROXY", uri="${lambda_uri}"))
    (diag,) = found(model, "E324")
    assert (diag.pointer, diag.severity) == (INTEG + "/uri", E)
    assert "--var lambda_uri=VALUE" in diag.message
    assert found(model, "E304") == []


def test_fn_sub_of_stage_variables_only_asks_for_the_plain_string() -> None:
    model = api(
        integration(connection_type="VPC_LINK", connection_id={"Fn::Sub": "${stageVariables.id}"})
    )
    (diag,) = found(model, "E324")
    assert "write its string" in diag.message


def test_pseudo_parameters_with_defaults_are_not_asked_for() -> None:
    sub = {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:s3:path/b"}
    assert intrinsic_needs(sub) == (["AWS::Region"], [])


def test_one_selection_pattern_for_two_status_codes_is_E319() -> None:
    model = api(
        integration(responses=(response("200", "ok"), response("404", "ok"))),
        method={
            "responses": (
                MethodResponse(status_code="200", pointer=METHOD + "/responses/200"),
                MethodResponse(status_code="404", pointer=METHOD + "/responses/404"),
            )
        },
    )
    (diag,) = found(model, "E319")
    assert "share the selection pattern 'ok'" in diag.message


# --- hostile models: the rules report, they never raise ---------------------------------------

text = st.text(max_size=40)
jsonish = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
intrinsic = st.one_of(
    st.builds(lambda v: {"Ref": v}, text),
    st.builds(lambda v: {"Fn::Sub": v}, text | st.lists(jsonish, max_size=3)),
    st.builds(lambda v: {"Fn::If": v}, st.lists(jsonish, max_size=4)),
    st.builds(lambda v: {"Fn::GetAtt": v}, text | st.lists(jsonish, max_size=3)),
    st.dictionaries(text, jsonish, max_size=2),
)
text_or_intrinsic = text | intrinsic
words = st.sampled_from(
    ["HTTP", "HTTP_PROXY", "AWS", "AWS_PROXY", "MOCK", "VPC_LINK", "STREAM", "GET", "POST", ""]
)


@st.composite
def hostile_models(draw: st.DrawFn) -> ApiModel:
    responses = draw(
        st.lists(
            st.builds(
                lambda **kw: IntegrationResponse(**kw),
                status_code=text | st.sampled_from(["200", "404"]),
                selection_pattern=st.none() | text,
                response_parameters=st.dictionaries(text, text_or_intrinsic, max_size=3),
                response_templates=st.dictionaries(text, text_or_intrinsic, max_size=2),
                content_handling=st.none() | text,
                extensions=st.dictionaries(text, jsonish, max_size=2),
                pointer=text,
            ),
            max_size=3,
        )
    )
    integ = Integration(
        type=draw(words | text),
        http_method=draw(st.none() | words | text),
        uri=draw(st.none() | text_or_intrinsic | st.sampled_from([LAMBDA_URI, STREAM_URI])),
        connection_type=draw(st.none() | words),
        connection_id=draw(st.none() | text_or_intrinsic),
        request_parameters=draw(st.dictionaries(text, text_or_intrinsic, max_size=3)),
        cache_key_parameters=tuple(draw(st.lists(text, max_size=2))),
        timeout_in_millis=draw(st.none() | st.integers()),
        tls_config=draw(st.none() | st.just(TlsConfig())),
        response_transfer_mode=draw(st.none() | words),
        responses=tuple(responses),
        extensions=draw(st.dictionaries(text, jsonish, max_size=2)),
        pointer=draw(text),
    )
    authorizer = Authorizer(
        name=draw(text),
        type=draw(st.sampled_from(["TOKEN", "REQUEST", "COGNITO_USER_POOLS"]) | text),
        authorizer_uri=draw(st.none() | text_or_intrinsic),
        identity_source=draw(st.none() | text_or_intrinsic),
        authorizer_result_ttl_in_seconds=draw(st.none() | st.integers()),
        provider_arns=tuple(draw(st.lists(text_or_intrinsic, max_size=2))),
        pointer=draw(text),
    )
    return api(
        integ,
        method={
            "authorization_type": draw(st.sampled_from(["NONE", "CUSTOM", "AWS_IAM"]) | text),
            "authorizer": draw(st.none() | text),
            "authorization_scopes": tuple(draw(st.lists(text, max_size=2))),
            "request_models": draw(st.dictionaries(text, text, max_size=2)),
        },
        authorizers=(authorizer,),
        policy=draw(jsonish | intrinsic),
        endpoint_configuration=draw(st.none() | st.dictionaries(text, jsonish, max_size=2)),
        binary_media_types=tuple(draw(st.lists(text, max_size=2))),
        extensions=draw(st.dictionaries(text, jsonish, max_size=2)),
    )


@settings(max_examples=150, deadline=None)
@given(hostile_models())
def test_rules_never_raise_and_every_finding_is_catalogued(model: ApiModel) -> None:
    from oas2gw.codes import CODES

    for diag in check_model(model):
        assert diag.code in CODES and diag.message
