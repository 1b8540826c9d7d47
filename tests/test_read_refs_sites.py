"""`$ref` inlining from a list of sites gives what the general walk gives, step for step.

The reader inlines the references of a tree in which no node is shared from a list of their
sites (`RefResolver(tree_shaped=True)`); anything else takes the general walk. Both run here on
copies of the same tree: the trees (sharing and cycles included), the findings, the counts and
the located places must agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oas2gw.read.locate import SourceMap
from oas2gw.read.refs import RefResolver, make_doc
from oas2gw.read.source import parse, read_file
from tests.conftest import corpus_files, sample_files

LIMITS = {"max_bytes": 64 << 20, "max_depth": 256, "max_aliases": 10_000}
BENCH = Path("/tmp/oas2gw-bench")


def shape(tree: Any) -> Any:
    """The tree as nested tuples, shared and cyclic nodes named by their first visit."""
    seen: dict[int, int] = {}

    def go(node: Any) -> Any:
        if type(node) is dict or type(node) is list:
            if id(node) in seen:
                return ("shared", seen[id(node)])
            seen[id(node)] = len(seen)
            if type(node) is dict:
                return ("{", tuple((k, go(v)) for k, v in node.items()))
            return ("[", tuple(go(v) for v in node))
        return (type(node).__name__, node)

    return go(tree)


def resolve(text: str, real: Path | None, tree_shaped: bool) -> tuple[Any, ...]:
    name = str(real) if real is not None else "<text>"
    parsed = parse(name, text, **LIMITS)
    assert parsed.tree is not None
    source_map = SourceMap(name)
    source_map.add_file(name, parsed.text, parsed.format == "json")
    source_map.set_root(name)
    diagnostics: list[Any] = []
    resolver = RefResolver(
        make_doc(name, real, parsed.tree, ()),
        source_map,
        diagnostics,
        **LIMITS,
        tree_shaped=tree_shaped,
        sites=parsed.sites if tree_shaped else None,  # found by the shape check (JSON)
    )
    tree = resolver.resolve()
    return (
        shape(tree),
        diagnostics,
        resolver.expansions,
        resolver.plain,
        sorted(resolver.kept),
        source_map.redirects(),
    )


def assert_same(text: str, real: Path | None = None) -> None:
    assert resolve(text, real, True) == resolve(text, real, False)


POINTERS = [
    "#/components/parameters/P0",
    "#/components/parameters/P1",
    "#/components/responses/R0",
    "#/components/responses/R1",
    "#/components/responses/R0/content",
    "#/components/schemas/S0",
    "#/components/schemas/S1",
    "#/components/schemas/Missing",
    "#/components/x-integrations/I0",
    "#/paths/~1p0",
    "#/paths/~1p1/get",
    "#/paths/~1p0/get/parameters/0",
    "#/nowhere",
    "#",
    "#no-slash",
    "other.yaml#/a",
    "https://example.com/a.yaml",
]


def _ref() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(POINTERS),
        st.sampled_from([1, None, [1], {"type": "string"}]),
    )


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(["a", "b", "schema", "content", "items", "description"])
    reference = st.builds(
        lambda ref, siblings: {"$ref": ref, **siblings},
        _ref(),
        st.dictionaries(st.sampled_from(["description", "summary"]), children, max_size=1),
    )
    return st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(keys, children, max_size=3),
        reference,
    )


VALUES = st.recursive(st.one_of(st.integers(0, 3), st.text("xy", max_size=2)), _node, max_leaves=8)


def _named(prefix: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from([f"{prefix}0", f"{prefix}1"]), VALUES, max_size=2)


DOCUMENTS = st.fixed_dictionaries(
    {
        "openapi": st.just("3.0.1"),
        "paths": st.dictionaries(
            st.sampled_from(["/p0", "/p1", "/p2"]),
            st.fixed_dictionaries(
                {"get": st.fixed_dictionaries({"parameters": st.lists(VALUES, max_size=3)})},
                optional={"post": VALUES},
            ),
            max_size=3,
        ),
        "components": st.fixed_dictionaries(
            {
                "parameters": _named("P"),
                "responses": _named("R"),
                "schemas": _named("S"),
                "x-integrations": _named("I"),
            }
        ),
    }
)


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(DOCUMENTS)
def test_site_list_inlines_like_the_general_walk_on_generated_documents(doc: Any) -> None:
    assert_same(orjson.dumps(doc).decode())


def test_site_list_stops_a_reference_bomb_at_the_same_place() -> None:
    levels = {
        f"R{i}": {f"k{j}": {"$ref": f"#/components/responses/R{i + 1}"} for j in range(12)}
        for i in range(7)
    }
    levels["R7"] = {"description": "leaf"}
    doc = {
        "openapi": "3.0.1",
        "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R0"}}}}},
        "components": {"responses": levels},
    }
    first = resolve(orjson.dumps(doc).decode(), None, True)
    assert [d.code for d in first[1]] == ["E126"]
    assert first == resolve(orjson.dumps(doc).decode(), None, False)


def test_site_list_leaves_a_site_walked_as_part_of_a_target_to_that_walk() -> None:
    doc = {
        "openapi": "3.0.1",
        "paths": {
            "/a": {"get": {"x": {"$ref": "#/paths/~1b"}}},
            "/b": {"get": {"y": {"$ref": "#/components/z"}, "w": {"$ref": "#/nowhere"}}},
        },
        "components": {"z": {"v": 1, "again": {"$ref": "#/paths/~1a/get"}}},
    }
    assert_same(orjson.dumps(doc).decode())


def test_site_list_counts_a_reference_to_an_open_container_like_the_general_walk() -> None:
    # two references to /p0 from inside it (its weight is not known yet), one after it
    inside = {"$ref": "#/paths/~1p0"}
    doc = {
        "openapi": "3.0.1",
        "paths": {
            "/p0": {"get": {"a": dict(inside), "b": {"$ref": "#/c/x"}, "c": dict(inside)}},
            "/p1": {"get": {"a": dict(inside)}},
        },
        "c": {"x": {"y": 1}},
    }
    assert_same(orjson.dumps(doc).decode())


@pytest.mark.parametrize(
    "path",
    [*corpus_files(), *sample_files(), BENCH / "openapi-100.json", BENCH / "swagger-100.yaml"],
    ids=lambda p: p.name,
)
def test_site_list_inlines_like_the_general_walk_on_real_documents(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    data = read_file(path, str(path), 64 << 20)
    assert isinstance(data, bytes)
    text = data.decode("utf-8-sig")
    if parse(str(path), text, **LIMITS).tree is None:
        pytest.skip("not readable")
    assert_same(text, path)


INTRINSIC_LIKE = st.recursive(
    st.sampled_from(["Fn::Sub", "x", 1, "Ref"]),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(["Ref", "Condition", "Fn::Sub", "Fn::If", "Fn::X", "a"]),
            children,
            max_size=2,
        ),
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(INTRINSIC_LIKE)
@example({"Ref": "p"})
@example({"a": {"Ref": "AWS::NoValue"}, "b": 1})
@example([{"Fn::Sub": "x"}])
@example({"Condition": "c"})
@example({"Fn::X": ["Ref", {"Ref": "p", "a": 1}]})
def test_a_json_tree_the_scan_calls_plain_has_nothing_to_stub_or_resolve(value: Any) -> None:
    from oas2gw.read.cfn import Intrinsics
    from oas2gw.read.schema import plain_copy
    from oas2gw.read.source import scan_sites

    # (a `$ref` the copy stubs out is the resolver's to report, and makes it not plain)
    tree = {"openapi": "3.0.1", "x": value, "r": {"$ref": "#/x"}}
    scan = scan_sites(tree)
    if not scan.plain:
        return
    assert shape(plain_copy(tree)) == shape(tree)
    values = {"AWS::NoValue": "", "p": "v"}
    resolved = Intrinsics(values, {}, None, SourceMap("x"), "x", ()).resolve(
        orjson.loads(orjson.dumps(tree))
    )
    assert shape(resolved) == shape(tree)
