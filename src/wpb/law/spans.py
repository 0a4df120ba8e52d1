"""Predicates over time, each declared once, for both executors.

The predicates of :mod:`wpb.law.predicates` look at one fact. Two facts of the law look at
time instead, and are declared here as data:

- a **series** of episodes: the stays that count as one stay under Jeugdwet art. 1.1
  "woonplaats" 2° ("een of meerdere aaneengesloten verblijfstrajecten"), or the jeugdhulp
  continued or resumed within half a year under art. 1.1 "jeugdige" 3°
  (``common.JEUGDHULPKETEN``). Which episodes count (a predicate over one episode), how far
  after the end of the series so far the next one may begin to join it, and the order in
  which they are read are stated once (:class:`Series`);
- a **term of calendar months** (:class:`MonthsAfter`: the half year of the jeugdhulpketen,
  the Wmo's twelve months), a **day some days before another** (:class:`DaysBefore`: the day
  immediately before a stay, :data:`DAG_VOOR_VERBLIJF`; the Wmo's 365 days), and whether an episode **has begun** or **runs on a day**, its
  einde inclusive (:data:`BEGONNEN_OP_DAG`, :data:`LOOPT_OP_DAG`);
- the **places** of a series of stays on a day (the 2015 text's 2°, "de plaats van het
  werkelijke verblijf"): which stays of the series name their place on that day, and when two
  places are one (:class:`Places`, :data:`PLAATSEN_VAN_VERBLIJF`);
- the **aantekening** (art. 2.26 Wet BRP) on a record: which kinds exist, when each is placed
  and from which (possibly partial) date it holds (:data:`AANTEKENINGEN`), and whether it
  holds on a day (:data:`AANTEKENING_ZEKER_OP_DAG`, :data:`AANTEKENING_MOGELIJK_OP_DAG`);
- the **readings of a registration** over a day or a span: which records may cover it, and
  when the day may fall before the first record or lies before birth
  (:data:`RECORD_MOGELIJK_OP_DAGEN`, :data:`MOGELIJK_VOOR_EERSTE_RECORD`,
  :data:`DAGEN_VOOR_GEBOORTE`; ``registration.readings_between``).
- the **last of several episodes** (:class:`Laatste`): which may be the last (no other
  certainly came later), which certainly is, and a tie rule by source
  (:data:`JJI_VERBLIJF_MEEST_RECENT`, the Wmo's ``wmo.spans.LAATST_GEEINDIGD``;
  :func:`laatste`);
- the **closure of the BRP history** (:data:`HISTORIE_SLUITING`): an open record ends where
  the next later-beginning record begins; records beginning on one day stay open side by
  side (:func:`sluit`, ``registration.ordered_history``).

The single-case engine evaluates them here (:func:`series_on`, :func:`places_on`,
:func:`aantekening_from`, :func:`laatste`, :func:`sluit`); the
national executor compiles the same declarations to polars (:mod:`wpb.batch.compile`), and
``tests/law/test_spans.py`` evaluates both on generated facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol, TypeVar

from wpb.law.dates import add_months
from wpb.law.predicates import (
    GEBOORTE_VROEGST,
    GEMEENTE,
    JJI_VERBLIJF,
    PEILDATUM,
    TEGENSTRIJDIGE_JEUGDHULP,
    VERBLIJF,
    Field,
    Predicate,
    Term,
    UiterlijkOp,
    Voor,
    holds,
)

# --- a series of episodes ----------------------------------------------------------------------


class Episode(Protocol):
    """What a series reads of an episode (wpb.law.facts.Jeugdhulp): its first and last day
    (``einde`` None: still running), and its source for a stable order."""

    bron: str
    begin: date
    einde: date | None


@dataclass(frozen=True)
class DaysAfter:
    """The next episode joins when it begins at the latest ``days`` days after the last day of
    the series so far: with 1, a stay beginning the day after the previous one ended."""

    days: int

    def joins(self, begin: date, last_day: date) -> bool:
        # By difference: one day after 9999-12-31 (a common "no end" value) overflows.
        return (begin - last_day).days <= self.days


@dataclass(frozen=True)
class MonthsAfter:
    """A term of ``months`` calendar months counted from a day: it has passed on the same day
    of the month ``months`` months later, or on that month's last day when the month is
    shorter (:func:`wpb.law.dates.add_months`); before that day "minder dan" ``months``
    months have passed. The one month term of the core: the half year of a jeugdhulpketen
    (the reach of a :class:`Series`) and the Wmo's twelve months
    (``wmo.termijnen.TWAALF_MAANDEN_NA_EINDE``) are both this declaration; the national
    executor compiles it once (``wpb.batch.compile.compile_passed_on``). ``betekenis`` says
    what it means in Dutch law, ``bron`` where the law says so (empty for the reach of a
    series, which says so itself)."""

    months: int
    betekenis: str = ""
    bron: str = ""

    def passed_on(self, since: date) -> date:
        """The first day on which the term counted from ``since`` has passed; ``date.max``
        (9999-12-31) when that day lies beyond it, as for an end recorded as 9999-12-31 (a
        common "no end" value): on no day before it has the term passed."""
        if since.year * 12 + since.month - 1 + self.months >= 10_000 * 12:
            return date.max
        return add_months(since, self.months)

    def within(self, since: date, day: date) -> bool:
        """Whether on ``day`` the term counted from ``since`` has not yet passed."""
        return day < self.passed_on(since)

    def joins(self, begin: date, last_day: date) -> bool:
        """As the reach of a series: the next episode joins when it begins at the latest on
        the day the term counted from the last day of the series so far has passed."""
        return begin <= self.passed_on(last_day)


@dataclass(frozen=True)
class DaysBefore:
    """The day ``days`` days before a day (1: the day before). The one day term of the core:
    the day immediately before a stay (:data:`DAG_VOOR_VERBLIJF`) and the Wmo's 365 days
    before a request (``wmo.termijnen.VENSTER_NIEUWE_CLIENT``) are both this declaration; the
    national executor compiles it once (``wpb.batch.compile.compile_days_before``).
    ``betekenis`` says what it means in Dutch law, ``bron`` where the law says so."""

    days: int
    betekenis: str = ""
    bron: str = ""

    def on(self, day: date) -> date | None:
        """The day ``days`` days before ``day``; None when it would lie before 0001-01-01 (a
        common "no begin" value): there is no such day, nothing is registered on it, and no
        day lies on or before it (every predicate over it is false, as over a missing day)."""
        if (day - date.min).days < self.days:
            return None
        return day - timedelta(days=self.days)


@dataclass(frozen=True)
class Series:
    """A series of episodes: those that satisfy ``member``, in order of their begin (then
    their end, then their source), each joining the series when it begins within ``reach``
    of the series so far; a running episode keeps the series open. ``betekenis`` says what
    it means in Dutch law, ``bron`` where the law says so."""

    name: str
    member: Term
    reach: DaysAfter | MonthsAfter
    betekenis: str
    bron: str


E = TypeVar("E", bound=Episode)


def series_on(series: Series, episodes: Iterable[E], day: date) -> tuple[E, ...]:
    """The episodes of ``series`` that form the series covering ``day`` (empty: none does).

    Only episodes begun on or before ``day`` count. The series covers the day when it is
    still running or its last day is not before ``day``.
    """
    members = sorted(
        (e for e in episodes if e.begin <= day and holds(series.member, e)),
        key=lambda e: (e.begin, e.einde or date.max, e.bron),
    )
    current: list[E] = []
    last_day: date | None = None  # the last day covered so far; None: still running
    for e in members:
        if not (current and (last_day is None or series.reach.joins(e.begin, last_day))):
            current, last_day = [], e.einde
        elif last_day is not None:
            last_day = None if e.einde is None else max(last_day, e.einde)
        current.append(e)
    if current and (last_day is None or day <= last_day):
        return tuple(current)
    return ()


# Jeugdwet art. 1.1 "woonplaats" 2° (2022; "verblijf" in the 2015 text likewise): a youth who
# "verblijft bij een jeugdhulpaanbieder, pleegouder, in een instelling ...". The implementation
# FAQ of the Wet wijziging woonplaatsbeginsel reads "een of meerdere aaneengesloten
# verblijfstrajecten" as one stay: the address before the first one decides.
VERBLIJFSREEKS = Series(
    "verblijfsreeks",
    Predicate("in_verblijf", VERBLIJF, "jeugdhulp met verblijf"),
    DaysAfter(1),
    "een of meer aaneengesloten verblijven: een verblijf dat uiterlijk de dag na het einde van "
    "het vorige begint, zet het voort",
    "Jeugdwet art. 1.1, woonplaats, 2°; FAQ woonplaatsbeginsel: \"een of meerdere "
    "aaneengesloten verblijfstrajecten\" (docs/interpretations.md)",
)
# Jeugdwet art. 1.1 "woonplaats" 2° (2022): "de gemeente waar de jeugdige onmiddellijk
# voorafgaand aan zijn verblijf zijn woonadres (...) had": the woonadres is read on the day
# before the first day of the stay (of the series of stays, VERBLIJFSREEKS). The reference
# reads it with ``DAG_VOOR_VERBLIJF.on`` (``woonplaats_2022.sub_2``), the national executor
# compiles it (``wpb.batch.compile.compile_days_before``, in ``batch.jeugdwet.woonplaats_2022``).
DAG_VOOR_VERBLIJF = DaysBefore(
    1,
    "de dag onmiddellijk voorafgaand aan het verblijf: de dag vóór de eerste dag van de reeks "
    "verblijven",
    "Jeugdwet art. 1.1, woonplaats, 2°: \"onmiddellijk voorafgaand aan zijn verblijf\"",
)
# The same series when care reported as ambulant but of a form that is always a stay
# (TEGENSTRIJDIGE_JEUGDHULP) is read as a stay: the reading "als verblijf".
VERBLIJFSREEKS_MET_TEGENSTRIJDIGE = Series(
    "verblijfsreeks_met_tegenstrijdige",
    Predicate("verblijf_of_tegenstrijdig", VERBLIJF | TEGENSTRIJDIGE_JEUGDHULP,
              "jeugdhulp met verblijf, of als ambulant opgegeven jeugdhulp die altijd verblijf is"),
    DaysAfter(1),
    VERBLIJFSREEKS.betekenis + ", waarbij tegenstrijdige jeugdhulp als verblijf telt",
    VERBLIJFSREEKS.bron,
)


def stay_series(contradictory_as_stay: bool) -> Series:
    """The declared series of stays, with contradictory care read as a stay or not."""
    return VERBLIJFSREEKS_MET_TEGENSTRIJDIGE if contradictory_as_stay else VERBLIJFSREEKS


# --- the places of a series of stays on a day --------------------------------------------------

BEGIN = Field("begin")  # the first day of an episode
EINDE = Field("einde")  # its last day (None: still running)
DAG = Field("dag")  # the day asked about


@dataclass(frozen=True)
class Places:
    """The places of a series of stays on a day: the place (the gemeentecode in ``plaats``) of
    each episode of the series for which ``telt`` holds, a predicate over the episode and the
    day (field ``dag``). Two places are one when their codes belong to the same municipalities
    on that day (the same successors: Haren 0017 and Groningen 0014 in 2020 are one place).
    How many places there are decides (the 2015 text: ``woonplaats_2015.PLAATS_ROUTES``)."""

    name: str
    telt: Term
    plaats: Field
    betekenis: str
    bron: str


# An episode of care (or a stay) has begun on a day when its first day is not after it, and
# runs on the day when it has begun and has not yet ended: ``einde`` is the last day of care,
# inclusive (iJw toewijzingen; docs/interpretations.md, "End date of a care episode"); without
# an einde it still runs. The reference asks it of an episode with :func:`begonnen_op` and
# :func:`loopt_op` (``Jeugdhulp.covers``); the national executor compiles it over its episode
# columns (``wpb.batch.jeugdwet.prepare.begun_by`` and ``runs_on``).
BEGONNEN_OP_DAG = Predicate(
    "begonnen_op_dag", UiterlijkOp(BEGIN, DAG), "de jeugdhulp is uiterlijk op de dag begonnen")
LOOPT_OP_DAG = Predicate(
    "loopt_op_dag", BEGONNEN_OP_DAG & ~Voor(EINDE, DAG),
    "de jeugdhulp is begonnen en nog niet geëindigd op de dag (het einde is de laatste dag)")


@dataclass(slots=True)  # made for each episode each time it is asked: kept light
class LooptOpDagFacts:
    """The fields of BEGONNEN_OP_DAG and LOOPT_OP_DAG."""

    begin: date
    einde: date | None
    dag: date


def begonnen_op(episode: Episode, day: date) -> bool:
    """Whether ``episode`` has begun on ``day`` (:data:`BEGONNEN_OP_DAG`)."""
    return holds(BEGONNEN_OP_DAG, LooptOpDagFacts(episode.begin, episode.einde, day))


def loopt_op(episode: Episode, day: date) -> bool:
    """Whether ``episode`` runs on ``day``, its einde inclusive (:data:`LOOPT_OP_DAG`)."""
    return holds(LOOPT_OP_DAG, LooptOpDagFacts(episode.begin, episode.einde, day))


# Jeugdwet art. 1.1 "woonplaats" 2° (text of 2015): "de plaats van het werkelijke verblijf van
# de jeugdige", without a moment of its own, read on the peildatum: the places of the stays of
# the series covering the peildatum that run on that day and name their gemeente.
PLAATSEN_VAN_VERBLIJF = Places(
    "plaatsen_van_verblijf",
    LOOPT_OP_DAG & GEMEENTE.is_present(),
    GEMEENTE,
    "de gemeenten waar de verblijven van de reeks die op de dag lopen plaatsvinden, "
    "als de gemeenten waartoe zij op die dag behoren",
    "Jeugdwet art. 1.1, woonplaats, 2° (tekst 2015): \"de plaats van het werkelijke verblijf "
    "van de jeugdige\" (docs/interpretations.md)",
)


class _OnDay:
    """An episode with the day asked about, as the fields of ``Places.telt`` name them."""

    __slots__ = ("_episode", "dag")

    def __init__(self, episode: object, dag: date) -> None:
        self._episode, self.dag = episode, dag

    def __getattr__(self, name: str) -> object:
        return getattr(self._episode, name)


def on_day(episode: object, day: date) -> object:
    """An episode's fields with the day asked about as field ``dag`` (for ``Places.telt``,
    ``Laatste.lid``)."""
    return _OnDay(episode, day)


P = TypeVar("P", bound=Episode)


def places_on(places: Places, series: Iterable[P], day: date,
              same_place: Callable[[str], Hashable]) -> dict[Hashable, tuple[P, ...]]:
    """The places of ``series`` (the episodes of a series covering ``day``) on ``day``: per
    place (``same_place`` of its code: equal for codes that are one place) the episodes that
    count there, in the order of the series; empty: none names a place on that day."""
    found: dict[Hashable, list[P]] = {}
    for e in series:
        if holds(places.telt, _OnDay(e, day)):
            found.setdefault(same_place(getattr(e, places.plaats.name)), []).append(e)
    return {place: tuple(episodes) for place, episodes in found.items()}


# --- the last of several episodes -------------------------------------------------------------


def ander(field: Field) -> Field:
    """The same field of the *other* episode, in a term over a pair (:attr:`Laatste.later`)."""
    return Field(ANDER + field.name)


ANDER = "ander_"


@lru_cache(maxsize=4096)  # the same paths recur in every person's history
def bron_volgorde(bron: str) -> tuple:
    """The order of sources: "x[10]" after "x[2]", numbers in a source path compared as
    numbers (``volgnr`` in the tables is this order)."""
    parts = re.split(r"(\d+)", bron)
    return tuple(int(p) if p.isdigit() else p for p in parts)


@dataclass(frozen=True)
class Laatste:
    """The choice of the last of several episodes, declared once for both executors.

    Among the episodes for which ``lid`` holds (a term over one episode, with the day asked
    about as field ``dag``), an episode *may be the last* when no other certainly comes
    later: ``later`` is a term over a pair, ``Voor(field, ander(field2))`` -- the episode's
    ``field`` lies before the other's ``field2`` -- that holds when the other certainly comes
    later. Under partial dates several may be the last; an episode is *certainly the last*
    when every other certainly comes before it (``later`` with the two swapped).

    ``volgorde`` is the tie rule: when given, one episode is chosen among those that may be
    the last, the last in the order of that field (:func:`bron_volgorde` of the source;
    ``volgnr`` in the tables), so that neither executor breaks the tie its own way; None:
    each one that may be the last is a reading of its own.
    ``betekenis`` says what it means in Dutch law, ``bron`` where the law says so.
    """

    name: str
    lid: Term
    later: Voor
    volgorde: Field | None
    betekenis: str
    bron: str


class _Paar:
    """The facts of two episodes as the fields of ``Laatste.later`` name them: the episode's
    own, and the other's as ``ander_*``."""

    __slots__ = ("_eigen", "_ander")

    def __init__(self, eigen: object, ander_: object) -> None:
        self._eigen, self._ander = eigen, ander_

    def __getattr__(self, name: str) -> object:
        if name.startswith(ANDER):
            return getattr(self._ander, name[len(ANDER):])
        return getattr(self._eigen, name)


