"""Invariants of the Jeugdwet woonplaats engine over generated, valid case histories.

Cases are generated as case JSON documents (the format users supply) and read with
parse_case, so the reader is part of what is checked. Histories are gap-free BRP
verblijfplaatshistorie lists in municipalities of 2026 (plus some that have since merged or
split), with some partial dates, aantekeningen, stays abroad and unknown addresses, and a
few care episodes with and without verblijf.
"""

from __future__ import annotations

import random
from dataclasses import astuple
from datetime import date, timedelta

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.batch.compile import compile_route_index, compile_routes, compile_term
from wpb.brp.haal_centraal import parse_case
from wpb.law.dates import PartialDate, Period
from wpb.law.decision import Decision, Status
from wpb.law.engine import decide
from wpb.law.facts import Jeugdhulp, JeugdhulpVorm, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE
from wpb.law.jeugdwet import woonplaats_2015, woonplaats_2022
from wpb.law.jeugdwet.common import JEUGDIGE_ROUTES
from wpb.law.predicates import (
    AGE_PREDICATES,
    BUITENLAND,
    EPISODE_PREDICATES,
    INGEZETENE_ADRES,
    JJI_GERELATEERD,
    MEERDERJARIG_MOGELIJK,
    MEERDERJARIG_ZEKER,
    RECORD_PREDICATES,
    TEGENSTRIJDIGE_JEUGDHULP,
    WOONADRES,
    GezagFacts,
    JeugdigeFacts,
    ReadingFacts,
    StayFacts,
    first_route,
    holds,
)
from wpb.refdata import gemeente_register

REGISTER = gemeente_register()
START, END = date(1995, 1, 1), date(2026, 1, 1)

# Municipalities that exist throughout the generated period and still exist in 2026.
LASTING = sorted(
    g.code
    for g in REGISTER.on(date(2026, 1, 1))
    if (g.begin is None or g.begin <= START) and g.code not in ("0000", "1999")
)
# Municipalities that ended by merger or split in the generated period: an address there is
# resolved to its successor(s) on the peildatum.
ENDED = sorted(
    g.code
    for g in REGISTER
    if g.einde is not None and date(2005, 1, 1) <= g.einde <= date(2023, 12, 31)
    and (g.begin is None or g.begin <= START)
)

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def exact(d: date) -> dict:
    return {"type": "Datum", "datum": d.isoformat()}


def days(first: date, last: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=first, max_value=max(first, last))


# --- building blocks ------------------------------------------------------------------------


@st.composite
def gemeente_for(draw, van: date) -> str:
    """A municipality an address starting on ``van`` can be in."""
    ended = [c for c in ENDED if REGISTER.get(c).exists_on(van)]
    if ended and draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(ended))
    return draw(st.sampled_from(LASTING))


@st.composite
def boundary(draw, d: date, prev: date | None, nxt: date | None) -> dict:
    """The date ``d`` as the BRP may record it: usually exact, sometimes month or year only.

    A date is only made partial when its neighbours lie in another month or year, so that
    the records stay in order however the unknown part turns out.
    """
    kind = draw(st.sampled_from(["Datum"] * 6 + ["JaarMaandDatum", "JaarDatum"]))
    neighbours = [n for n in (prev, nxt) if n is not None]
    if kind == "JaarMaandDatum" and all((n.year, n.month) != (d.year, d.month) for n in neighbours):
        return {"type": "JaarMaandDatum", "jaar": d.year, "maand": d.month}
    if kind == "JaarDatum" and all(n.year != d.year for n in neighbours):
        return {"type": "JaarDatum", "jaar": d.year}
    return exact(d)


