"""OpenAPI structural validation: every finding, with pointer and location."""

from __future__ import annotations

from pathlib import Path

from oas2gw.diagnostics import Location
from oas2gw.read import ReadOptions, load_document
from oas2gw.read.schema import check_schema, plain_copy

BAD = """openapi: 3.0.1
info:
  title: t
paths:
  /a:
    get:
      parameters:
        - {name: q, in: nowhere}
      responses:
        '200': {description: 1}
"""


def test_every_structural_error_is_E203_with_pointer_and_location(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(BAD, encoding="utf-8")
    doc = load_document(path)
    found = {d.pointer: d for d in doc.diagnostics}
    assert {d.code for d in doc.diagnostics} == {"E203"}
    assert set(found) == {"/info", "/paths/~1a/get/parameters/0", "/paths/~1a/get/responses/200"}
    assert "version" in found["/info"].message
    assert found["/info"].location == Location(str(path), 2, 1)
    assert found["/paths/~1a/get/parameters/0"].location == Location(str(path), 8, 11)
    assert found["/paths/~1a/get/responses/200"].location == Location(str(path), 10, 9)


def test_validation_can_be_turned_off() -> None:
    doc = load_document("<text>", text=BAD, options=ReadOptions(validate_schema=False))
    assert doc.diagnostics == [] and doc.tree is not None


def test_swagger_20_is_checked_against_its_own_schema() -> None:
    text = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {}\n"
    doc = load_document("<text>", text=text)
    assert [(d.code, d.pointer) for d in doc.diagnostics] == [("E203", "/paths/~1a/get")]


def test_check_schema_sees_intrinsics_as_placeholders_and_keys_as_strings() -> None:
    tree = {
        "openapi": "3.0.1",
        "info": {"title": {"Fn::Sub": "${AWS::StackName}"}, "version": "1"},
        "paths": {"/a": {"get": {"responses": {200: {"description": "ok"}}}}},
    }
    assert check_schema(tree, "3.0.1") == []
    copied = plain_copy(tree)
    assert "200" in copied["paths"]["/a"]["get"]["responses"]
    assert tree["info"]["title"] == {"Fn::Sub": "${AWS::StackName}"}  # the tree is untouched


def test_unresolved_path_parameter_points_at_the_operation() -> None:
    text = (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n"
        "    get:\n      responses: {'200': {description: ok}}\n"
    )
    doc = load_document("<text>", text=text)
    (diag,) = doc.diagnostics
    assert (diag.code, diag.pointer) == ("E203", "/paths/~1a~1{id}/get")
    assert diag.location == Location("<text>", 5, 5)


def test_a_oneof_finding_names_the_alternative_that_was_meant(tmp_path: Path) -> None:
    """A response without `description` is not "missing `$ref`": the Response alternative
    is judged before the Reference one, through nested `oneOf`s, with where it applies."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        '200': {}\n"
        "        '201':\n"
        "          description: made\n"
        "          headers:\n"
        "            X-Id: {type: string}\n"
    )
    doc = load_document(spec)
    messages = sorted(d.message for d in doc.diagnostics if d.code == "E203")
    assert messages == [
        "'description' is a required property",
        "'schema' is a required property (at headers/X-Id)",
    ]