L = TypeVar("L")


def laatste(choice: Laatste, items: Iterable[L], fact: Callable[[L], object]) -> list[tuple[L, bool]]:
    """The episodes of ``items`` that may be the last under ``choice`` (in their order), each
    with whether it is certainly the last; with a tie rule (``volgorde``), only the one it
    chooses. ``fact`` gives an episode's fields (those of ``lid`` and ``later``). Empty: no
    episode is a member."""
    members = [(item, fact(item)) for item in items]
    members = [(item, f) for item, f in members if holds(choice.lid, f)]
    found = [
        (item, all(holds(choice.later, _Paar(g, f)) for other, g in members if other is not item))
        for item, f in members
        if not any(holds(choice.later, _Paar(f, g)) for other, g in members if other is not item)
    ]
    if choice.volgorde is not None and found:
        name = choice.volgorde.name
        found = [max(found, key=lambda pair: bron_volgorde(getattr(pair[0], name)))]
    return found


def laatste_dag(einde: date | None, dag: date) -> date:
    """The last day of an episode read up to ``dag``: its einde, or ``dag`` when it ends
    later or still runs (the most recent JJI stay is read on this day: its series)."""
    return dag if einde is None else min(einde, dag)


# Jeugdwet art. 1.1 "woonplaats" 2°, second limb (2022): "jeugdhulp of jeugdreclassering (...)
# in verband met het verblijf in een justitiële jeugdinrichting": the woonadres immediately
# before *that* stay, read as the most recent JJI stay begun on or before the peildatum (the
# care runs on the peildatum, the stay may have ended). Between two beginning on one day the
# tie rule takes the last by source; either covers every day from that begin to its own last
# day, so the series each belongs to began on the same day (the answer cannot differ).
JJI_VERBLIJF_MEEST_RECENT = Laatste(
    "jji_verblijf_meest_recent",
    JJI_VERBLIJF & BEGONNEN_OP_DAG,
    Voor(BEGIN, ander(BEGIN)),
    Field("bron"),
    "het verblijf in een justitiële jeugdinrichting dat het laatst, uiterlijk op de peildatum, "
    "begon; bij gelijke begindatum het laatste naar bron",
    "Jeugdwet art. 1.1, woonplaats, 2° (2022): \"in verband met het verblijf in een "
    "justitiële jeugdinrichting\" (docs/interpretations.md)",
)


