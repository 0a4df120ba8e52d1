"""Input problems and year-keyed parameters shared by the budget rules.

A rule checks its whole input before it computes and reports every problem at once. Each
problem names where it is (the file or input, with the record — a row, a gemeentecode or a
year — when there is one), the field and the reason, so a user can fix them in one go.
Records carry ``bron``, the place in the input they came from, as the core's facts do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class InputProblem:
    where: str  # the file or input, with the record when there is one: "objectief.csv regel 4"
    field: str  # the field, or "" when the problem is the whole input
    reason: str

    def __str__(self) -> str:
        field = f" veld {self.field!r}:" if self.field else ""
        return f"{self.where}:{field} {self.reason}"


class InvalidBudgetInput(ValueError):
    """The input of a budget rule is wrong; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"ongeldige budgetinvoer ({len(self.problems)} probleem/problemen):"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def raise_if(problems: list[InputProblem]) -> None:
    if problems:
        raise InvalidBudgetInput(problems)


@dataclass(frozen=True)
class YearValue(Generic[T]):
    year: int
    value: T
    source: str  # where this value comes from: the source named in the parameter file


@dataclass(frozen=True)
class YearSeries(Generic[T]):
    """A parameter keyed by year (date-keyed as 1 January of that year).

    ``name`` says what the values are (in Dutch, for messages), ``source`` which file or
    input holds them.
    """

    name: str
    source: str
    values: tuple[YearValue[T], ...]

    def __post_init__(self) -> None:
        years = [v.year for v in self.values]
        dupes = sorted({y for y in years if years.count(y) > 1})
        if dupes:
            raise InvalidBudgetInput(
                [
                    InputProblem(self.source, "jaar", f"jaar {y} staat er meer dan eens in")
                    for y in dupes
                ]
            )
        object.__setattr__(self, "values", tuple(sorted(self.values, key=lambda v: v.year)))

    @classmethod
    def of(cls, name: str, source: str, values: dict[int, T], origin: str = "") -> YearSeries[T]:
        return cls(name, source, tuple(YearValue(y, v, origin) for y, v in values.items()))

    def __iter__(self) -> Iterator[YearValue[T]]:
        return iter(self.values)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(v.year for v in self.values)

    def get(self, year: int) -> YearValue[T] | None:
        """The entry for exactly ``year``, or None."""
        for v in self.values:
            if v.year == year:
                return v
        return None

    def value(self, year: int) -> T:
        """The value for exactly ``year``; KeyError when there is none."""
        found = self.get(year)
        if found is None:
            raise KeyError(f"{self.source}: geen {self.name} voor jaar {year}")
        return found.value

    def in_force(self, year: int) -> YearValue[T] | None:
        """The entry in force in ``year``: the latest one from ``year`` or before."""
        found = None
        for v in self.values:
            if v.year <= year:
                found = v
        return found

    def missing(self, years: Iterable[int]) -> list[InputProblem]:
        """A problem for every year of ``years`` this series has no value for."""
        have = set(self.years)
        return [
            InputProblem(self.source, "jaar", f"geen {self.name} voor jaar {y}")
            for y in sorted(set(years) - have)
        ]
