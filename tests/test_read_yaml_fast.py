"""The YAML fast path (`source._build` over libyaml's nodes) against PyYAML's full constructor.

`_Loader.load_tree` builds anchor-free documents in one recursive pass and leaves everything
else to the constructor it replaces; these tests hold it to that constructor's exact tree (types
included: `1`, `1.0` and `True` are told apart, as is key order) and its findings (unknown tags,
duplicate keys), on hand-written edge cases and on random documents.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import yaml
from conftest import ROOT, benchmark_generator, corpus_files
from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.read import source
from oas2gw.read.source import _Loader, parse


def typed(value: Any) -> Any:
    """A comparable form that keeps types and order (`==` says `1 == 1.0 == True`)."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


class _Reference(_Loader):
    """The loader with PyYAML's own resolver, for the full constructor to build from."""

    resolve = yaml.resolver.BaseResolver.resolve


def reference(text: str) -> tuple[Any, list[Any], list[Any]]:
    loader = _Reference(text)
    try:
        tree = loader.get_single_data()
    finally:
        loader.dispose()
    return typed(tree), _tags(loader), _duplicates(loader)


def fast(text: str, used: list[bool] | None = None) -> tuple[Any, list[Any], list[Any]]:
    loader = _Loader(text)
    shared = "*" in text and source._may_have_anchors(text)
    try:
        tree = loader.load_tree(shared)
    finally:
        loader.dispose()
    return typed(tree), _tags(loader), _duplicates(loader)


def _tags(loader: _Loader) -> list[Any]:
    return sorted((tag, m.line, m.column) for tag, m in loader.bad_tags)


def _duplicates(loader: _Loader) -> list[Any]:
    return sorted(
        (repr(key), m.line, m.column, repr(first)) for _, key, m, first in loader.duplicates
    )


def outcome(load: Any, text: str) -> Any:
    try:
        return load(text)
    except yaml.YAMLError as exc:
        return ("error", type(exc).__name__, str(exc))


PLAIN_SCALARS = [
    "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "",
    "0", "-0", "+12", "0x1F", "0o17", "017", "0b101", "1_000", "190:20:30", "-1:30",
    "1.5", "1e3", "504e31", "1.0e+3", ".inf", "-.Inf", ".NaN", "6.8523015e+5", "1_0.5",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "=", "abc", "a b", "200", "3.0.1",
    "*/*", "application/json", "$ref", "'quoted'", '"double"', "x\\ty",
]  # fmt: skip

EDGE_CASES = [
    "a: 1\nb: 1.0\nc: true\nd: ~\ne: '1'\n",
    "200: ok\n404.0: nf\ntrue: t\n~: n\n",
    "base: &b {x: 1}\nuse: *b\n",
    "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n",
    "a: 1\na: 2\n",
    "outer: {a: 1, a: 1}\n",
    "r:\n  200: a\n  '200': b\n",
    "r: {'200': a, 200: b, 404: c}\n",
    "true: a\n'True': b\n1: c\n'1': d\n",
    "x: &a 1\nr: {200: a, '200': b}\ny: *a\n",
    "s: !!set {a, b}\n",
    "o: !!omap [{a: 1}, {b: 2}]\n",
    "p: !!pairs [{a: 1}, {a: 2}]\n",
    "t: 2001-12-14\nb: !!binary aGVsbG8=\n",
    "? [a, b]\n: value\n",
    "? {a: 1}\n: value\n",
    "r: !Ref Thing\ns: !Sub '${A}'\ng: !GetAtt A.B\nj: !Join ['', [!Ref A, b]]\n",
    "u: !Unknown {a: 1}\nv: !Sub\n  - x\n  - {a: !Nope 1}\n",
    "c: !Sub {a: 1, a: 2}\n",
    "w: !<tag:example.com,2000:x> 1\n",
    "x: !!str 12\ny: !!int '12'\nz: !!float '1'\nq: !!bool 'yes'\nn: !!null ''\n",
    "e: =\n",
    "- a\n- [b, {c: d}]\n- {}\n- []\n",
    "a: &x 1\nb: *x\n",
    "text: |\n  line one\n  line two\nfolded: >\n  one\n  two\n",
    "'quoted key': \"double\\tvalue\"\n",
    "a: !!int abc\n",
    "a: !!float abc\n",
    "a: !!bool maybe\n",
    "a: [1, 2\n",
    "",
    "just a scalar\n",
    "- !Ref A\n",
]