# --- the aantekening on a record (art. 2.26 Wet BRP) -------------------------------------------


class PartialDay(Protocol):
    """A date of which every day in [earliest, latest] is possible (wpb.law.dates.PartialDate)."""

    earliest: date
    latest: date


@dataclass(frozen=True)
class Aantekening:
    """A kind of aantekening on a BRP record: ``geplaatst`` says whether the record carries it
    (a predicate over the record's fields); it holds from the date in the field ``vanaf`` (a
    partial date: certainly from its latest possible day, possibly from its earliest), or on
    the whole record when that field is empty."""

    name: str
    geplaatst: Term
    vanaf: Field
    omschrijving: str
    bron: str


IN_ONDERZOEK = Field("in_onderzoek")
ONDERZOEK_VANAF = Field("onderzoek_vanaf")
VASTGESTELD_NIET_OP_ADRES = Field("vastgesteld_niet_op_adres")
NIET_OP_ADRES_VANAF = Field("niet_op_adres_vanaf")

# Jeugdwet art. 1.1 "woonplaats" 3° (2022) sends the decision to 3° "ingeval bij het in de
# basisregistratie personen opgenomen woonadres een aantekening is geplaatst als bedoeld in
# artikel 2.26 van de Wet basisregistratie personen". The BRP (Haal Centraal historie) shows
# two kinds (docs/interpretations.md, "Aantekening"):
AANTEKENINGEN = (
    # The address is in onderzoek (inOnderzoek, from datumIngangOnderzoek when given).
    Aantekening("in_onderzoek", IN_ONDERZOEK, ONDERZOEK_VANAF, "in onderzoek",
                "Wet BRP art. 2.26"),
    # Found not to live at the address (indicatieVastgesteldVerblijftNietOpAdres for the
    # whole record, or verblijftNietOpAdresVanaf from that date: a date implies the mark).
    Aantekening("niet_op_adres", VASTGESTELD_NIET_OP_ADRES | NIET_OP_ADRES_VANAF.is_present(),
                NIET_OP_ADRES_VANAF, "vastgesteld verblijft niet op adres",
                "Wet BRP art. 2.26"),
)

