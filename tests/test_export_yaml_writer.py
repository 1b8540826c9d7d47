"""The YAML writer: every string reads back the same in YAML 1.1 and 1.2, and its fast paths
write the same text as the plain recursive writer it replaced (kept below as the reference),
on the corpus, the samples, the benchmark's documents and random trees."""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import benchmark_generator, corpus_files, requires_corpus, sample_files
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from oas2gw.api import load
from oas2gw.emit.openapi import (
    _literal,
    _literal_ok,
    _scalar,
    _yaml_mapping,
    _yaml_sequence,
    build_openapi,
    render_text,
    yaml_chunks,
)
from oas2gw.export.dump import read_dump

# -- the reference: the recursive writer, one call per value ---------------------------------


def _ref_value(value: Any, indent: str, out: list[str], seq: str = "") -> None:
    if isinstance(value, dict):
        if not value:
            out.append(" {}\n")
            return
        out.append("\n")
        _ref_mapping(value, indent + "  ", out, seq=seq)
    elif isinstance(value, list):
        if not value:
            out.append(" []\n")
            return
        out.append("\n")
        _ref_sequence(value, indent + seq, out, seq)
    elif isinstance(value, str) and "\n" in value and _literal_ok(value):
        out.append(" " + _literal(value, indent + "  "))
    else:
        out.append(" " + _scalar(value) + "\n")


def _ref_mapping(
    node: dict[Any, Any], indent: str, out: list[str], first: str = "", seq: str = ""
) -> None:
    lead = first or indent
    for key, value in node.items():
        out.append(f"{lead}{_scalar(str(key))}:")
        _ref_value(value, indent, out, seq)
        lead = indent


def _ref_sequence(node: list[Any], indent: str, out: list[str], seq: str = "") -> None:
    for item in node:
        if isinstance(item, dict) and item:
            _ref_mapping(item, indent + "  ", out, first=indent + "- ", seq=seq)
        elif isinstance(item, list) and item:
            out.append(f"{indent}-\n")
            _ref_sequence(item, indent + "  ", out, seq)
        else:
            out.append(f"{indent}-")
            _ref_value(item, indent, out, seq)


def reference_yaml(tree: Any) -> str:
    out: list[str] = []
    if isinstance(tree, dict) and tree:
        _ref_mapping(tree, "", out)
    elif isinstance(tree, list) and tree:
        _ref_sequence(tree, "", out)
    else:
        out.append(_scalar(tree) if not isinstance(tree, (dict, list)) else json.dumps(tree))
        out.append("\n")
    return "".join(out)


def assert_same_as_reference(tree: Any) -> None:
    assert render_text(tree) == reference_yaml(tree)
    assert "".join(yaml_chunks(tree)) == reference_yaml(tree)
    for seq in ("", "  "):  # `export --into` writes blocks at a column, lists indented or not
        for column in ("", "    "):
            if isinstance(tree, dict) and tree:
                new: list[str] = []
                old: list[str] = []
                _yaml_mapping(tree, column, new, seq=seq)
                _ref_mapping(tree, column, old, seq=seq)
                assert "".join(new) == "".join(old)
            if isinstance(tree, list) and tree:
                new, old = [], []
                _yaml_sequence(tree, column, new, seq)
                _ref_sequence(tree, column, old, seq)
                assert "".join(new) == "".join(old)


# -- differential: the same text as the reference ---------------------------------------------


def _trees_of(path: Path) -> list[Any]:
    """The document as read, and its export in both versions when it models an API."""
    result = load(path, rules=False)
    trees = []
    if result.document is not None and result.document.tree is not None:
        trees.append(result.document.tree)
    if result.model is not None:
        trees.extend(build_openapi(result.model, oas)[0] for oas in ("3.0", "2.0"))  # type: ignore[arg-type]
    return trees


def test_samples_are_written_as_the_reference_writes_them() -> None:
    files = sample_files()
    assert files
    for path in files:
        for tree in _trees_of(path):
            assert_same_as_reference(tree)


