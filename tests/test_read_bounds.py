"""The nesting bound measured at C speed is never below the one counted character by character."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.read.source import nesting_bound, quick_depth_bound
from tests.conftest import corpus_files, sample_files

_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_LEADING = re.compile(r"^[ \t?:-]*", re.MULTILINE)


def counted(text: str) -> int:
    """The bound as first written: brackets counted one by one, every line's lead found."""
    flow = depth = 0
    for char in _NOT_BRACKET.sub("", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        flow = max(flow, depth)
    block = max((len(m) for m in _LEADING.findall(text)), default=0)
    return flow + 2 * block + 2


def block_part(text: str) -> int:
    return 2 * max((len(m) for m in _LEADING.findall(text)), default=0)


TEXTS = st.text(alphabet="[]{}[]{} \t?:-\n\r\u2028éa\ud800", max_size=300)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(TEXTS)
def test_quick_bound_is_at_least_the_counted_bound_and_at_most_the_coarse_one(text: str) -> None:
    assert counted(text) <= quick_depth_bound(text) <= nesting_bound(text)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(0, 200), st.integers(0, 3), st.text(alphabet=" -\n", max_size=40))
def test_quick_bound_of_deep_brackets_is_exact_past_the_rounds(
    depth: int, extra: int, lead: str
) -> None:
    text = lead + "[" * depth + "{}" * extra + "]" * depth
    assert quick_depth_bound(text) == counted(text)


def test_quick_bound_is_between_the_other_two_on_real_documents() -> None:
    for path in [*corpus_files(), *sample_files()]:
        text = path.read_text(encoding="utf-8-sig")
        assert counted(text) <= quick_depth_bound(text) <= nesting_bound(text), path
