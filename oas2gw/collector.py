"""Pausing Python's cyclic garbage collector while large trees are built.

Building a 10,000-operation model allocates millions of objects and no cycles worth collecting;
with the collector on, its full passes over the growing heap make the work grow faster than the
document (measured 2-3x slower at 10,000 operations: docs/performance.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Disable the collector for the block; nested uses and a caller's own policy are kept."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():  # a caller that freezes objects itself keeps its own
            # What the block built is long-lived (a tree, a model). Moved to the oldest
            # generation at once (two list splices), it is not traversed by a young-generation
            # pass the moment the collector is back on (0.17-0.25 s at 10,000 operations); any
            # cycle among it is still found by the next full collection.
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def paused_chunks(chunks: Iterable[str]) -> Iterator[str]:
    """Pieces of a text rendered with the collector paused until the last, as the whole text
    would have been: resumed between pieces, it would sweep the whole heap again and again."""
    with paused():
        yield from chunks
