"""`_printable`'s whole-text fast path says exactly what escaping character by character says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oas2gw.emit.shell import _encodable, _printable


def _by_character(text: str) -> str:
    out = []
    for ch in text:
        if ch.isprintable() and _encodable(ch):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_printable_matches_escaping_each_character(text: str) -> None:
    assert _printable(text) == _by_character(text)


def test_printable_escapes_controls_and_lone_surrogates() -> None:
    assert _printable("a\nb\x1b\ud800é") == "a\\nb\\x1b\\ud800é"
