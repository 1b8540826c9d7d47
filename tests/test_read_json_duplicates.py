"""Duplicate keys in JSON: orjson keeps the last value silently, so the reader counts the keys
the text writes and compares them with the tree's. The count must never miss a key, whatever
the spelling: whitespace before the colon, escaped quotes and backslashes, `\\u` escapes,
strings that start with a colon, any size. The truth is the json module's pair hook."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw.read import source

LIMITS = {"max_bytes": 1 << 30, "max_depth": 256, "max_aliases": 10_000}
#: characters that make counting keys hard, and some that do not
TRICKY = '"\\: \t\n{}[],/u0aé'


def _has_duplicates(text: str) -> bool:
    found = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            found.append(keys)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return bool(found)


def _string(value: str, rng: random.Random) -> str:
    """A JSON string, each character written plainly or as a `\\u` escape at random."""
    out = []
    for char in value:
        plain = json.dumps(char, ensure_ascii=False)[1:-1]
        out.append(f"\\u{ord(char):04x}" if rng.random() < 0.2 and ord(char) < 0x10000 else plain)
    return '"' + "".join(out) + '"'


def _space(rng: random.Random) -> str:
    return rng.choice(["", "", "", " ", "\t", "\n", "\r\n", "  \n\t"])


def _write(value: Any, rng: random.Random) -> str:
    """JSON text with random whitespace around every token; a value given as a list of pairs
    (`("pairs", [...])`) is an object that may repeat a key."""
    if isinstance(value, tuple) and value[0] == "pairs":
        members = [
            f"{_string(k, rng)}{_space(rng)}:{_space(rng)}{_write(v, rng)}" for k, v in value[1]
        ]
        return "{" + _space(rng) + ("," + _space(rng)).join(members) + _space(rng) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_space(rng) + _write(v, rng) for v in value) + "]"
    if isinstance(value, str):
        return _string(value, rng)
    return json.dumps(value)


keys = st.text(alphabet=TRICKY, max_size=6)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.text(alphabet=TRICKY, max_size=8)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.tuples(keys, inner), max_size=5).map(lambda p: ("pairs", p)),
    ),
    max_leaves=25,
)


def _document(members: list[tuple[str, Any]], seed: int) -> str:
    """An object at the root (as every OpenAPI document has), members as drawn."""
    return _write(("pairs", [("openapi", "3.0.1"), *members]), random.Random(seed))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(keys, values), max_size=6), st.integers(0, 2**32))
def test_a_duplicate_is_reported_exactly_when_the_text_holds_one(
    members: list[tuple[str, Any]], seed: int
) -> None:
    text = _document(members, seed)
    parsed = source.parse("api.json", text, **LIMITS)
    assert parsed.tree is not None, [d.render() for d in parsed.diagnostics]
    reported = any(d.code == "E109" for d in parsed.diagnostics)
    assert reported == _has_duplicates(text), text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["", " ", "\t", "\n", "\r\n"]), st.sampled_from(["", "\\\\", '\\"']))
def test_a_key_cannot_hide_its_duplicate(space: str, tail: str) -> None:
    """A tab before a colon, a key ending in a backslash or in an escaped quote, with a `$ref`
    (whose scan counts the tree's keys) or without one."""
    for ref in ("", ', "x-r": {"$ref": "#/info"}'):
        text = (
            '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}'
            f'{ref}, "x-b{tail}"{space}: 1, "x-a"{space}: 1, "x-a"{space}: 2}}'
        )
        parsed = source.parse("api.json", text, **LIMITS)
        codes = [d.code for d in parsed.diagnostics]
        assert codes == ["E109"], (text, codes)


def test_strings_that_start_with_a_colon_are_no_duplicates() -> None:
    """They count like keys (a false alarm, settled by the slow parse), never as one."""
    text = '{"openapi": "3.0.1", "a": ":x", "b": [":", ": y"], "c": "\\u003az"}'
    assert source.parse("api.json", text, **LIMITS).diagnostics == []


def test_large_documents_are_checked_too() -> None:
    """No size limit: a duplicate deep in a 9 MB document is found."""
    filler = {f"x-{i}": {"description": 'a "quoted": text' * 10} for i in range(45_000)}
    body = json.dumps({"openapi": "3.0.1", **filler})
    assert len(body) > 9_000_000
    text = body[:-1] + ', "x-17": {}}'
    diags = source.parse("api.json", text, **LIMITS).diagnostics
    assert [(d.code, d.pointer) for d in diags] == [("E109", "/x-17")]
    assert source.parse("api.json", body, **LIMITS).diagnostics == []
