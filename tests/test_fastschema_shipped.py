"""The shipped validators (`oas2gw/read/validators/`) are the ones the installed schemas generate,
and judge exactly as fastjsonschema's own compiled validators do: their shortcuts for `oneOf`,
`anyOf` and `not` (`oas2gw/read/fastcode.py`) never change an outcome."""

from __future__ import annotations

import copy
import functools
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from conftest import ROOT, corpus_files, requires_corpus, sample_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw.read import fastschema as fs
from oas2gw.read import load_document

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # benchmarks/ is not a package: found through sys.path

fastjsonschema = pytest.importorskip("fastjsonschema")

Check = Callable[[Any], Any]


@pytest.mark.parametrize("name", sorted(fs._SCHEMAS))
def test_the_shipped_validator_is_current_and_loaded(name: str) -> None:
    """Regenerate with `python -m oas2gw.read.fastschema` (then `ruff format`) when this fails."""
    module = __import__(f"{fs.SHIPPED}.{name}", fromlist=["KEY"])
    assert fs._key(name, fastjsonschema.VERSION) == module.KEY
    assert fs._compile(name) is module.validate


@functools.cache
def _plain(name: str) -> Check:
    """fastjsonschema's own validator for the schema, without our shortcuts."""
    return fastjsonschema.compile(  # type: ignore[no-any-return]
        fs._package_json(*fs._schema_file(name)),
        handlers={"http": fs._local_only, "https": fs._local_only},
        **fs._OPTIONS,
    )


def _outcome(check: Check, tree: Any) -> str:
    """What the fast path can tell apart: accepted, a validation error, any other error."""
    try:
        check(copy.deepcopy(tree))
    except fastjsonschema.JsonSchemaException:
        return "invalid"
    except Exception:
        return "error"
    return "valid"


def _assert_same_outcome(name: str, tree: Any) -> str:
    shipped = fs._compile(name)
    assert shipped is not None
    expected = _outcome(_plain(name), tree)
    assert _outcome(shipped, tree) == expected, json.dumps(tree, default=repr)[:300]
    return expected


def _name(tree: Any) -> str | None:
    version = fs._spec_version(tree)
    return None if version is None else "oas" + version.replace(".", "")


def _broken(tree: dict[str, Any]) -> list[Any]:
    """A few structural breakages, each of which the schema rejects or accepts alike."""
    out: list[Any] = []
    for key, value in [("info", None), ("paths", []), ("openapi", 3), ("x-y", {"a": 1})]:
        broken = copy.deepcopy(tree)
        broken[key] = value
        out.append(broken)
    first = next(iter(tree.get("paths") or {}), None)
    if first is not None:
        broken = copy.deepcopy(tree)
        broken["paths"][first] = {"get": {"responses": {"999": {}}, "parameters": [{}]}}
        out.append(broken)
    return out


def test_shipped_and_freshly_compiled_validators_agree_on_samples_and_breakages() -> None:
    for path in sample_files():
        doc = load_document(path)
        name = _name(doc.tree)
        if name is None:
            continue
        for tree in [doc.tree, *_broken(doc.tree)]:
            _assert_same_outcome(name, tree)


@requires_corpus
def test_shipped_and_freshly_compiled_validators_agree_on_the_corpus() -> None:
    checked = 0
    for path in corpus_files():
        if path.suffix != ".json":
            text = path.read_text(encoding="utf-8")
            if "!Ref" in text or "!Sub" in text or "!GetAtt" in text:
                continue  # CloudFormation short tags: test_fastschema reads those
            tree = yaml.load(text, Loader=yaml.CSafeLoader)
        else:
            tree = json.loads(path.read_bytes())
        name = _name(tree)
        if name is not None:
            _assert_same_outcome(name, tree)
            checked += 1
    assert checked >= 10