@st.composite
def record(draw, van: dict, tot: dict | None, van_day: date) -> dict:
    soort = draw(st.sampled_from(
        ["Adres"] * 8 + ["Locatie", "VerblijfplaatsBuitenland", "VerblijfplaatsOnbekend"]
    ))
    raw: dict = {"type": soort, "datumVan": van}
    if tot is not None:
        raw["datumTot"] = tot
    if soort in ("Adres", "Locatie"):
        code = "1999" if draw(st.integers(0, 15)) == 0 else draw(gemeente_for(van_day))
        raw["gemeenteVanInschrijving"] = {"code": code}
        if draw(st.integers(0, 12)) == 0:
            raw["functieAdres"] = {"code": "B", "omschrijving": "briefadres"}
        mark = draw(st.integers(0, 12))
        if mark == 0:
            raw["indicatieVastgesteldVerblijftNietOpAdres"] = True
        elif mark == 1:
            raw["verblijftNietOpAdresVanaf"] = exact(van_day + timedelta(days=draw(st.integers(0, 900))))
        elif mark == 2:
            raw["inOnderzoek"] = {"gemeenteVanInschrijving": True}
    elif soort == "VerblijfplaatsBuitenland":
        raw["verblijfadres"] = {"land": {"code": "5010", "omschrijving": "België"}}
    return raw


@st.composite
def history(draw, first: date, until: date, *, max_records: int = 4) -> list[dict]:
    """A gap-free history from ``first``: each record ends where the next begins."""
    n = draw(st.integers(1, max_records))
    cuts = sorted(set(draw(st.lists(days(first + timedelta(days=1), until), min_size=n - 1,
                                    max_size=n - 1))))
    starts = [first, *cuts]
    dates = [exact(first)]
    for i, d in enumerate(cuts, start=1):
        dates.append(draw(boundary(d, starts[i - 1], starts[i + 1] if i + 1 < len(starts) else None)))
    records = []
    for i, start in enumerate(starts):
        tot = dates[i + 1] if i + 1 < len(dates) else None
        records.append(draw(record(dates[i], tot, start)))
    return records


@st.composite
def episodes(draw, first: date, peildatum: date) -> list[dict]:
    result = []
    for _ in range(draw(st.integers(0, 3))):
        begin = draw(days(first, peildatum))
        einde = None
        if draw(st.booleans()):
            einde = begin + timedelta(days=draw(st.integers(0, 1500)))
        verblijf = draw(st.booleans())
        if verblijf:
            vorm = draw(st.sampled_from(
                [None, "jeugdhulpaanbieder", "pleegouder", "gezinshuis", "opvang", "jji"]
            ))
        else:
            # Mostly consistent; now and then a form that is always a stay (contradictory).
            vorm = draw(st.sampled_from([None, None, "jeugdhulpaanbieder", "pleegouder"]))
        episode = {"begin": begin.isoformat(), "einde": einde and einde.isoformat(),
                   "verblijf": verblijf}
        if vorm:
            episode["vorm"] = vorm
        if draw(st.integers(0, 3)) == 0:
            episode["gemeente"] = {"code": draw(st.sampled_from(LASTING))}
        result.append(episode)
    return result


@st.composite
def birth_date(draw, birth: date) -> dict:
    if draw(st.integers(0, 5)) == 0:
        return {"type": "JaarMaandDatum", "jaar": birth.year, "maand": birth.month}
    return exact(birth)


