"""Per-instance memos that do not keep their owner alive.

``lru_cache(maxsize=n)(self.method)`` stores a bound method in the instance: the owner then
refers to itself through its own memo, a reference cycle. A dropped Bot is then freed only
by the cyclic collector, whose walk and free of a whole knowledge base lands in the middle
of whichever later question triggers it (tens of milliseconds, once per dropped Bot). The
memo here calls the method through a weak reference, so a Bot is freed the moment it is
dropped, by reference counting, and no question pays for it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

R = TypeVar("R")


def memo(owner: object, method: Callable[..., R], maxsize: int) -> Callable[..., R]:
    """``method`` (a plain function taking ``owner`` first) memoised for ``owner``:
    thread-safe and bounded, as lru_cache is, without a strong reference to ``owner``."""
    ref = weakref.ref(owner)

    def call(*args: Any) -> R:
        return method(ref(), *args)

    return lru_cache(maxsize=maxsize)(call)


def weakly(method: Callable[..., R]) -> Callable[..., R]:
    """A bound method as a call-back that does not keep its object alive: for a part that
    calls back into the object owning it, which would otherwise be a reference cycle."""
    ref = weakref.WeakMethod(method)

    def call(*args: Any) -> R:
        bound = ref()
        assert bound is not None, "called after its owner was freed"
        return bound(*args)

    return call
