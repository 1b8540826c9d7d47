"""Saved API Gateway JSON (get-resources, get-rest-api, ..., get-export) -> the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import benchmark_generator

from oas2gw.emit.openapi import emit_openapi
from oas2gw.export.command import export_api
from oas2gw.export.dump import read_dump
from oas2gw.model.normalize import normalize

METHOD_GET: dict[str, Any] = {
    "httpMethod": "GET",
    "authorizationType": "CUSTOM",
    "authorizerId": "au1234",
    "apiKeyRequired": False,
    "requestValidatorId": "va1234",
    "operationName": "getPet",
    "requestParameters": {"method.request.path.id": True},
    "methodResponses": {
        "200": {
            "statusCode": "200",
            "responseParameters": {"method.response.header.X-A": False},
            "responseModels": {"application/json": "Pet"},
        }
    },
    "methodIntegration": {
        "type": "HTTP",
        "httpMethod": "GET",
        "uri": "https://example.com/pets/{id}",
        "connectionType": "INTERNET",
        "requestParameters": {"integration.request.path.id": "method.request.path.id"},
        "requestTemplates": {"application/json": None},
        "passthroughBehavior": "WHEN_NO_MATCH",
        "timeoutInMillis": 29000,
        "cacheNamespace": "res001",
        "cacheKeyParameters": [],
        "integrationResponses": {
            "200": {"statusCode": "200", "responseTemplates": {"application/json": None}},
            "404": {"statusCode": "404", "selectionPattern": "Not found.*"},
        },
    },
}
PAGE_1 = {
    "position": "next",
    "items": [{"id": "root01", "path": "/"}, {"id": "res000", "path": "/pets", "pathPart": "pets"}],
}
PAGE_2 = {
    "items": [
        {
            "id": "res001",
            "parentId": "res000",
            "pathPart": "{id}",
            "path": "/pets/{id}",
            "resourceMethods": {"GET": METHOD_GET},
        }
    ]
}
REST_API = {
    "id": "abc123",
    "name": "pets",
    "createdDate": "2024-05-01T00:00:00+00:00",
    "apiKeySource": "HEADER",
    "endpointConfiguration": {"types": ["EDGE"], "ipAddressType": "ipv4"},
    "disableExecuteApiEndpoint": False,
    "policy": '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}',
    "binaryMediaTypes": ["image~1png"],
    "rootResourceId": "root01",
}
AUTHORIZERS = {
    "items": [
        {
            "id": "au1234",
            "name": "tok",
            "type": "TOKEN",
            "authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/fn",
            "identitySource": "method.request.header.Authorization",
            "authorizerResultTtlInSeconds": 300,
        }
    ]
}
VALIDATORS = {"items": [{"id": "va1234", "name": "all", "validateRequestBody": True}]}
MODELS = {
    "items": [
        {
            "id": "m1",
            "name": "Pet",
            "contentType": "application/json",
            "schema": '{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object"}',
        },
        {
            "id": "m2",
            "name": "Empty",
            "contentType": "application/json",
            "schema": '{"$schema": "http://json-schema.org/draft-04/schema#",'
            ' "title": "Empty Schema", "type": "object"}',
        },
    ]
}
GATEWAY = {
    "items": [
        {"responseType": "DEFAULT_4XX", "defaultResponse": True, "responseParameters": {}},
        {
            "responseType": "UNAUTHORIZED",
            "statusCode": "401",
            "defaultResponse": False,
            "responseTemplates": {"application/json": '{"m": "no"}'},
        },
    ]
}


def write(tmp_path: Path, name: str, *values: Any) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(v, indent=4) for v in values) + "\n")
    return path


def test_concatenated_pages_and_the_other_outputs_make_one_normalised_model(
    tmp_path: Path,
) -> None:
    files = [
        write(tmp_path, "resources.json", PAGE_1, PAGE_2),
        write(tmp_path, "api.json", REST_API),
        write(tmp_path, "more.json", AUTHORIZERS, VALIDATORS, MODELS, GATEWAY),
    ]
    model, diags = read_dump(files)
    assert diags == []
    assert model is not None
    assert model.name == "pets"
    assert model.policy == {"Version": "2012-10-17", "Statement": []}
    assert model.binary_media_types == ("image/png",)
    assert (model.api_key_source, model.endpoint_configuration) == (None, None)
    assert model.disable_execute_api_endpoint is None
    assert model.models == {"Pet": {"type": "object"}}  # unused default `Empty` left out
    assert [g.response_type for g in model.gateway_responses] == ["UNAUTHORIZED"]
    (resource,) = model.resources  # resources without methods say nothing
    (method,) = resource.methods
    assert (method.authorizer, method.request_validator) == ("tok", "all")
    integ = method.integration
    assert integ is not None
    assert (integ.timeout_in_millis, integ.connection_type, integ.passthrough_behavior) == (
        None,
        None,
        None,
    )
    assert integ.cache_namespace is None  # it was the resource's id
    assert integ.request_templates == {"application/json": ""}
    assert [(r.status_code, r.selection_pattern) for r in integ.responses] == [
        ("200", None),
        ("404", "Not found.*"),
    ]


def test_keep_defaults_keeps_what_api_gateway_filled_in(tmp_path: Path) -> None:
    model, _ = read_dump([write(tmp_path, "r.json", PAGE_1, PAGE_2)], keep_defaults=True)
    assert model is not None
    integ = model.resources[0].methods[0].integration
    assert integ is not None
    assert (integ.timeout_in_millis, integ.cache_namespace, integ.passthrough_behavior) == (
        29000,
        "res001",
        "WHEN_NO_MATCH",
    )


def test_ids_without_their_objects_are_kept_as_names_with_W404(tmp_path: Path) -> None:
    model, diags = read_dump([write(tmp_path, "r.json", PAGE_1, PAGE_2)])
    assert model is not None
    assert sorted(d.code for d in diags) == ["W404", "W404"]
    assert model.resources[0].methods[0].authorizer == "au1234"


def test_fields_api_gateway_adds_later_are_kept_in_the_integration(tmp_path: Path) -> None:
    page = json.loads(json.dumps(PAGE_2))
    page["items"][0]["resourceMethods"]["GET"]["methodIntegration"]["newField"] = {"a": 1}
    model, _ = read_dump([write(tmp_path, "r.json", page, AUTHORIZERS, VALIDATORS)])
    assert model is not None
    integ = model.resources[0].methods[0].integration
    assert integ is not None and integ.extensions == {"newField": {"a": 1}}
    text, _ = emit_openapi(model)
    assert "newField:" in text


def test_not_json_is_E402_and_an_unknown_item_is_E403(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    model, diags = read_dump([bad])
    assert model is None and [d.code for d in diags] == ["E402"]
    assert diags[0].file == str(bad)
    odd = write(tmp_path, "odd.json", {"items": [{"what": 1}]}, PAGE_2)
    model, diags = read_dump([odd, write(tmp_path, "a.json", AUTHORIZERS, VALIDATORS)])
    assert model is not None and [d.code for d in diags] == ["E403"]


def test_responses_and_ids_of_the_wrong_shape_are_E403_not_a_crash(tmp_path: Path) -> None:
    integration = {**METHOD_GET["methodIntegration"], "integrationResponses": {"200": [1]}}
    bodies = [
        {**METHOD_GET, "methodResponses": 1},
        {**METHOD_GET, "methodResponses": {"200": "x"}},
        {**METHOD_GET, "methodIntegration": integration},
        {**METHOD_GET, "authorizerId": ["au1234"]},
    ]
    for body in bodies:
        page = {"items": [{"id": "res001", "path": "/pets/{id}", "resourceMethods": {"GET": body}}]}
        dump = write(tmp_path, "r.json", page, AUTHORIZERS, VALIDATORS)
        model, diags = read_dump([dump])
        assert model is not None and [d.code for d in diags] == ["E403"], body


def test_an_empty_file_list_of_nothing_useful_is_E402(tmp_path: Path) -> None:
    model, diags = read_dump([write(tmp_path, "v.json", VALIDATORS)])
    assert model is None and [d.code for d in diags] == ["E402"]


def test_get_export_output_is_read_as_a_document_and_normalised(tmp_path: Path) -> None:
    exported = {
        "swagger": "2.0",
        "info": {"title": "pets", "version": "2024-05-01T00:00:00Z"},
        "paths": {
            "/pets": {
                "get": {
                    "responses": {"200": {"description": "200 response"}},
                    "x-amazon-apigateway-integration": {
                        "type": "http",
                        "httpMethod": "GET",
                        "uri": "https://example.com/pets",
                        "passthroughBehavior": "when_no_match",
                        "timeoutInMillis": 29000,
                        "cacheNamespace": "k3jd8a",
                        "cacheKeyParameters": [],
                        "responses": {"default": {"statusCode": "200"}},
                    },
                }
            }
        },
    }
    model, diags = read_dump([write(tmp_path, "export.json", exported)])
    assert diags == []
    assert model is not None
    integ = model.resources[0].methods[0].integration
    assert integ is not None
    assert (integ.type, integ.passthrough_behavior, integ.timeout_in_millis) == ("HTTP", None, None)
    assert integ.cache_namespace is None


def test_get_export_without_integrations_warns_W405(tmp_path: Path) -> None:
    skeleton = {
        "swagger": "2.0",
        "info": {"title": "x", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    _, diags = read_dump([write(tmp_path, "s.json", skeleton)])
    assert [d.code for d in diags] == ["W405"]


def test_export_api_writes_the_same_text_from_the_same_dump(tmp_path: Path) -> None:
    files = [write(tmp_path, "r.json", PAGE_1, PAGE_2, REST_API, AUTHORIZERS, VALIDATORS, MODELS)]
    first = export_api(dumps=files)
    second = export_api(dumps=files, fmt="json")
    third = export_api(dumps=files)
    assert not first.failed and first.text == third.text
    assert second.text is not None and json.loads(second.text)["info"]["title"] == "pets"


def test_export_api_wants_exactly_one_source() -> None:
    result = export_api()
    assert result.failed and [d.code for d in result.diagnostics] == ["E402"]


@pytest.fixture(scope="module")
def generator() -> Any:
    return benchmark_generator()


def test_the_benchmark_dump_reads_into_the_integrations_of_its_document(
    generator: Any, tmp_path: Path
) -> None:
    """The generator writes the dump from its own operation specs, not through our export."""
    path = tmp_path / "dump.json"
    path.write_bytes(generator.to_json(generator.resources_dump(60)))
    model, _ = read_dump([path])
    assert model is not None
    from oas2gw.model.build import build_model

    doc_model, _ = build_model(_resolve(generator.document(60, "3.0")))
    ours = {(r.path, m.http_method): m for r, m in normalize(doc_model).iter_methods()}
    theirs = {(r.path, m.http_method): m for r, m in model.iter_methods()}
    assert ours.keys() == theirs.keys()
    for key, method in ours.items():
        assert _view(theirs[key]) == _view(method), key


def _view(method: Any) -> Any:
    """A method as the dump can hold it: authorizers and validators are ids there."""
    return method.model_dump(by_alias=True, exclude={"authorizer", "request_validator"})


def _resolve(tree: Any) -> Any:
    """Inline local `$ref`s outside schemas, as the reader does."""

    def walk(node: Any, root: Any, in_schema: bool) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and not in_schema:
                target = root
                for part in ref[2:].split("/"):
                    target = target[part.replace("~1", "/").replace("~0", "~")]
                return walk(target, root, in_schema)
            return {
                k: walk(v, root, in_schema or k in ("schema", "schemas", "definitions"))
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(v, root, in_schema) for v in node]
        return node

    return walk(tree, tree, False)
