"""Dates as the BRP records them: complete, or only partly known.

The BRP (and so the Haal Centraal API) has four kinds of date: ``Datum`` (complete),
``JaarMaandDatum`` (day unknown), ``JaarDatum`` (month and day unknown) and
``DatumOnbekend``. A partial date is not a guess of one day: it stands for every day
it could be. We keep that as an interval [earliest, latest] so the rules can ask
"could this record have covered that day?" and "did it certainly?", and answer
``review`` when only the unknown part decides.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

# The bounds that stand in for "any day" when a date is wholly unknown.
FAR_PAST = date(1800, 1, 1)
FAR_FUTURE = date(9999, 12, 31)


class Precision(str, Enum):
    DAY = "Datum"
    MONTH = "JaarMaandDatum"
    YEAR = "JaarDatum"
    UNKNOWN = "DatumOnbekend"


_EXACT: dict[date, PartialDate] = {}


@dataclass(frozen=True, order=True)
class PartialDate:
    """A BRP date that may be incomplete: every day in [earliest, latest] is possible."""

    earliest: date
    latest: date
    precision: Precision

    @classmethod
    def exact(cls, d: date) -> PartialDate:
        if cls is not PartialDate or type(d) is not date:
            return cls(d, d, Precision.DAY)
        # Frozen, so one value per day can be shared: a caseload's documents repeat days.
        found = _EXACT.get(d)
        if found is None:
            if len(_EXACT) > 100_000:
                _EXACT.clear()
            found = _EXACT[d] = cls(d, d, Precision.DAY)
        return found

    @classmethod
    def year_month(cls, year: int, month: int) -> PartialDate:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), Precision.MONTH)

    @classmethod
    def year(cls, year: int) -> PartialDate:
        return cls(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)

    @classmethod
    def unknown(cls) -> PartialDate:
        return cls(FAR_PAST, FAR_FUTURE, Precision.UNKNOWN)

    @property
    def is_exact(self) -> bool:
        return self.precision is Precision.DAY

    def isoformat(self) -> str:
        """The date as staff read it: 2022-11-04, 2022-11, 2022 or 'onbekend'."""
        if self.precision is Precision.DAY:
            return self.earliest.isoformat()
        if self.precision is Precision.MONTH:
            return f"{self.earliest.year:04d}-{self.earliest.month:02d}"
        if self.precision is Precision.YEAR:
            return f"{self.earliest.year:04d}"
        return "onbekend"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.isoformat()


@dataclass(frozen=True)
class Period:
    """A half-open BRP period [van, tot): ``tot`` is the first day it no longer applies.

    ``tot`` None means the record is current. Both ends may be partial dates.
    """

    van: PartialDate
    tot: PartialDate | None

    def certainly_covers(self, day: date) -> bool:
        """True when, whatever the unknown parts turn out to be, ``day`` lies in the period."""
        started = self.van.latest <= day
        not_ended = self.tot is None or self.tot.earliest > day
        return started and not_ended

    def possibly_overlaps(self, first: date, last: date) -> bool:
        """True when some day in [first, last] may lie in the period."""
        may_have_started = self.van.earliest <= last
        may_not_have_ended = self.tot is None or self.tot.latest > first
        return may_have_started and may_not_have_ended


def day_before(d: date) -> date:
    return d - timedelta(days=1)


def day_after(d: date) -> date:
    return d + timedelta(days=1)


def age_on(birth: date, on: date) -> int:
    """Whole years between a birth date and ``on`` (a birthday counts from that day)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def add_months(d: date, months: int) -> date:
    """``d`` plus whole calendar months; a day the month lacks becomes its last day."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
