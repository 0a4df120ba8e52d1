"""Frozen dataclass values built without their generated ``__init__``.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which costs
about a microsecond per ten fields. A caseload reader builds hundreds of thousands of them
(records, toewijzingen), so :func:`maker` gives a function that fills the instance's
``__dict__`` at once instead. It accepts only what that is equal for: a dataclass without
``__post_init__``, slots or default factories; the value is equal, field for field and in
the same order, to the one ``cls(**values)`` gives (``tests/test_frozen.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """``make(**values)``: ``cls(**values)`` for keyword arguments, at a fraction of the cost."""
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.init \
            or hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: alleen een dataclass met een eigen __init__, "
                        "zonder __post_init__ of slots")
    fields = dataclasses.fields(cls)
    if any(not f.init or f.default_factory is not dataclasses.MISSING for f in fields):
        raise TypeError(f"{cls.__name__}: een veld zonder init of met een default_factory")
    template = {f.name: f.default for f in fields}  # a required one: MISSING, replaced
    required = frozenset(f.name for f in fields if f.default is dataclasses.MISSING)
    count = len(template)
    new = object.__new__
    set_state = object.__setattr__

    def make(**values: Any) -> T:
        state = template.copy()  # the fields in their order, then the values given
        state.update(values)
        if len(state) != count or not required <= values.keys():
            return cls(**values)  # an unknown or missing field: the constructor's own error
        value = new(cls)
        set_state(value, "__dict__", state)
        return value

    return make
