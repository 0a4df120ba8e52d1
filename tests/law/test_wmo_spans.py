"""The Wmo's predicates over time, both ways: twelve calendar months (wpb.law.wmo.termijnen)
and the states of an earlier placement on the day of the request, and whether a placement or
an application falls in the 365 days before it (the nieuwe cliënt; wpb.law.wmo.spans), and
how those and the region reduce to one answer (wpb.law.wmo.nieuwe_client: NIEUWE_CLIENT_ROUTES,
IN_REGIO_ROUTES).

Each is declared once in the core; the reference engine evaluates the declaration, the
national executor compiles it to polars (``wpb.batch.wmo.compile``). These properties run
both on the same generated days, and check answers taken from the law (bill 36 288, art.
1.2.1a lid 1 onder a: "minder dan twaalf maanden [...] verstreken sinds het eindigen"), so
that the two cannot drift apart or agree on a wrong reading.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date, timedelta
from types import SimpleNamespace

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from wpb.batch.compile import compile_term
from wpb.batch.wmo.compile import compile_passed_on, compile_route_value
from wpb.batch.wmo.nieuwe_client import _APPLIED, _USED, compile_activiteit, compile_nieuwe_client
from wpb.batch.wmo.placements import _ENV
from wpb.law.predicates import first_route, holds
from wpb.law.wmo.nieuwe_client import (
    ACTIVITEIT_ROUTES,
    IN_REGIO_ROUTES,
    IN_REGIO_WAARDE,
    NIEUWE_CLIENT_ROUTES,
    NIEUWE_CLIENT_WAARDE,
    ActiviteitFacts,
)
from wpb.law.wmo.spans import (
    AANVRAAG_MOGELIJK_IN_VENSTER,
    AANVRAAG_ZEKER_IN_VENSTER,
    GEBRUIK_MOGELIJK_IN_VENSTER,
    GEBRUIK_ZEKER_IN_VENSTER,
    MOGELIJK_BINNEN_TWAALF_MAANDEN,
    STANDEN,
    ZEKER_BINNEN_TWAALF_MAANDEN,
    AanvraagOpDag,
    op_dag,
    standen,
)
from wpb.law.wmo.termijnen import TWAALF_MAANDEN_NA_EINDE, MonthsSince, twaalf_maanden_na

EPOCH = date(1970, 1, 1)
SETTINGS = settings(max_examples=200, deadline=None)


def _number(day: date) -> int:
    return (day - EPOCH).days


def _compiled(term: MonthsSince, days: list[date | None]) -> list[date | None]:
    frame = pl.DataFrame({"d": [None if d is None else _number(d) for d in days]},
                         schema={"d": pl.Int32})
    out = frame.select(compile_passed_on(term, pl.col("d")).alias("p"))["p"].to_list()
    return [None if n is None else EPOCH + timedelta(days=n) for n in out]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Days that test the count: any day, the last days of months (29 February among them), and
# the days just before and after them.
month_ends = st.builds(_month_end, st.integers(1900, 2200), st.integers(1, 12))
leap_days = st.integers(1900, 2200).filter(calendar.isleap).map(lambda y: date(y, 2, 29))
near = st.tuples(st.one_of(month_ends, leap_days), st.integers(-3, 3)).map(
    lambda t: t[0] + timedelta(days=t[1]))
# The last days that can be written (9999-12-31 is a common "no end" value): twelve months
# later is beyond them, read as 9999-12-31.
far = st.dates(date(9998, 1, 1), date(9999, 12, 31))
days = st.one_of(st.dates(date(1900, 1, 1), date(2200, 12, 31)), month_ends, leap_days, near,
                 far)


@SETTINGS
@given(st.lists(days, min_size=1, max_size=20), st.integers(0, 30))
def test_compiled_months_give_the_reference_day(since: list[date], months: int):
    term = MonthsSince(months, "", "")
    assert _compiled(term, since) == [term.passed_on(d) for d in since]


@SETTINGS
@given(st.lists(days, min_size=1, max_size=20))
def test_twelve_months_both_ways(ends: list[date]):
    assert _compiled(TWAALF_MAANDEN_NA_EINDE, ends) == [twaalf_maanden_na(e) for e in ends]


def test_twelve_months_from_the_law():
    # The same day of the month a year later; a missing day: the month's last.
    ends = [date(2025, 3, 15), date(2024, 2, 29), date(2023, 2, 28), date(2025, 1, 31),
            date(2025, 12, 31), date(9999, 12, 31), date(9998, 12, 31), None]
    expected = [date(2026, 3, 15), date(2025, 2, 28), date(2024, 2, 28), date(2026, 1, 31),
                date(2026, 12, 31), date.max, date.max, None]
    assert _compiled(TWAALF_MAANDEN_NA_EINDE, ends) == expected
    assert [twaalf_maanden_na(e) for e in ends[:-1]] == expected[:-1]
    # On the day itself twelve months have passed, the day before less than twelve.
    assert TWAALF_MAANDEN_NA_EINDE.within(date(2025, 3, 15), date(2026, 3, 14))
    assert not TWAALF_MAANDEN_NA_EINDE.within(date(2025, 3, 15), date(2026, 3, 15))


# --- the states of a placement on the day of the request (wpb.law.wmo.spans) ----------------

REQUEST = date(2026, 3, 15)
# Offsets from the request of a placement's bounds: around the request itself and around
# twelve months before it (2025-03-15 and the days beside it), and far away.
OFFSETS = [-800, -367, -366, -365, -364, -363, -200, -2, -1, 0, 1, 2, 40]


@st.composite
def placements(draw) -> tuple[tuple[date, date], tuple[date, date] | None, date]:
    """A placement with a partial begin and (perhaps) a partial end, and a day of request
    (29 February among them)."""
    dag = draw(st.sampled_from([REQUEST, date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 31)]))
    b_e, b_w = draw(st.sampled_from(OFFSETS)), draw(st.sampled_from([0, 0, 1, 30, 400]))
    begin = (dag + timedelta(days=b_e), dag + timedelta(days=b_e + b_w))
    if draw(st.booleans()):
        return begin, None, dag
    e_e = max(b_e, draw(st.sampled_from(OFFSETS)))
    e_w = draw(st.sampled_from([0, 0, 1, 2, 30, 400]))
    latest = draw(st.sampled_from([dag + timedelta(days=e_e + e_w), date.max]))
    return begin, (dag + timedelta(days=e_e), latest), dag


def _batch_states(cases: list) -> list[dict[str, bool]]:
    """The national executor's compiled states (wpb.batch.wmo.placements) of each case."""
    def n(d: date | None) -> int | None:
        return None if d is None else _number(d)

    frame = pl.DataFrame({
        "m": [n(dag) for _, _, dag in cases],
        "b_e": [n(b[0]) for b, _, _ in cases], "b_l": [n(b[1]) for b, _, _ in cases],
        "e_e": [n(e and e[0]) for _, e, _ in cases], "e_l": [n(e and e[1]) for _, e, _ in cases],
    }, schema={c: pl.Int32 for c in ("m", "b_e", "b_l", "e_e", "e_l")})
    predicates = [*STANDEN, ("zeker", ZEKER_BINNEN_TWAALF_MAANDEN),
                  ("mogelijk", MOGELIJK_BINNEN_TWAALF_MAANDEN)]
    return frame.select(compile_term(p, _ENV).alias(name) for name, p in predicates).to_dicts()


