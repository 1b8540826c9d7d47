"""The builder: OpenAPI trees of any shape -> ApiModel, with located findings and no exceptions."""

from __future__ import annotations

from typing import Any

import pytest

from oas2gw.model.build import build_model

INTEGRATION = "x-amazon-apigateway-integration"


def doc(paths: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, **root}


def test_integration_fields_and_responses_are_read_by_their_extension_names() -> None:
    tree = doc(
        {
            "/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True}],
                "get": {
                    "operationId": "getPet",
                    "parameters": [{"name": "q", "in": "query"}],
                    "responses": {200: {"description": "ok", "headers": {"X-A": {}}}},
                    INTEGRATION: {
                        "type": "http",
                        "httpMethod": "get",
                        "uri": "https://example.com/{id}",
                        "passthroughBehavior": "when_no_templates",
                        "timeoutInMillis": "5000",
                        "responseTransferMode": "stream",
                        "cacheKeyParameters": ["method.request.path.id"],
                        "responses": {
                            "default": {"statusCode": 200},
                            "4\\d{2}": {"statusCode": "404"},
                        },
                    },
                },
            }
        }
    )
    model, diags = build_model(tree)
    assert diags == []
    (resource,) = model.resources
    (method,) = resource.methods
    assert method.operation_name == "getPet"
    assert method.request_parameters == {
        "method.request.path.id": True,
        "method.request.querystring.q": False,
    }
    assert method.responses[0].status_code == "200"
    assert method.responses[0].response_parameters == {"method.response.header.X-A": False}
    integ = method.integration
    assert integ is not None
    assert (integ.type, integ.http_method, integ.passthrough_behavior) == (
        "HTTP",
        "GET",
        "WHEN_NO_TEMPLATES",
    )
    assert integ.timeout_in_millis == 5000
    assert integ.response_transfer_mode == "STREAM"
    assert [(r.selection_pattern, r.status_code) for r in integ.responses] == [
        (None, "200"),
        ("4\\d{2}", "404"),
    ]
    assert integ.pointer == "/paths/~1pets~1{id}/get/" + INTEGRATION


def test_any_method_extension_is_the_ANY_method() -> None:
    tree = doc({"/{proxy+}": {"x-amazon-apigateway-any-method": {INTEGRATION: {"type": "mock"}}}})
    model, diags = build_model(tree)
    assert diags == []
    assert model.resources[0].methods[0].http_method == "ANY"


def test_unknown_integration_keys_are_kept_not_dropped() -> None:
    tree = doc({"/a": {"get": {INTEGRATION: {"type": "MOCK", "payloadFormatVersion": "2.0"}}}})
    model, _ = build_model(tree)
    integ = model.resources[0].methods[0].integration
    assert integ is not None
    assert integ.extensions == {"payloadFormatVersion": "2.0"}


@pytest.mark.parametrize(
    ("integration", "code", "pointer_tail"),
    [
        (None, "E251", ""),
        ("mock", "E251", ""),
        ({"uri": "https://example.com"}, "E253", ""),
        ({"type": "MOCK", "responses": "oops"}, "E251", "/responses"),
        ({"type": "MOCK", "timeoutInMillis": "soon"}, "E252", "/timeoutInMillis"),
        ({"type": "MOCK", "timeoutInMillis": True}, "E252", "/timeoutInMillis"),
        ({"type": "MOCK", "timeoutInMillis": False}, "E252", "/timeoutInMillis"),
        ({"type": "MOCK", "responses": {"default": {}}}, "E253", "/responses/default"),
    ],
)
def test_bad_integration_shapes_are_reported_at_their_pointer(
    integration: Any, code: str, pointer_tail: str
) -> None:
    tree = doc({"/a": {"get": {INTEGRATION: integration}}})
    _, diags = build_model(tree)
    assert [d.code for d in diags] == [code]
    assert diags[0].pointer == "/paths/~1a/get/" + INTEGRATION + pointer_tail


@pytest.mark.parametrize(("written", "read"), [(29000, 29000), ("29000", 29000), (29000.0, 29000)])
def test_a_whole_number_is_read_however_it_is_written_but_a_flag_is_not(
    written: Any, read: int
) -> None:
    tree = doc({"/a": {"get": {INTEGRATION: {"type": "MOCK", "timeoutInMillis": written}}}})
    model, diags = build_model(tree)
    assert diags == []
    (method,) = model.resources[0].methods
    assert method.integration is not None and method.integration.timeout_in_millis == read


@pytest.mark.parametrize(
    "tree",
    [
        None,
        [],
        "text",
        42,
        {"paths": []},
        {"paths": {"/a": []}},
        {"paths": {"/a": {"get": 1}}},
        {"paths": {1: {}}},
        {"openapi": "3.0.0", "components": [], "security": "x", "paths": {}},
        {"paths": {"/a": {"get": {"parameters": "x", "responses": []}}}},
    ],
)
def test_any_shape_gives_findings_never_an_exception(tree: Any) -> None:
    model, _ = build_model(tree)
    assert model is not None


def test_security_schemes_give_authorizer_iam_and_api_key() -> None:
    tree = doc(
        {
            "/a": {
                "get": {"security": [{"auth": []}, {"key": []}]},
                "post": {"security": [{"iam": []}]},
                "put": {"x-amazon-apigateway-auth": {"type": "AWS_IAM"}},
            }
        },
        components={
            "securitySchemes": {
                "auth": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "x-amazon-apigateway-authtype": "custom",
                    "x-amazon-apigateway-authorizer": {
                        "type": "token",
                        "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/f",
                        "authorizerResultTtlInSeconds": 60,
                    },
                },
                "key": {"type": "apiKey", "in": "header", "name": "x-api-key"},
                "iam": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                },
            }
        },
    )
    model, diags = build_model(tree)
    assert diags == []
    get, post, put = model.resources[0].methods
    assert (get.authorization_type, get.authorizer, get.api_key_required) == (
        "CUSTOM",
        "auth",
        True,
    )
    assert post.authorization_type == "AWS_IAM"
    assert put.authorization_type == "AWS_IAM"
    (authorizer,) = model.authorizers
    assert authorizer.identity_source == "method.request.header.Authorization"
    assert authorizer.type == "TOKEN"


def test_request_and_response_models_come_from_schema_refs() -> None:
    tree = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "consumes": ["application/json"],
        "paths": {
            "/a": {
                "post": {
                    "parameters": [
                        {"in": "body", "name": "b", "schema": {"$ref": "#/definitions/In"}}
                    ],
                    "responses": {
                        "200": {"description": "", "schema": {"$ref": "#/definitions/Out"}}
                    },
                }
            }
        },
        "definitions": {"In": {"type": "object"}, "Out": {"type": "object"}},
    }
    model, diags = build_model(tree)
    assert diags == []
    method = model.resources[0].methods[0]
    assert method.request_models == {"application/json": "In"}
    assert method.responses[0].response_models == {"application/json": "Out"}
    assert set(model.models) == {"In", "Out"}
