"""``@value``: a frozen dataclass that costs one small compile to make.

Every stage passes frozen dataclasses, and the engine defines ~80 of them. Python 3.11's
``dataclass(frozen=True)`` compiles each generated method separately (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``: six ``exec`` calls,
0.5-0.9 ms a class on this machine), which was half of what ``taxobot ask`` spent importing
the engine. Here only ``__init__`` is compiled, since its signature is the class's own; the
other five are shared functions that read the class's field names (``attrgetter``, in C).
Even ``__init__`` is compiled only when the class's first instance is made: the classes of
the compiled knowledge are unpickled, never constructed, so a one-shot answer compiles none
of them.
The class is first handed to ``dataclasses.dataclass`` for its fields, so what comes out is
a real dataclass: ``dataclasses.fields``, ``replace``, ``asdict`` and pickling work, type
checkers see a frozen dataclass (``dataclass_transform``), and ``field(...)`` options mean
what they mean there (``default``, ``default_factory``, ``init``, ``repr``, ``compare``,
``hash``).

The generated methods behave as the standard library's: ``__eq__`` compares the fields with
``compare=True`` of two instances of the same class, ``__hash__`` hashes those fields (a class
body's own ``__hash__``, ``__eq__`` or ``__repr__`` is kept), assigning or deleting an
attribute raises ``dataclasses.FrozenInstanceError``, and ``__post_init__`` runs after
``__init__`` (it sets derived fields with ``object.__setattr__``, as with any frozen
dataclass). Not supported (none of the engine's classes want them): ``InitVar`` and
``kw_only`` fields, ``slots``, ``order``; the standard decorator does those.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10: only type checkers read the marker
    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda f: f

T = TypeVar("T")
_MISSING = dataclasses.MISSING


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The named attributes as one tuple, read in C."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names) if names else (lambda obj: ())


# The methods every value class shares: only __init__ is generated per class (its signature
# is the class's own), so a class costs one small compile.

def _repr(self: Any) -> str:
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__value_shown__)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__value_compared__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__value_hashed__(self))


def _frozen_setattr(self: Any, name: str, _value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _compiled_init(cls: type, fields: tuple[dataclasses.Field[Any], ...]
                   ) -> Callable[..., None]:
    """The class's ``__init__``, generated as dataclass() would (defaults, factories,
    ``init=False`` fields, ``__post_init__``) and compiled in one ``exec``."""
    names: dict[str, Any] = {"__obj_setattr": object.__setattr__,
                             "__factory_marker": _MISSING}
    params: list[str] = []
    body: list[str] = []
    for f in fields:
        if f.default_factory is not _MISSING:
            names[f"__factory_{f.name}"] = f.default_factory
            if f.init:
                params.append(f"{f.name}=__factory_marker")
                body.append(f"  __obj_setattr(self, {f.name!r}, __factory_{f.name}() "
                            f"if {f.name} is __factory_marker else {f.name})")
            else:
                body.append(f"  __obj_setattr(self, {f.name!r}, __factory_{f.name}())")
            continue
        if f.default is not _MISSING:
            names[f"__default_{f.name}"] = f.default
        if not f.init:
            if f.default is not _MISSING:
                body.append(f"  __obj_setattr(self, {f.name!r}, __default_{f.name})")
            continue
        params.append(f.name if f.default is _MISSING else f"{f.name}=__default_{f.name}")
        body.append(f"  __obj_setattr(self, {f.name!r}, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    source = "\n".join([
        f"def __create_fn__({', '.join(names)}):",
        f" def __init__(self{''.join(', ' + p for p in params)}):",
        *([" " + line for line in body] or ["  pass"]),
        " return __init__",
    ])
    namespace: dict[str, Any] = {}
    exec(source, {"__builtins__": __builtins__}, namespace)  # noqa: S102 - our own text
    init: Callable[..., None] = namespace["__create_fn__"](**names)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,
                                                            dataclasses.Field))
def value(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)``, with only its ``__init__`` compiled."""
    if not cls.__doc__:  # dataclass() would compute one with inspect.signature (slow)
        cls.__doc__ = cls.__name__
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False)  # fields only
    own = cls.__dict__
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        # The first instance compiles the real __init__ (and puts it in place): a class
        # only ever unpickled, as most of the compiled knowledge is, never compiles one.
        real = _compiled_init(cls, fields)
        if cls.__dict__.get("__init__") is init:
            cls.__init__ = real  # type: ignore[method-assign]
        real(self, *args, **kwargs)

    init.__qualname__ = f"{cls.__qualname__}.__init__"
    made = {"__init__": init, "__repr__": _repr, "__eq__": _eq, "__hash__": _hash,
            "__setattr__": _frozen_setattr, "__delattr__": _frozen_delattr}
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    for name, fn in made.items():
        if name in own and (name != "__hash__" or explicit_hash):
            continue  # the class body's own method wins, as with dataclass()
        setattr(cls, name, fn)
    # read by the shared methods: C-speed attribute tuples
    cls.__value_compared__ = _getter(compared)  # type: ignore[attr-defined]
    cls.__value_hashed__ = _getter(hashed)  # type: ignore[attr-defined]
    cls.__value_shown__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    return cls


__all__ = ["value"]