# Jeugdwet art. 1.1 "woonplaats" 3° (2022) reads the aantekening "bij het (...) opgenomen
# woonadres"; under 2° that is the address of the day before the stay. Whether an aantekening
# placed later, by the moment of deciding, counts is an open question (docs/open-questions.md;
# woonplaats_2022._aantekening_after_stay_began reads it both ways). It arises when the record
# possibly carries one on the peildatum but not even possibly on the day:
AANTEKENING_MOGELIJK_VANAF = Field("aantekening_mogelijk_vanaf")  # aantekening_from()[1]
AANTEKENING_NA_DAG = Predicate(
    "aantekening_na_dag",
    Voor(DAG, AANTEKENING_MOGELIJK_VANAF) & UiterlijkOp(AANTEKENING_MOGELIJK_VANAF, PEILDATUM),
    "bij het record is na de dag, uiterlijk op de peildatum, (mogelijk) een aantekening geplaatst",
)


@dataclass(frozen=True)
class AantekeningNaFacts:
    """The fields of AANTEKENING_NA_DAG: the first day a record possibly carries an
    aantekening (``date.min``: on the whole record; None: it carries none), the day asked
    about and the peildatum."""

    aantekening_mogelijk_vanaf: date | None
    dag: date
    peildatum: date


def aantekening_from(record: object) -> tuple[date | None, date | None]:
    """(certainly from, possibly from): the first day on which the record carries an
    aantekening for certain, and the first on which it may; ``date.min`` when it holds on the
    whole record, None when it carries none."""
    certain: date | None = None
    possible: date | None = None
    for kind in AANTEKENINGEN:
        if not holds(kind.geplaatst, record):
            continue
        vanaf: PartialDay | None = getattr(record, kind.vanaf.name)
        latest = date.min if vanaf is None else vanaf.latest
        earliest = date.min if vanaf is None else vanaf.earliest
        certain = latest if certain is None else min(certain, latest)
        possible = earliest if possible is None else min(possible, earliest)
    return certain, possible