def test_the_resolver_shortcut_covers_pyyaml_table() -> None:
    """Every implicit resolver is keyed by a first character in `_RESOLVED_FIRST` (or the empty
    string, for null), none applies to every scalar, and there are no path resolvers."""
    table = _Loader.yaml_implicit_resolvers
    assert None not in table
    assert {first for first in table if first} <= source._RESOLVED_FIRST
    assert not _Loader.yaml_path_resolvers


@settings(max_examples=500, deadline=None)
@given(value=st.sampled_from(PLAIN_SCALARS) | st.text(max_size=12), plain=st.booleans())
def test_the_resolver_gives_pyyaml_tags(value: str, plain: bool) -> None:
    loader, other = _Loader(""), _Reference("")
    try:
        for _ in range(2):  # the second answer comes from the cache
            got = loader.resolve(yaml.ScalarNode, value, (plain, not plain))
            assert got == other.resolve(yaml.ScalarNode, value, (plain, not plain))
        for kind in (yaml.MappingNode, yaml.SequenceNode):
            assert loader.resolve(kind, None, plain) == other.resolve(kind, None, plain)
    finally:
        loader.dispose()
        other.dispose()


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_build_as_the_full_constructor_does(text: str) -> None:
    assert outcome(fast, text) == outcome(reference, text)


def test_anchor_free_documents_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = _Loader.construct_document

    def counted(self: _Loader, node: Any) -> Any:
        calls.append(1)
        return real(self, node)

    monkeypatch.setattr(_Loader, "construct_document", counted)
    fast("a: 1\nb: [x, {c: !Ref d}]\n")
    assert calls == []
    fast("a: 1\na: 2\n")  # duplicates: the full constructor reports them
    assert calls == [1]


def test_a_wrongly_typed_explicit_tag_is_a_located_error() -> None:
    result = parse("api.yaml", "ok: 1\nbad: !!int abc\n", max_bytes=1 << 20, max_depth=64,
                   max_aliases=100)  # fmt: skip
    [diag] = result.diagnostics
    assert diag.code == "E111" and "!!int" in diag.message
    assert diag.location is not None and (diag.location.line, diag.location.column) == (2, 6)


scalars = st.sampled_from(PLAIN_SCALARS)
keys = st.sampled_from([s for s in PLAIN_SCALARS if s not in ("", "'quoted'", '"double"')])


def _render(value: Any, indent: int, flow: bool) -> str:
    """YAML text with every scalar written plain, so the resolver decides its type."""
    pad = "  " * indent
    if isinstance(value, dict):
        if flow or not value:
            return "{" + ", ".join(f"{k}: {_render(v, 0, True)}" for k, v in value.items()) + "}"
        return "".join(
            f"\n{pad}{k}:" + (" " if not isinstance(v, (dict, list)) or not v else "")
            + _render(v, indent + 1, False)
            for k, v in value.items()
        )  # fmt: skip
    if isinstance(value, list):
        if flow or not value:
            return "[" + ", ".join(_render(v, 0, True) for v in value) + "]"
        return "".join(f"\n{pad}- {_render(v, indent + 1, True)}" for v in value)
    return str(value)


trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(tree=st.dictionaries(keys, trees, min_size=1, max_size=5), flow=st.booleans())
def test_random_plain_documents_build_as_the_full_constructor_does(
    tree: dict[str, Any], flow: bool
) -> None:
    text = _render(tree, 0, flow).lstrip("\n") + "\n"
    assert outcome(fast, text) == outcome(reference, text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, flow=st.sampled_from([None, True, False]))