def _reference_states(begin, einde, dag) -> dict[str, bool]:
    fact = op_dag(begin, einde, dag)
    found = dict.fromkeys((name for name, _ in STANDEN), False)
    found.update(dict.fromkeys(standen(fact), True))
    found["zeker"] = holds(ZEKER_BINNEN_TWAALF_MAANDEN, fact)
    found["mogelijk"] = holds(MOGELIJK_BINNEN_TWAALF_MAANDEN, fact)
    return found


def test_placement_states_from_the_law():
    d = REQUEST
    exact = (date(2025, 3, 15), date(2025, 3, 15))
    # Begun before the request, no end: it runs.
    running = (date(2024, 1, 1), date(2024, 1, 1)), None, d
    # A begin in a month that holds the request: not begun yet, or running.
    unsure_begin = (date(2026, 3, 1), date(2026, 3, 31)), None, d
    # An end on the request itself: it still ran on the day of the request.
    ends_on_request = (date(2024, 1, 1), date(2024, 1, 1)), (d, d), d
    # Ended 2025-03-15: on 2026-03-15 twelve months have passed (no longer "minder dan").
    twelve_passed = (date(2024, 1, 1), date(2024, 1, 1)), exact, d
    # Ended 2025-03-16: less than twelve months.
    within = (date(2024, 1, 1), date(2024, 1, 1)), (date(2025, 3, 16), date(2025, 3, 16)), d
    # Ended some day in March 2025: within twelve months only if it ended after the 15th.
    unsure_end = (date(2024, 1, 1), date(2024, 1, 1)), (date(2025, 3, 1), date(2025, 3, 31)), d
    cases = [running, unsure_begin, ends_on_request, twelve_passed, within, unsure_end]
    expected = [
        {"voor": False, "loopt": True, "geeindigd": False},
        {"voor": True, "loopt": True, "geeindigd": False},
        {"voor": False, "loopt": True, "geeindigd": False},
        {"voor": False, "loopt": False, "geeindigd": True, "zeker": False, "mogelijk": False},
        {"voor": False, "loopt": False, "geeindigd": True, "zeker": True, "mogelijk": True},
        {"voor": False, "loopt": False, "geeindigd": True, "zeker": False, "mogelijk": True},
    ]
    for got in (_batch_states(cases), [_reference_states(*c) for c in cases]):
        assert [{k: v for k, v in g.items() if k in e} for g, e in zip(got, expected, strict=True)] \
            == expected


