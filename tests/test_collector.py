"""`oas2gw.collector.paused`: the collector is off inside, back as it was after, and what the
block built is kept from young-generation passes without ever being lost to collection."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from oas2gw.collector import paused


class _Node:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_after(collector_on: None) -> None:
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner block leaves the outer one's policy alone
    assert gc.isenabled()


def test_a_caller_that_paused_the_collector_keeps_it_paused(collector_on: None) -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_what_the_block_built_goes_to_the_oldest_generation_at_once(collector_on: None) -> None:
    with paused():
        kept = [{"k": [i]} for i in range(50_000)]
    # not traversed by a young pass on the way (which would leave it in generation 1)
    assert any(o is kept for o in gc.get_objects(generation=2))


def test_a_cycle_made_inside_is_still_collected(collector_on: None) -> None:
    with paused():
        node = _Node()
        ref = weakref.ref(node)
        del node
    assert ref() is not None  # a cycle: only the collector frees it
    gc.collect()
    assert ref() is None


def test_objects_a_caller_froze_stay_frozen(collector_on: None) -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused():
            _ = [{} for _ in range(1_000)]
        # `gc.unfreeze()` would empty it; another thread (the emulator's server, when the
        # suite has started it) may free a frozen object meanwhile, and that may take a few
        assert frozen - 1_000 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
