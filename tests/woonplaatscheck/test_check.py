"""The woonplaatscheck of a small caseload: decisions with vanaf, the signalen, the files."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from woonplaatscheck.helpers import adres, caseload_csv, document, proef_bsns, row, write_documents
from wpb.brp.bronnen import MapBron
from wpb.caseload.read import bevestig, read_file
from wpb.law.signalen import SignaalSoort, niet_afgehandeld
from wpb.woonplaatscheck.check import woonplaatscheck
from wpb.woonplaatscheck.uitvoer import AANLEVERING_KOLOMMEN, schrijf

UTRECHT, AMSTERDAM, ROTTERDAM = "0344", "0363", "0599"
PEIL = date(2026, 6, 1)
VERHUISD, VERBLIJF, ACHTTIEN, SPLIT, ZONDER_BRP, EIGEN, STOPT, OUD = proef_bsns(
    8, start=999_994_000)


@pytest.fixture
def scenario(tmp_path, register):
    docs = {
        # moved to Amsterdam during ambulant care
        VERHUISD: document("2012-05-01", adres("2012-05-01", UTRECHT, "2026-03-01"),
                           adres("2026-03-01", AMSTERDAM)),
        # in a stay since 2024 (address moved to the care location in Rotterdam)
        VERBLIJF: document("2011-01-01", adres("2011-01-01", UTRECHT, "2024-07-01"),
                           adres("2024-07-01", ROTTERDAM)),
        # turns 18 within 60 days; care ends the day before
        ACHTTIEN: document("2008-07-01", adres("2008-07-01", UTRECHT)),
        # registered only in a split municipality: review
        SPLIT: document("2012-01-01", adres("2012-01-01", "0788")),
        EIGEN: document("2013-01-01", adres("2013-01-01", UTRECHT)),
        # a stay ends in 30 days; then the Rotterdam address counts (1°)
        STOPT: document("2011-01-01", adres("2011-01-01", UTRECHT, "2025-01-01"),
                        adres("2025-01-01", ROTTERDAM)),
        # turns 23 within 60 days; two toewijzingen that began the same day, one running
        OUD: document("2003-07-01", adres("2003-07-01", UTRECHT)),
    }
    brp = write_documents(tmp_path / "brp", docs)
    rows = [
        row(OUD, "2003-07-01", "2020-01-01"),
        row(OUD, "2003-07-01", "2020-01-01", "2026-12-31", categorie="54", verblijf="nee"),
        row(VERHUISD, "2012-05-01", "2025-09-01"),
        row(VERHUISD, "2012-05-01", "2025-09-01", "2026-12-31", categorie="54", verblijf="nee",
            productcode="54B"),
        row(VERBLIJF, "2011-01-01", "2024-06-01", categorie="43"),
        row(ACHTTIEN, "2008-07-01", "2025-01-01", "2026-06-30"),
        row(SPLIT, "2012-01-01", "2026-01-01"),
        row(ZONDER_BRP, "2012-01-01", "2026-01-01"),
        row(EIGEN, "2013-01-01", "2026-01-01"),
        row(EIGEN, "2013-01-01", "2020-01-01", "2020-12-31"),  # ended long ago: not transferred
        row(STOPT, "2011-01-01", "2024-06-01", "2026-06-30", categorie="43",
            verblijf_sinds="2024-01-01"),
    ]
    clienten = caseload_csv(tmp_path / "clienten.csv", rows)
    toewijzingen = bevestig(read_file(clienten, register))
    return woonplaatscheck(toewijzingen, MapBron(brp, register), UTRECHT, PEIL, register)


def _by(resultaat):
    return {u.bsn: u for u in resultaat.uitkomsten}


def _signals(resultaat, soort):
    return {s.bsn: s for s in resultaat.signalen if s.soort is soort}


def test_every_client_is_decided_with_vanaf(scenario):
    u = _by(scenario)
    assert (u[VERHUISD].gemeente, u[VERHUISD].vanaf.datum) == (AMSTERDAM, date(2026, 3, 1))
    assert (u[VERBLIJF].gemeente, u[VERBLIJF].beslissing.onderdeel) == (UTRECHT, 2)
    assert u[VERBLIJF].vanaf.datum == date(2024, 6, 1)
    assert u[SPLIT].status == "review" and u[SPLIT].vanaf is None
    assert u[ZONDER_BRP].beslissing is None and u[ZONDER_BRP].status == "review"
    assert scenario.niet_opgehaald == {ZONDER_BRP: "geen document <bsn>.json in de map"}


def test_without_verblijf_sinds_the_assumption_is_stated_and_marked(scenario):
    u = _by(scenario)
    assert u[VERBLIJF].aannames == ("verblijf_sinds_onbekend",)
    assert "verblijf_sinds" in u[VERBLIJF].beslissing.toelichting
    # verblijf_sinds given: the series begins then, no assumption
    assert u[STOPT].aannames == () and u[STOPT].vanaf.datum == date(2024, 1, 1)


def test_the_signalen(scenario):
    andere = _signals(scenario, SignaalSoort.ANDERE_GEMEENTE)
    assert set(andere) == {VERHUISD}
    assert (andere[VERHUISD].verantwoordelijke_gemeente, andere[VERHUISD].vanaf) == (
        AMSTERDAM, date(2026, 3, 1))
    review = _signals(scenario, SignaalSoort.REVIEW)
    assert set(review) == {SPLIT, ZONDER_BRP}
    assert "gesplitst" in review[SPLIT].reden
    einde = _signals(scenario, SignaalSoort.EINDE_JEUGDIGE)
    assert set(einde) == {ACHTTIEN, OUD} and einde[ACHTTIEN].vanaf == date(2026, 7, 1)
    assert "23" in einde[OUD].reden and einde[OUD].vanaf == date(2026, 7, 1)
    gepland = _signals(scenario, SignaalSoort.WIJZIGING_GEPLAND)
    assert set(gepland) == {STOPT}
    assert (gepland[STOPT].verantwoordelijke_gemeente, gepland[STOPT].vanaf) == (
        ROTTERDAM, date(2026, 7, 1))


def test_a_later_run_raises_only_signals_whose_facts_changed(tmp_path, register, scenario):
    handled = {s.vingerafdruk for s in scenario.signalen}
    # The same caseload a week later: the same facts, so nothing new ...
    clienten = tmp_path / "clienten.csv"
    toewijzingen = bevestig(read_file(clienten, register))
    later = woonplaatscheck(toewijzingen, MapBron(tmp_path / "brp", register), UTRECHT,
                            date(2026, 6, 8), register)
    assert niet_afgehandeld(later.signalen, handled) == []
    # ... until the youth moves again.
    write_documents(tmp_path / "brp", {VERHUISD: document(
        "2012-05-01", adres("2012-05-01", UTRECHT, "2026-03-01"),
        adres("2026-03-01", AMSTERDAM, "2026-06-05"), adres("2026-06-05", ROTTERDAM))})
    moved = woonplaatscheck(toewijzingen, MapBron(tmp_path / "brp", register), UTRECHT,
                            date(2026, 6, 8), register)
    new = niet_afgehandeld(moved.signalen, handled)
    assert [(s.bsn, s.soort, s.verantwoordelijke_gemeente) for s in new] == [
        (VERHUISD, SignaalSoort.ANDERE_GEMEENTE, ROTTERDAM)]


def test_the_three_files(tmp_path, scenario):
    paths = schrijf(scenario, tmp_path / "uit")
    lines = [json.loads(x) for x in paths["beslissingen.jsonl"].read_text().splitlines()]
    assert len(lines) == len(scenario.uitkomsten)
    moved = next(x for x in lines if x["bsn"] == VERHUISD)
    assert (moved["vanaf"], moved["gemeente"]["code"], moved["grondslag"]["onderdeel"]) == (
        "2026-03-01", AMSTERDAM, 1)
    assert moved["brp"][0]["sha256"].startswith("sha256:")
    assert moved["receipt"]["invoerHash"].startswith("sha256:")

    with paths["signalen.csv"].open(newline="") as f:
        signalen = list(csv.DictReader(f, delimiter=";"))
    assert {"bsn", "soort", "verantwoordelijke_gemeente", "vanaf", "status", "reden"} <= set(signalen[0])

    with paths["aanlevering.csv"].open(newline="") as f:
        reader = csv.DictReader(f, delimiter=";")
        assert tuple(reader.fieldnames) == AANLEVERING_KOLOMMEN
        aanlevering = list(reader)
    # One row per product of the client another gemeente is responsible for; none for review.
    assert [(r["bsn"], r["product"], r["toewijzing_einddatum"], r["ontvangende_gemeente"],
             r["vanaf"], r["pgb"]) for r in aanlevering] == [
        (VERHUISD, "45A01", "", AMSTERDAM, "2026-03-01", "nee"),
        (VERHUISD, "54B", "2026-12-31", AMSTERDAM, "2026-03-01", "nee"),
    ]


def test_wmo_clients_follow_the_wmo_rule_and_what_the_caseload_lacks_is_a_review(tmp_path, register):
    met, zonder = proef_bsns(2, start=999_996_000)
    docs = {b: document("1990-01-01", adres("1990-01-01", UTRECHT)) for b in (met, zonder)}
    brp = write_documents(tmp_path / "brp", docs)
    rows = [row(met, "1990-01-01", "2025-03-01", categorie="", wet="wmo-bw",
                aanmeldgemeente=AMSTERDAM, aanmelddatum="2025-02-15"),
            row(zonder, "1990-01-01", "2025-03-01", categorie="", wet="wmo-bw")]
    toewijzingen = bevestig(read_file(caseload_csv(tmp_path / "c.csv", rows), register))
    # Before the bill takes effect (2026-01-01): the aanmeldgemeente is responsible.
    result = woonplaatscheck(toewijzingen, MapBron(brp, register), UTRECHT, date(2025, 6, 1),
                             register)
    u = _by(result)
    assert (u[met].wet, u[met].gemeente, u[met].vanaf.datum) == ("wmo-bw", AMSTERDAM,
                                                                   date(2025, 2, 15))
    assert u[zonder].beslissing is None and u[zonder].status == "review"
    assert [m.gegeven for m in u[zonder].ontbrekend][0] == "aanmeldgemeente"
    assert set(_signals(result, SignaalSoort.REVIEW)) == {zonder}
    assert set(_signals(result, SignaalSoort.ANDERE_GEMEENTE)) == {met}
    assert not _signals(result, SignaalSoort.EINDE_JEUGDIGE)  # the Wmo knows no age limit
