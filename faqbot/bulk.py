"""Building a knowledge base makes a million small objects and no reference cycles.

Python's cyclic garbage collector would still walk the growing heap again and
again while it is built: about a tenth of the time at 100,000 paraphrases.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector; it runs as usual afterwards (reference counting never stops)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def built_in_bulk(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the collector paused."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return paused
