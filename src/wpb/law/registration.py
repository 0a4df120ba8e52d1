"""What the BRP says about a person's registration on a day, with uncertainty kept.

The BRP verblijfplaatshistorie is gap-free: a record runs until the next one begins
(Haal Centraal: ``datumTot`` of one record is the ``datumVan`` of the next, half-open).
When a record has no ``datumTot`` but is followed by another, the next one's
``datumVan`` closes it. With partial dates, more than one record may possibly cover a
day: each is a *reading*, and the rules decide only when every reading gives the same
answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from wpb.law.dates import Period
from wpb.law.facts import Persoon, Verblijfplaats


@dataclass(frozen=True)
class Reading:
    """One possible registration over the days asked about."""

    record: Verblijfplaats | None  # None: no record covers the day(s)
    aantekening: bool
    certain: bool  # the only reading: the facts leave no doubt


def ordered_history(persoon: Persoon) -> tuple[Verblijfplaats, ...]:
    """The records in time order, each open-ended record closed by its successor.

    The order of the input does not matter: records are sorted by their begin date
    (earliest possible day, then latest), then by source for a stable tie-break.
    """
    records = sorted(
        persoon.historie,
        key=lambda r: (r.periode.van.earliest, r.periode.van.latest, r.bron),
    )
    closed: list[Verblijfplaats] = []
    for i, record in enumerate(records):
        if record.periode.tot is None and i + 1 < len(records):
            successor_van = records[i + 1].periode.van
            record = replace(record, periode=Period(record.periode.van, successor_van))
        closed.append(record)
    return tuple(closed)


def readings_between(persoon: Persoon, first: date, last: date) -> list[Reading]:
    """The possible registrations of ``persoon`` on the days ``first``..``last``.

    One day is ``first == last``. Days before the person's birth have no registration.
    """
    birth = persoon.geboortedatum
    if birth is not None and last < birth.earliest:
        return [Reading(None, aantekening=False, certain=True)]

    history = ordered_history(persoon)
    candidates = [r for r in history if r.periode.possibly_overlaps(first, last)]
    if not candidates:
        return [Reading(None, aantekening=False, certain=True)]

    readings: list[Reading] = []
    # Before the first record there is no registration. When the first record's own
    # begin is partial, the day may fall before it -- unless that record is the
    # registration at birth (it starts with the person).
    maybe_before_first = (
        candidates[0] is history[0]
        and first < history[0].periode.van.latest
        and not (birth is not None and history[0].periode.van == birth)
    )
    if maybe_before_first:
        readings.append(Reading(None, aantekening=False, certain=False))
    single = len(candidates) == 1 and not maybe_before_first
    for record in candidates:
        certain_mark, possible_mark = _aantekening_between(record, first, last)
        if certain_mark or not possible_mark:
            readings.append(Reading(record, aantekening=certain_mark, certain=single))
        else:
            readings.append(Reading(record, aantekening=True, certain=False))
            readings.append(Reading(record, aantekening=False, certain=False))
    return readings


def _aantekening_between(record: Verblijfplaats, first: date, last: date) -> tuple[bool, bool]:
    certain_first, possible_first = record.aantekening_on(first)
    if first == last:
        return certain_first, possible_first
    certain_last, possible_last = record.aantekening_on(last)
    # An aantekening that certainly holds over the whole span holds at its start.
    return certain_first, possible_first or possible_last or certain_last
