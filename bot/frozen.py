"""``dataclasses.replace`` for the per-question path.

``replace`` checks every field and runs the generated ``__init__`` (one
``object.__setattr__`` per field of a frozen class): about 14 µs for a Decision, several
times per question. A frozen dataclass without ``__post_init__`` or slots is its
``__dict__``, so a copy of that dict with the changes is the same value, as unpickling makes
one, in a fifth of the time.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def evolve(value: T, **changes: Any) -> T:
    """``value`` with some fields changed; a name that is not a field is refused."""
    fields = value.__dict__
    if not changes.keys() <= fields.keys():
        raise TypeError(f"not fields of {type(value).__name__}: "
                        f"{sorted(changes.keys() - fields.keys())}")
    new = object.__new__(type(value))
    new.__dict__.update(fields, **changes)
    return new
