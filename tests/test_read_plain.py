"""`Document.plain`: the reader vouches that the schema check's copy would change nothing.

When it says so, `check_schema` hands the tree itself to the fast path; these tests hold the
promise: a plain tree equals its `plain_copy`, and every reason for a copy turns it off.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_files, requires_corpus, sample_files

from oas2gw.read import Document, ReadOptions, load_document
from oas2gw.read.schema import check_schema, plain_copy

HEAD = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\n"
OK_PATHS = "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n"


def _read(text: str, tmp_path: Path, name: str = "api.yaml", **files: str) -> Document:
    for other, body in files.items():
        (tmp_path / other.replace("_", ".")).write_text(body, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def test_a_yaml_document_with_quoted_codes_and_local_refs_is_plain(tmp_path: Path) -> None:
    text = (
        HEAD + "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/q'}]\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            '*/*': {schema: {$ref: '#/components/schemas/S'}}\n"
        "components:\n  parameters:\n    q: {name: q, in: query, schema: {type: string}}\n"
        "  schemas:\n    S: {type: object}\n"
    )
    doc = _read(text, tmp_path)
    assert doc.plain and doc.diagnostics == []


NOT_PLAIN = [
    ("an integer key", HEAD + "paths:\n  /a:\n    get:\n      responses:\n        200: {}\n"),
    ("an intrinsic", HEAD.replace("title: t", "title: !Sub '${X}'") + OK_PATHS),
    ("a long-form intrinsic", HEAD.replace("title: t", "title: {Ref: X}") + OK_PATHS),
    ("a Condition", HEAD + OK_PATHS + "x-amazon-apigateway-policy: {Condition: c}\n"),
    (
        "a missing schema",
        HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n"
        "            a/b: {schema: {$ref: '#/components/schemas/Nope'}}\n",
    ),
    (
        "an alias",
        HEAD + "x-a: &shared {k: v}\nx-b: *shared\n" + OK_PATHS,
    ),
]


@pytest.mark.parametrize("why, text", NOT_PLAIN)
def test_a_document_is_not_plain_with(why: str, text: str, tmp_path: Path) -> None:
    doc = _read(text, tmp_path)
    assert not doc.plain, why


@pytest.mark.parametrize("why, text", NOT_PLAIN)
def test_a_document_with_references_is_not_plain_with(why: str, text: str, tmp_path: Path) -> None:
    # with a `$ref`, the pass that finds the references judges the intrinsics instead
    doc = _read(text + "x-r: {$ref: '#/info'}\n", tmp_path)
    assert not doc.plain, why


JSON_HEAD = '{"openapi": "3.0.1", "paths": {}, "x-r": {"$ref": "#/info"}, "info": '


@pytest.mark.parametrize(
    "why, info",
    [
        ("a long-form intrinsic", '{"title": {"Ref": "X"}, "version": "1"}'),
        ("a Condition", '{"title": "t", "version": "1", "x": [{"Condition": "c"}]}'),
        ("an unknown function", '{"title": {"Fn::Nope": "X"}, "version": "1"}'),
        (
            "a reference with siblings",
            '{"title": "t", "version": "1", "x": {"$ref": "#/paths", "b": 1}}',
        ),
    ],
)
def test_a_json_document_with_references_is_not_plain_with(
    why: str, info: str, tmp_path: Path
) -> None:
    doc = _read(JSON_HEAD + info + "}", tmp_path, "api.json")
    assert not doc.plain, why


def test_a_json_document_with_intrinsic_names_as_text_or_among_keys_is_plain(
    tmp_path: Path,
) -> None:
    # nothing here is a one-key mapping named like an intrinsic: the copy would change nothing
    info = '{"title": "Fn::Sub", "version": "1", "x-a": {"Ref": "a", "Condition": "b"}}'
    doc = _read(JSON_HEAD + info + "}", tmp_path, "api.json")
    assert doc.plain and doc.tree is not None
    assert plain_copy(doc.tree) == doc.tree


def test_a_ref_spelled_with_escapes_is_not_plain(tmp_path: Path) -> None:
    text = '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {},'
    text += ' "x-a": {"\\u0024ref": "#/nowhere"}}'
    doc = _read(text, tmp_path, "api.json")
    assert not doc.plain


def test_a_referenced_file_with_an_intrinsic_makes_the_document_not_plain(tmp_path: Path) -> None:
    text = HEAD + "paths:\n  /a:\n    $ref: 'item.yaml'\n"
    item = "get:\n  responses:\n    '200': {description: !Sub '${X}'}\n"
    doc = _read(text, tmp_path, item_yaml=item)
    assert not doc.plain


def test_variables_substituted_into_a_plain_document_make_it_not_plain(tmp_path: Path) -> None:
    text = HEAD.replace("title: t", "title: '${name}'") + OK_PATHS
    path = tmp_path / "api.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_document(path).plain
    assert not load_document(path, options=ReadOptions(variables={"name": "n"})).plain


def test_the_fast_path_on_a_plain_swagger_tree_leaves_its_version_untouched() -> None:
    tree = {"swagger": 2.0, "info": {"title": "t", "version": "1"}, "paths": {}}
    assert check_schema(tree, "2.0", plain=True) == check_schema(tree, "2.0") == []
    assert tree["swagger"] == 2.0


def _assert_plain_means_no_copy_needed(paths: list[Path]) -> int:
    seen = 0
    for path in paths:
        doc = load_document(path)
        if doc.plain:
            seen += 1
            assert plain_copy(doc.tree) == doc.tree, path
            version = doc.openapi_version or "3.0.1"
            assert check_schema(doc.tree, version, plain=True) == check_schema(doc.tree, version)
    return seen


def test_plain_samples_equal_their_copy_and_get_the_same_verdict() -> None:
    assert _assert_plain_means_no_copy_needed(sample_files()) > 0


@requires_corpus
def test_plain_corpus_documents_equal_their_copy_and_get_the_same_verdict() -> None:
    _assert_plain_means_no_copy_needed(corpus_files())
