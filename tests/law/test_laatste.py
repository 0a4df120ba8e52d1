"""The last of several episodes and the closure of the BRP history, both ways.

Declared once in ``wpb.law.spans``: the choice of the last of several episodes
(:class:`~wpb.law.spans.Laatste`: "another certainly came later" leaves an episode out, "may
be the last", "certainly the last", a tie rule) and the closure of a gap-free history
(:data:`~wpb.law.spans.HISTORIE_SLUITING`). Two choices use it: the most recent JJI stay
(Jeugdwet art. 1.1 "woonplaats" 2°, second limb: ``spans.JJI_VERBLIJF_MEEST_RECENT``) and the
Wmo placement that ended last (bill 36 288, art. 1.2.1a lid 1 onder a, "laatstelijk":
``wmo.spans.LAATST_GEEINDIGD``). The reference evaluates them (``spans.laatste``,
``spans.sluit``), the national executor compiles them (``wpb.batch.compile.compile_laatste``,
``wpb.batch.jeugdwet.stays.most_recent_jji_stay``, ``wpb.batch.wmo.placements._may_be_last``,
``wpb.batch.jeugdwet.prepare``). These properties run both on the same generated facts --
ties, partial dates, episodes begun after the day, open records, records beginning on one
day, input in any order -- and check answers taken from the law and the BRP.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.batch.engine import day_number, prepare
from wpb.batch.jeugdwet.stays import most_recent_jji_stay
from wpb.batch.wmo.placements import _may_be_last
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import (
    Case,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
)
from wpb.law.predicates import holds
from wpb.law.registration import ordered_history
from wpb.law.spans import JJI_VERBLIJF_MEEST_RECENT, bron_volgorde, laatste, laatste_dag, on_day
from wpb.law.wmo.beschermd_wonen import _laatste_plaatsing, _op_dag
from wpb.law.wmo.facts import BeschermdWonenPlaatsing
from wpb.law.wmo.spans import (
    GEEINDIGD,
    LAATST_GEEINDIGD,
    MOGELIJK_BINNEN_TWAALF_MAANDEN,
    ZEKER_BINNEN_TWAALF_MAANDEN,
)
from wpb.population.schema import cases_to_population
from wpb.refdata import gemeente_register

REGISTER = gemeente_register()
SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PEILDATUM = date(2023, 6, 15)
BORN = date(2010, 2, 1)
YOUTH = Persoon("j", PartialDate.exact(BORN), ())

# --- the most recent JJI stay ------------------------------------------------------------------


@st.composite
def jji_histories(draw) -> tuple[Jeugdhulp, ...]:
    """Episodes of care, among them JJI stays beginning on few days (ties likely), some
    after the peildatum, running or ended; sources numbered so that "[10]" and "[9]" meet."""
    begins = [PEILDATUM + timedelta(days=d) for d in (-400, -120, -30, 0, 1, 90)]
    numbers = draw(st.lists(st.integers(0, 12), min_size=0, max_size=6, unique=True))
    episodes = []
    for n in numbers:
        begin = draw(st.sampled_from(begins))
        einde = draw(
            st.sampled_from([None, begin, begin + timedelta(days=20), begin + timedelta(days=500)])
        )
        vorm, verblijf = draw(
            st.sampled_from(
                [
                    (JeugdhulpVorm.JJI, True),
                    (JeugdhulpVorm.JJI, True),
                    (JeugdhulpVorm.JJI, False),
                    (JeugdhulpVorm.PLEEGOUDER, True),
                    (JeugdhulpVorm.JEUGDRECLASSERING, False),
                ]
            )
        )
        episodes.append(Jeugdhulp(f"jeugdhulp[{n}]", begin, einde, verblijf, vorm, "0363"))
    return tuple(episodes)


def _reference_jji(episodes: tuple[Jeugdhulp, ...]) -> tuple[int, int] | None:
    """(volgnr of the chosen stay, its last day up to the peildatum) by spans.laatste."""
    chosen = laatste(JJI_VERBLIJF_MEEST_RECENT, episodes, lambda e: on_day(e, PEILDATUM))
    if not chosen:
        return None
    assert len(chosen) == 1  # a tie rule chooses one
    stay = chosen[0][0]
    volgnr = sorted(episodes, key=lambda e: bron_volgorde(e.bron)).index(stay)
    return volgnr, day_number(laatste_dag(stay.einde, PEILDATUM))


def _compiled_jji(histories: list[tuple[Jeugdhulp, ...]]) -> list[tuple[int, int] | None]:
    population, ids = cases_to_population([Case(PEILDATUM, YOUTH, jeugdhulp=h) for h in histories])
    prep = prepare(population, PEILDATUM, REGISTER)
    found = {
        pid: (volgnr, day)
        for pid, volgnr, day in most_recent_jji_stay(prep)
        .select("pid", "volgnr", "jji_day")
        .iter_rows()
    }
    return [found.get(pid) for pid in ids]


@SETTINGS
@given(st.lists(jji_histories(), min_size=1, max_size=8))
def test_most_recent_jji_stay_is_the_same_in_both_executors(histories):
    """Which JJI stay is the most recent (with the tie rule) and its last day up to the
    peildatum: spans.laatste against the compiled choice, on the same episodes."""
    assert _compiled_jji(histories) == [_reference_jji(h) for h in histories]


def _stay(
    n: int, begin: date, einde: date | None, vorm=JeugdhulpVorm.JJI, verblijf=True
) -> Jeugdhulp:
    return Jeugdhulp(f"jeugdhulp[{n}]", begin, einde, verblijf, vorm, "0363")


def test_most_recent_jji_stay_answers_from_the_law():
    """2°, second limb: "in verband met het verblijf in een justitiële jeugdinrichting" reads
    the JJI stay begun most recently on or before the peildatum, also when it has ended; a
    stay beginning after the peildatum, or care in a JJI without a stay, is not it. Between two
    beginning on one day the last by source is taken: "jeugdhulp[10]" comes after
    "jeugdhulp[9]" (numbers compared as numbers), in both executors."""
    earlier = _stay(0, date(2022, 1, 1), date(2022, 3, 1))
    ended = _stay(1, date(2023, 1, 1), date(2023, 2, 1))
    future = _stay(2, date(2023, 7, 1), None)
    not_a_stay = _stay(3, date(2023, 5, 1), None, verblijf=False)
    foster = _stay(4, date(2023, 6, 1), None, vorm=JeugdhulpVorm.PLEEGOUDER)
    case_ = (earlier, ended, future, not_a_stay, foster)
    # The stay of January 2023, read up to its own end (1 February 2023).
    assert _reference_jji(case_) == (1, day_number(date(2023, 2, 1)))
    # Running on the peildatum: read up to the peildatum.
    running = (earlier, _stay(1, date(2023, 1, 1), None))
    assert _reference_jji(running) == (1, day_number(PEILDATUM))
    # A tie: "[10]" after "[9]" (volgnr 1 of the two), whichever ends first.
    tie = (
        _stay(9, date(2023, 1, 1), date(2023, 5, 1)),
        _stay(10, date(2023, 1, 1), date(2023, 2, 1)),
    )
    assert _reference_jji(tie) == (1, day_number(date(2023, 2, 1)))
    assert _reference_jji((future, not_a_stay, foster)) is None
    assert _compiled_jji([case_, running, tie, (future, not_a_stay, foster)]) == [
        _reference_jji(case_),
        _reference_jji(running),
        _reference_jji(tie),
        None,
    ]


# --- the Wmo placement that ended last ---------------------------------------------------------


def _partial(draw, d: date) -> PartialDate:
    return draw(
        st.sampled_from(
            [PartialDate.exact(d)] * 2
            + [PartialDate.year_month(d.year, d.month), PartialDate.year(d.year)]
        )
    )


@st.composite
def ended_placements(draw) -> tuple[date, list[BeschermdWonenPlaatsing], list[bool]]:
    """A day of the request and placements ended before it (their ends known to the day,
    month or year, close together or on one day), each competing or not."""
    dag = date(2025, 3, 15) + timedelta(days=draw(st.integers(-40, 40)))
    ends = [dag - timedelta(days=d) for d in (1, 20, 45, 200, 365, 400, 800)]
    placements = []
    for i in range(draw(st.integers(1, 5))):
        einde = _partial(draw, draw(st.sampled_from(ends)))
        begin = PartialDate.exact(einde.earliest - timedelta(days=draw(st.integers(0, 400))))
        p = BeschermdWonenPlaatsing(f"eerderBeschermdWonen[{i}]", "0363", begin, einde)
        if holds(GEEINDIGD, _op_dag(p, dag)):
            placements.append(p)
    competes = [draw(st.booleans()) for _ in placements]
    return dag, placements, competes


def _rows(dag: date, placements: list[BeschermdWonenPlaatsing]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (
                0,
                i,
                day_number(dag),
                day_number(p.begin.earliest),
                day_number(p.begin.latest),
                day_number(p.einde.earliest),
                day_number(p.einde.latest),
                bool(c),
            )
            for i, (p, c) in enumerate(placements)
        ],
        schema={
            "pid": pl.Int64,
            "volgnr": pl.Int32,
            "m": pl.Int32,
            "b_e": pl.Int32,
            "b_l": pl.Int32,
            "e_e": pl.Int32,
            "e_l": pl.Int32,
            "competes": pl.Boolean,
        },
        orient="row",
    )


@settings(max_examples=300, deadline=None)
@given(ended_placements())
def test_placement_ended_last_is_the_same_in_both_executors(drawn):
    """Which placements may have ended last (none that another, competing one certainly
    ended after), with whether exception a holds in every or some reading: spans.laatste and
    _laatste_plaatsing against the compiled choice (_may_be_last), every placement competing
    and only some (the settlement's readings)."""
    dag, placements, competes = drawn
    if not placements:
        return
    rows = _rows(dag, [(p, c) for p, c in zip(placements, competes, strict=True)])
    for competing in (None, competes):
        compiled = _may_be_last(rows, pl.lit(True) if competing is None else pl.col("competes"))
        got = sorted(compiled.select("volgnr", "sure", "maybe").iter_rows())
        expected = []
        for i, p in enumerate(placements):
            others = [
                q
                for j, q in enumerate(placements)
                if j != i and (competing is None or competing[j])
            ]
            chosen = laatste(LAATST_GEEINDIGD, [p, *others], lambda q: _op_dag(q, dag))
            if any(q is p for q, _ in chosen):
                fact = _op_dag(p, dag)
                expected.append(
                    (
                        i,
                        holds(ZEKER_BINNEN_TWAALF_MAANDEN, fact),
                        holds(MOGELIJK_BINNEN_TWAALF_MAANDEN, fact),
                    )
                )
        assert got == expected
    # The reference's readings of exception a: one per placement that may be last, two where
    # only its latest end is within twelve months.
    options = _laatste_plaatsing(placements, dag)
    compiled = _may_be_last(rows, pl.lit(True))
    assert len(options) == sum(
        2 if maybe and not sure else 1
        for sure, maybe in compiled.select("sure", "maybe").iter_rows()
    )


def test_placement_ended_last_answers_from_the_law():
    """Art. 1.2.1a lid 1 onder a, "laatstelijk": a placement ended in 2023 (a year only) did
    not end last beside one ended on 15 March 2024; one ended in March 2024 (a month only)
    may have ended before or after it: each is a reading. One ended in 2024 (a year) and one
    on 15 March 2024 both may have; of one alone it is certain."""
    dag = date(2025, 1, 10)
    exact = BeschermdWonenPlaatsing(
        "a", "0363", PartialDate.exact(date(2020, 1, 1)), PartialDate.exact(date(2024, 3, 15))
    )
    year_2023 = BeschermdWonenPlaatsing(
        "b", "0363", PartialDate.exact(date(2020, 1, 1)), PartialDate.year(2023)
    )
    march = BeschermdWonenPlaatsing(
        "c", "0363", PartialDate.exact(date(2020, 1, 1)), PartialDate.year_month(2024, 3)
    )

    def last(*placements):
        return [
            (p.bron, sure)
            for p, sure in laatste(LAATST_GEEINDIGD, placements, lambda p: _op_dag(p, dag))
        ]

    assert last(exact, year_2023) == [("a", True)]
    assert last(exact, march) == [("a", False), ("c", False)]
    assert last(exact, march, year_2023) == [("a", False), ("c", False)]
    assert last(year_2023) == [("b", True)]
    rows = _rows(dag, [(p, True) for p in (exact, march, year_2023)])
    assert sorted(_may_be_last(rows, pl.lit(True))["volgnr"].to_list()) == [0, 1]


# --- the closure of the BRP history ------------------------------------------------------------


@st.composite
def histories(draw) -> Persoon:
    """A history in any input order: records beginning on few days (so on one day often),
    known to the day, month or year, open or closed."""
    days = [BORN + timedelta(days=d) for d in (0, 31, 200, 365, 366, 900)]
    records = []
    numbers = draw(st.lists(st.integers(0, 12), min_size=0, max_size=6, unique=True))
    for n in numbers:
        van = _partial(draw, draw(st.sampled_from(days)))
        tot = None
        if draw(st.booleans()):
            tot = _partial(draw, van.latest + timedelta(days=draw(st.integers(1, 400))))
            if tot.earliest <= van.latest:
                tot = None
        records.append(
            Verblijfplaats(
                f"verblijfplaatshistorie[{n}]",
                VerblijfplaatsSoort.ADRES,
                Period(van, tot),
                gemeente_code="0363",
            )
        )
    return Persoon("p", PartialDate.exact(BORN), tuple(records))


def _reference_closure(persoon: Persoon) -> list[tuple]:
    """Per record in the reference's order: (begin bounds, end's latest day or None, all
    dates complete) by registration.ordered_history (spans.sluit)."""
    return [
        (
            day_number(r.periode.van.earliest),
            day_number(r.periode.van.latest),
            None if r.periode.tot is None else day_number(r.periode.tot.latest),
            r.periode.van.is_exact and (r.periode.tot is None or r.periode.tot.is_exact),
        )
        for r in ordered_history(persoon)
    ]


def _compiled_closure(people: list[Persoon]) -> list[list[tuple]]:
    population, ids = cases_to_population([Case(PEILDATUM, p) for p in people])
    prep = prepare(population, PEILDATUM, REGISTER)
    rows: dict[int, list[tuple]] = {}
    for pid, van_e, van_l, tot_l, exact in (
        prep.records.sort("row").select("pid", "van_e", "van_l", "tot_l", "exact").iter_rows()
    ):
        rows.setdefault(pid, []).append((van_e, van_l, tot_l, exact))
    return [rows.get(pid, []) for pid in ids]


@SETTINGS
@given(st.lists(histories(), min_size=1, max_size=8))
def test_history_closure_is_the_same_in_both_executors(people):
    """The closure declared once (spans.HISTORIE_SLUITING): the reference's fold against the
    executor's sort and shift, on histories in any input order, with partial dates, open
    records and records beginning on one day."""
    assert _compiled_closure(people) == [_reference_closure(p) for p in people]


def test_history_closure_answers_from_the_brp():
    """Haal Centraal: a record without datumTot runs until the next one begins. Two open
    records beginning on one day both stay open (neither silently wins); a record beginning
    later closes both, at its begin; a record with its own end keeps it; the input order does
    not matter."""

    def record(n: int, van: PartialDate, tot: PartialDate | None = None) -> Verblijfplaats:
        return Verblijfplaats(
            f"verblijfplaatshistorie[{n}]",
            VerblijfplaatsSoort.ADRES,
            Period(van, tot),
            gemeente_code="0363",
        )

    may = PartialDate.year_month(2020, 5)
    later = PartialDate.exact(date(2021, 1, 1))
    people = [
        Persoon("p", PartialDate.exact(BORN), (record(2, later), record(10, may), record(1, may))),
        Persoon("p", PartialDate.exact(BORN), (record(0, may), record(1, may))),
        Persoon(
            "p",
            PartialDate.exact(BORN),
            (record(0, may, PartialDate.exact(date(2020, 8, 1))), record(1, later)),
        ),
    ]
    jan = day_number(date(2021, 1, 1))
    may_e, may_l = day_number(date(2020, 5, 1)), day_number(date(2020, 5, 31))
    assert [_reference_closure(p) for p in people] == [
        [(may_e, may_l, jan, False), (may_e, may_l, jan, False), (jan, jan, None, True)],
        [(may_e, may_l, None, False), (may_e, may_l, None, False)],
        [(may_e, may_l, day_number(date(2020, 8, 1)), False), (jan, jan, None, True)],
    ]
    # The sources in the reference's order: "[1]" before "[10]" (numbers as numbers).
    assert [r.bron for r in ordered_history(people[0])] == [
        "verblijfplaatshistorie[1]",
        "verblijfplaatshistorie[10]",
        "verblijfplaatshistorie[2]",
    ]
    assert _compiled_closure(people) == [_reference_closure(p) for p in people]
