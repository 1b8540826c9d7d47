"""`$ref`: inlined outside schemas, located through to their targets, and never leaving home."""

from __future__ import annotations

from pathlib import Path

import pytest

from oas2gw.diagnostics import Location
from oas2gw.read import Document, load_document

HEAD = 'openapi: 3.0.1\ninfo: {title: t, version: "1"}\n'


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def only(doc: Document, code: str) -> object:
    found = [d for d in doc.diagnostics if d.code == code]
    assert len(found) == 1, [d.render() for d in doc.diagnostics]
    return found[0]


API = (
    HEAD
    + """paths:
  /a:
    get:
      responses:
        "200": {$ref: '#/components/responses/Ok'}
      x-amazon-apigateway-integration:
        $ref: '#/components/x-amazon-apigateway-integrations/mock'
  /b:
    $ref: 'paths/b.yaml#/item'
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node'}
  responses:
    Ok:
      description: ok
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Node'}
  x-amazon-apigateway-integrations:
    mock:
      type: mock
      requestTemplates: {application/json: '{"statusCode": 200}'}
"""
)
ITEM = """item:
  get:
    responses:
      "200": {description: ok}
    x-amazon-apigateway-integration:
      type: http
      uri: https://example.com
"""


def test_integration_ref_is_inlined_and_located_at_its_target(tmp_path: Path) -> None:
    write(tmp_path, "paths/b.yaml", ITEM)
    doc = load_document(write(tmp_path, "api.yaml", API))
    assert doc.diagnostics == []
    assert doc.tree is not None
    integration = doc.tree["paths"]["/a"]["get"]["x-amazon-apigateway-integration"]
    assert integration["type"] == "mock"
    where = doc.locator.locate("/paths/~1a/get/x-amazon-apigateway-integration/type")
    assert where == Location(str(tmp_path / "api.yaml"), 26, 7)


def test_schema_refs_are_kept_by_name_even_when_recursive(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "api.yaml", API))
    assert doc.tree is not None
    response = doc.tree["paths"]["/a"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Node"
    }
    node = doc.tree["components"]["schemas"]["Node"]
    assert node["properties"]["next"] == {"$ref": "#/components/schemas/Node"}


def test_relative_file_ref_is_inlined_and_located_in_that_file(tmp_path: Path) -> None:
    write(tmp_path, "paths/b.yaml", ITEM)
    doc = load_document(write(tmp_path, "api.yaml", API))
    assert doc.diagnostics == []
    assert doc.tree is not None
    assert doc.tree["paths"]["/b"]["get"]["x-amazon-apigateway-integration"]["type"] == "http"
    where = doc.locator.locate("/paths/~1b/get/x-amazon-apigateway-integration/uri")
    assert where == Location(str(tmp_path / "paths" / "b.yaml"), 7, 7)


def test_shared_target_is_resolved_once_for_ten_thousand_operations(tmp_path: Path) -> None:
    paths = "".join(
        f"  /p{i}:\n    get:\n      responses: {{'200': {{description: ok}}}}\n"
        "      x-amazon-apigateway-integration: {$ref: '#/components/x-i/m'}\n"
        for i in range(10_000)
    )
    text = HEAD + "paths:\n" + paths + "components:\n  x-i:\n    m: {type: mock}\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert doc.tree is not None and doc.diagnostics == []
    first = doc.tree["paths"]["/p0"]["get"]["x-amazon-apigateway-integration"]
    assert first == {"type": "mock"}
    assert first is doc.tree["paths"]["/p9999"]["get"]["x-amazon-apigateway-integration"]


def test_missing_target_is_E120_at_the_ref(tmp_path: Path) -> None:
    text = HEAD + "paths:\n  /a:\n    $ref: '#/components/pathItems/nope'\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    diag = only(doc, "E120")
    assert diag.pointer == "/paths/~1a/$ref"  # type: ignore[attr-defined]
    assert diag.location == Location(str(tmp_path / "api.yaml"), 5, 5)  # type: ignore[attr-defined]


def test_missing_schema_target_is_E120_too(tmp_path: Path) -> None:
    text = HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert only(doc, "E120").pointer == "/components/schemas/A/$ref"  # type: ignore[attr-defined]


def test_ref_cycle_is_E121_not_a_hang(tmp_path: Path) -> None:
    text = (
        HEAD
        + "paths:\n  /a: {$ref: '#/x-p/one'}\nx-p:\n  one: {$ref: '#/x-p/two'}\n"
        + "  two: {$ref: '#/x-p/one'}\n"
    )
    doc = load_document(write(tmp_path, "api.yaml", text))
    diag = only(doc, "E121")
    assert diag.location is not None  # type: ignore[attr-defined]