# The aantekening holds on a day for certain when the first day it certainly holds is not
# after it, and possibly when the first day it possibly holds is not (``aantekening_from``:
# ``date.min`` on the whole record; None, no aantekening: on no day).
AANTEKENING_ZEKER_VANAF = Field("aantekening_zeker_vanaf")  # aantekening_from()[0]
AANTEKENING_ZEKER_OP_DAG = Predicate(
    "aantekening_zeker_op_dag", UiterlijkOp(AANTEKENING_ZEKER_VANAF, DAG),
    "bij het record is op de dag zeker een aantekening geplaatst",
)
AANTEKENING_MOGELIJK_OP_DAG = Predicate(
    "aantekening_mogelijk_op_dag", UiterlijkOp(AANTEKENING_MOGELIJK_VANAF, DAG),
    "bij het record is op de dag mogelijk een aantekening geplaatst",
)


@dataclass(slots=True)
class AantekeningOpDagFacts:
    """The fields of AANTEKENING_ZEKER_OP_DAG and AANTEKENING_MOGELIJK_OP_DAG."""

    aantekening_zeker_vanaf: date | None
    aantekening_mogelijk_vanaf: date | None
    dag: date


def aantekening_on(vanaf: tuple[date | None, date | None], day: date) -> tuple[bool, bool]:
    """(certainly, possibly) an aantekening on ``day``, from the record's
    :func:`aantekening_from`: the declared AANTEKENING_ZEKER_OP_DAG and
    AANTEKENING_MOGELIJK_OP_DAG (compiled by ``wpb.batch.jeugdwet.readings.aantekening_on_day``)."""
    facts = AantekeningOpDagFacts(vanaf[0], vanaf[1], day)
    return holds(AANTEKENING_ZEKER_OP_DAG, facts), holds(AANTEKENING_MOGELIJK_OP_DAG, facts)