def test_random_dumped_documents_build_as_the_full_constructor_does(
    value: Any, flow: bool | None
) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert outcome(fast, text) == outcome(reference, text)


def _documents() -> list[Any]:
    found = sorted((ROOT / "samples").glob("*.yaml")) + [
        f for f in corpus_files() if f.suffix in (".yaml", ".yml")
    ]
    return [pytest.param(f, id=f.name) for f in found] + [
        pytest.param(_Generated(oas), id=f"generated-{oas}") for oas in ("2.0", "3.0")
    ]


class _Generated:
    """A benchmark document of 40 operations, written when a test reads it."""

    def __init__(self, oas: str) -> None:
        self.name = f"generated-{oas}.yaml"
        self.oas = oas

    def read_text(self, encoding: str = "utf-8") -> str:
        generate = benchmark_generator()
        data = generate.to_yaml(generate.document(40, self.oas))
        return data.decode(encoding) if isinstance(data, bytes) else str(data)


@pytest.mark.parametrize("path", _documents())
def test_samples_and_corpus_build_as_the_full_constructor_does(path: Any) -> None:
    text = path.read_text(encoding="utf-8")
    assert outcome(fast, text) == outcome(reference, text)


def _pointers(tree: Any, limit: int = 3000) -> list[str]:
    from oas2gw.diagnostics import join_pointer

    out: list[str] = []
    stack: list[tuple[str, Any]] = [("", tree)]
    while stack and len(out) < limit:
        pointer, node = stack.pop()
        out.append(pointer)
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in items:
            stack.append((join_pointer(pointer, str(key)), child))
    return [*out, "/no/such/place", "/paths/~1missing/get"]


