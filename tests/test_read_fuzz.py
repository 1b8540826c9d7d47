"""Whatever the bytes, reading returns diagnostics, never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw.read import ReadOptions, load_document

SEED = b"""openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration:
        $ref: '#/components/x-i/m'
components:
  x-i:
    m: {type: mock, uri: !Sub 'arn:${AWS::Region}', x-a: &a [1, 2], x-b: *a}
"""
FAST = ReadOptions(validate_schema=False, max_depth=64, max_aliases=100)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    doc = load_document("<fuzz>", text=data, options=FAST)
    assert doc.tree is not None or any(d.is_error for d in doc.diagnostics)
    for diag in doc.diagnostics:
        assert "\n" not in diag.render()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.binary(max_size=4)), max_size=6))
def test_mutated_documents_never_raise(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(SEED)
    for offset, chunk in edits:
        data[offset : offset + len(chunk)] = chunk
    doc = load_document("<fuzz>", text=bytes(data), options=FAST)
    assert doc.tree is not None or any(d.is_error for d in doc.diagnostics)
    assert "E199" not in [d.code for d in doc.diagnostics]


def test_broken_referenced_file_is_reported_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "parts.yaml").write_text("item: [\n", encoding="utf-8")
    root = tmp_path / "api.yaml"
    root.write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\n"
        "paths:\n  /a: {$ref: 'parts.yaml#/item'}\n",
        encoding="utf-8",
    )
    doc = load_document(root)
    by_code = {d.code: d for d in doc.diagnostics}
    assert by_code["E104"].location is not None
    assert by_code["E104"].location.file == str(tmp_path / "parts.yaml")
    assert by_code["E124"].location is not None and by_code["E124"].location.line == 4