# --- the readings of a registration over days (registration.readings_between) ----------------
#
# The BRP verblijfplaatshistorie is gap-free: a record runs from its datumVan up to (not
# including) its datumTot, or the next record's datumVan. With partial dates a record covers
# the days asked about (eerste_dag .. laatste_dag) possibly when it may have begun by the last
# of them and may not have ended before the first; each such record is a reading.

EERSTE_DAG = Field("eerste_dag")  # the first day asked about
LAATSTE_DAG = Field("laatste_dag")  # the last day asked about (the same day for one day)
VAN_VROEGST = Field("van_vroegst")  # the earliest possible begin of a record
TOT_LAATST = Field("tot_laatst")  # the latest possible end (exclusive) of the closed record; None: open

VAN_LAATST = Field("van_laatst")  # the latest possible begin of a record


@dataclass(frozen=True)
class Sluiting:
    """How a gap-free history closes its records without an end, declared once for both
    executors (the reference folds over the records, ``registration.ordered_history``; the
    national executor sorts and shifts, ``wpb.batch.jeugdwet.prepare``).

    The records are read in the order of ``volgorde`` (fields compared in turn, then by
    source: :func:`bron_volgorde`, ``volgnr`` in the tables). A record without an end is
    closed by the first record after it whose ``begin`` fields are not all equal to its own:
    that record's begin (``datumVan``) becomes its end (``datumTot``, exclusive). Records
    whose ``begin`` fields are equal begin on one day and stay open side by side, so that
    neither silently wins (their readings then tell contradictory registrations or an
    incomplete date apart); an open record with no later-beginning record stays open. A
    record with an end keeps it. ``betekenis`` says what it means, ``bron`` where the law and
    the BRP say so."""

    name: str
    volgorde: tuple[Field, ...]
    begin: tuple[Field, ...]
    betekenis: str
    bron: str