@pytest.mark.parametrize("path", _documents())
def test_places_are_those_of_typed_nodes(path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Locations come from untyped nodes; they are those PyYAML's typed nodes give."""
    from oas2gw.read import locate

    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        tree = loader.get_single_data()
    finally:
        loader.dispose()
    pointers = _pointers(tree)

    def places() -> list[Any]:
        source_map = locate.SourceMap(path.name)
        source_map.add_file(path.name, text)
        source_map.set_root(path.name)
        return [source_map.locate(p) for p in pointers]

    fast_places = places()
    monkeypatch.setattr(locate, "_Composer", yaml.CSafeLoader)
    assert fast_places == places()


@pytest.mark.parametrize("path", _documents())
def test_places_from_the_outline_are_those_of_the_whole_document(path: Any) -> None:
    """Places found through the reader's outline (one member's text composed) are the places
    composing the whole document gives, for every pointer into the tree and some that miss."""
    from oas2gw.read import locate

    text = path.read_text(encoding="utf-8")
    parsed = parse(path.name, text, max_bytes=1 << 26, max_depth=256, max_aliases=10_000)
    if parsed.tree is None:
        pytest.skip("not read")
    pointers = [*_pointers(parsed.tree), "/paths/~1missing", "/info/missing/deeper"]

    def places(outline: Any) -> list[Any]:
        source_map = locate.SourceMap(path.name)
        source_map.add_file(path.name, text, False, outline)
        source_map.set_root(path.name)
        return [source_map.locate(p) for p in pointers]

    assert places(parsed.outline) == places(None)


def _json_documents() -> list[Any]:
    found = sorted((ROOT / "samples").glob("*.json")) + [
        f for f in corpus_files() if f.suffix == ".json"
    ]
    return [pytest.param(f, id=f.name) for f in found]


def _json_places(text: str, pointers: list[str], is_json: bool) -> list[Any]:
    from oas2gw.read import locate

    source_map = locate.SourceMap("api.json")
    source_map.add_file("api.json", text, is_json)
    source_map.set_root("api.json")
    return [source_map.locate(p) for p in pointers]


@pytest.mark.parametrize("path", _json_documents())
def test_json_places_are_those_of_composed_nodes(path: Any) -> None:
    """Places in JSON found by scanning the text are those composing it with libyaml gives."""
    text = path.read_text(encoding="utf-8")
    tree = json.loads(text)
    pointers = [*_pointers(tree), "/paths/~1missing", "/info/missing/deeper", "/0"]
    assert _json_places(text, pointers, True) == _json_places(text, pointers, False)


json_keys = st.sampled_from(["a", "b", "paths", "/x", "~y", "0", "1", 'q"', "é"])
#: text libyaml composes (it refuses control characters, which JSON may hold unescaped)
json_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t"))
json_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | json_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(json_keys, inner, max_size=3),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(
    tree=st.dictionaries(json_keys, json_trees, max_size=4) | st.lists(json_trees, max_size=3),
    indent=st.sampled_from([None, 0, 2, 4]),
    separators=st.sampled_from([(",", ":"), (", ", ": "), (" ,  ", " :\n ")]),
    repeat=st.booleans(),
)
def test_random_json_places_are_those_of_composed_nodes(
    tree: Any, indent: int | None, separators: tuple[str, str], repeat: bool
) -> None:
    text = json.dumps(tree, indent=indent, separators=separators, ensure_ascii=False)
    if repeat and isinstance(tree, dict) and tree and text.endswith("}"):
        key = json.dumps(next(iter(tree)))  # a repeated member: the last one is the tree's
        text = text[:-1] + f', {key}: {{"b": [1, {{"a": 2}}]}}}}'
    pointers = [*_pointers(json.loads(text)), "/a/b", "/b/0/a/zz", "/0/1/a"]
    assert _json_places(text, pointers, True) == _json_places(text, pointers, False)


def test_nesting_past_python_s_recursion_says_so() -> None:
    """A limit set past what Python's recursion follows: E106 names both, not the limit alone."""
    text = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    result = parse("deep.yaml", text, max_bytes=1 << 20, max_depth=5000, max_aliases=100)
    [diag] = result.diagnostics
    assert diag.code == "E106" and "recursion" in diag.message and "5000" in diag.message


@settings(max_examples=300, deadline=None)
@given(tree=st.dictionaries(keys, trees, min_size=1, max_size=5), flow=st.booleans())
def test_random_documents_are_placed_from_the_outline_as_from_the_whole(
    tree: dict[str, Any], flow: bool
) -> None:
    """Block or flow style, typed keys (`200`, `yes`, `0x1F`): a place found through the outline
    is the place composing the whole text gives, wherever that one finds a node."""
    from oas2gw.read import locate

    text = _render(tree, 0, flow).lstrip("\n") + "\n"
    parsed = parse("api.yaml", text, max_bytes=1 << 20, max_depth=64, max_aliases=100)
    if parsed.tree is None or not isinstance(parsed.tree, dict):
        return
    pointers = [*_pointers(parsed.tree), "/missing", "/missing/deeper"]

    def places(outline: Any) -> list[Any]:
        source_map = locate.SourceMap("api.yaml")
        source_map.add_file("api.yaml", text, False, outline)
        source_map.set_root("api.yaml")
        return [source_map.locate(p) for p in pointers]

    whole = places(None)
    for pointer, found, expected in zip(pointers, places(parsed.outline), whole, strict=True):
        # composing the whole text matches keys by their text, so a key typed from another
        # spelling (`0x1F` is 31) is not found there; the outline finds it by its value
        assert found == expected or _respelled(pointer, parsed.tree), (pointer, found, expected)


def _respelled(pointer: str, tree: dict[str, Any]) -> bool:
    """Whether the pointer passes a key whose text is not the key's spelling in the file."""
    from oas2gw.diagnostics import split_pointer

    node: Any = tree
    for token in split_pointer(pointer):
        if isinstance(node, dict):
            found = [k for k in node if str(k) == token]
            if not found:
                return False
            key = found[-1]
            if not isinstance(key, str):
                return True
            node = node[key]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return False