# --- the nieuwe cliënt: a placement or an application in the 365 days before the request ----


def _window_frame(cases: list) -> pl.DataFrame:
    def n(d: date | None) -> int | None:
        return None if d is None else _number(d)

    return pl.DataFrame({
        "m": [n(dag) for _, _, dag in cases],
        "begin_vroegst": [n(b[0]) for b, _, _ in cases],
        "begin_laatst": [n(b[1]) for b, _, _ in cases],
        "einde_vroegst": [n(e and e[0]) for _, e, _ in cases],
        "einde_laatst": [n(e and e[1]) for _, e, _ in cases],
        # The placement's begin read as an application's date.
        "datum_vroegst": [n(b[0]) for b, _, _ in cases],
        "datum_laatst": [n(b[1]) for b, _, _ in cases],
    }, schema_overrides={c: pl.Int32 for c in ("m", "begin_vroegst", "begin_laatst",
                                                 "einde_vroegst", "einde_laatst",
                                                 "datum_vroegst", "datum_laatst")})


WINDOW = [("gebruik_mogelijk", GEBRUIK_MOGELIJK_IN_VENSTER, _USED),
          ("gebruik_zeker", GEBRUIK_ZEKER_IN_VENSTER, _USED),
          ("aanvraag_mogelijk", AANVRAAG_MOGELIJK_IN_VENSTER, _APPLIED),
          ("aanvraag_zeker", AANVRAAG_ZEKER_IN_VENSTER, _APPLIED)]


def _batch_window(cases: list) -> list[dict[str, bool]]:
    """The national executor's compiled window predicates (wpb.batch.wmo.nieuwe_client)."""
    # The executor's columns are Date columns read as day numbers (keys._days).
    frame = _window_frame(cases).with_columns(pl.exclude("m").cast(pl.Date))
    return frame.select(compile_term(p, env).alias(name) for name, p, env in WINDOW).to_dicts()


def _reference_window(begin, einde, dag) -> dict[str, bool]:
    used = op_dag(begin, einde, dag)
    applied = AanvraagOpDag(dag, begin[0], begin[1])
    return {name: holds(p, used if env is _USED else applied) for name, p, env in WINDOW}


@SETTINGS
@given(st.lists(placements(), min_size=1, max_size=30))
def test_placement_predicates_both_ways(cases):
    # The states on the day of the request, and the window of the nieuwe cliënt.
    assert _batch_states(cases) == [_reference_states(*c) for c in cases]
    assert _batch_window(cases) == [_reference_window(*c) for c in cases]


