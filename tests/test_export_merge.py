"""`export --into`: only what API Gateway holds changes; every other byte stays."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import corpus_files, requires_corpus, sample_files
from test_roundtrip import document_model

from oas2gw.export.merge import merge_into
from oas2gw.model.build import build_model
from oas2gw.model.normalize import normalize
from oas2gw.model.types import ApiModel, Integration, Method, MethodResponse, Resource

DOC = """\
# The pets API: comments, quoting and order are the author's.
openapi: "3.0.1"
info:
  title: pets
  version: '1.0'
  x-owner: team-pets   # not API Gateway's
paths:
  /pets:
    get:
      summary: List pets
      tags: [pets]
      parameters:
        - name: limit
          in: query
          description: how many
          schema: {type: integer}
      responses:
        "200":
          description: A page of pets
          content:
            application/json:
              example: [{"id": 1}]
      x-amazon-apigateway-integration:
        type: http            # upstream
        httpMethod: GET
        uri: "https://pets.example.com/pets"
        passthroughBehavior: when_no_match
        timeoutInMillis: 29000
        responses:
          default:
            statusCode: 200
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: one pet}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default: {statusCode: '200'}
"""


def model_of(text: str) -> ApiModel:
    model, diags = build_model(yaml.safe_load(text))
    assert [d for d in diags if d.is_error] == []
    return model


def view(model: ApiModel) -> dict[str, Any]:
    return normalize(model).model_dump(by_alias=True)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def with_method(model: ApiModel, path: str, verb: str, **changes: Any) -> ApiModel:
    resources = []
    for r in model.resources:
        methods = tuple(
            m.model_copy(update=changes) if (r.path, m.http_method) == (path, verb) else m
            for m in r.methods
        )
        resources.append(r.model_copy(update={"methods": methods}))
    return model.model_copy(update={"resources": tuple(resources)})


def integration_of(model: ApiModel, path: str, verb: str) -> Integration:
    for r, m in model.iter_methods():
        if (r.path, m.http_method) == (path, verb) and m.integration is not None:
            return m.integration
    raise KeyError((path, verb))


def test_an_unchanged_api_changes_nothing_at_all() -> None:
    result = merge_into(DOC, model_of(DOC))
    assert (result.text, result.changed, result.diagnostics) == (DOC, False, [])


def test_the_same_api_from_aws_with_its_defaults_changes_nothing() -> None:
    """What AWS reads back (upper-case enums, string status codes, defaults) is the same API."""
    model = model_of(DOC)
    integ = integration_of(model, "/pets", "GET").model_copy(
        update={"connection_type": "INTERNET", "cache_namespace": None}
    )
    assert merge_into(DOC, with_method(model, "/pets", "GET", integration=integ)).text == DOC


def test_a_changed_field_changes_only_its_own_line() -> None:
    model = model_of(DOC)
    integ = integration_of(model, "/pets", "GET").model_copy(
        update={"uri": "https://new.example.com/pets", "timeout_in_millis": 5000}
    )
    result = merge_into(DOC, with_method(model, "/pets", "GET", integration=integ))
    assert changed_lines(DOC, result.text) == [
        '-        uri: "https://pets.example.com/pets"',
        '+        uri: "https://new.example.com/pets"',
        "-        timeoutInMillis: 29000",
        "+        timeoutInMillis: 5000",
    ]
    assert view(model_of(result.text)) == view(
        with_method(model, "/pets", "GET", integration=integ)
    )


def test_a_new_field_is_written_where_the_export_puts_it() -> None:
    model = model_of(DOC)
    integ = integration_of(model, "/pets/{id}", "GET").model_copy(
        update={"passthrough_behavior": "NEVER"}
    )
    result = merge_into(DOC, with_method(model, "/pets/{id}", "GET", integration=integ))
    assert changed_lines(DOC, result.text) == ["+        passthroughBehavior: NEVER"]
    lines = result.text.splitlines()
    at = lines.index("        passthroughBehavior: NEVER")
    assert lines[at - 1].strip() == "application/json: '{\"statusCode\": 200}'"


def test_parameters_and_responses_follow_the_api_and_keep_their_descriptions() -> None:
    model = model_of(DOC)
    method = next(m for r, m in model.iter_methods() if r.path == "/pets")
    new = with_method(
        model,
        "/pets",
        "GET",
        request_parameters={"method.request.querystring.limit": True},
        responses=(
            method.responses[0].model_copy(
                update={"response_parameters": {"method.response.header.X-Next": False}}
            ),
            MethodResponse(status_code="500"),
        ),
    )
    result = merge_into(DOC, new)
    assert "description: how many" in result.text
    assert "description: A page of pets" in result.text
    assert 'example: [{"id": 1}]' in result.text
    assert view(model_of(result.text)) == view(new)


def test_a_new_method_and_path_are_added_and_comments_survive() -> None:
    model = model_of(DOC)
    new_method = Method(http_method="DELETE", integration=Integration(type="MOCK"))
    resources = [
        r.model_copy(update={"methods": (*r.methods, new_method)}) if r.path == "/pets" else r
        for r in model.resources
    ]
    resources.append(Resource(path="/owners", methods=(Method(http_method="GET"),)))
    new = model.model_copy(update={"resources": tuple(resources)})
    result = merge_into(DOC, new)
    assert result.text.startswith("# The pets API: comments, quoting and order are the author's.")
    assert "type: http            # upstream" in result.text
    assert "x-owner: team-pets   # not API Gateway's" in result.text
    assert view(model_of(result.text)) == view(new)
    assert [line for line in changed_lines(DOC, result.text) if line.startswith("-")] == []


def test_security_from_aws_iam_reuses_the_documents_scheme_name() -> None:
    doc = DOC + (
        "components:\n  securitySchemes:\n    iam:\n      type: apiKey\n      name: Authorization\n"
        "      in: header\n      x-amazon-apigateway-authtype: awsSigv4\n"
    )
    model = model_of(doc)
    result = merge_into(doc, with_method(model, "/pets", "GET", authorization_type="AWS_IAM"))
    # the document indents its lists by two: so does what is added
    assert changed_lines(doc, result.text) == ["+      security:", "+        - iam: []"]


def test_an_operation_the_api_lacks_is_kept_and_warned_W406() -> None:
    model = model_of(DOC)
    without = model.model_copy(
        update={"resources": tuple(r for r in model.resources if r.path != "/pets/{id}")}
    )
    result = merge_into(DOC, without)
    assert result.text == DOC
    assert [d.code for d in result.diagnostics] == ["W406"]


def test_intrinsics_in_the_document_are_kept() -> None:
    doc = DOC.replace(
        'uri: "https://pets.example.com/pets"',
        'uri: {"Fn::Sub": "https://${Host}/pets"}',
    )
    model = model_of(doc)
    resolved = integration_of(model, "/pets", "GET").model_copy(
        update={"uri": "https://pets.example.com/pets"}
    )
    result = merge_into(doc, with_method(model, "/pets", "GET", integration=resolved))
    assert result.text == doc


def test_json_documents_keep_key_order_and_indentation() -> None:
    tree = yaml.safe_load(DOC)
    text = json.dumps(tree, indent=4) + "\n"
    model = model_of(DOC)
    assert merge_into(text, model).text == text
    integ = integration_of(model, "/pets", "GET").model_copy(update={"timeout_in_millis": 100})
    result = merge_into(text, with_method(model, "/pets", "GET", integration=integ))
    assert changed_lines(text, result.text) == [
        '-                    "timeoutInMillis": 29000,',
        '+                    "timeoutInMillis": 100,',
    ]


def test_not_a_document_is_E404() -> None:
    assert [d.code for d in merge_into("- a\n- b\n", ApiModel()).diagnostics] == ["E404"]
    assert [d.code for d in merge_into("{oops", ApiModel()).diagnostics] == ["E404"]
    template = "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n"
    assert [d.code for d in merge_into(template, ApiModel()).diagnostics] == ["E404"]


def unchanged_problems(path: Path) -> list[str]:
    model = document_model(path)
    if model is None:
        return []
    text = path.read_text(encoding="utf-8")
    result = merge_into(text, normalize(model), name=path.name, document_model=model)
    if result.text != text:
        return [f"{path.name}: {changed_lines(text, result.text)[:6]}"]
    return []


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.name)
def test_exporting_a_sample_into_itself_changes_nothing(sample: Path) -> None:
    assert unchanged_problems(sample) == []


@requires_corpus
def test_exporting_corpus_documents_into_themselves_changes_nothing() -> None:
    problems = [p for path in corpus_files() for p in unchanged_problems(path)]
    assert problems == []


def test_parts_the_source_lacks_are_kept_from_the_document() -> None:
    doc = DOC + (
        "x-amazon-apigateway-request-validators:\n  all:\n    validateRequestBody: true\n"
        "    validateRequestParameters: true\n"
        "x-amazon-apigateway-request-validator: all\n"
    )
    model = model_of(doc)
    bare = model.model_copy(
        update={
            "request_validators": (),
            "default_request_validator": None,
            "name": None,
            "version": None,
            "resources": tuple(
                r.model_copy(
                    update={
                        "methods": tuple(
                            m.model_copy(update={"request_validator": "va1234"}) for m in r.methods
                        )
                    }
                )
                for r in model.resources
            ),
        }
    )
    result = merge_into(doc, bare, unknown=frozenset({"validators", "rest_api"}))
    assert (result.text, result.diagnostics) == (doc, [])
    assert merge_into(doc, bare).text != doc  # known to be empty, they go