@st.composite
def cases(draw, *, history_from_birth: bool = True) -> dict:
    """A valid case document; with ``history_from_birth`` False the youth's history begins
    years after birth (and every decisive day lies years after that)."""
    birth = draw(days(date(1999, 1, 1), date(2021, 12, 31)))
    # Mostly the rule in force since 2022; also the 2015 rule and, now and then, before 2015.
    era = draw(st.sampled_from([date(2022, 1, 1)] * 6 + [date(2015, 1, 1)] * 3 + [date(2012, 1, 1)]))
    era_end = {date(2022, 1, 1): date(2025, 12, 31), date(2015, 1, 1): date(2021, 12, 31),
               date(2012, 1, 1): date(2014, 12, 31)}[era]
    peildatum = draw(days(max(birth, era), max(birth, era_end)))
    doc: dict = {"peildatum": peildatum.isoformat()}
    if history_from_birth:
        first, earliest_care = birth, birth
        geboorte = draw(birth_date(birth))
    else:
        first = birth + timedelta(days=draw(st.integers(365, 3 * 365)))
        earliest_care = first + timedelta(days=3 * 365)
        peildatum = max(peildatum, earliest_care + timedelta(days=30))
        doc["peildatum"] = peildatum.isoformat()
        geboorte = exact(birth)
    records = draw(history(first, peildatum + timedelta(days=400)))
    if history_from_birth:
        records[0]["datumVan"] = geboorte  # registered at birth, as precisely as the birth
    else:
        # Keep the youth's own records clear of the decisive days: none may change within
        # three years after ``first``. Merge the history into one record for that stretch.
        records = [r for r in records if _start(r) >= earliest_care or r is records[0]]
        records[0]["datumVan"] = exact(first)
        for before, after in zip(records, records[1:], strict=False):
            before["datumTot"] = after["datumVan"]
        records[-1].pop("datumTot", None)
    doc["jeugdige"] = {"geboorte": {"datum": geboorte}, "verblijfplaatshistorie": records}
    doc["jeugdhulp"] = draw(episodes(earliest_care, peildatum))
    if draw(st.integers(0, 3)) > 0:
        mother_from = birth - timedelta(days=draw(st.integers(0, 15 * 365)))
        doc["moeder"] = {"verblijfplaatshistorie": draw(
            history(mother_from, birth + timedelta(days=5 * 365), max_records=3)
        )}
    if draw(st.booleans()):
        doc["werkelijkeVerblijfplaats"] = {"gemeente": {"code": draw(st.sampled_from(LASTING))}}
    if peildatum < date(2022, 1, 1) and draw(st.integers(0, 3)) > 0:
        if draw(st.booleans()):
            doc["gezag"] = {"soort": "voogdij"}
        else:
            ouder_from = birth - timedelta(days=draw(st.integers(0, 10 * 365)))
            doc["gezag"] = {"soort": "ouders", "ouder": {"verblijfplaatshistorie": draw(
                history(ouder_from, peildatum + timedelta(days=365), max_records=3)
            )}}
    return doc


def _start(raw: dict) -> date:
    van = raw["datumVan"]
    if van["type"] == "Datum":
        return date.fromisoformat(van["datum"])
    return date(van["jaar"], van.get("maand", 1), 1)


# --- helpers --------------------------------------------------------------------------------


def run(doc: dict, **kwargs) -> Decision:
    return decide(parse_case(doc, REGISTER, **kwargs), REGISTER)


def answer(decision: Decision) -> tuple:
    return (
        decision.status,
        decision.gemeente_code,
        decision.onderdeel,
        decision.reden,
        tuple(sorted(k.code for k in decision.kandidaten)),
    )


def shuffled(items: list, seed: int) -> list:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


# --- properties -----------------------------------------------------------------------------


@SETTINGS
@given(doc=cases(), seed=st.integers(0, 2**32 - 1))
def test_order_of_records_and_episodes_does_not_matter(doc: dict, seed: int) -> None:
    reordered = {**doc}
    jeugdige = dict(doc["jeugdige"])
    jeugdige["verblijfplaatshistorie"] = shuffled(jeugdige["verblijfplaatshistorie"], seed)
    reordered["jeugdige"] = jeugdige
    reordered["jeugdhulp"] = shuffled(doc["jeugdhulp"], seed + 1)
    if "moeder" in doc:
        reordered["moeder"] = {"verblijfplaatshistorie": shuffled(
            doc["moeder"]["verblijfplaatshistorie"], seed + 2)}
    assert answer(run(reordered)) == answer(run(doc))


