"""The cyclic garbage collector paused around the review tools' allocation-heavy passes.

`akhbar diff` and `akhbar show` build one object or more per entity (pairs,
changes, marks, tree nodes, HTML pieces). While they do, CPython's cyclic
collector runs a young collection every 700 allocations and, every so
often, a full one that walks every live object: the whole loaded file
included. On a 100,000-entity document those full walks made the cost per
entity grow with the size (issue 15: diff 1.9, 4.2 and 7.0 µs per entity at
1k, 10k and 100k entities; with the collector paused, flat within the
machine's noise).

Pausing is sound here because these passes build trees and lists, never
reference cycles: every object they make and drop is freed at once by
reference counting, the collector would find nothing to free. A cycle made
meanwhile by anyone else is not lost, only collected at the next collection
after the pass. The previous state is restored, so a caller that disabled
the collector itself keeps it disabled, and passes may nest.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the body with the cyclic collector disabled; restore its previous state afterwards (even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