def test_window_of_the_nieuwe_client_from_the_law():
    # "in de 365 dagen voor de melding": for a request on 2026-03-15, 2025-03-15 up to and
    # including 2026-03-14.
    d = REQUEST
    ended_on_first = (date(2024, 1, 1), date(2024, 1, 1)), (date(2025, 3, 15),) * 2, d
    ended_day_before_first = (date(2024, 1, 1), date(2024, 1, 1)), (date(2025, 3, 14),) * 2, d
    begins_on_request = (d, d), None, d
    begins_day_before = (date(2026, 3, 14), date(2026, 3, 14)), None, d
    ends_some_day_in_march_2025 = ((date(2024, 1, 1), date(2024, 1, 1)),
                                   (date(2025, 3, 1), date(2025, 3, 31)), d)
    cases = [ended_on_first, ended_day_before_first, begins_on_request, begins_day_before,
             ends_some_day_in_march_2025]
    expected = [
        {"gebruik_mogelijk": True, "gebruik_zeker": True},
        {"gebruik_mogelijk": False},
        {"gebruik_mogelijk": False, "aanvraag_mogelijk": False},
        {"gebruik_mogelijk": True, "gebruik_zeker": True, "aanvraag_mogelijk": True,
         "aanvraag_zeker": True},
        {"gebruik_mogelijk": True, "gebruik_zeker": False},
    ]
    for got in (_batch_window(cases), [_reference_window(*c) for c in cases]):
        assert [{k: v for k, v in g.items() if k in e} for g, e in zip(got, expected, strict=True)] \
            == expected


# --- the nieuwe cliënt: how the facts reduce to one answer (route tables with values) -------


def _both_ways(routes, values, names: list[str]) -> list[tuple[tuple[bool, ...], object]]:
    """Every combination of the Boolean facts ``names``, with the value the reference
    (first_route) and the executor's compiled table (compile_route_value) give it."""
    combinations = list(itertools.product([False, True], repeat=len(names)))
    frame = pl.DataFrame(combinations, schema=names, orient="row")
    compiled = frame.select(
        compile_route_value(routes, values, {c: pl.col(c) for c in names}).alias("v"))["v"]
    facts = [SimpleNamespace(**dict(zip(names, c, strict=True))) for c in combinations]
    reference = [values[str(first_route(routes, f)[0].gevolg)] for f in facts]
    assert compiled.to_list() == reference
    return list(zip(combinations, reference, strict=True))


def test_nieuwe_client_answer_both_ways():
    # The executor's own reduction is this compiled table.
    frame = pl.DataFrame({"zeker": [True], "misschien": [False], "aanvragen_bekend": [True]})
    env = {c: pl.col(c) for c in frame.columns}
    assert frame.select(compile_nieuwe_client(env)).item() is False
    # Seed 004: a placement or application certainly in the window and the region: not a
    # nieuwe cliënt; one that possibly is, or applications not given: the facts do not
    # decide; none, with the applications given: a nieuwe cliënt.
    for (zeker, misschien, known), value in _both_ways(
            NIEUWE_CLIENT_ROUTES, NIEUWE_CLIENT_WAARDE, ["zeker", "misschien", "aanvragen_bekend"]):
        assert value == (False if zeker else True if (not misschien and known) else None)


def test_in_regio_both_ways():
    names = ["gemeente_bekend", "in_eigen_gemeente", "regio_bekend", "in_regio_leden",
             "buiten_regio"]
    for (known, own, regio, inside, outside), value in _both_ways(
            IN_REGIO_ROUTES, IN_REGIO_WAARDE, names):
        # A gemeente is always in its own region; otherwise the listed region decides, and a
        # code split over its border (successors in and out) is left open.
        if not known:
            assert value is None
        elif own:
            assert value is True
        elif not regio:
            assert value is None
        else:
            assert value is (True if inside else False if outside else None)


def test_step_per_activity_both_ways():
    # Seed 004: only use or an application "in de regio waar hij zich meldt" counts. One
    # outside the region does not count; one in it and certainly in the 365 days makes him no
    # nieuwe cliënt ("zeker"); one where the region or the window is not certain leaves it
    # open ("misschien"). Every combination, the region true, false or not known.
    combinations = list(itertools.product([None, False, True], [False, True]))
    frame = pl.DataFrame(combinations, schema={"in_regio": pl.Boolean, "zeker": pl.Boolean},
                         orient="row")
    compiled = frame.select(compile_activiteit(pl.col("in_regio"), pl.col("zeker")))[:, 0].to_list()
    reference = [ACTIVITEIT_ROUTES.index(first_route(ACTIVITEIT_ROUTES, ActiviteitFacts(r, z))[0])
                 for r, z in combinations]
    assert compiled == reference
    expected = {(None, False): "misschien", (None, True): "misschien",
                (False, False): "telt_niet", (False, True): "telt_niet",
                (True, False): "misschien", (True, True): "zeker"}
    assert [ACTIVITEIT_ROUTES[i].gevolg for i in reference] == [expected[c] for c in combinations]
