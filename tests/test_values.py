"""``bot.values.value``: a frozen dataclass made with one small compile. Given a class, it
behaves as ``@dataclass(frozen=True)`` would, for every option the engine's classes use."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import FrozenInstanceError, field

import pytest

from bot.values import value


@value
class Point:
    """A value with a default, a factory, a derived field and a field left out of ==."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", compare=False)
    norm: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "norm", abs(self.x) + abs(self.y))


@value
class Labelled(Point):
    label: str = ""


def test_it_is_a_real_dataclass():
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags", "note", "norm"]
    assert dataclasses.replace(Point(1, 2), y=5) == Point(1, 5)
    assert dataclasses.asdict(Point(1)) == {"x": 1, "y": 0, "tags": (), "note": "",
                                            "norm": 1}
    assert Point.__match_args__ == ("x", "y", "tags", "note")


def test_construction_by_position_and_by_name_with_defaults_and_post_init():
    p = Point(3, y=-4, note="n")
    assert (p.x, p.y, p.tags, p.note, p.norm) == (3, -4, (), "n", 7)
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, norm=2)  # type: ignore[call-arg]  # not an __init__ argument


def test_equality_and_hash_use_the_compared_fields_of_the_same_class():
    assert Point(1, 2, note="a") == Point(1, 2, note="b")
    assert hash(Point(1, 2, note="a")) == hash(Point(1, 2, note="b"))
    assert Point(1, 2) != Point(2, 1)
    assert Point(1, 2) != Labelled(1, 2)  # another class is never equal
    assert Point(1) != (1,)
    assert len({Point(1), Point(1), Point(2)}) == 2


def test_repr_shows_the_fields_with_repr():
    assert repr(Point(1, tags=("a",))) == "Point(x=1, y=0, tags=('a',), note='')"
    assert repr(Labelled(1, label="L")).startswith("Labelled(x=1, ")


def test_frozen():
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del p.x  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        p.other = 1  # type: ignore[attr-defined]


def test_subclass_adds_fields_after_the_base_ones():
    lab = Labelled(1, 2, label="L")
    assert (lab.x, lab.y, lab.label, lab.norm) == (1, 2, "L", 3)
    assert lab == Labelled(1, 2, label="L") and lab != Labelled(1, 2, label="M")


def test_pickles_and_keeps_a_class_body_s_own_methods():
    @value
    class Loose:
        a: int

        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    assert Loose(1) == Loose(2)
    assert pickle.loads(pickle.dumps(Point(1, 2, ("t",)))) == Point(1, 2, ("t",))
    assert pickle.loads(pickle.dumps(Point(1, 2))).norm == 3


def test_factories_make_a_new_value_each_time():
    @value
    class Bag:
        items: dict[str, int] = field(default_factory=dict)

    assert Bag().items is not Bag().items


def test_init_is_compiled_at_the_first_instance_and_then_in_place() -> None:
    from bot.values import value

    @value
    class Lazy:
        a: int
        b: str = "x"

    stub = Lazy.__dict__["__init__"]
    assert Lazy(1).b == "x" and Lazy(2, "y") == Lazy(2, "y")
    assert Lazy.__dict__["__init__"] is not stub  # the compiled one replaced the stub
    with pytest.raises(TypeError):
        Lazy()  # type: ignore[call-arg]
