"""The responsibility timeline of one youth: which gemeente was responsible on which days.

Sources. From 2022-01-01 the 1-november-maatregel (Factsheet 1-november-maatregel, VNG en
VWS, 2021-11-02) says who carries a youth in transfer (:func:`wpb.law.overgang.tijdlijn`).
Under onderdeel A the ontvangende gemeente "toetst daarna en verrekent met de gemeente die
wel verantwoordelijk blijkt": a later woonplaats decision (Jeugdwet art. 1.1, decided by
:func:`wpb.law.engine.decide`) corrects who bears the cost. Jeugdwet art. 8.2.1 leaves the
settlement between municipalities to the municipalities themselves; the precedence below
is therefore wpb's documented choice (docs/verrekening.md), not a statute's.

Precedence, per day ``d``:

1. **A woonplaats decision over a transfer.** A decision applies from its ``ingang`` (its
   effective date: the peildatum of the decision unless stated otherwise) up to its ``tot``
   (exclusive; open-ended when absent). On every day a decision applies, it decides,
   whatever the transfers say: the measure allocates the handling, the law the cost.
2. **Among decisions: the most recent effective date.** Of the decisions that apply on
   ``d``, the one with the latest ``ingang`` wins: a finding on a later peildatum is the
   more recent account of where the youth lived. On equal ``ingang`` the latest
   ``vastgesteld_op`` wins (a re-decision corrects the earlier one). Equal on both with a
   different gemeente is a conflict that a person must resolve: :class:`TijdlijnConflict`.
   A decision with an end date that has passed gives way again to the decision it
   interrupted.
3. **Among transfers: the most recent delivery.** Transfers of one youth form a chain (a
   rejected transfer is redirected as a new one). They are ordered by ``aanleverdatum``;
   on equal dates a rejected transfer yields to one that was not rejected. The first
   transfer governs from the ingangsdatum of the measure; each later one from its own
   aanleverdatum (or the ingangsdatum, if that is later). Equal in that order with a
   different outcome is a conflict.
4. **Otherwise nothing is known.** Before the ingangsdatum and without a decision the
   timeline has a gap: invoices on those days give no claim but are reported
   (:mod:`wpb.law.verrekening.claims`), never dropped.

Periods are half-open ``[van, tot)`` as everywhere in wpb; adjacent days with the same
gemeente and the same grondslag form one period. The module is pure: no files, no storage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from wpb.law import overgang
from wpb.law.bsn import bsn_problem
from wpb.law.dates import day_after, day_before

_GEMEENTECODE = re.compile(r"[0-9]{4}")


class GrondslagSoort(str, Enum):
    """What makes a gemeente responsible on a day. Stable codes: stored and shown."""

    OVERDRACHT = "overdracht"  # the 1-november-maatregel applied to a transfer
    WOONPLAATSBESLISSING = "woonplaatsbeslissing"  # a woonplaats decision (Jeugdwet art. 1.1)


@dataclass(frozen=True)
class Grondslag:
    """The basis of a responsibility: a transfer (by id) or a decision (by receipt hash)."""

    soort: GrondslagSoort
    referentie: str  # the transfer id, or the decision's receipt invoerHash
    omschrijving: str

    def to_json(self) -> dict:
        return {"soort": self.soort.value, "referentie": self.referentie, "omschrijving": self.omschrijving}


@dataclass(frozen=True)
class Fout:
    """One problem in the facts, naming the field."""

    veld: str
    probleem: str

    def __str__(self) -> str:
        return f"{self.veld}: {self.probleem}"


class OngeldigeBeslissing(ValueError):
    """A woonplaats decision whose facts do not hold; lists every problem."""

    def __init__(self, beslissing_id: str, fouten: Sequence[Fout]):
        self.beslissing_id = beslissing_id
        self.fouten = tuple(fouten)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"beslissing {self.beslissing_id!r} is ongeldig: " + "; ".join(map(str, self.fouten))


class TijdlijnConflict(ValueError):
    """Two facts of equal precedence say different things: a person must decide.

    The message names the transfers or decisions by id, never the youth's BSN.
    """

    def __init__(self, problemen: Sequence[str]):
        self.problemen = tuple(problemen)
        super().__init__("; ".join(self.problemen))


@dataclass(frozen=True)
class WoonplaatsBeslissing:
    """A woonplaats decision that corrects the timeline from its effective date.

    ``ingang`` is the first day it applies (normally the decision's peildatum), ``tot`` the
    first day it no longer applies (None: until a decision with a later ingang).
    ``invoer_hash`` is the decision's receipt (``receipt.invoerHash``), which ties it to the
    exact input it was made on; ``vastgesteld_op`` is the day it was taken.
    """

    id: str
    bsn: str = field(repr=False)
    gemeente: str
    ingang: date
    invoer_hash: str
    vastgesteld_op: date
    tot: date | None = None

    def __post_init__(self) -> None:
        fouten: list[Fout] = []
        if not isinstance(self.id, str) or not self.id.strip():
            fouten.append(Fout("id", "ontbreekt"))
        problem = bsn_problem(self.bsn)
        if problem:
            fouten.append(Fout("bsn", problem))
        if not isinstance(self.gemeente, str) or not _GEMEENTECODE.fullmatch(self.gemeente):
            fouten.append(Fout("gemeente", f"{self.gemeente!r} is geen gemeentecode van 4 cijfers"))
        if not isinstance(self.invoer_hash, str) or not self.invoer_hash.strip():
            fouten.append(Fout("invoer_hash", "ontbreekt (de receipt van de beslissing)"))
        for veld in ("ingang", "vastgesteld_op", "tot"):
            value = getattr(self, veld)
            if value is None and veld == "tot":
                continue
            if type(value) is not date:
                fouten.append(Fout(veld, f"{value!r} is geen datum"))
        if not fouten and self.tot is not None and self.tot <= self.ingang:
            fouten.append(Fout("tot", f"{self.tot} ligt niet na de ingang {self.ingang}"))
        if fouten:
            raise OngeldigeBeslissing(str(self.id), fouten)

    def geldt_op(self, day: date) -> bool:
        return self.ingang <= day and (self.tot is None or day < self.tot)

    @property
    def grondslag(self) -> Grondslag:
        return Grondslag(
            GrondslagSoort.WOONPLAATSBESLISSING,
            self.invoer_hash,
            f"woonplaatsbeslissing {self.id} van {self.vastgesteld_op}, geldig vanaf {self.ingang}"
            + (f" tot {self.tot}" if self.tot else ""),
        )


@dataclass(frozen=True)
class Periode:
    """The gemeente responsible on ``[van, tot)`` (``tot`` None: open-ended), and why."""

    van: date
    tot: date | None
    gemeente: str
    grondslag: Grondslag

    def covers(self, day: date) -> bool:
        return self.van <= day and (self.tot is None or day < self.tot)

    def to_json(self) -> dict:
        return {
            "van": self.van.isoformat(),
            "tot": self.tot.isoformat() if self.tot else None,
            "totEnMet": day_before(self.tot).isoformat() if self.tot else None,
            "gemeente": self.gemeente,
            "grondslag": self.grondslag.to_json(),
        }


@dataclass(frozen=True)
class Segment:
    """A run of days ``[van, tot)`` inside a queried range with one answer (or none)."""

    van: date
    tot: date
    periode: Periode | None

    @property
    def dagen(self) -> int:
        return (self.tot - self.van).days


@dataclass(frozen=True)
class Tijdlijn:
    """The responsibility periods of one youth, sorted, without overlap, possibly with gaps."""

    bsn: str = field(repr=False)
    perioden: tuple[Periode, ...]

    def op(self, day: date) -> Periode | None:
        for p in self.perioden:
            if p.covers(day):
                return p
        return None

    def segmenten(self, begin: date, einde: date) -> tuple[Segment, ...]:
        """Split the days ``begin`` up to and including ``einde`` where the answer changes.

        The segments cover the range exactly, in order; a segment without a period is a gap.
        """
        if einde < begin:
            raise ValueError(f"einde {einde} ligt vóór begin {begin}")
        stop = day_after(einde)
        cuts = {begin, stop}
        for p in self.perioden:
            for d in (p.van, p.tot):
                if d is not None and begin < d < stop:
                    cuts.add(d)
        ordered = sorted(cuts)
        return tuple(Segment(a, b, self.op(a)) for a, b in zip(ordered, ordered[1:], strict=False))

    def to_json(self) -> dict:
        return {"perioden": [p.to_json() for p in self.perioden]}


# --- building the timeline ----------------------------------------------------------------


def _transfer_order(o: overgang.Overdracht) -> tuple:
    # Later delivery first in precedence; on the same day a rejected transfer yields.
    return (o.aanleverdatum, o.afwijzingsdatum is None)


def _transfer_layer(
    overdrachten: Sequence[overgang.Overdracht], termijnen: overgang.Termijnen
) -> list[tuple[date, overgang.Overdracht, tuple[overgang.Periode, ...]]]:
    """Each transfer with the day it starts to govern and its own timeline, in order."""
    ordered = sorted(overdrachten, key=lambda o: (*_transfer_order(o), o.id))
    problems = []
    for a, b in zip(ordered, ordered[1:], strict=False):
        if _transfer_order(a) == _transfer_order(b):
            ta = [(p.van, p.tot, p.gemeente) for p in overgang.tijdlijn(a, termijnen)]
            tb = [(p.van, p.tot, p.gemeente) for p in overgang.tijdlijn(b, termijnen)]
            if ta != tb:
                problems.append(
                    f"overdrachten {a.id!r} en {b.id!r} zijn op dezelfde dag aangeleverd "
                    "en wijzen een andere gemeente aan; een van beide moet worden afgesloten"
                )
    if problems:
        raise TijdlijnConflict(problems)
    layer = []
    for i, o in enumerate(ordered):
        start = termijnen.ingang if i == 0 else max(termijnen.ingang, o.aanleverdatum)
        layer.append((start, o, overgang.tijdlijn(o, termijnen)))
    return layer


def _check_decisions(beslissingen: Sequence[WoonplaatsBeslissing]) -> None:
    problems = []
    for i, a in enumerate(beslissingen):
        for b in beslissingen[i + 1:]:
            if (
                a.ingang == b.ingang
                and a.vastgesteld_op == b.vastgesteld_op
                and a.gemeente != b.gemeente
            ):
                problems.append(
                    f"beslissingen {a.id!r} en {b.id!r} gelden vanaf dezelfde dag {a.ingang}, "
                    f"zijn op dezelfde dag vastgesteld en wijzen een andere gemeente aan "
                    f"({a.gemeente}, {b.gemeente})"
                )
    if problems:
        raise TijdlijnConflict(problems)


def _decision_on(beslissingen: Sequence[WoonplaatsBeslissing], day: date) -> WoonplaatsBeslissing | None:
    applying = [b for b in beslissingen if b.geldt_op(day)]
    if not applying:
        return None
    # Latest ingang, then latest vastgesteld_op; the smallest id only makes equal answers
    # (same gemeente, see _check_decisions) stable.
    latest = max((b.ingang, b.vastgesteld_op) for b in applying)
    return min((b for b in applying if (b.ingang, b.vastgesteld_op) == latest), key=lambda b: b.id)


def _transfer_on(layer, day: date) -> Periode | None:
    governing = None
    for start, o, perioden in layer:
        if start <= day:
            governing = (o, perioden)
    if governing is None:
        return None
    o, perioden = governing
    for p in perioden:
        if p.covers(day):
            return Periode(
                van=p.van,
                tot=p.tot,
                gemeente=p.gemeente,
                grondslag=Grondslag(
                    GrondslagSoort.OVERDRACHT, o.id, f"overdracht {o.id}: {p.reden}"
                ),
            )
    return None


def bouw_tijdlijn(
    bsn: str,
    overdrachten: Sequence[overgang.Overdracht] = (),
    beslissingen: Sequence[WoonplaatsBeslissing] = (),
    termijnen: overgang.Termijnen = overgang.FACTSHEET,
) -> Tijdlijn:
    """The timeline of the youth ``bsn`` from its transfers and woonplaats decisions.

    Every decision must concern ``bsn``; the transfers are the caller's selection for this
    youth (the transfer facts carry no BSN). Raises :class:`TijdlijnConflict` when facts of
    equal precedence disagree, ``ValueError`` when a decision is about another youth.
    """
    problem = bsn_problem(bsn)
    if problem:
        raise ValueError(f"bsn: {problem}")
    others = [b.id for b in beslissingen if b.bsn != bsn]
    if others:
        raise ValueError(f"beslissing(en) {', '.join(others)} gaan over een andere jeugdige")
    _check_decisions(beslissingen)
    layer = _transfer_layer(overdrachten, termijnen)

    cuts: set[date] = set()
    for start, _o, perioden in layer:
        cuts.add(start)
        for p in perioden:
            cuts.add(p.van)
            if p.tot is not None:
                cuts.add(p.tot)
    for b in beslissingen:
        cuts.add(b.ingang)
        if b.tot is not None:
            cuts.add(b.tot)
    ordered = sorted(cuts)

    raw: list[Periode] = []
    for i, day in enumerate(ordered):
        end = ordered[i + 1] if i + 1 < len(ordered) else None
        beslissing = _decision_on(beslissingen, day)
        if beslissing is not None:
            raw.append(Periode(day, end, beslissing.gemeente, beslissing.grondslag))
            continue
        p = _transfer_on(layer, day)
        if p is not None:
            raw.append(Periode(day, end, p.gemeente, p.grondslag))
    return Tijdlijn(bsn=bsn, perioden=_merge(raw))


def _merge(perioden: list[Periode]) -> tuple[Periode, ...]:
    merged: list[Periode] = []
    for p in perioden:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.tot == p.van
            and last.gemeente == p.gemeente
            and last.grondslag == p.grondslag
        ):
            merged[-1] = Periode(last.van, p.tot, p.gemeente, p.grondslag)
        else:
            merged.append(p)
    return tuple(merged)


def bouw_tijdlijnen(
    overdrachten: Sequence[tuple[str, overgang.Overdracht]],
    beslissingen: Sequence[WoonplaatsBeslissing] = (),
    termijnen: overgang.Termijnen = overgang.FACTSHEET,
) -> dict[str, Tijdlijn]:
    """The timelines of every youth named in ``overdrachten`` (pairs of BSN and transfer) or
    ``beslissingen``. Conflicts of all youths are raised together in one
    :class:`TijdlijnConflict`."""
    per_bsn: dict[str, tuple[list[overgang.Overdracht], list[WoonplaatsBeslissing]]] = {}
    for bsn, o in overdrachten:
        per_bsn.setdefault(bsn, ([], []))[0].append(o)
    for b in beslissingen:
        per_bsn.setdefault(b.bsn, ([], []))[1].append(b)
    result: dict[str, Tijdlijn] = {}
    problems: list[str] = []
    for bsn, (os_, bs) in per_bsn.items():
        try:
            result[bsn] = bouw_tijdlijn(bsn, os_, bs, termijnen)
        except TijdlijnConflict as exc:
            problems += exc.problemen
    if problems:
        raise TijdlijnConflict(problems)
    return result