HISTORIE_SLUITING = Sluiting(
    "sluiting_verblijfplaatshistorie",
    (VAN_VROEGST, VAN_LAATST),
    (VAN_VROEGST, VAN_LAATST),
    "een record zonder einde loopt tot het eerstvolgende record dat later begint; records die "
    "op dezelfde (onvolledige) dag beginnen blijven naast elkaar open",
    "Haal Centraal BRP historie (verblijfplaatshistorie): een periode is halfopen "
    "[datumVan, datumTot) en een record zonder datumTot loopt tot het volgende begint; de "
    "historie kent geen gaten (docs/interpretations.md, \"Periods in the BRP history\" en "
    "\"Contradictory registrations\": de invoervolgorde beslist nooit)",
)


R = TypeVar("R")


def sluiting_volgorde(sluiting: Sluiting, fact: object) -> tuple:
    """The sort key of a record's ``fact`` (its fields as ``sluiting`` names them, and
    ``bron``) in the declared order."""
    return (*(getattr(fact, f.name) for f in sluiting.volgorde), bron_volgorde(fact.bron))


def sluit(sluiting: Sluiting, records: Iterable[R], fact: Callable[[R], object]) -> list[tuple[R, R | None]]:
    """The records in the declared order, each with the record whose begin closes it when it
    has no end of its own (None: it has one, or none begins later). ``fact`` gives a record's
    fields (those of ``sluiting`` and ``bron``) and ``tot`` (None: no end)."""
    facts = sorted(((fact(r), r) for r in records), key=lambda fr: sluiting_volgorde(sluiting, fr[0]))
    closed: list[tuple[R, R | None]] = []
    for i, (f, r) in enumerate(facts):
        closer = None
        if f.tot is None:
            begin = tuple(getattr(f, b.name) for b in sluiting.begin)
            closer = next((r2 for f2, r2 in facts[i + 1:]
                           if tuple(getattr(f2, b.name) for b in sluiting.begin) != begin), None)
        closed.append((r, closer))
    return closed