@SETTINGS
@given(doc=cases(history_from_birth=False), data=st.data())
def test_earlier_history_long_before_the_decisive_days_does_not_matter(doc: dict, data) -> None:
    """Prepend records from birth up to the first record: nothing decisive lies there.

    Every decisive day (the peildatum, the day before a stay) lies at least three years after
    the first record begins; the records added end on that first record's start.
    """
    birth = date.fromisoformat(doc["jeugdige"]["geboorte"]["datum"]["datum"])
    first = _start(doc["jeugdige"]["verblijfplaatshistorie"][0])
    earlier = data.draw(history(birth, first - timedelta(days=1), max_records=3))
    earlier[-1]["datumTot"] = exact(first)
    extended = {**doc, "jeugdige": {
        **doc["jeugdige"],
        "verblijfplaatshistorie": earlier + doc["jeugdige"]["verblijfplaatshistorie"],
    }}
    before, after = run(doc), run(extended)
    assert answer(after) == answer(before)


@SETTINGS
@given(doc=cases(), shift=st.integers(1, 400))
def test_receipt_hash_is_a_function_of_the_input(doc: dict, shift: int) -> None:
    first, again = run(doc), run(doc)
    assert first.receipt == again.receipt
    assert first.to_json() == again.to_json()
    other_day = date.fromisoformat(doc["peildatum"]) + timedelta(days=shift)
    moved = run(doc, peildatum=other_day)
    assert moved.receipt.invoer_hash != first.receipt.invoer_hash


@SETTINGS
@given(doc=cases())
def test_status_and_gemeente_go_together(doc: dict) -> None:
    decision = run(doc)
    as_json = decision.to_json()
    if decision.status is Status.REVIEW:
        assert decision.gemeente is None and as_json["gemeente"] is None
        assert decision.reden is not None and as_json["reden"]["code"]
    else:
        assert decision.status is Status.BEPAALD
        assert decision.gemeente is not None and as_json["gemeente"]["code"]
        assert decision.reden is None and decision.kandidaten == ()
        assert decision.grondslag is not None and decision.grondslag.tekst
    assert decision.toelichting


@SETTINGS
@given(doc=cases())
def test_every_gemeente_answered_exists_on_the_peildatum(doc: dict) -> None:
    decision = run(doc)
    codes = [k.code for k in decision.kandidaten]
    if decision.gemeente_code:
        codes.append(decision.gemeente_code)
    for code in codes:
        assert REGISTER.exists_on(code, decision.peildatum), (code, decision.toelichting)


def test_generators_reach_the_interesting_cases() -> None:
    """Guard against generators that silently stop producing what the properties need."""
    assert len(LASTING) > 200 and {"0017", "0457", "0788"} <= set(ENDED)


# --- each declared predicate gives the same answer in both executors --------------------------

_SOORTEN = [s.value for s in VerblijfplaatsSoort]
_CODES = [None, "0363", "0788", RNI_CODE, UNKNOWN_CODE]
_VORMEN = [None, *(v.value for v in JeugdhulpVorm)]


