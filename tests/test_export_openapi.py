"""The OpenAPI emitter: what it writes, the builder reads back into the same model."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from oas2gw.emit.openapi import build_openapi, emit_openapi, render_text
from oas2gw.model.build import build_model
from oas2gw.model.normalize import normalize
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


def rich_model() -> ApiModel:
    """One of everything the model holds."""
    get = Method(
        http_method="GET",
        authorization_type="CUSTOM",
        authorizer="token-auth",
        api_key_required=True,
        operation_name="getPet",
        request_parameters={
            "method.request.path.id": True,
            "method.request.querystring.q": False,
            "method.request.header.X-Trace": True,
        },
        responses=(
            MethodResponse(
                status_code="200",
                response_parameters={
                    "method.response.header.X-A": False,
                    "method.response.header.X-B": True,
                },
                response_models={"application/json": "Pet"},
            ),
        ),
        integration=Integration(
            type="AWS",
            http_method="POST",
            uri="arn:aws:apigateway:us-east-1:dynamodb:action/GetItem",
            credentials="arn:aws:iam::123456789012:role/api",
            request_parameters={"integration.request.header.X": "method.request.header.X-Trace"},
            request_templates={"application/json": '#set($id = $input.params("id"))\n{"k": 1}\n'},
            passthrough_behavior="NEVER",
            cache_namespace="pets",
            cache_key_parameters=("method.request.path.id",),
            content_handling="CONVERT_TO_TEXT",
            timeout_in_millis=5000,
            tls_config=TlsConfig(insecure_skip_verification=True),
            responses=(
                IntegrationResponse(status_code="200", response_templates={"application/json": ""}),
                IntegrationResponse(status_code="504", selection_pattern="504e31"),
                IntegrationResponse(
                    status_code="400",
                    selection_pattern=".*on.*",
                    response_parameters={"method.response.header.X-A": "'yes'"},
                    content_handling="CONVERT_TO_BINARY",
                ),
            ),
        ),
    )
    any_method = Method(
        http_method="ANY",
        authorization_type="AWS_IAM",
        request_models={"application/json": "Pet"},
        request_validator="all",
        integration=Integration(type="HTTP_PROXY", http_method="ANY", uri="https://e.com/{id}"),
    )
    post = Method(
        http_method="POST",
        authorization_type="COGNITO_USER_POOLS",
        authorizer="pool",
        authorization_scopes=("pets/write",),
        integration=Integration(
            type="HTTP",
            http_method="POST",
            uri="https://internal/pets",
            connection_type="VPC_LINK",
            connection_id="${stageVariables.link}",
            response_transfer_mode="STREAM",
        ),
    )
    return ApiModel(
        name="pets",
        description="A pet store",
        version="2024-05-01",
        binary_media_types=("image/png", "application/octet-stream"),
        api_key_source="AUTHORIZER",
        minimum_compression_size=0,
        endpoint_configuration={"vpcEndpointIds": ["vpce-1"]},
        policy={"Version": "2012-10-17", "Statement": []},
        disable_execute_api_endpoint=True,
        default_request_validator="params",
        request_validators=(
            RequestValidator(
                name="all", validate_request_body=True, validate_request_parameters=True
            ),
            RequestValidator(name="params", validate_request_parameters=True),
        ),
        authorizers=(
            Authorizer(
                name="token-auth",
                type="TOKEN",
                authorizer_uri="arn:aws:apigateway:us-east-1:lambda:path/fn",
                identity_source="method.request.header.Auth",
                identity_validation_expression="^Bearer .+$",
                authorizer_result_ttl_in_seconds=300,
                auth_type="custom",
            ),
            Authorizer(
                name="pool",
                type="COGNITO_USER_POOLS",
                provider_arns=("arn:aws:cognito-idp:us-east-1:123456789012:userpool/x",),
                identity_source="method.request.header.Authorization",
            ),
        ),
        gateway_responses=(
            GatewayResponse(
                response_type="DEFAULT_4XX",
                status_code="400",
                response_parameters={"gatewayresponse.header.X": "'on'"},
                response_templates={"application/json": '{"m": $context.error.messageString}'},
            ),
        ),
        models={"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}},
        documentation={"documentationParts": [{"location": {"type": "API"}, "properties": {}}]},
        resources=(
            Resource(path="/pets/{id}", methods=(get, any_method, post)),
            Resource(
                path="/", methods=(Method(http_method="GET", integration=Integration(type="MOCK")),)
            ),
        ),
    )


def read_back(text: str, fmt: str) -> ApiModel:
    tree = json.loads(text) if fmt == "json" else yaml.load(text, Loader=yaml.CSafeLoader)
    model, diags = build_model(tree)
    assert diags == []
    return model


def dump(model: ApiModel) -> dict[str, Any]:
    return model.model_dump(by_alias=True)


@pytest.mark.parametrize("oas", ["3.0", "2.0"])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_every_field_reads_back_into_the_same_model(oas: Any, fmt: Any) -> None:
    model = rich_model()
    text, diags = emit_openapi(model, oas, fmt)
    assert diags == []
    assert dump(read_back(text, fmt)) == dump(model)


def test_output_is_byte_identical_across_runs_and_ends_in_a_newline() -> None:
    first, _ = emit_openapi(rich_model())
    second, _ = emit_openapi(rich_model())
    assert first == second
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert emit_openapi(rich_model(), fmt="json")[0].endswith("}\n")


def test_any_becomes_the_any_method_extension_and_none_pattern_the_default_key() -> None:
    tree, _ = build_openapi(rich_model())
    item = tree["paths"]["/pets/{id}"]
    assert list(item) == ["get", "x-amazon-apigateway-any-method", "post"]
    responses = item["get"]["x-amazon-apigateway-integration"]["responses"]
    assert list(responses) == ["default", "504e31", ".*on.*"]
    assert "selectionPattern" not in responses["default"]


def test_security_names_the_authorizer_sigv4_and_api_key_schemes() -> None:
    tree, _ = build_openapi(rich_model())
    item = tree["paths"]["/pets/{id}"]
    assert item["get"]["security"] == [{"token-auth": [], "api_key": []}]
    assert item["x-amazon-apigateway-any-method"]["security"] == [{"sigv4": []}]
    assert item["post"]["security"] == [{"pool": ["pets/write"]}]
    schemes = tree["components"]["securitySchemes"]
    assert schemes["sigv4"]["x-amazon-apigateway-authtype"] == "awsSigv4"
    assert schemes["api_key"] == {"type": "apiKey", "name": "x-api-key", "in": "header"}
    assert schemes["token-auth"]["name"] == "Auth"
    assert schemes["token-auth"]["x-amazon-apigateway-authorizer"]["type"] == "token"


AMBIGUOUS = [
    "504e31", "1e3", "on", "off", "yes", "no", "y", "n", "true", "False", "null", "~", "",
    "0755", "0o17", "0x1F", "1_000", "1:20", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
    ".inf", "-.Inf", ".nan", "12", "-3", "+4", "1.5", ".5", "=", "<<",
]  # fmt: skip


@pytest.mark.parametrize("value", AMBIGUOUS)
def test_yaml_quotes_strings_that_yaml_1_1_or_1_2_would_misread(value: str) -> None:
    text = render_text({"k": value, value: "v"})
    assert yaml.load(text, Loader=yaml.CSafeLoader) == {"k": value, value: "v"}
    assert YAML(typ="safe", pure=True).load(io.StringIO(text)) == {"k": value, value: "v"}


def test_multiline_templates_are_literal_blocks() -> None:
    text = render_text({"t": '#set($a = 1)\n{\n  "a": $a\n}\n'})
    assert text == 't: |\n  #set($a = 1)\n  {\n    "a": $a\n  }\n'


def test_swagger_2_with_a_model_per_content_type_keeps_the_first_and_warns_W401() -> None:
    method = Method(
        http_method="POST",
        request_models={"application/json": "A", "application/xml": "B"},
    )
    model = ApiModel(resources=(Resource(path="/x", methods=(method,)),), models={"A": {}, "B": {}})
    tree, diags = build_openapi(model, "2.0")
    assert [d.code for d in diags] == ["W401"]
    body = tree["paths"]["/x"]["post"]["parameters"][0]
    assert body["schema"] == {"$ref": "#/definitions/A"}
    assert tree["paths"]["/x"]["post"]["consumes"] == ["application/json", "application/xml"]
    assert build_openapi(model, "3.0")[1] == []


def test_multivalue_parameters_have_no_openapi_form_and_warn_W402() -> None:
    method = Method(
        http_method="GET",
        request_parameters={"method.request.multivaluequerystring.ids": False},
    )
    tree, diags = build_openapi(ApiModel(resources=(Resource(path="/x", methods=(method,)),)))
    assert [d.code for d in diags] == ["W402"]
    assert "parameters" not in tree["paths"]["/x"]["get"]


def test_a_method_naming_an_unknown_authorizer_warns_W403() -> None:
    method = Method(http_method="GET", authorization_type="CUSTOM", authorizer="gone")
    _, diags = build_openapi(ApiModel(resources=(Resource(path="/x", methods=(method,)),)))
    assert [d.code for d in diags] == ["W403"]


def test_aws_model_urls_become_document_references() -> None:
    ref = "https://apigateway.amazonaws.com/restapis/abc123/models/Pet"
    model = ApiModel(models={"Pets": {"type": "array", "items": {"$ref": ref}}, "Pet": {}})
    tree3, _ = build_openapi(model, "3.0")
    tree2, _ = build_openapi(model, "2.0")
    assert tree3["components"]["schemas"]["Pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert tree2["definitions"]["Pets"]["items"] == {"$ref": "#/definitions/Pet"}


def test_a_swagger_models_references_are_rewritten_for_openapi_3_and_back() -> None:
    model = ApiModel(models={"Pets": {"items": {"$ref": "#/definitions/Pet"}}, "Pet": {}})
    tree3, _ = build_openapi(model, "3.0")
    assert tree3["components"]["schemas"]["Pets"]["items"] == {"$ref": "#/components/schemas/Pet"}
    back = ApiModel(models=tree3["components"]["schemas"])
    assert build_openapi(back, "2.0")[0]["definitions"]["Pets"]["items"] == {
        "$ref": "#/definitions/Pet"
    }
    assert normalize(model).models == normalize(back).models


# -- property: model -> OpenAPI -> model is the identity --------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
_name = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True)
_status = st.sampled_from(["200", "201", "400", "404", "500", "504"])


@st.composite
def _integrations(draw: st.DrawFn) -> Integration:
    statuses = draw(st.lists(_status, unique=True, max_size=3))
    patterns = draw(st.lists(_text, unique=True, min_size=len(statuses), max_size=len(statuses)))
    responses = tuple(
        IntegrationResponse(
            status_code=s,
            # "default" is the extension's key for no pattern: W407, tested on its own
            selection_pattern=None if i == 0 else (p if p not in ("", "default") else "x"),
            response_templates=draw(st.dictionaries(st.sampled_from(["application/json"]), _text)),
        )
        for i, (s, p) in enumerate(zip(statuses, patterns, strict=True))
    )
    if len({r.selection_pattern for r in responses}) != len(responses):
        responses = responses[:1]
    return Integration(
        type=draw(st.sampled_from(["HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY"])),
        http_method=draw(st.none() | st.sampled_from(["GET", "POST"])),
        uri=draw(st.none() | _text),
        request_templates=draw(
            st.dictionaries(st.sampled_from(["application/json", "text/plain"]), _text)
        ),
        timeout_in_millis=draw(st.none() | st.integers(50, 29000)),
        cache_key_parameters=tuple(draw(st.lists(_text, max_size=2))),
        responses=responses,
    )


@st.composite
def _models(draw: st.DrawFn) -> ApiModel:
    paths = draw(
        st.lists(st.from_regex(r"/[a-z]{1,5}(/\{id\})?", fullmatch=True), unique=True, max_size=3)
    )
    resources = []
    for path in paths:
        verbs = draw(
            st.lists(
                st.sampled_from(["GET", "POST", "ANY", "DELETE"]),
                unique=True,
                min_size=1,
                max_size=3,
            )
        )
        methods = tuple(
            Method(
                http_method=v,
                operation_name=draw(st.none() | _name),
                api_key_required=draw(st.booleans()),
                request_parameters=draw(
                    st.dictionaries(
                        _name.map(lambda n: f"method.request.querystring.{n}"),
                        st.booleans(),
                        max_size=2,
                    )
                ),
                responses=tuple(
                    MethodResponse(status_code=s)
                    for s in draw(st.lists(_status, unique=True, max_size=2))
                ),
                integration=draw(st.none() | _integrations()),
            )
            for v in verbs
        )
        resources.append(Resource(path=path, methods=methods))
    return ApiModel(
        name=draw(st.none() | _text),
        description=draw(st.none() | _text),
        resources=tuple(resources),
    )


@settings(max_examples=60, deadline=None)
@given(model=_models(), oas=st.sampled_from(["3.0", "2.0"]), fmt=st.sampled_from(["yaml", "json"]))
def test_property_model_to_openapi_to_model_is_the_identity(
    model: ApiModel, oas: Any, fmt: Any
) -> None:
    text, _ = emit_openapi(model, oas, fmt)
    assert dump(normalize(read_back(text, fmt), keep_defaults=True)) == dump(
        normalize(model, keep_defaults=True)
    )


_any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | _any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_any_text, inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(tree=st.dictionaries(_any_text, _trees, max_size=4))
def test_property_any_tree_reads_back_the_same_in_yaml_1_1_and_1_2(tree: dict[str, Any]) -> None:
    text = render_text(tree)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == tree
    assert YAML(typ="safe", pure=True).load(io.StringIO(text)) == tree


def _two_defaults(*patterns: str | None) -> ApiModel:
    responses = tuple(
        IntegrationResponse(status_code=str(200 + i), selection_pattern=p)
        for i, p in enumerate(patterns)
    )
    integration = Integration(type="MOCK", responses=responses)
    method = Method(http_method="GET", integration=integration)
    return ApiModel(resources=(Resource(path="/p", methods=(method,)),))


def test_pattern_default_beside_a_default_response_is_W407_and_left_out() -> None:
    text, diags = emit_openapi(_two_defaults(None, "default"), "3.0", "json")
    responses = json.loads(text)["paths"]["/p"]["get"]["x-amazon-apigateway-integration"][
        "responses"
    ]
    assert responses == {"default": {"statusCode": "200"}}
    assert [d.code for d in diags] == ["W407"]
    assert "left out" in diags[0].message


def test_pattern_default_alone_is_W407_and_written_as_the_default_response() -> None:
    text, diags = emit_openapi(_two_defaults("default"), "3.0", "json")
    responses = json.loads(text)["paths"]["/p"]["get"]["x-amazon-apigateway-integration"][
        "responses"
    ]
    assert responses == {"default": {"statusCode": "200"}}
    assert [d.code for d in diags] == ["W407"]