def test_self_reference_to_the_root_is_E121(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "api.yaml", HEAD + "paths:\n  /a: {$ref: '#'}\n"))
    assert only(doc, "E121").pointer == "/paths/~1a"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("../outside.yaml#/item", "E122"),
        ("sub/../../outside.yaml#/item", "E122"),
        ("/etc/passwd", "E122"),
        ("file:///etc/passwd", "E123"),
        ("http://169.254.169.254/latest/meta-data", "E123"),
        ("https://example.com/api.yaml#/item", "E123"),
        ("missing.yaml#/item", "E124"),
        ("#not-a-pointer", "E125"),
    ],
)
def test_refs_that_leave_home_are_refused_with_a_location(
    tmp_path: Path, ref: str, code: str
) -> None:
    write(tmp_path, "outside.yaml", ITEM)
    root = tmp_path / "project"
    text = HEAD + f"paths:\n  /a:\n    $ref: '{ref}'\n"
    doc = load_document(write(root, "api.yaml", text))
    diag = only(doc, code)
    assert diag.location == Location(str(root / "api.yaml"), 5, 5)  # type: ignore[attr-defined]
    assert doc.tree is not None


def test_text_input_cannot_read_relative_files() -> None:
    doc = load_document("<text>", text=HEAD + "paths:\n  /a: {$ref: 'b.yaml#/item'}\n")
    assert only(doc, "E124").location is not None  # type: ignore[attr-defined]


def test_ref_expansion_bomb_is_refused(tmp_path: Path) -> None:
    def level(i: int) -> str:
        ref = "{$ref: '#/x-l/l" + str(i - 1) + "'}"
        return f"  l{i}: [{', '.join([ref] * 10)}]\n"

    levels = "".join(level(i) for i in range(1, 8))
    text = HEAD + "paths: {}\nx-l:\n  l0: [x]\n" + levels + "x-use: {$ref: '#/x-l/l7'}\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert "E126" in [d.code for d in doc.diagnostics]
    assert doc.tree is None


def test_sibling_keys_of_a_path_item_ref_override_the_target(tmp_path: Path) -> None:
    write(tmp_path, "paths/b.yaml", ITEM)
    text = HEAD + "paths:\n  /b:\n    $ref: 'paths/b.yaml#/item'\n    summary: here\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert doc.tree is not None
    assert doc.tree["paths"]["/b"]["summary"] == "here"
    assert "get" in doc.tree["paths"]["/b"]


def test_swagger_parameters_and_responses_refs_are_inlined(tmp_path: Path) -> None:
    text = (
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n"
        "      parameters: [{$ref: '#/parameters/id'}]\n"
        "      responses: {'200': {$ref: '#/responses/ok'}}\n"
        "parameters:\n  id: {name: id, in: path, required: true, type: string}\n"
        "responses:\n  ok: {description: ok}\n"
    )
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert doc.diagnostics == []
    assert doc.tree is not None
    operation = doc.tree["paths"]["/a/{id}"]["get"]
    assert operation["parameters"][0]["name"] == "id"
    assert operation["responses"]["200"] == {"description": "ok"}
    where = doc.locator.locate("/paths/~1a~1{id}/get/parameters/0/in")
    assert where == Location(str(tmp_path / "api.yaml"), 9, 18)


def test_schemas_that_only_refer_to_each_other_are_one_E121(tmp_path: Path) -> None:
    text = (
        HEAD + "paths: {}\ncomponents:\n  schemas:\n"
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"
        "    C: {type: object, properties: {self: {$ref: '#/components/schemas/C'}}}\n"
    )
    doc = load_document(write(tmp_path, "api.yaml", text))
    (diag,) = doc.diagnostics  # one loop, one finding; C's recursion is fine
    assert diag.code == "E121" and "#/components/schemas/B" in diag.message
    assert diag.location == Location(str(tmp_path / "api.yaml"), 6, 9)


def test_sibling_subtrees_of_a_ref_are_resolved_too(tmp_path: Path) -> None:
    write(tmp_path, "paths/b.yaml", ITEM)
    text = (
        HEAD + "paths:\n  /b:\n    $ref: 'paths/b.yaml#/item'\n"
        "    post:\n      responses: {'200': {$ref: '#/x-r/ok'}}\nx-r:\n  ok: {description: ok}\n"
    )
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert doc.tree is not None
    assert doc.tree["paths"]["/b"]["post"]["responses"]["200"] == {"description": "ok"}
    assert "get" in doc.tree["paths"]["/b"]


def test_root_file_named_in_a_ref_is_the_root_itself(tmp_path: Path) -> None:
    text = HEAD + "paths:\n  /a: {$ref: 'api.yaml#/x-p/a'}\nx-p:\n  a: {summary: here}\n"
    doc = load_document(write(tmp_path, "api.yaml", text))
    assert doc.tree is not None and doc.tree["paths"]["/a"] == {"summary": "here"}
    where = doc.locator.locate("/paths/~1a/summary")
    assert where == Location(str(tmp_path / "api.yaml"), 6, 7)