def _reading_frame(records) -> tuple[list[ReadingFacts], pl.DataFrame, dict[str, pl.Expr]]:
    """Readings as the scalar facts, and the same readings as columns with their env."""
    rows = [
        ReadingFacts(ingeschreven=ing, aantekening=at, soort=soort, gemeente_code=code, briefadres=brief)
        for soort, code, brief, ing, at in records
    ]
    frame = pl.DataFrame(
        [{"ingeschreven": r.ingeschreven, "aantekening": r.aantekening, "soort": r.soort,
          "gemeente_code": r.gemeente_code, "briefadres": r.briefadres} for r in rows],
        schema={"ingeschreven": pl.Boolean, "aantekening": pl.Boolean, "soort": pl.String,
                "gemeente_code": pl.String, "briefadres": pl.Boolean},
    )
    env = {c: pl.col(c) for c in frame.columns}
    return rows, frame, env


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_SOORTEN), st.sampled_from(_CODES), st.booleans(),
                       st.booleans(), st.booleans()), min_size=1, max_size=40),
    st.lists(st.tuples(st.booleans(), st.sampled_from(_VORMEN), st.sampled_from([None, False, True])),
             min_size=1, max_size=20),
)
def test_every_declared_predicate_is_the_same_scalar_and_columnar(records, episodes):
    """Scalar (wpb.law.predicates.holds, used by the reference engine) against the polars
    compilation (wpb.batch.compile, used by the national executor), on the same facts."""
    rows, frame, env = _reading_frame(records)
    for predicate in RECORD_PREDICATES:
        columnar = frame.select(compile_term(predicate, env))[:, 0].to_list()
        assert columnar == [holds(predicate, r) for r in rows], predicate.name
    # The routes of 1° and 2°: the same onderdeel for every reading (read on the peildatum,
    # without the date of an aantekening: the route of one placed after the day read is
    # compared in tests/law/test_spans.py).
    woonadres = [woonplaats_2022.WoonadresFacts(*astuple(r), dag=START, peildatum=START) for r in rows]
    woonadres_env = {**env, "aantekening_mogelijk_vanaf": pl.lit(None, pl.Date),
                     "dag": pl.lit(START), "peildatum": pl.lit(START)}
    columnar = frame.select(compile_routes(woonplaats_2022.WOONADRES_ROUTES, woonadres_env))[:, 0].to_list()
    scalar = [first_route(woonplaats_2022.WOONADRES_ROUTES, r)[0].onderdeel or 0 for r in woonadres]
    assert columnar == scalar
    # Which onderdeel applies first: every combination of the stay facts.
    stays = [StayFacts(a, b, c) for a in (False, True) for b in (False, True) for c in (False, True)]
    stay_frame = pl.DataFrame({"verblijf_op_peildatum": [x.verblijf_op_peildatum for x in stays],
                               "verblijf_vanaf_geboorte": [x.verblijf_vanaf_geboorte for x in stays],
                               "jji_hulp_op_peildatum": [x.jji_hulp_op_peildatum for x in stays]})
    columnar = stay_frame.select(compile_routes(
        woonplaats_2022.CLAUSE_ROUTES, {c: pl.col(c) for c in stay_frame.columns}))[:, 0].to_list()
    assert columnar == [first_route(woonplaats_2022.CLAUSE_ROUTES, x)[0].onderdeel for x in stays]
    # ... and which route (the two routes to 2° differ by their gevolg: the stay or the JJI stay).
    index = stay_frame.select(compile_route_index(
        woonplaats_2022.CLAUSE_ROUTES, {c: pl.col(c) for c in stay_frame.columns}))[:, 0].to_list()
    assert [woonplaats_2022.CLAUSE_ROUTES[i].gevolg for i in index] == [
        first_route(woonplaats_2022.CLAUSE_ROUTES, x)[0].gevolg for x in stays]
    # Who is a jeugdige at one possible birth day (art. 1.1 "jeugdige"): every combination of
    # its facts, born the day before, on, and the day after the 18th birthday's date.
    day = date(2023, 1, 10)
    births = (date(2005, 1, 9), date(2005, 1, 10), date(2005, 1, 11))
    adults = [JeugdigeFacts(g, day, a, b) for g in births for a in (False, True) for b in (False, True)]
    adult_frame = pl.DataFrame({"geboorte": [x.geboorte for x in adults],
                                "strafrechtelijk_op_peildatum": [x.strafrechtelijk_op_peildatum for x in adults],
                                "jeugdhulp_sinds_voor_18": [x.jeugdhulp_sinds_voor_18 for x in adults]})
    adult_columnar = adult_frame.select(compile_routes(
        JEUGDIGE_ROUTES, {**{c: pl.col(c) for c in adult_frame.columns}, "peildatum": pl.lit(day)}))[:, 0].to_list()
    assert adult_columnar == [first_route(JEUGDIGE_ROUTES, x)[0].onderdeel or 0 for x in adults]
    # The definition's own numbering: under 18 (born the day after the date 18 years back),
    # 1° whatever else holds; from 18, neither fact: no jeugdige; jeugdhulp since before 18,
    # 3°; jeugdreclassering or a criminal-law decision, 2°.
    assert adult_columnar == [0, 3, 2, 2] * 2 + [1, 1, 1, 1]
    # No stay and no care tied to a JJI stay: 1° (the law's words: "woonadres ... heeft");
    # no stay but such care: 2°, second limb ("in verband met het verblijf in een JJI").
    assert columnar[0] == columnar[2] == 1 and columnar[1] == 2
    # The core's facts use the declarations too.
    for r in rows:
        record = Verblijfplaats("x", VerblijfplaatsSoort(r.soort), Period(PartialDate.exact(START), None),
                                gemeente_code=r.gemeente_code, briefadres=r.briefadres)
        assert (record.is_woonadres, record.is_buitenland, record.is_ingezetene_adres) == (
            holds(WOONADRES, r), holds(BUITENLAND, r), holds(INGEZETENE_ADRES, r))

    care = pl.DataFrame({"verblijf": [v for v, _, _ in episodes], "vorm": [f for _, f, _ in episodes],
                         "in_verband_met_jji": [j for _, _, j in episodes]},
                        schema={"verblijf": pl.Boolean, "vorm": pl.String, "in_verband_met_jji": pl.Boolean})
    care_env = {c: pl.col(c) for c in care.columns}
    for predicate in EPISODE_PREDICATES:
        columnar = care.select(compile_term(predicate, care_env))[:, 0].to_list()
        facts = [Jeugdhulp("j", START, None, v, JeugdhulpVorm(f) if f else None, in_verband_met_jji=j)
                 for v, f, j in episodes]
        assert columnar == [holds(predicate, e) for e in facts], predicate.name
    # Known answers from the law, so the two cannot agree on a wrong definition.
    assert not holds(WOONADRES, ReadingFacts(True, False, "Adres", "0363", briefadres=True))
    assert holds(BUITENLAND, ReadingFacts(True, False, "Adres", RNI_CODE))
    assert holds(TEGENSTRIJDIGE_JEUGDHULP, Jeugdhulp("j", START, None, False, JeugdhulpVorm.PLEEGOUDER))
    assert not holds(TEGENSTRIJDIGE_JEUGDHULP, Jeugdhulp("j", START, None, False, JeugdhulpVorm.JEUGDHULPAANBIEDER))
    # 2°, second limb: JJI care without a stay, and jeugdreclassering tied to a JJI stay, are
    # "jeugdhulp of jeugdreclassering in verband met het verblijf in een JJI", not contradictions.
    nazorg = Jeugdhulp("j", START, None, False, JeugdhulpVorm.JJI)
    assert holds(JJI_GERELATEERD, nazorg) and not holds(TEGENSTRIJDIGE_JEUGDHULP, nazorg)
    for linked in (True, False):
        reclassering = Jeugdhulp("j", START, None, False, JeugdhulpVorm.JEUGDRECLASSERING,
                                 in_verband_met_jji=linked)
        assert holds(JJI_GERELATEERD, reclassering) is linked
        assert not holds(TEGENSTRIJDIGE_JEUGDHULP, reclassering)


