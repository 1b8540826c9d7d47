"""The code generator behind the fast check (`oas2gw/read/fastcode.py`) judges every value as
fastjsonschema's own generator does, on small schemas built to take each of its shortcuts:
exact alternatives, guarded alternatives, probe keys, `not`, left-over keys, literal patterns,
uniqueItems and definitions tested in place."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oas2gw.read import fastschema as fs

fastjsonschema = pytest.importorskip("fastjsonschema")

Check = Callable[[Any], Any]

_REFERENCE = {
    "type": "object",
    "required": ["$ref"],
    "patternProperties": {"^\\$ref$": {"type": "string"}},
}
_THING = {
    "type": "object",
    "properties": {"kind": {"enum": ["a", "b"]}, "size": {"type": "integer", "minimum": 0}},
    "patternProperties": {"^x-": {}},
    "additionalProperties": False,
}
_DEFINITIONS = {
    "reference": _REFERENCE,
    "thing": _THING,
    "named": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "in": {"enum": ["path", "query"]}},
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
    },
    "xor": {"not": {"required": ["a", "b"]}},
    "location": {
        "oneOf": [
            {"required": ["required"], "properties": {"in": {"enum": ["path"]}}},
            {"properties": {"in": {"enum": ["query"]}, "style": {"enum": ["form"]}}},
        ]
    },
}
SCHEMAS: list[dict[str, Any]] = [
    {"oneOf": [{"$ref": "#/definitions/thing"}, {"$ref": "#/definitions/reference"}]},
    {
        "anyOf": [
            {"$ref": "#/definitions/reference"},
            {"type": "boolean"},
            {"$ref": "#/definitions/thing"},
        ]
    },
    {"oneOf": [{"$ref": "#/definitions/named"}, {"$ref": "#/definitions/reference"}]},
    {
        "oneOf": [
            {"required": ["schema"]},
            {"required": ["content"], "allOf": [{"not": {"required": ["style"]}}]},
        ]
    },
    {"allOf": [{"$ref": "#/definitions/xor"}, {"$ref": "#/definitions/location"}]},
    {"not": {"type": "object", "additionalProperties": False, "patternProperties": {"^x-": {}}}},
    {"not": {"type": "object", "patternProperties": {"^x-": {"type": "string"}}}},
    {
        "type": "array",
        "uniqueItems": True,
        "items": {"oneOf": [{"$ref": "#/definitions/named"}, {"$ref": "#/definitions/reference"}]},
    },
    {
        "type": "object",
        "required": ["a"],
        "properties": {c: {"type": "string"} for c in "abcdefghijklmn"},
        "patternProperties": {"^x-": {}, "^y\\$$": {}},
        "additionalProperties": False,
    },
    {
        "oneOf": [
            {
                "type": "object",
                "properties": {
                    "p": {"oneOf": [{"type": "string"}, {"$ref": "#/definitions/reference"}]}
                },
            },
            {"type": "array"},
        ]
    },
    {"anyOf": [{"not": {}}, {"enum": [1, True, None, {"a": [1]}]}, {"multipleOf": 0.5}]},
    {
        "oneOf": [
            {"$ref": "#/definitions/location"},
            {"$ref": "#/definitions/reference"},
            {"type": "string"},
        ]
    },
]
for _schema in SCHEMAS:
    _schema["definitions"] = _DEFINITIONS


@functools.cache
def _pair(index: int) -> tuple[Check, Check]:
    """fastjsonschema's validator and ours for SCHEMAS[index]."""
    options = fs._OPTIONS
    plain = fastjsonschema.compile(copy.deepcopy(SCHEMAS[index]), **options)
    namespace: dict[str, Any] = {}
    exec(compile(fs.guarded_code(copy.deepcopy(SCHEMAS[index])), "<guarded>", "exec"), namespace)
    return plain, namespace["validate"]


def _outcome(check: Check, value: Any) -> str:
    try:
        check(copy.deepcopy(value))
    except fastjsonschema.JsonSchemaException:
        return "invalid"
    except Exception:
        return "error"  # what the generated code raises besides: a key that is not a string
    return "valid"


_KEYS = st.sampled_from(
    ["$ref", "$ref\n", "a", "b", "kind", "size", "name", "in", "required", "style"]
)
_KEYS |= st.sampled_from(["schema", "content", "x-a", "y$", "y$\n", "c", "n", "p"]) | st.integers(
    0, 2
)
_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-2, 3)
    | st.sampled_from([0.5, 1.0, "a", "b", "path", "query", "form", "#/x"])
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=10,
)


@pytest.mark.parametrize("index", range(len(SCHEMAS)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_VALUES)
def test_each_shortcut_judges_as_fastjsonschema_does(index: int, value: Any) -> None:
    plain, guarded = _pair(index)
    assert _outcome(guarded, value) == _outcome(plain, value)


def test_the_shortcuts_are_taken() -> None:
    """The schemas above do exercise the generator's shortcuts (else the test proves nothing)."""
    code = "".join(fs.guarded_code(copy.deepcopy(s)) for s in SCHEMAS)
    assert "unique_key" in code  # uniqueItems
    assert ".startswith(" in code  # literal patterns
    assert ".isdisjoint(" in code  # runs of properties
    assert "len(data" in code  # a probe guard: a Reference's one key
    assert " == 1" in code  # a oneOf of pure tests