@requires_corpus
def test_corpus_is_written_as_the_reference_writes_it() -> None:
    written = 0
    for path in corpus_files():
        for tree in _trees_of(path):
            assert_same_as_reference(tree)
            written += 1
    assert written


def test_benchmark_documents_and_dump_export_are_written_as_the_reference_writes_them(
    tmp_path: Path,
) -> None:
    generate = benchmark_generator()
    for oas in ("3.0", "2.0"):
        assert_same_as_reference(generate.document(120, oas))
    dump = tmp_path / "resources.json"
    dump.write_bytes(generate.to_json(generate.resources_dump(120)))
    model, _ = read_dump([dump])
    assert model is not None and model.resources
    for oas in ("3.0", "2.0"):
        assert_same_as_reference(build_openapi(model, oas)[0])  # type: ignore[arg-type]


class _Text(str):
    """A str subclass: written by the general rule, as its text."""


def test_values_off_the_fast_paths_are_written_by_the_general_rule() -> None:
    tree: dict[Any, Any] = {
        200: {"float": 1.5, "nan": float("nan"), "inf": float("-inf")},
        _Text("sub"): _Text("on"),
        "ordered": OrderedDict([("a", 1), ("b", [])]),
        "nested": [[1, [2, {}]], [], {}, "a\nb\n", True, None, 7, 0.25, _Text("x")],
        "template": "line\n  indented\n\n",
        "line\nkey": "line\nkey",
        "big": 10**30,
    }
    assert_same_as_reference(tree)
    assert render_text(tree).startswith('"200":\n  float: 1.5\n  nan: .nan\n  inf: -.inf\n')


def test_a_repeated_template_is_written_at_each_place_with_that_place_s_indent() -> None:
    template = '#set($a = 1)\n{\n  "a": $a\n}\n'
    tree = {"a": template, "b": {"c": template, "d": [template, {"e": template}]}, "f": template}
    assert_same_as_reference(tree)
    assert yaml.load(render_text(tree), Loader=yaml.CSafeLoader) == tree


# -- property tests ---------------------------------------------------------------------------

#: characters that make YAML read a scalar as something else, or end it early
_tricky = st.text(
    st.sampled_from(
        "0123456789eExXoObB.+-_:#'\"&*!|>%@`,[]{}?~ \t\n\r\\yYnNtTfFaAlLsu\x85\u2028é😀"
    ),
    max_size=12,
)
_strings = _tricky | st.text(st.characters(blacklist_categories=("Cs",)), max_size=24)


@settings(max_examples=400, deadline=None)
@given(value=_strings)
def test_property_any_string_reads_back_equal_in_yaml_1_1_and_1_2(value: str) -> None:
    tree = {"value": value, value: [value], "list": [value, {value: value}]}
    text = render_text(tree)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == tree
    assert YAML(typ="safe", pure=True).load(io.StringIO(text)) == tree


_leaves = st.none() | st.booleans() | st.integers() | _strings
_trees = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_strings, inner, max_size=3),
    max_leaves=16,
)


@settings(max_examples=200, deadline=None)
@given(tree=_trees)
def test_property_any_tree_is_written_as_the_reference_writes_it(tree: Any) -> None:
    assert_same_as_reference(tree)


@pytest.mark.parametrize("value", ["", "\n", "a\n", "a\n\n", " a\nb", "a \nb", "a\r\nb", "\ta\nb"])
def test_multiline_edges_read_back_equal(value: str) -> None:
    text = render_text({"k": value})
    assert yaml.load(text, Loader=yaml.CSafeLoader) == {"k": value}
    assert YAML(typ="safe", pure=True).load(io.StringIO(text)) == {"k": value}


def test_chunks_join_to_the_text_whatever_their_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """`yaml_chunks` cuts between members of the top two levels; small chunks cut after
    every one of them and still join to the same text."""
    from oas2gw.emit import openapi

    generate = benchmark_generator()
    tree = generate.document(60, "3.0")
    monkeypatch.setattr(openapi, "_CHUNK_PIECES", 1)
    chunks = list(yaml_chunks(tree))
    assert len(chunks) > len(tree["paths"])
    assert "".join(chunks) == render_text(tree)
