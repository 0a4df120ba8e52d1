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

from wpb.law.dates import PartialDate, Period
from wpb.law.decision import ReviewReden
from wpb.law.facts import Persoon, Verblijfplaats
from wpb.law.predicates import ReadingFacts, holds
from wpb.law.spans import (
    DAGEN_VOOR_GEBOORTE,
    HISTORIE_SLUITING,
    MOGELIJK_VOOR_EERSTE_RECORD,
    RECORD_MOGELIJK_OP_DAGEN,
    LezingenFacts,
    RecordOpDagen,
    sluit,
    sluiting_volgorde,
)


@dataclass(frozen=True)
class Reading:
    """One possible registration over the days asked about."""

    record: Verblijfplaats | None  # None: no record covers the day(s)
    aantekening: bool
    certain: bool  # the only reading: the facts leave no doubt


def reading_facts(reading: Reading) -> ReadingFacts:
    """The reading's fields as the declared predicates and routes name them."""
    record = reading.record
    if record is None:
        return ReadingFacts(ingeschreven=False, aantekening=False)
    return ReadingFacts(
        ingeschreven=True,
        aantekening=reading.aantekening,
        soort=record.soort.value,
        gemeente_code=record.gemeente_code,
        briefadres=record.briefadres,
    )


def ordered_history(persoon: Persoon) -> tuple[Verblijfplaats, ...]:
    """The records in time order, each open-ended record closed by the next one.

    The closure is declared once (:data:`wpb.law.spans.HISTORIE_SLUITING`; the national
    executor compiles it in ``wpb.batch.jeugdwet.prepare``): the order of the input does not
    matter, records are sorted by their begin date (earliest possible day, then latest), then
    by source for a stable order. An open record is closed by the next record that begins
    *later*; records that begin on the same day stay open side by side, so that neither
    silently wins.

    A person is frozen, so the answer is kept with it (each rule, each probe of another day
    and ``vanaf`` ask again); a copy with other records is another person, without it.
    """
    kept = getattr(persoon, "__dict__", None)
    found = kept.get(_ORDERED) if kept is not None else None
    if found is not None:
        return found
    found = _ordered_history(persoon)
    if kept is not None:
        kept[_ORDERED] = found
    return found


_ORDERED = "_ordered_history"  # not a field: equality, hashing and replace() ignore it


def _ordered_history(persoon: Persoon) -> tuple[Verblijfplaats, ...]:
    # The closure declared once (spans.HISTORIE_SLUITING), as a fold over the ordered records.
    closed: list[Verblijfplaats] = []
    for record, closer in sluit(HISTORIE_SLUITING, persoon.historie, _begin):
        if closer is not None:
            record = replace(record, periode=Period(record.periode.van, closer.periode.van))
        closed.append(record)
    return tuple(closed)


@dataclass(slots=True)
class _Begin:
    """The fields of HISTORIE_SLUITING of one record."""

    van_vroegst: date
    van_laatst: date
    bron: str
    tot: PartialDate | None


def _begin(record: Verblijfplaats) -> _Begin:
    van = record.periode.van
    return _Begin(van.earliest, van.latest, record.bron, record.periode.tot)


def history_order(record: Verblijfplaats) -> tuple:
    """A record's place in the declared order of the history (spans.HISTORIE_SLUITING: its
    begin's bounds, then its source); ``volgnr`` in the tables follows it."""
    return sluiting_volgorde(HISTORIE_SLUITING, _begin(record))


def readings_are_contradictory(readings: list[Reading]) -> bool:
    """True when several readings exist although every date involved is complete.

    Then the uncertainty is not an incomplete date but records that overlap or start on
    the same day: contradictory registrations.
    """
    records = [r.record for r in readings if r.record is not None]
    distinct = len({id(r) for r in records}) == len(records)
    if len(readings) < 2 or len(records) != len(readings) or not distinct:
        return False
    return all(
        r.periode.van.is_exact and (r.periode.tot is None or r.periode.tot.is_exact)
        for r in records
    )


def ambiguity_reason(readings: list[Reading], *, one_day: bool = True) -> ReviewReden:
    """Why several readings exist: contradictory registrations, or an incomplete date.

    ``one_day`` is False when the readings cover a span of days (a partial birth date):
    several complete records then simply follow each other within the span.
    """
    if one_day and readings_are_contradictory(readings):
        return ReviewReden.TEGENSTRIJDIGE_INSCHRIJVING
    return ReviewReden.ONVOLLEDIGE_DATUM


def ambiguity_sentence(readings: list[Reading], day_text: str, *, one_day: bool = True) -> str:
    if one_day and readings_are_contradictory(readings):
        return (
            f"Volgens de BRP-historie gelden op {day_text} meerdere inschrijvingen tegelijk "
            "(overlappende of op dezelfde dag beginnende records); elke mogelijkheid wordt getoetst."
        )
    return (
        f"Door een onvolledige datum is niet zeker welke inschrijving op {day_text} gold; "
        "elke mogelijkheid wordt getoetst."
    )


def readings_between(persoon: Persoon, first: date, last: date) -> list[Reading]:
    """The possible registrations of ``persoon`` on the days ``first``..``last``.

    One day is ``first == last``. Days before the person's birth have no registration.
    """
    birth = persoon.geboortedatum
    earliest_birth = birth.earliest if birth is not None else None
    if holds(DAGEN_VOOR_GEBOORTE, LezingenFacts(first, last, earliest_birth)):
        return [Reading(None, aantekening=False, certain=True)]

    history = ordered_history(persoon)
    candidates = [
        r for r in history if holds(RECORD_MOGELIJK_OP_DAGEN, RecordOpDagen(
            r.periode.van.earliest, r.periode.tot.latest if r.periode.tot is not None else None,
            first, last))
    ]
    if not candidates:
        return [Reading(None, aantekening=False, certain=True)]

    readings: list[Reading] = []
    # Before the first record there is no registration (MOGELIJK_VOOR_EERSTE_RECORD).
    maybe_before_first = holds(MOGELIJK_VOOR_EERSTE_RECORD, LezingenFacts(
        first, last, earliest_birth,
        eerste_record_gelezen=candidates[0] is history[0],
        eerste_record_van_laatst=history[0].periode.van.latest,
        ingeschreven_bij_geboorte=birth is not None and history[0].periode.van == birth,
    ))
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