# Values that take the alternatives of `oneOf`/`anyOf`/`not` down every road: references with
# and without company, keys that are not strings (a regex over them raises TypeError), both
# `schema` and `content`, each parameter location, booleans where numbers go.
_AWKWARD: list[Any] = [
    {"$ref": "#/components/schemas/Item"},
    {"$ref": "#/components/schemas/Item", "description": "beside"},
    {"$ref": "#/components/schemas/Item", "x-note": 1},
    {"$ref": 5},
    {"$ref": "#/x", 7: "seven"},
    {1: "one"},
    {"type": "string", 2: "two"},
    {"type": "object", "properties": {"a": {3: "three"}}},
    {"$ref": "#/x", "properties": {"a": {4: "four"}}},
    {"name": "p", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "p", "in": "path", "schema": {"type": "string"}},
    {"name": "q", "in": "query", "style": "form", "schema": {"type": "string"}},
    {"name": "q", "in": "query", "style": "simple", "schema": {"type": "string"}},
    {"name": "h", "in": "header", "content": {"text/plain": {}}},
    {"name": "h", "in": "header", "content": {}, "style": "simple"},
    {"name": "c", "in": "cookie", "schema": {}, "content": {}},
    {"name": "b", "in": "body", "schema": {"type": "string"}},
    {"name": "f", "in": "formData", "type": "file"},
    {"name": "g", "in": "query", "type": "array", "items": {"type": "string"}},
    {"description": "d", "content": {"a/b": {"example": 1, "examples": {}}}},
    {"description": "d", "headers": {"X": {"$ref": "#/h"}}},
    {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    {"type": "http", "scheme": "basic", "bearerFormat": "JWT"},
    {"type": "apiKey", "name": "k", "in": "header"},
    {"operationId": "a", "operationRef": "b"},
    {"additionalProperties": True, "items": [{"type": "string"}]},
    {"enum": [], "required": []},
    {"type": ["string", "null"], "minimum": True},
    [],
    [{"$ref": "#/a"}, {"$ref": "#/a"}],
    [1, True],
    [1, 1.0],
    ["a", "a"],
    [[1], [True]],
    [{"a": 1, "b": "x"}, {"a": True, "b": "x"}],
    [{"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}],
    [{"name": "t"}, {"name": "t", "description": "d"}],
    None,
    True,
    1.5,
    "text",
]


def _places(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _places(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _places(value, (*path, i))


_SMALL = {"3.0": generate.document(8, "3.0"), "2.0": generate.document(8, "2.0")}
_SPOTS = {version: [p for p in _places(tree) if p] for version, tree in _SMALL.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    version=st.sampled_from(sorted(_SMALL)),
    pick=st.integers(0, 100_000),
    value=st.sampled_from(_AWKWARD),
    merge=st.booleans(),
)
def test_awkward_values_anywhere_get_the_same_outcome(
    version: str, pick: int, value: Any, merge: bool
) -> None:
    tree = copy.deepcopy(_SMALL[version])
    spot = _SPOTS[version][pick % len(_SPOTS[version])]
    parent = tree
    for key in spot[:-1]:
        parent = parent[key]
    old = parent[spot[-1]]
    if merge and isinstance(old, dict) and isinstance(value, dict):
        old.update(copy.deepcopy(value))
    else:
        parent[spot[-1]] = copy.deepcopy(value)
    name = _name(tree)
    if name is not None:
        _assert_same_outcome(name, tree)


def test_awkward_values_as_schemas_get_the_same_meta_check() -> None:
    """The draft-04 meta-schema's own alternatives (`type`, `items`, `additionalProperties`)."""
    for value in _AWKWARD:
        for schema in (value, {"items": value}, {"additionalProperties": value}, {"type": value}):
            _assert_same_outcome("draft4", schema)


def test_the_shipped_validators_raise_no_exception_on_a_clean_document() -> None:
    """The point of the shortcuts: no alternative is tried and failed on the way."""
    for version, tree in _SMALL.items():
        name = "oas" + version.replace(".", "")
        shipped = fs._compile(name)
        assert shipped is not None
        raised = _count_exceptions(lambda tree=tree, shipped=shipped: shipped(tree))
        assert raised == 0, f"{name}: {raised} exceptions raised and caught"


def _count_exceptions(run: Callable[[], Any]) -> int:
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "exception" and isinstance(arg[1], fastjsonschema.JsonSchemaException):
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(None)
    return count


_LITERAL_PATTERNS = ["^x-", "^\\$ref$", "^\\/", "^/", "^a b$", "^(get|put)$"]


@settings(max_examples=200, deadline=None)
@given(
    pattern=st.sampled_from(_LITERAL_PATTERNS),
    key=st.one_of(
        st.text(max_size=8),
        st.sampled_from(["x-", "x-a", "X-a", "$ref", "$ref\n", "$ref\n\n", "a$ref", "/", "a b\n"]),
        st.integers(),
        st.none(),
        st.binary(max_size=3),
        st.floats(allow_nan=False),
    ),
)
def test_literal_patterns_are_searched_as_the_regex_searches(pattern: str, key: Any) -> None:
    """`^x-` becomes `startswith("x-")`: the same answer for a string, an error for the rest."""
    import re

    code = fs._SEARCH.sub(fs._plain_search, f"REGEX_PATTERNS[{pattern!r}].search(key)")
    assert (code.startswith("REGEX_PATTERNS")) == (pattern == "^(get|put)$")

    def run(source: str) -> Any:
        scope = {"REGEX_PATTERNS": {pattern: re.compile(pattern)}}
        try:
            return bool(eval(source, scope, {"key": key}))
        except Exception:  # what the generated code would raise: the fast path's "ask"
            return "error"

    assert run(code) == run(f"REGEX_PATTERNS[{pattern!r}].search(key)")


@pytest.mark.parametrize("name", sorted(fs._SCHEMAS))
def test_the_fallback_without_shortcuts_judges_alike(name: str) -> None:
    """What runs where fastjsonschema's internals have moved on: its own generator."""
    namespace: dict[str, Any] = {}
    exec(compile(fs._generate(name, guarded=False), "<plain>", "exec"), namespace)
    fallback = namespace["validate"]
    trees = [copy.deepcopy(t) for t in _SMALL.values()] if name != "draft4" else _AWKWARD
    for tree in trees:
        assert _outcome(fallback, tree) == _outcome(_plain(name), tree)
        if name != "draft4":
            for broken in _broken(tree):
                assert _outcome(fallback, broken) == _outcome(_plain(name), broken)