# --- the 2015 text and the age on the peildatum, declared once --------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(st.none(), days(date(1990, 1, 1), date(2021, 12, 31))),
                       st.integers(0, 400), days(date(2015, 1, 1), date(2021, 12, 31)),
                       st.sampled_from([None, "ouders", "voogdij"]), st.booleans()),
             min_size=1, max_size=40),
)
def test_age_and_2015_routes_are_the_same_scalar_and_columnar(rows):
    """The age predicates and the 2015 clause table (CLAUSE_ROUTES), evaluated by the
    reference (holds, first_route) and compiled to polars, on the same facts."""
    facts = [
        GezagFacts(geboorte_vroegst=born, geboorte_laatst=born + timedelta(days=spread) if born else None,
                   peildatum=peil, gezag_soort=soort, ouder_historie=historie)
        for born, spread, peil, soort, historie in rows
    ]
    frame = pl.DataFrame(
        [{"geboorte_vroegst": f.geboorte_vroegst, "geboorte_laatst": f.geboorte_laatst,
          "peildatum": f.peildatum, "gezag_soort": f.gezag_soort, "ouder_historie": f.ouder_historie}
         for f in facts],
        schema={"geboorte_vroegst": pl.Date, "geboorte_laatst": pl.Date, "peildatum": pl.Date,
                "gezag_soort": pl.String, "ouder_historie": pl.Boolean},
    )
    env = {c: pl.col(c) for c in frame.columns}
    for predicate in AGE_PREDICATES:
        columnar = frame.select(compile_term(predicate, env))[:, 0].to_list()
        assert columnar == [holds(predicate, f) for f in facts], predicate.name
    columnar = frame.select(compile_route_index(woonplaats_2015.CLAUSE_ROUTES, env))[:, 0].to_list()
    scalar = [woonplaats_2015.CLAUSE_ROUTES.index(first_route(woonplaats_2015.CLAUSE_ROUTES, f)[0])
              for f in facts]
    assert columnar == scalar
    # Known answers from the law: 18 on the birthday itself (BW 1:233), not the day before;
    # from 18 onderdeel 3° (no gezag, BW 1:12); voogdij by an instelling is 2°.
    born = date(2003, 3, 1)
    on_birthday = GezagFacts(born, born, date(2021, 3, 1), "ouders", True)
    day_before = GezagFacts(born, born, date(2021, 2, 28), "ouders", True)
    assert holds(MEERDERJARIG_ZEKER, on_birthday) and not holds(MEERDERJARIG_MOGELIJK, day_before)
    assert first_route(woonplaats_2015.CLAUSE_ROUTES, on_birthday)[0].onderdeel == 3
    assert first_route(woonplaats_2015.CLAUSE_ROUTES, day_before)[0].onderdeel == 1
    voogdij = GezagFacts(born, born, date(2021, 2, 28), "voogdij", False)
    assert first_route(woonplaats_2015.CLAUSE_ROUTES, voogdij)[0].onderdeel == 2
    # A leap-day birth: 18 on 1 March in a year without 29 February.
    leap = date(2004, 2, 29)
    assert not holds(MEERDERJARIG_ZEKER, GezagFacts(leap, leap, date(2022, 2, 28)))
    assert holds(MEERDERJARIG_ZEKER, GezagFacts(leap, leap, date(2022, 3, 1)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SOORTEN), st.sampled_from(_CODES), st.booleans(),
                          st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_2015_parent_routes_are_the_same_scalar_and_columnar(records):
    """OUDER_ROUTES (what the registration of the parent with gezag leads to) both ways."""
    rows, frame, env = _reading_frame(records)
    columnar = frame.select(compile_routes(woonplaats_2015.OUDER_ROUTES, env))[:, 0].to_list()
    assert columnar == [first_route(woonplaats_2015.OUDER_ROUTES, r)[0].onderdeel or 0 for r in rows]
    # Known answers from the law: abroad is 3° in the 2015 text (it has no 4°), and an
    # aantekening on the parent's woonadres makes his woonplaats unknown: 3°.
    assert first_route(woonplaats_2015.OUDER_ROUTES, ReadingFacts(True, False, "VerblijfplaatsBuitenland"))[0].onderdeel == 3
    assert first_route(woonplaats_2015.OUDER_ROUTES, ReadingFacts(True, True, "Adres", "0363"))[0].onderdeel == 3
    assert first_route(woonplaats_2015.OUDER_ROUTES, ReadingFacts(True, False, "Adres", "0363"))[0].onderdeel is None
