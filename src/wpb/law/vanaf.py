"""``vanaf``: the first day from which the decided gemeente is responsible.

A decision answers "who on the peildatum"; a gemeente acting on it (a transfer, a claim)
needs "from when". The day is the day the deciding fact began (docs/interpretations.md,
"vanaf"):

- onderdeel 1° (woonadres): the day the youth's registration in that gemeente began (the
  ``datumVan`` of the first of the uninterrupted woonadres records there; in the Haal
  Centraal historie API that is the date of the aangifte, i.e. when the move was registered),
  or the registration date when the source gives a later one; and not before the day after a
  series of stays ended (until then 2° applied);
- onderdeel 2° (stay): the first day of the series of uninterrupted stays;
- onderdelen 3° and 4°: the first day of the care that runs on the peildatum (the help request);
- never before 2022-01-01 under the rule in force from that day (Stb. 2020, 78): before it, the
  2015 rule applied, under which another gemeente may have been responsible.

When the youth was already in care the day before that fact began and the same gemeente was
responsible then, on another ground (a stay in the gemeente of the later woonadres, say),
responsibility did not change on that day: the day before is decided, and its own ``vanaf``
taken, until the answer differs or there was no care. ``vanaf`` is so the first day of the
unbroken run of care with the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from wpb.law.dates import day_after, day_before
from wpb.law.decision import Decision, ReviewReden, Status
from wpb.law.engine import decide
from wpb.law.facts import Case, Verblijfplaats
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet import woonplaats_2022
from wpb.law.jeugdwet.common import stay_series_on
from wpb.law.jeugdwet.woonplaats_2022 import GELDIG_VANAF
from wpb.law.registration import ordered_history
from wpb.law.trace import QuietTrace


@dataclass(frozen=True)
class Vanaf:
    datum: date
    grond: str  # the fact it rests on, as a Dutch sentence for the toelichting

    def to_json(self) -> dict:
        return {"datum": self.datum.isoformat(), "grond": self.grond}


@dataclass(frozen=True)
class Antwoord:
    """Who on a day, without the explanation and the receipt: for probing other days."""

    status: Status
    gemeente: str | None
    onderdeel: int | str | None
    reden: ReviewReden | None


def antwoord_op(case: Case, register: GemeenteRegister) -> Antwoord:
    """The Jeugdwet's answer on ``case.peildatum``; the same rule as :func:`decide`, but
    without building the receipt (hashing the whole case), which dominates its cost, nor
    the explanation (a quiet trace: the answer is the same, ``tests/law/test_quiet_trace.py``)."""
    if case.peildatum >= GELDIG_VANAF:
        outcome, _ = woonplaats_2022.decide(case, register, QuietTrace())
        onderdeel = outcome.grondslag.onderdeel if outcome.grondslag else None
        return Antwoord(outcome.status, outcome.gemeente, onderdeel, outcome.reden)
    d = decide(case, register)
    return Antwoord(d.status, d.gemeente_code, d.onderdeel, d.reden)


def vanaf_verhuizing(datum_van: date, geregistreerd_op: date | None = None) -> date:
    """The day a move counts from: its ``datumVan``, or its registration date when later."""
    if geregistreerd_op is not None and geregistreerd_op > datum_van:
        return geregistreerd_op
    return datum_van


def vanaf_jeugdwet(
    case: Case,
    decision: Decision,
    register: GemeenteRegister,
    *,
    geregistreerd_op: Mapping[str, date] | None = None,
) -> Vanaf | None:
    """``vanaf`` of a Jeugdwet decision; None for ``review`` or a peildatum before 2022.

    ``geregistreerd_op`` maps a record's ``bron`` to the date its registration was entered,
    for sources that give it apart from ``datumVan``.
    """
    if decision.status is not Status.BEPAALD or case.peildatum < GELDIG_VANAF:
        return None
    registered = geregistreerd_op or {}
    gemeente = decision.gemeente_code
    found = _deciding_fact(case, gemeente, decision.onderdeel, register, registered)
    # Bounded: each step moves to an earlier fact; a history has only so many.
    for _ in range(MAX_STAPPEN):
        if found is None or found.datum <= GELDIG_VANAF:
            break
        day = day_before(found.datum)
        if not any(e.covers(day) for e in case.jeugdhulp):
            break
        earlier_case = replace(case, peildatum=day)
        earlier = antwoord_op(earlier_case, register)
        if earlier.status is not Status.BEPAALD or earlier.gemeente != gemeente:
            break
        before = _deciding_fact(earlier_case, gemeente, earlier.onderdeel, register, registered)
        if before is None or before.datum >= found.datum:
            break
        found = Vanaf(before.datum, f"{before.grond}; daarna {found.grond}")
    return None if found is None else _niet_voor_2022(found)


MAX_STAPPEN = 20


def _deciding_fact(case: Case, gemeente: str | None, onderdeel: int | str | None,
                   register: GemeenteRegister, registered: Mapping[str, date]) -> Vanaf | None:
    """The day the fact that decided began (before the 2022 floor)."""
    if onderdeel == 2:
        series = stay_series_on(case.jeugdhulp, case.peildatum, contradictory_as_stay=False)
        if series is None:
            return None
        return Vanaf(series.begin, f"begin van de reeks aaneengesloten verblijven ({series.begin})")
    if onderdeel == 1:
        return _woonadres_vanaf(case, gemeente, register, registered)
    running = [e for e in case.jeugdhulp if e.covers(case.peildatum)]
    if running:
        begin = min(e.begin for e in running)
        return Vanaf(begin, f"begin van de lopende jeugdhulp ({begin}), de hulpvraag")
    return Vanaf(case.peildatum, "geen lopende jeugdhulp: de peildatum zelf")


def _niet_voor_2022(found: Vanaf) -> Vanaf:
    if found.datum >= GELDIG_VANAF:
        return found
    return Vanaf(
        GELDIG_VANAF,
        f"{found.grond}; niet vóór {GELDIG_VANAF} (inwerkingtreding woonplaatsbeginsel 2022)",
    )


def _woonadres_vanaf(
    case: Case, gemeente: str | None, register: GemeenteRegister, registered: Mapping[str, date]
) -> Vanaf | None:
    history = ordered_history(case.jeugdige)
    current = next(
        (
            i
            for i, r in enumerate(history)
            if r.is_woonadres and r.periode.certainly_covers(case.peildatum)
            and _is(r, gemeente, register, case.peildatum)
        ),
        None,
    )
    if current is None:
        return None
    first = current
    # Earlier records in the same gemeente that end where the next begins: one registration
    # there (a move within the gemeente does not change who is responsible).
    while first > 0:
        before = history[first - 1]
        if not (before.is_woonadres and _is(before, gemeente, register, case.peildatum)):
            break
        if before.periode.tot != history[first].periode.van:
            break
        first -= 1
    record = history[first]
    datum_van = record.periode.van.latest  # a partial date: the day it is certain
    begin = vanaf_verhuizing(datum_van, registered.get(record.bron))
    grond = f"inschrijving in deze gemeente vanaf {begin} ({record.bron})"
    stays_ended = [
        e.einde
        for e in case.jeugdhulp
        if e.verblijf and e.einde is not None and e.einde < case.peildatum
    ]
    if stays_ended:
        after_stay = day_after(max(stays_ended))
        if after_stay > begin:
            return Vanaf(after_stay, f"einde van het verblijf: onderdeel 1° vanaf {after_stay}")
    return Vanaf(begin, grond)


def _is(record: Verblijfplaats, gemeente: str | None, register: GemeenteRegister, on: date) -> bool:
    if record.gemeente_code is None or gemeente is None or record.gemeente_code not in register:
        return False
    successors = register.successors(record.gemeente_code, on)
    return successors.is_unique and successors.code == gemeente





def vanaf_wmo(aanmelddatum: date | None, indicatie_begin: date | None) -> Vanaf | None:
    """``vanaf`` of a Wmo beschermd-wonen decision: the day of the aanmelding (art. 1.2.1 onder
    b: the gemeente "tot welke hij zich wendt"), else the start of the running indication."""
    if aanmelddatum is not None:
        return Vanaf(aanmelddatum, f"dag van de aanmelding ({aanmelddatum})")
    if indicatie_begin is not None:
        return Vanaf(indicatie_begin, f"begin van de indicatie ({indicatie_begin})")
    return None
__all__ = ["Antwoord", "Vanaf", "antwoord_op", "vanaf_jeugdwet", "vanaf_verhuizing", "vanaf_wmo"]
