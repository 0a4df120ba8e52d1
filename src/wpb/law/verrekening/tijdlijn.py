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

Two accounts per transfer. Who **pays for the time being** (``voorlopig``) and who
**bears the cost under the law** (``kosten``) differ under part B of the measure: the
latende gemeente keeps paying until the transfer is afgerond, and then "verrekent de al
betaalde facturen" (the factsheet) with the ontvangende gemeente, which the law (Jeugdwet
art. 1.1 from the ingangsdatum) makes responsible. So settlement follows ``kosten`` where
the governing transfer is afgerond and ``voorlopig`` where it is not yet; decisions take
precedence in both. A transfer outside the migratiegroep carries ``vanaf``, the day the law
puts the youth with the ontvangende gemeente (issue 16: "what the latende gemeente paid
after vanaf goes to settlement as a claim"); it governs from that day, and the latende pays
for the time being until afgerond. For such a transfer ``voorlopig`` is who pays, which
differs from the responsibility ``wpb overgang`` shows (the ontvangende from ``vanaf``,
:func:`wpb.law.overgang.verantwoordelijke`): ``kosten`` is that responsibility. A rejection
counts only while it stands: a transfer afgerond after its rejection (reconsidered) is
afgerond.

Periods are half-open ``[van, tot)`` as everywhere in wpb; adjacent days with the same
gemeente and the same grondslag form one period. The module is pure: no files, no storage.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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
    """The responsibility periods of one youth, sorted, without overlap, possibly with gaps.

    ``perioden`` is what settlement follows: who bears the cost under the law where the
    governing transfer is afgerond (or a decision says so), else who pays for the time
    being. ``voorlopig`` is who pays for the time being (the transfers alone, as
    ``wpb overgang`` and the transfer pages show it) and ``kosten`` who bears the cost
    under the law (decisions over the transfers' own account).
    """

    bsn: str = field(repr=False)
    perioden: tuple[Periode, ...]
    voorlopig: tuple[Periode, ...] = ()
    kosten: tuple[Periode, ...] = ()

    def op(self, day: date) -> Periode | None:
        return _op(self.perioden, day)

    def voorlopig_op(self, day: date) -> Periode | None:
        return _op(self.voorlopig, day)

    def kosten_op(self, day: date) -> Periode | None:
        return _op(self.kosten, day)

    def segmenten(self, begin: date, einde: date) -> tuple[Segment, ...]:
        """Split the days ``begin`` up to and including ``einde`` where the answer changes.

        The segments cover the range exactly, in order; a segment without a period is a gap.
        ``einde`` must leave room for its next day (not ``date.max``): a segment is half-open.
        """
        if einde < begin:
            raise ValueError(f"einde {einde} ligt vóór begin {begin}")
        if einde >= date.max:
            raise ValueError(f"einde {einde} is de laatste datum die bestaat; geen periode kan erna eindigen")
        stop = day_after(einde)
        cuts = {begin, stop}
        for p in self.perioden:
            for d in (p.van, p.tot):
                if d is not None and begin < d < stop:
                    cuts.add(d)
        ordered = sorted(cuts)
        return tuple(Segment(a, b, self.op(a)) for a, b in zip(ordered, ordered[1:], strict=False))

    def to_json(self) -> dict:
        return {
            "perioden": [p.to_json() for p in self.perioden],
            "voorlopig": [p.to_json() for p in self.voorlopig],
            "kosten": [p.to_json() for p in self.kosten],
        }


def _op(perioden: Sequence[Periode], day: date) -> Periode | None:
    for p in perioden:
        if p.covers(day):
            return p
    return None


# --- building the timeline ----------------------------------------------------------------


@dataclass(frozen=True)
class _Stuk:
    """A period of one transfer's own account: ``[van, tot)``, the gemeente, and why."""

    van: date
    tot: date | None
    gemeente: str
    reden: str

    def covers(self, day: date) -> bool:
        return self.van <= day and (self.tot is None or day < self.tot)


@dataclass(frozen=True)
class _Laag:
    """One transfer in the chain: from ``start`` on it governs, with its two accounts.

    ``voorlopig``: who pays for the time being (the measure, or the latende until the
    paperwork is done); ``kosten``: who bears the cost under the law. ``afgerond``: the
    transfer is complete, so settlement follows ``kosten`` (factsheet part B: the latende
    "verrekent de al betaalde facturen" once afgerond).
    """

    start: date
    overdracht: overgang.Overdracht
    voorlopig: tuple[_Stuk, ...]
    kosten: tuple[_Stuk, ...]

    @property
    def afgerond(self) -> bool:
        # Afgerond after a rejection is a reconsideration: complete all the same.
        return self.overdracht.afgerond_datum is not None

    @property
    def verrekening(self) -> tuple[_Stuk, ...]:
        return self.kosten if self.afgerond else self.voorlopig


def _maatregel(o: overgang.Overdracht, t: overgang.Termijnen) -> tuple[tuple[_Stuk, ...], tuple[_Stuk, ...]]:
    """A transfer of the migratiegroep: the 1-november-maatregel pays for the time being.

    Under part B the latende pays until afgerond, but under the law (Jeugdwet art. 1.1 from
    the ingangsdatum) the ontvangende bears the cost from the ingangsdatum: the factsheet
    has the latende settle "de al betaalde facturen" with it. A rejected transfer names no
    bearer under the law (the ontvangende said it is not), so its cost account is empty.
    """
    voorlopig = tuple(_Stuk(p.van, p.tot, p.gemeente, p.reden) for p in overgang.tijdlijn(o, t))
    if overgang.tak(o, t) not in (overgang.Tak.B_NIET_TIJDIG_AANGELEVERD, overgang.Tak.B_TIJDIG_AFGEWEZEN):
        return voorlopig, voorlopig
    if o.afgewezen:
        return voorlopig, ()
    na = f"afgerond op {o.afgerond_datum}" if o.afgerond_datum else "afgerond (nog niet gebeurd)"
    reden = (
        f"onderdeel B: de ontvangende gemeente draagt de kosten vanaf {t.ingang}; de latende "
        f"gemeente betaalt voor tot de overdracht is {na} en verrekent dan de al betaalde facturen"
    )
    return voorlopig, (_Stuk(t.ingang, None, o.ontvangende_gemeente, reden),)


def _wet(o: overgang.Overdracht, vanaf: date) -> tuple[tuple[_Stuk, ...], tuple[_Stuk, ...]]:
    """A transfer outside the migratiegroep (issue 16: "two regimes"): the law decides.

    The ontvangende gemeente bears the cost from ``vanaf`` (Jeugdwet art. 1.1), whatever
    day the paperwork is done; the latende pays for the time being until afgerond and
    settles what it paid after ``vanaf``. A rejected transfer names no bearer.
    """
    lat, ont, afg = o.latende_gemeente, o.ontvangende_gemeente, o.afgerond_datum
    kosten_reden = f"Jeugdwet art. 1.1: de ontvangende gemeente is verantwoordelijk vanaf {vanaf}"
    if o.afgewezen:
        return (_Stuk(vanaf, None, lat, f"afgewezen op {o.afwijzingsdatum}: de latende gemeente betaalt voor"),), ()
    kosten = (_Stuk(vanaf, None, ont, kosten_reden),)
    if afg is None:
        return (_Stuk(vanaf, None, lat, "de latende gemeente betaalt voor tot de overdracht is afgerond"),), kosten
    if afg <= vanaf:
        return (_Stuk(vanaf, None, ont, f"overdracht afgerond op {afg}"),), kosten
    return (
        _Stuk(vanaf, afg, lat, f"de latende gemeente betaalt voor tot de overdracht is afgerond op {afg}"),
        _Stuk(afg, None, ont, f"overdracht afgerond op {afg}"),
    ), kosten


def _vanaf_of(o: overgang.Overdracht, vanaf: Mapping[str, date], t: overgang.Termijnen) -> date | None:
    """The date the law puts the youth with the ontvangende, when it is not the measure's.

    Given per transfer id, or as the transfer's own ``vanaf`` (:class:`overgang.Overdracht`).
    Equal to the ingangsdatum: the migratiegroep, so the measure applies.
    """
    value = vanaf.get(o.id, o.vanaf)
    if value is None or value == t.ingang:
        return None
    if type(value) is not date:
        raise ValueError(f"overdracht {o.id}: vanaf {value!r} is geen datum")
    if value < t.ingang:
        raise ValueError(
            f"overdracht {o.id}: vanaf {value} ligt vóór {t.ingang}; vóór die dag kent de "
            "verrekening geen verantwoordelijke gemeente"
        )
    return value


def _transfer_order(o: overgang.Overdracht) -> tuple:
    # Later delivery first in precedence; on the same day a rejected transfer yields
    # (a reconsidered one, afgerond after its rejection, no longer counts as rejected).
    return (o.aanleverdatum, not o.afgewezen)


def _shape(stukken: Sequence[_Stuk]) -> list[tuple]:
    return [(s.van, s.tot, s.gemeente) for s in stukken]


def _transfer_layer(
    overdrachten: Sequence[overgang.Overdracht],
    termijnen: overgang.Termijnen,
    vanaf: Mapping[str, date],
) -> list[_Laag]:
    """Each transfer with the day it starts to govern and its two accounts, in order."""
    ordered = sorted(overdrachten, key=lambda o: (*_transfer_order(o), o.id))
    layer = []
    for i, o in enumerate(ordered):
        law_date = _vanaf_of(o, vanaf, termijnen)
        if law_date is not None:
            voorlopig, kosten = _wet(o, law_date)
            start = law_date
        else:
            voorlopig, kosten = _maatregel(o, termijnen)
            start = termijnen.ingang if i == 0 else max(termijnen.ingang, o.aanleverdatum)
        layer.append(_Laag(start, o, voorlopig, kosten))
    problems = []
    for a, b in zip(layer, layer[1:], strict=False):
        if _transfer_order(a.overdracht) == _transfer_order(b.overdracht) and (
            _shape(a.verrekening) != _shape(b.verrekening) or _shape(a.voorlopig) != _shape(b.voorlopig)
        ):
            problems.append(
                f"overdrachten {a.overdracht.id!r} en {b.overdracht.id!r} zijn op dezelfde dag "
                "aangeleverd en wijzen een andere gemeente aan; een van beide moet worden afgesloten"
            )
    if problems:
        raise TijdlijnConflict(problems)
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


def _transfer_on(layer: Sequence[_Laag], day: date, account: str) -> tuple[str, Grondslag] | None:
    """The gemeente and basis the governing transfer gives on ``day`` in one account
    (``voorlopig``, ``kosten`` or ``verrekening``)."""
    governing = None
    for laag in layer:
        if laag.start <= day:
            governing = laag
    if governing is None:
        return None
    o = governing.overdracht
    for s in getattr(governing, account):
        if s.covers(day):
            return s.gemeente, Grondslag(GrondslagSoort.OVERDRACHT, o.id, f"overdracht {o.id}: {s.reden}")
    return None


def build_tijdlijn(
    bsn: str,
    overdrachten: Sequence[overgang.Overdracht] = (),
    beslissingen: Sequence[WoonplaatsBeslissing] = (),
    termijnen: overgang.Termijnen = overgang.FACTSHEET,
    *,
    vanaf: Mapping[str, date] | None = None,
) -> Tijdlijn:
    """The timeline of the youth ``bsn`` from its transfers and woonplaats decisions.

    Every decision must concern ``bsn``; the transfers are the caller's selection for this
    youth (the transfer facts carry no BSN). ``vanaf`` maps a transfer id to the day the
    ontvangende gemeente bears the cost under the law, for transfers outside the
    migratiegroep. Raises :class:`TijdlijnConflict` when facts of equal precedence
    disagree, ``ValueError`` when a decision is about another youth.

    The result holds three accounts: ``perioden`` (what settlement follows), ``voorlopig``
    (who pays for the time being: the transfers alone, as ``wpb overgang`` shows them) and
    ``kosten`` (who bears the cost under the law).
    """
    problem = bsn_problem(bsn)
    if problem:
        raise ValueError(f"bsn: {problem}")
    others = [b.id for b in beslissingen if b.bsn != bsn]
    if others:
        raise ValueError(f"beslissing(en) {', '.join(others)} gaan over een andere jeugdige")
    _check_decisions(beslissingen)
    layer = _transfer_layer(overdrachten, termijnen, vanaf or {})

    cuts: set[date] = set()
    for laag in layer:
        cuts.add(laag.start)
        for s in (*laag.voorlopig, *laag.kosten):
            cuts.add(s.van)
            if s.tot is not None:
                cuts.add(s.tot)
    for b in beslissingen:
        cuts.add(b.ingang)
        if b.tot is not None:
            cuts.add(b.tot)
    ordered = sorted(cuts)

    accounts: dict[str, list[Periode]] = {"verrekening": [], "voorlopig": [], "kosten": []}
    for i, day in enumerate(ordered):
        end = ordered[i + 1] if i + 1 < len(ordered) else None
        beslissing = _decision_on(beslissingen, day)
        for account, raw in accounts.items():
            if beslissing is not None and account != "voorlopig":
                raw.append(Periode(day, end, beslissing.gemeente, beslissing.grondslag))
                continue
            found = _transfer_on(layer, day, account)
            if found is not None:
                raw.append(Periode(day, end, found[0], found[1]))
    return Tijdlijn(
        bsn=bsn,
        perioden=_merge(accounts["verrekening"]),
        voorlopig=_merge(accounts["voorlopig"]),
        kosten=_merge(accounts["kosten"]),
    )


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


def build_tijdlijnen(
    overdrachten: Sequence[tuple[str, overgang.Overdracht]],
    beslissingen: Sequence[WoonplaatsBeslissing] = (),
    termijnen: overgang.Termijnen = overgang.FACTSHEET,
    *,
    vanaf: Mapping[str, date] | None = None,
) -> dict[str, Tijdlijn]:
    """The timelines of every youth named in ``overdrachten`` (pairs of BSN and transfer) or
    ``beslissingen``. Conflicts of all youths are raised together in one
    :class:`TijdlijnConflict`; ``vanaf`` as in :func:`build_tijdlijn`."""
    per_bsn: dict[str, tuple[list[overgang.Overdracht], list[WoonplaatsBeslissing]]] = {}
    for bsn, o in overdrachten:
        per_bsn.setdefault(bsn, ([], []))[0].append(o)
    for b in beslissingen:
        per_bsn.setdefault(b.bsn, ([], []))[1].append(b)
    result: dict[str, Tijdlijn] = {}
    problems: list[str] = []
    for bsn, (os_, bs) in per_bsn.items():
        try:
            result[bsn] = build_tijdlijn(bsn, os_, bs, termijnen, vanaf=vanaf)
        except TijdlijnConflict as exc:
            problems += exc.problemen
    if problems:
        raise TijdlijnConflict(problems)
    return result
