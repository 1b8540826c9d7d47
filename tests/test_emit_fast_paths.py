"""The import's fast paths give what the plain ways give, byte for byte.

`json_text` hands plain values to orjson and `render_shell` keeps the option words and
reference words it has made; each is checked here against the plain way it replaces.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.emit.boto3 import _group, _layout, _layout_call, _node
from oas2gw.emit.shell import _option, _Shell, command_name, json_text, quote, render_shell
from oas2gw.plan import Plan, Ref, Step


def _json_text_plain(value: Any) -> str:
    """`json_text` as it was written before orjson: the reference."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"))
    return text


class _Str(str):
    pass


class _Dict(dict[str, Any]):
    pass


_TEXT = st.text(st.characters(codec=None), max_size=12) | st.sampled_from(
    ["\ud800", "a\udfffb", "\x00", "\x7f", "\u2028", "é", "😀", '"\\/']
)
_LEAF = (
    _TEXT
    | st.booleans()
    | st.none()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | _TEXT.map(_Str)
)
_KEY = _TEXT | st.integers(0, 9) | st.booleans()
_VALUE = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_KEY, inner, max_size=4)
        | st.dictionaries(_TEXT, inner, max_size=3).map(_Dict)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(_VALUE)
def test_json_text_is_json_dumps_whatever_the_value(value: Any) -> None:
    assert json_text(value) == _json_text_plain(value)


def test_json_text_escapes_every_code_point_as_json_dumps_does() -> None:
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    assert json_text(every) == _json_text_plain(every)
    assert json_text({"k": "\ud800"}) == _json_text_plain({"k": "\ud800"})


def test_json_text_past_the_depth_it_inspects_is_json_dumps() -> None:
    deep: Any = "x"
    for _ in range(20):
        deep = {"a": [deep, 1.5e-7]}
    assert json_text(deep) == _json_text_plain(deep)


_NAMES = ["uri", "httpMethod", "statusCode", "requestTemplates", "apiKeyRequired", "type"]
_PARAM = (
    _TEXT
    | st.sampled_from(["file://x", "https://h/p", "-dash", "GET", "200", "a b", "it's"])
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.dictionaries(_TEXT, _TEXT | st.booleans(), max_size=3)
    | st.lists(_TEXT, max_size=3)
)


def _command_plain(operation: str, params: dict[str, Any]) -> str:
    """The command as `render_shell` wrote it word by word before it kept words: reference."""
    words = ["aws apigateway " + command_name(operation), '--rest-api-id "$REST_API_ID"']
    inline = {}
    for name, value in params.items():
        if isinstance(value, str) and _Shell._needs_json(operation, name, value):
            inline[name] = value
        else:
            words.append(_option(name, value))
    if inline:
        words.append(f"--cli-input-json {quote(json_text(inline))}")
    return " \\\n    ".join(words) if len(words) > 3 else " ".join(words)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["PutIntegration", "PutMethod"]),
            st.dictionaries(st.sampled_from(_NAMES), _PARAM, max_size=5),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_shell_commands_are_the_plain_rendering(calls: list[tuple[str, dict[str, Any]]]) -> None:
    where = {"restApiId": Ref("rest_api")}
    steps = tuple(Step("call", op, params, where, "label") for op, params in calls)
    text = render_shell(Plan(steps)).text
    for op, params in calls:
        assert "\n" + _command_plain(op, params) + " >/dev/null\n" in text


_PYTHON_VALUE = st.recursive(
    _TEXT | st.booleans() | st.integers(-5, 10**9),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["uri", "é=", "statusCode"]), _PYTHON_VALUE), max_size=6),
    st.sampled_from(["", "    ", "        "]),
    st.sampled_from(["", "response = "]),
)
def test_boto3_calls_split_by_length_are_the_general_layout(
    args: list[tuple[str, Any]], indent: str, prefix: str
) -> None:
    elements = tuple((name + "=", _node(value)) for name, value in args)
    opening = "apigateway.put_integration("
    general = _layout(_group(opening, ")", elements), indent, prefix, "")
    assert _layout_call(opening, elements, indent, prefix) == general
