"""The Wmo beschermd-wonen clauses declared once (issue 15): their route tables, the
toelichting they write, and their predicates evaluated both ways.

The expected orders and answers come from the law text (Wmo 2015 art. 1.2.1 onder b, bill
36 288 art. 1.2.1a lid 1 onder a, the transitional rule of seed 004) and the Wet BRP, not
from the engine: an exception goes before the rule it departs from ("in afwijking van artikel
1.2.1"), the transitional rule before the new rule, the aanmeldgemeente only until the bill
takes effect.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import wpb.law.predicates as shared
from wpb.batch.compile import compile_route_index, compile_term
from wpb.batch.wmo.compile import compile_eerste_gegeven
from wpb.brp.wmo_case import parse_wmo_case
from wpb.law.decision import ReviewReden
from wpb.law.predicates import ReadingFacts, Term, _interpret, first_route, holds
from wpb.law.wmo import beschermd_wonen as bw
from wpb.law.wmo.predicates import (
    AANMELDGEMEENTE_GELDT,
    BESTAANDE_CLIENT,
    DAG_VAN_DE_MELDING,
    LOPENDE_INDICATIE_BIJ_MELDING,
    MELDING_VOOR_WMO_2015,
    NA_OVERGANG,
    OVERGANG_NIEUWE_CLIENT,
    OVERGANG_TOT,
    UITZONDERINGEN_UITGESLOTEN,
    WMO_PREDICATES,
    WmoFacts,
)

IN_FORCE = date(2026, 1, 1)
WMO_TABLES = (bw.REGEL_ROUTES, bw.OVERGANG_ROUTES, bw.CENTRUMGEMEENTE_ROUTES, bw.EERDER_ROUTES,
              bw.UITZONDERINGEN_ROUTES)

# --- the order of the tables, from the law --------------------------------------------------


def _gevolgen(routes) -> list[str | None]:
    return [r.gevolg for r in routes]


def test_which_rule_applies_in_the_order_of_the_law():
    # No Wmo 2015 before 2015; the 2015 text until the bill takes effect; then the bill.
    assert _gevolgen(bw.REGEL_ROUTES) == ["geen_wmo", "aanmeldgemeente", "woonplaatsbeginsel"]
    assert bw.REGEL_ROUTES[0].reden == ReviewReden.WET_NIET_VAN_TOEPASSING.value
    assert bw.REGEL_ROUTES[1].onderdeel == bw.ONDERDEEL_AANMELDGEMEENTE


def test_the_transitional_rule_goes_before_the_woonplaatsbeginsel():
    gevolgen = _gevolgen(bw.OVERGANG_ROUTES)
    # Current clients first (their indication, and after 2031 open), a request under the old
    # rule, then who is not a nieuwe cliënt, and only then the woonplaatsbeginsel.
    assert gevolgen == [
        "bestaande_client_na_2031", "centrumgemeente_indicatie", "aanvraag_voor_inwerkingtreding",
        "centrumgemeente_regio", "centrumgemeente_regio_ontbreekt", "nieuwe_client_onbekend",
        "hoofdregel",
    ]
    by = {r.gevolg: r for r in bw.OVERGANG_ROUTES}
    assert by["centrumgemeente_indicatie"].onderdeel == bw.ONDERDEEL_OVERGANG
    assert by["centrumgemeente_regio_ontbreekt"].ontbreekt[0] == "aanmelding.regio.centrumgemeente"
    assert by["bestaande_client_na_2031"].reden == ReviewReden.OPEN_RECHTSVRAAG.value


def test_nieuwe_client_unknown_is_decided_only_where_both_answers_agree():
    # "Het woonplaatsbeginsel geldt voor de nieuwe cliënt"; who is not one "blijft [...]
    # aangewezen op de centrumgemeente van die regio": unknown which, decided only where both
    # name the same gemeente, otherwise a review for the unknown nieuwe cliënt under the
    # transitional rule. Both executors on both facts.
    routes = bw.NIEUWE_CLIENT_ONBEKEND_ROUTES
    frame = pl.DataFrame({"same": [False, True]})
    compiled = frame.select(compile_route_index(
        routes, {bw.HOOFDREGEL_WIJST_CENTRUMGEMEENTE.name: pl.col("same")}))[:, 0].to_list()
    reference = [routes.index(first_route(routes, bw.WegingFacts(same))[0]) for same in (False, True)]
    assert compiled == reference
    assert [routes[i].gevolg for i in reference] == ["nieuwe_client_onbekend", "hoofdregel"]
    review = routes[reference[0]]
    assert review.reden == ReviewReden.NIEUWE_CLIENT_ONBEKEND.value
    assert review.onderdeel == bw.ONDERDEEL_OVERGANG


def test_which_centrumgemeente_stays_responsible():
    # Seed 004: a current client stays with the centrumgemeente of his indication, one who is
    # not a nieuwe cliënt with that of the region where he reports, both to the end of 2031;
    # a nieuwe cliënt with none.
    day = date(2026, 3, 15)

    def gevolg(**facts) -> str:
        return first_route(bw.CENTRUMGEMEENTE_ROUTES, WmoFacts(day, day, IN_FORCE, **facts))[0].gevolg

    current = {"indicatie_begin": date(2020, 1, 1)}
    assert gevolg(**current) == "centrumgemeente_indicatie"
    assert gevolg(**current, nieuwe_client=False) == "centrumgemeente_indicatie"
    assert gevolg(nieuwe_client=False) == "centrumgemeente_regio"
    assert gevolg(nieuwe_client=True) == "geen"
    assert gevolg(nieuwe_client=None) == "geen"
    after = date(2032, 1, 1)
    assert first_route(bw.CENTRUMGEMEENTE_ROUTES, WmoFacts(day, after, IN_FORCE, nieuwe_client=False,
                                                           **current))[0].gevolg == "geen"
    # The gevolgen are those of the transitional rule's routes to a centrumgemeente.
    overgang = set(_gevolgen(bw.OVERGANG_ROUTES))
    assert set(_gevolgen(bw.CENTRUMGEMEENTE_ROUTES)) - {"geen"} <= overgang


def test_exception_a_goes_before_the_woonadres_it_departs_from():
    # Art. 1.2.1a lid 1: "in afwijking van artikel 1.2.1, aanhef en onderdeel b".
    gevolgen = _gevolgen(bw.EERDER_ROUTES)
    assert gevolgen.index("uitzondering_a") < gevolgen.index("woonadres") == len(gevolgen) - 1
    assert bw.EERDER_ROUTES[gevolgen.index("uitzondering_a")].onderdeel == bw.ONDERDEEL_UITZONDERING_A
    assert bw.EERDER_ROUTES[-1].onderdeel == bw.ONDERDEEL_WOONADRES


def test_woonadres_routes_use_the_shared_predicates_of_the_brp():
    # Woonadres, buitenland, ingeschreven and aantekening are the Jeugdwet's predicates
    # (wpb.law.predicates), not restated for the Wmo.
    used = {r.wanneer for r in bw.WOONADRES_ROUTES}
    assert shared.WOONADRES in used and shared.BUITENLAND in used and shared.AANTEKENING in used
    assert ~shared.INGESCHREVEN in used and ~shared.WOONADRES in used
    assert _gevolgen(bw.WOONADRES_ROUTES) == ["vangnet", "vangnet", "vangnet", "aantekening", "woonadres"]


def test_every_route_names_a_clause_with_a_legal_source():
    src = bw.bronnen(IN_FORCE)
    clauses = {bw.onderdeel_code(s) for s in (src.aanmeldgemeente, src.woonadres, src.uitzondering_a,
                                               src.overgang)}
    assert clauses == set(bw.ONDERDELEN)
    for routes in (*WMO_TABLES, bw.WOONADRES_ROUTES):
        for route in routes:
            assert route.onderdeel is None or route.onderdeel in clauses, route
            assert route.reden is None or ReviewReden(route.reden), route
            assert route.gevolg, route


# --- each declared predicate and table gives the same answer in both executors ---------------

_DAYS = [None, date(2014, 12, 31), date(2015, 1, 1), IN_FORCE - timedelta(days=1), IN_FORCE,
         date(2026, 3, 15), date(2031, 12, 31), OVERGANG_TOT]
_day = st.sampled_from(_DAYS)
_given_day = st.sampled_from(_DAYS[1:])
facts_strategy = st.builds(
    WmoFacts,
    melddatum=_given_day, peildatum=_given_day, inwerkingtreding=st.sampled_from([None, IN_FORCE]),
    indicatie_begin=_day, indicatie_einde=_day,
    nieuwe_client=st.sampled_from([None, False, True]),
    regio_centrumgemeente=st.sampled_from([None, "0344"]),
    lopend_beschermd_wonen=st.booleans(), eerder_binnen_twaalf_maanden=st.booleans(),
    uitzondering_b=st.sampled_from([None, False, True]),
    uitzondering_c=st.sampled_from([None, False, True]),
    uitzondering_d=st.sampled_from([None, False, True]),
)

_SCHEMA = {"melddatum": pl.Date, "peildatum": pl.Date, "inwerkingtreding": pl.Date,
           "indicatie_begin": pl.Date, "indicatie_einde": pl.Date, "nieuwe_client": pl.Boolean,
           "regio_centrumgemeente": pl.String, "lopend_beschermd_wonen": pl.Boolean,
           "eerder_binnen_twaalf_maanden": pl.Boolean, "uitzondering_b": pl.Boolean,
           "uitzondering_c": pl.Boolean, "uitzondering_d": pl.Boolean}


def _columns(facts: list[WmoFacts]) -> tuple[pl.DataFrame, dict[str, pl.Expr]]:
    frame = pl.DataFrame([{f.name: getattr(x, f.name) for f in fields(WmoFacts)} for x in facts],
                         schema=_SCHEMA)
    return frame, {c: pl.col(c) for c in frame.columns}


def _compiled(term: Term, frame: pl.DataFrame, env) -> list:
    return frame.select(compile_term(term, env))[:, 0].to_list()


@settings(max_examples=80, deadline=None)
@given(st.lists(facts_strategy, min_size=1, max_size=40))
def test_every_wmo_predicate_and_table_is_the_same_scalar_and_columnar(facts):
    """Scalar (holds, first_route: the reference engine) against the polars compilation
    (compile_term, compile_route_index: the national executor), on the same facts."""
    frame, env = _columns(facts)
    for predicate in WMO_PREDICATES:
        assert _compiled(predicate, frame, env) == [holds(predicate, f) for f in facts], predicate.name
        assert [holds(predicate, f) for f in facts] == [_interpret(predicate, f) for f in facts]
    for routes in WMO_TABLES:
        columnar = frame.select(compile_route_index(routes, env))[:, 0].to_list()
        assert columnar == [routes.index(first_route(routes, f)[0]) for f in facts]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "Adres", "Locatie", "VerblijfplaatsBuitenland",
                                           "OnbekendeVerblijfplaats"]),
                          st.sampled_from([None, "0363", "1999", "0000"]), st.booleans(),
                          st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_the_woonadres_table_is_the_same_scalar_and_columnar(records):
    rows = [ReadingFacts(ingeschreven=ing, aantekening=at, soort=soort, gemeente_code=code, briefadres=brief)
            for soort, code, brief, ing, at in records]
    frame = pl.DataFrame([vars(r) for r in rows], schema={
        "ingeschreven": pl.Boolean, "aantekening": pl.Boolean, "soort": pl.String,
        "gemeente_code": pl.String, "briefadres": pl.Boolean})
    env = {c: pl.col(c) for c in frame.columns}
    columnar = frame.select(compile_route_index(bw.WOONADRES_ROUTES, env))[:, 0].to_list()
    assert columnar == [bw.WOONADRES_ROUTES.index(first_route(bw.WOONADRES_ROUTES, r)[0]) for r in rows]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.dates(date(2014, 1, 1), date(2032, 12, 31))),
                          st.dates(date(2014, 1, 1), date(2032, 12, 31))), min_size=1, max_size=30))
def test_the_day_of_the_request_is_the_same_scalar_and_columnar(days):
    # The day of the request, else the peildatum (DAG_VAN_DE_MELDING), both ways.
    frame = pl.DataFrame(days, schema={"aanmelddatum": pl.Date, "peildatum": pl.Date}, orient="row")
    columnar = frame.select(compile_eerste_gegeven(
        DAG_VAN_DE_MELDING, {c: pl.col(c) for c in frame.columns}))[:, 0].to_list()
    assert columnar == [DAG_VAN_DE_MELDING.van({"aanmelddatum": a, "peildatum": p}) for a, p in days]
    assert columnar == [a or p for a, p in days]


def test_the_day_of_the_request_defaults_to_the_peildatum(register):
    given_day = parse_wmo_case(_doc(), register)
    assert given_day.melddatum == date(2026, 3, 14)
    doc = _doc(peildatum="2026-03-20")
    doc["aanmelding"] = {k: v for k, v in doc["aanmelding"].items() if k != "datum"}
    assert parse_wmo_case(doc, register).melddatum == date(2026, 3, 20)


def test_known_answers_from_the_law():
    day = date(2026, 3, 15)
    base = WmoFacts(melddatum=day, peildatum=day, inwerkingtreding=IN_FORCE)
    # The Wmo 2015 is in force from 2015-01-01.
    assert holds(MELDING_VOOR_WMO_2015, WmoFacts(date(2014, 12, 31), day))
    assert not holds(MELDING_VOOR_WMO_2015, WmoFacts(date(2015, 1, 1), day))
    # Not in force without a royal decree (no date set); in force from its first day.
    assert holds(AANMELDGEMEENTE_GELDT, WmoFacts(day, day))
    assert not holds(AANMELDGEMEENTE_GELDT, WmoFacts(IN_FORCE, IN_FORCE, IN_FORCE))
    assert holds(AANMELDGEMEENTE_GELDT, WmoFacts(IN_FORCE, IN_FORCE - timedelta(days=1), IN_FORCE))
    # A current client: an indication "van vóór de inwerkingtreding" that still runs; one
    # granted on the day itself is not from before it; the end day is included.
    assert holds(BESTAANDE_CLIENT, replace(base, indicatie_begin=IN_FORCE - timedelta(days=1)))
    assert not holds(BESTAANDE_CLIENT, WmoFacts(day, day, IN_FORCE, indicatie_begin=IN_FORCE))
    assert holds(BESTAANDE_CLIENT, WmoFacts(day, day, IN_FORCE, date(2020, 1, 1), day))
    assert not holds(BESTAANDE_CLIENT, WmoFacts(day, day, IN_FORCE, date(2020, 1, 1), day - timedelta(days=1)))
    assert not holds(BESTAANDE_CLIENT, WmoFacts(day, day, None, date(2020, 1, 1)))
    # "uiterlijk tot en met 31 december 2031".
    assert not holds(NA_OVERGANG, WmoFacts(day, date(2031, 12, 31)))
    assert holds(NA_OVERGANG, WmoFacts(day, OVERGANG_TOT))
    assert holds(OVERGANG_NIEUWE_CLIENT, base)
    assert not holds(OVERGANG_NIEUWE_CLIENT, WmoFacts(day, OVERGANG_TOT, IN_FORCE))
    # An indication without an end runs; none at all does not.
    assert holds(LOPENDE_INDICATIE_BIJ_MELDING, WmoFacts(day, day, indicatie_begin=day))
    assert not holds(LOPENDE_INDICATIE_BIJ_MELDING, WmoFacts(day, day))
    # Exceptions b-d: only an explicit "not applicable" on all three passes.
    assert holds(UITZONDERINGEN_UITGESLOTEN, WmoFacts(day, day, uitzondering_b=False,
                                                     uitzondering_c=False, uitzondering_d=False))
    assert not holds(UITZONDERINGEN_UITGESLOTEN, WmoFacts(day, day, uitzondering_b=False,
                                                         uitzondering_c=False))
    # A briefadres is no woonadres (Wet BRP art. 1.1 onder o): the vangnet; an aantekening on a
    # woonadres is open; RNI is abroad.
    def leads_to(reading: ReadingFacts) -> str:
        return first_route(bw.WOONADRES_ROUTES, reading)[0].gevolg

    assert leads_to(ReadingFacts(True, False, "Adres", "0363", briefadres=True)) == "vangnet"
    assert leads_to(ReadingFacts(True, True, "Adres", "0363")) == "aantekening"
    assert leads_to(ReadingFacts(True, False, "Adres", "1999")) == "vangnet"
    assert leads_to(ReadingFacts(True, False, "Adres", "0363")) == "woonadres"


# --- the toelichting names each route tried, from the declaration -----------------------------


def _doc(**changes) -> dict:
    doc = {
        "peildatum": "2026-03-14",
        "client": {"burgerservicenummer": "999993653", "geboorte": {"datum": {"type": "Datum", "datum": "1990-04-01"}},
                   "verblijfplaatshistorie": [{"type": "Adres", "datumVan": {"type": "Datum", "datum": "2025-06-01"},
                                               "gemeenteVanInschrijving": {"code": "0344"}}]},
        "aanmelding": {"gemeente": "0344", "datum": "2026-03-14", "regio": {
            "naam": "Utrecht", "gemeenten": ["0344", "0356"], "centrumgemeente": "0344"}},
        "eerderBeschermdWonen": [],
        "eerdereAanvragen": [],
        "uitzonderingen": {"b": False, "c": False, "d": False},
    }
    doc.update(changes)
    return doc


def _tried(routes, upto: str) -> list[str]:
    """What the toelichting must say, in order: every route up to ``upto`` with "nee", that
    one with "ja" (a route's name is its question and the clause it leads to)."""
    parts = []
    for route in routes:
        name = f"{route.toets} ({route.onderdeel})" if route.onderdeel else route.toets
        parts.append(f"{name}: {'ja' if route.gevolg == upto else 'nee'}")
        if route.gevolg == upto:
            return parts
    raise AssertionError(upto)


def _in_order(text: str, parts: list[str]) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def test_the_toelichting_names_each_route_tried_with_ja_or_nee(register):
    # Beschermd wonen by Rotterdam ended on 2025-03-15: twelve months pass on 2026-03-15, so on
    # 2026-03-14 exception a applies.
    doc = _doc(eerderBeschermdWonen=[{"gemeente": "0599", "locatie": "0599", "begin": "2024-01-01",
                                      "einde": "2025-03-15"}])
    d = bw.decide_wmo_bw(parse_wmo_case(doc, register), register, inwerkingtreding=IN_FORCE)
    assert d.gemeente_code == "0599"
    text = d.toelichting
    for routes, upto in ((bw.REGEL_ROUTES, "woonplaatsbeginsel"), (bw.OVERGANG_ROUTES, "hoofdregel"),
                         (bw.EERDER_ROUTES, "uitzondering_a"), (bw.UITZONDERINGEN_ROUTES, "geregeld")):
        assert _in_order(text, _tried(routes, upto)), (upto, text)
    # The woonadres is not tried: exception a settled the case.
    assert bw.WOONADRES_ROUTES[-1].toets not in text


def test_the_toelichting_names_the_woonadres_routes(register):
    doc = _doc(client={"burgerservicenummer": "999993653", "verblijfplaatshistorie": [
        {"type": "VerblijfplaatsBuitenland", "datumVan": {"type": "Datum", "datum": "2025-06-01"},
         "land": {"code": "5010", "omschrijving": "België"}}]})
    d = bw.decide_wmo_bw(parse_wmo_case(doc, register), register, inwerkingtreding=IN_FORCE)
    assert d.status.value == "review" and d.reden is ReviewReden.OPEN_RECHTSVRAAG
    assert _in_order(d.toelichting, [
        "Art. 1.2.1 onder b (woonadres): Getoetst, in deze volgorde:",
        "niet in de BRP ingeschreven (1.2.1 b woonadres): nee",
        "verblijfplaats buiten Nederland (1.2.1 b woonadres): ja",
    ]), d.toelichting
    assert "geen woonadres (1.2.1 b woonadres)" not in d.toelichting


def test_before_the_bill_the_toelichting_names_the_rule_chosen(register):
    d = bw.decide_wmo_bw(parse_wmo_case(_doc(), register), register)  # not in force
    assert "melding vóór de Wmo 2015: nee; wetsvoorstel 36 288 op de peildatum niet in werking " \
           "(1.2.1 b aanmeldgemeente): ja" in d.toelichting
    assert "Overgangsrecht: Getoetst" not in d.toelichting