RECORD_MOGELIJK_OP_DAGEN = Predicate(
    "record_mogelijk_op_dagen",
    UiterlijkOp(VAN_VROEGST, LAATSTE_DAG) & ~UiterlijkOp(TOT_LAATST, EERSTE_DAG),
    "het record is mogelijk begonnen uiterlijk op de laatste dag en mogelijk nog niet geëindigd "
    "op de eerste",
)

# Before the first record there is no registration: a reading "niet ingeschreven" when the
# first record is among the readings and its begin is partial so that the first day may fall
# before it -- unless that record is the registration at birth (it starts with the person).
EERSTE_RECORD_GELEZEN = Field("eerste_record_gelezen")  # the first record of the history is a reading
EERSTE_RECORD_VAN_LAATST = Field("eerste_record_van_laatst")  # its latest possible begin
INGESCHREVEN_BIJ_GEBOORTE = Field("ingeschreven_bij_geboorte")  # its begin is the birth date (given)

MOGELIJK_VOOR_EERSTE_RECORD = Predicate(
    "mogelijk_voor_eerste_record",
    EERSTE_RECORD_GELEZEN & Voor(EERSTE_DAG, EERSTE_RECORD_VAN_LAATST) & ~INGESCHREVEN_BIJ_GEBOORTE,
    "de eerste dag valt mogelijk vóór het eerste record van de historie, dat niet de inschrijving "
    "bij de geboorte is",
)

# Days before the person's birth have no registration: only the reading "niet ingeschreven".
DAGEN_VOOR_GEBOORTE = Predicate(
    "dagen_voor_geboorte",
    Voor(LAATSTE_DAG, GEBOORTE_VROEGST),
    "de laatste dag ligt zeker vóór de geboorte",
)


@dataclass(slots=True)  # made for each record each time the readings are asked: kept light
class RecordOpDagen:
    """The fields of RECORD_MOGELIJK_OP_DAGEN."""

    van_vroegst: date
    tot_laatst: date | None
    eerste_dag: date
    laatste_dag: date


@dataclass(slots=True)
class LezingenFacts:
    """The fields of MOGELIJK_VOOR_EERSTE_RECORD and DAGEN_VOOR_GEBOORTE."""

    eerste_dag: date
    laatste_dag: date
    geboorte_vroegst: date | None
    eerste_record_gelezen: bool = False
    eerste_record_van_laatst: date | None = None
    ingeschreven_bij_geboorte: bool = False


__all__ = [
    "HISTORIE_SLUITING",
    "Sluiting",
    "VAN_LAATST",
    "sluit",
    "sluiting_volgorde",
    "ANDER",
    "JJI_VERBLIJF_MEEST_RECENT",
    "Laatste",
    "ander",
    "bron_volgorde",
    "laatste",
    "laatste_dag",
    "on_day",
    "DAGEN_VOOR_GEBOORTE",
    "LezingenFacts",
    "MOGELIJK_VOOR_EERSTE_RECORD",
    "RECORD_MOGELIJK_OP_DAGEN",
    "RecordOpDagen",
    "AANTEKENINGEN",
    "BEGONNEN_OP_DAG",
    "LOOPT_OP_DAG",
    "LooptOpDagFacts",
    "begonnen_op",
    "loopt_op",
    "AANTEKENING_MOGELIJK_VANAF",
    "AANTEKENING_NA_DAG",
    "AANTEKENING_MOGELIJK_OP_DAG",
    "AANTEKENING_ZEKER_OP_DAG",
    "AANTEKENING_ZEKER_VANAF",
    "AantekeningOpDagFacts",
    "AantekeningNaFacts",
    "Aantekening",
    "DAG_VOOR_VERBLIJF",
    "DaysAfter",
    "DaysBefore",
    "Episode",
    "MonthsAfter",
    "PLAATSEN_VAN_VERBLIJF",
    "Places",
    "Series",
    "VERBLIJFSREEKS",
    "VERBLIJFSREEKS_MET_TEGENSTRIJDIGE",
    "aantekening_from",
    "aantekening_on",
    "places_on",
    "series_on",
    "stay_series",
]
