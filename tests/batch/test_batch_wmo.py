"""The Wmo beschermd-wonen batch executor per clause and boundary, its reports and commands.

Each clause test builds the facts the law speaks of and checks the answer the law gives (the
equivalence with the reference engine is tested in test_batch_wmo_equivalence.py, bad input in
test_batch_wmo_input.py). Sources: Wmo 2015 art. 1.2.1 onder b; bill 36 288 art. 1.2.1 onder b
(new) and art. 1.2.1a lid 1 onder a; the transitional rule and the nieuwe cliënt of seed 004;
the choices in docs/open-questions.md.

The running example (as in test_wmo_bw.py): a client who lived in Rotterdam (0599) and has lived
in Utrecht (0344) since 2025-06-01 reports to Utrecht, whose region here is Utrecht, Nieuwegein,
IJsselstein, Houten and Zeist.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from typer.testing import CliRunner

from wpb import refdata
from wpb.batch.wmo import decide_wmo_population
from wpb.batch.wmo_run import per_gemeente, run_wmo_batch, write_wmo_outputs
from wpb.cli.batch import app
from wpb.law.bsn import is_valid_bsn
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import Persoon, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.wmo import BEOOGDE_INWERKINGTREDING
from wpb.law.wmo.facts import (
    Aanmelding,
    Aanvraag,
    BeschermdWonenPlaatsing,
    BwRegio,
    Indicatie,
    Uitzonderingen,
    WmoBwCase,
)
from wpb.population.wmo_schema import (
    WMO_TABLES,
    wmo_cases_to_population,
    wmo_population_to_cases,
)
from wpb.population.wmo_synth import WmoSynthConfig, generate_wmo

UTRECHT, ROTTERDAM, AMSTERDAM, NIEUWEGEIN = "0344", "0599", "0363", "0356"
SCHIEDAM, WEESP, HAAREN = "0606", "0457", "0788"
REGIO = BwRegio("aanmelding.regio", "Utrecht", tuple(sorted((UTRECHT, NIEUWEGEIN, "0353", "0321", "0355"))),
                UTRECHT)
# The clause tests run as an installation that set the bill's entry into force to the target
# date; the default (not in force) has its own test.
IN_FORCE = BEOOGDE_INWERKINGTREDING
GEEN = Uitzonderingen("uitzonderingen", False, False, False)
OPEN = "open_rechtsvraag"
WOONADRES, UITZ_A, AANMELD, OVERGANG = (
    "1.2.1 b woonadres", "1.2.1a lid 1 a", "1.2.1 b aanmeldgemeente", "overgangsrecht")


def d(text: str) -> date:
    return date.fromisoformat(text)


def exact(text: str) -> PartialDate:
    return PartialDate.exact(d(text))


def adres(i: int, code: str, van: str | PartialDate, tot: str | None = None, **kw) -> Verblijfplaats:
    begin = van if isinstance(van, PartialDate) else exact(van)
    return Verblijfplaats(f"client.verblijfplaatshistorie[{i}]", VerblijfplaatsSoort.ADRES,
                          Period(begin, exact(tot) if tot else None), code, **kw)


UTRECHT_SINDS_JUNI = (adres(0, ROTTERDAM, "1990-04-01", "2025-06-01"), adres(1, UTRECHT, "2025-06-01"))


def plaatsing(i: int, gemeente: str, begin: str, einde: str | PartialDate | None,
              locatie: str | None = None) -> BeschermdWonenPlaatsing:
    end = einde if isinstance(einde, PartialDate) or einde is None else exact(einde)
    return BeschermdWonenPlaatsing(f"eerderBeschermdWonen[{i}]", gemeente, exact(begin), end,
                                   locatie or gemeente)


def case(melding: str = "2026-03-02", *, peildatum: str | None = None,
         historie=UTRECHT_SINDS_JUNI, aanmeldgemeente: str = UTRECHT, regio=REGIO,
         eerder=(), aanvragen=(), indicatie=None, uitzonderingen=GEEN, beoogd=None) -> WmoBwCase:
    return WmoBwCase(
        peildatum=d(peildatum or melding),
        client=Persoon("client", exact("1990-04-01"), tuple(historie), "999993653"),
        aanmelding=Aanmelding("aanmelding", aanmeldgemeente, d(melding), regio),
        eerder_beschermd_wonen=tuple(eerder),
        eerdere_aanvragen=aanvragen,
        indicatie=indicatie,
        uitzonderingen=uitzonderingen,
        beoogde_gemeente=beoogd,
    )


def answer(c: WmoBwCase, register, **kw) -> dict:
    kw.setdefault("inwerkingtreding", IN_FORCE)
    population, [pid] = wmo_cases_to_population([c])
    result = decide_wmo_population(population, c.peildatum, register, **kw)
    row = result.row(0, named=True)
    assert row["persoon_id"] == pid
    return row


def short(row: dict) -> tuple:
    return row["status"], row["gemeente"], row["onderdeel"], row["reden"]


# --- the version in force ---------------------------------------------------------------------


def test_before_entry_into_force_the_aanmeldgemeente_decides(register):
    # Wmo 2015 art. 1.2.1 onder b (2015): "de gemeente tot welke hij zich wendt".
    c = case("2025-11-03", aanmeldgemeente=AMSTERDAM, regio=None)
    assert short(answer(c, register)) == ("bepaald", AMSTERDAM, AANMELD, None)


def test_from_entry_into_force_the_woonadres_decides(register):
    # Bill 36 288: "de gemeente waar hij zijn woonadres heeft", from 2026-01-01.
    c = case("2026-01-01", aanmeldgemeente=AMSTERDAM, regio=None)
    assert short(answer(c, register)) == ("bepaald", UTRECHT, WOONADRES, None)


def test_the_day_before_entry_into_force_is_still_the_old_rule(register):
    c = case("2025-12-31", aanmeldgemeente=AMSTERDAM, regio=None)
    assert short(answer(c, register)) == ("bepaald", AMSTERDAM, AANMELD, None)


def test_by_default_the_bill_is_not_in_force(register):
    # The bill takes effect on a date set by royal decree; none is known.
    c = case("2027-05-10", aanmeldgemeente=AMSTERDAM, indicatie=Indicatie(
        "indicatie", ROTTERDAM, d("2024-03-01"), None))
    row = answer(c, register, inwerkingtreding=None)
    assert short(row) == ("bepaald", AMSTERDAM, AANMELD, None)
    assert row["centrumgemeente"] is None
    population, _ = wmo_cases_to_population([c])
    assert decide_wmo_population(population, c.peildatum, register).row(0, named=True) == row


def test_a_client_who_is_not_new_stays_with_the_regions_centrumgemeente(register):
    # Seed 004: an application in the region in the 365 days before: no nieuwe cliënt.
    zeist = (adres(0, "0355", "2001-01-01"),)
    c = case("2026-03-02", historie=zeist, aanmeldgemeente="0355",
             aanvragen=(Aanvraag("eerdereAanvragen[0]", NIEUWEGEIN, exact("2025-10-02")),))
    row = answer(c, register)
    assert short(row) == ("bepaald", UTRECHT, OVERGANG, None)
    assert row["nieuwe_client"] is False and row["centrumgemeente"] == UTRECHT
    unknown = answer(case("2026-03-02", historie=zeist, aanmeldgemeente="0355", aanvragen=None),
                     register)
    assert short(unknown) == ("review", None, OVERGANG, "nieuwe_client_onbekend")


def test_entry_into_force_is_a_parameter(register):
    c = case("2026-03-02", aanmeldgemeente=AMSTERDAM, regio=None)
    later = answer(c, register, inwerkingtreding=d("2027-01-01"))
    assert short(later) == ("bepaald", AMSTERDAM, AANMELD, None)


def test_a_request_before_the_wmo_2015_is_outside_the_law(register):
    c = case("2014-12-31", regio=None)
    assert short(answer(c, register)) == ("review", None, None, "wet_niet_van_toepassing")


def test_request_before_entry_into_force_decided_after_it_is_open(register):
    # The bill's transitional law for pending requests is open (bw-overgang-aanvraag).
    c = case("2025-12-15", peildatum="2026-02-01", aanmeldgemeente=AMSTERDAM, regio=None)
    assert short(answer(c, register)) == ("review", None, WOONADRES, OPEN)


# --- current clients --------------------------------------------------------------------------


def ind(centrum: str, begin: str, einde: str | None = None) -> Indicatie:
    return Indicatie("indicatie", centrum, d(begin), d(einde) if einde else None)


def test_current_client_stays_with_the_centrumgemeente(register):
    c = case("2027-05-10", indicatie=ind(ROTTERDAM, "2024-03-01", "2028-02-29"))
    row = answer(c, register)
    assert short(row) == ("bepaald", ROTTERDAM, OVERGANG, None)
    assert row["centrumgemeente"] == ROTTERDAM


def test_current_client_until_the_end_of_2031_at_the_latest(register):
    on_last_day = answer(case("2031-12-31", indicatie=ind(ROTTERDAM, "2025-01-01")), register)
    assert short(on_last_day) == ("bepaald", ROTTERDAM, OVERGANG, None)
    after = answer(case("2032-01-01", indicatie=ind(ROTTERDAM, "2025-01-01")), register)
    assert short(after) == ("review", None, OVERGANG, OPEN)
    assert after["centrumgemeente"] is None


def test_indication_granted_after_entry_into_force_is_no_current_client(register):
    # Running at the request, but not from before the entry into force: open.
    c = case("2026-06-01", indicatie=ind(ROTTERDAM, "2026-01-01"))
    row = answer(c, register)
    assert short(row) == ("review", None, UITZ_A, OPEN)
    assert row["centrumgemeente"] is None


def test_before_entry_into_force_a_running_indication_names_the_centrumgemeente(register):
    c = case("2025-11-03", indicatie=ind(ROTTERDAM, "2024-01-01"))
    row = answer(c, register)
    assert short(row) == ("bepaald", UTRECHT, AANMELD, None)
    assert row["centrumgemeente"] == ROTTERDAM


# --- art. 1.2.1a lid 1 onder a: earlier beschermd wonen ---------------------------------------


ROTTERDAM_TOT_15_MAART = (plaatsing(0, ROTTERDAM, "2023-01-01", "2025-03-15"),)


def test_exception_a_one_day_before_twelve_months(register):
    c = case("2026-03-14", eerder=ROTTERDAM_TOT_15_MAART)
    assert short(answer(c, register)) == ("bepaald", ROTTERDAM, UITZ_A, None)


def test_exception_a_no_longer_at_exactly_twelve_months(register):
    c = case("2026-03-15", eerder=ROTTERDAM_TOT_15_MAART)
    assert short(answer(c, register)) == ("bepaald", UTRECHT, WOONADRES, None)


def test_twelve_months_from_29_february_end_on_28_february(register):
    eerder = (plaatsing(0, ROTTERDAM, "2027-01-01", "2028-02-29"),)
    assert answer(case("2029-02-27", eerder=eerder), register)["gemeente"] == ROTTERDAM
    assert answer(case("2029-02-28", eerder=eerder), register)["gemeente"] == UTRECHT


def test_placement_in_another_region_stays_with_its_provider(register):
    eerder = (plaatsing(0, SCHIEDAM, "2024-01-01", "2025-10-01"),)
    assert short(answer(case(eerder=eerder), register)) == ("bepaald", SCHIEDAM, UITZ_A, None)


def test_the_placement_that_ended_last_decides(register):
    eerder = (plaatsing(0, ROTTERDAM, "2020-01-01", "2025-10-01"),
              plaatsing(1, SCHIEDAM, "2024-01-01", "2025-06-30"))
    assert short(answer(case(eerder=eerder), register)) == ("bepaald", ROTTERDAM, UITZ_A, None)


def test_two_placements_ending_on_the_same_day_by_different_providers_are_review(register):
    eerder = (plaatsing(0, ROTTERDAM, "2024-01-01", "2025-10-01"),
              plaatsing(1, SCHIEDAM, "2024-01-01", "2025-10-01"))
    assert short(answer(case(eerder=eerder), register)) == ("review", None, UITZ_A, "onvolledige_datum")


def test_two_placements_ending_on_the_same_day_by_one_provider_decide(register):
    eerder = (plaatsing(0, ROTTERDAM, "2024-01-01", "2025-10-01"),
              plaatsing(1, ROTTERDAM, "2025-01-01", "2025-10-01", locatie=SCHIEDAM))
    assert short(answer(case(eerder=eerder), register)) == ("bepaald", ROTTERDAM, UITZ_A, None)


def test_partial_end_on_either_side_of_twelve_months_is_review(register):
    eerder = (plaatsing(0, ROTTERDAM, "2023-01-01", PartialDate.year_month(2025, 3)),)
    row = answer(case("2026-03-14", eerder=eerder), register)
    assert short(row) == ("review", None, UITZ_A, "onvolledige_datum")


def test_partial_end_certainly_within_twelve_months_decides(register):
    eerder = (plaatsing(0, ROTTERDAM, "2023-01-01", PartialDate.year_month(2025, 5)),)
    assert short(answer(case("2026-03-14", eerder=eerder), register)) == (
        "bepaald", ROTTERDAM, UITZ_A, None)


def test_partial_end_makes_no_difference_when_provider_and_woonadres_agree(register):
    # Exception a and the woonadres both give Utrecht: the readings agree; the first reading
    # (exception a) gives the clause.
    eerder = (plaatsing(0, UTRECHT, "2023-01-01", PartialDate.year_month(2025, 3)),)
    assert short(answer(case("2026-03-14", eerder=eerder), register)) == (
        "bepaald", UTRECHT, UITZ_A, None)


def test_beschermd_wonen_still_running_at_the_request_is_open(register):
    eerder = (plaatsing(0, ROTTERDAM, "2025-09-01", None),)
    assert short(answer(case(eerder=eerder), register)) == ("review", None, UITZ_A, OPEN)


def test_placement_ending_on_the_day_of_the_request_still_runs_that_day(register):
    eerder = (plaatsing(0, ROTTERDAM, "2025-09-01", "2026-03-02"),)
    assert short(answer(case(eerder=eerder), register)) == ("review", None, UITZ_A, OPEN)


def test_placement_beginning_after_the_request_is_not_earlier(register):
    eerder = (plaatsing(0, ROTTERDAM, "2026-03-03", None),)
    assert short(answer(case(eerder=eerder), register)) == ("bepaald", UTRECHT, WOONADRES, None)


def test_a_begin_that_may_fall_on_either_side_of_the_request_is_an_incomplete_date(register):
    # March 2026 may be before or after the request of 2026-03-02: the placement may not have
    # begun (then the woonadres, Utrecht, decides), or run (then 1.2.1a is open). The readings
    # differ: a review for the incomplete date, under the first reading's clause. Since one
    # reading decides and the other cannot, this needs no candidate set and no reference engine
    # (it was handed back before the Wmo tables were compiled).
    p = BeschermdWonenPlaatsing("eerderBeschermdWonen[0]", ROTTERDAM,
                                PartialDate.year_month(2026, 3), None, ROTTERDAM)
    row = answer(case(eerder=(p,)), register)
    assert short(row) == ("review", None, WOONADRES, "onvolledige_datum")
    assert row["via_referentie"] is False


def test_an_end_that_may_fall_on_either_side_of_the_request_is_an_incomplete_date(register):
    # Ended in March 2026, around the request of 2026-03-02: it may still run (1.2.1a open) or
    # have ended days before (exception a: Rotterdam decides). The readings differ; decided
    # column-wise, since one reading decides.
    p = BeschermdWonenPlaatsing("eerderBeschermdWonen[0]", ROTTERDAM, exact("2025-09-01"),
                                PartialDate.year_month(2026, 3), ROTTERDAM)
    row = answer(case(eerder=(p,)), register)
    assert short(row) == ("review", None, UITZ_A, "onvolledige_datum")
    assert row["via_referentie"] is False


def test_readings_that_are_all_reviews_are_compared_on_their_candidates(register):
    # The same, provided by Haaren (0788, split in 2021): exception a is then a review of
    # Haaren's successors, and running beschermd wonen a review of those and the woonadres
    # (Utrecht). The candidate sets differ: a review for the incomplete date under the first
    # reading's clause (it runs: 1.2.1a). This went to the reference engine before the
    # executor compared candidate sets.
    p = BeschermdWonenPlaatsing("eerderBeschermdWonen[0]", "0788", exact("2025-09-01"),
                                PartialDate.year_month(2026, 3), "0788")
    row = answer(case(eerder=(p,)), register)
    assert short(row) == ("review", None, UITZ_A, "onvolledige_datum")
    assert row["via_referentie"] is False


def _begin_unknown(i: int, gemeente: str, einde: str) -> BeschermdWonenPlaatsing:
    # Only the end is known: on the day of the request the placement may not have begun yet
    # (then it is no earlier beschermd wonen) or may have ended; it cannot run.
    return BeschermdWonenPlaatsing(f"eerderBeschermdWonen[{i}]", gemeente, PartialDate.unknown(),
                                   exact(einde), gemeente)


def test_a_placement_not_begun_or_ended_with_readings_that_differ(register):
    # Not begun: no earlier beschermd wonen, the woonadres (Utrecht). Ended on 2025-10-01,
    # less than twelve months before the request: exception a (Rotterdam). The readings
    # differ: a review for the incomplete date, under the first reading's clause.
    row = answer(case(eerder=(_begin_unknown(0, ROTTERDAM, "2025-10-01"),)), register)
    assert short(row) == ("review", None, WOONADRES, "onvolledige_datum")
    assert row["via_referentie"] is False


def test_a_placement_not_begun_or_ended_with_readings_that_agree(register):
    # Provided by Utrecht, where he lives: both readings give Utrecht; the first reading's
    # clause (the woonadres) is the ground.
    row = answer(case(eerder=(_begin_unknown(0, UTRECHT, "2025-10-01"),)), register)
    assert short(row) == ("bepaald", UTRECHT, WOONADRES, None)
    assert row["via_referentie"] is False


def test_a_placement_not_begun_or_ended_with_the_same_review_of_a_split_gemeente(register):
    # Two placements by Haaren (0788, split in 2021 over Boxtel, Oisterwijk, Tilburg and
    # Vught), the first ended for certain within twelve months. Whether or not the second had
    # begun, exception a names Haaren: in every reading the same review of its successors.
    eerder = (plaatsing(0, "0788", "2024-01-01", "2025-06-01"), _begin_unknown(1, "0788", "2025-10-01"))
    row = answer(case(eerder=eerder), register)
    assert short(row) == ("review", None, UITZ_A, "gesplitste_gemeente")
    assert row["via_referentie"] is False


def test_a_placement_not_begun_or_ended_beside_one_that_runs_is_open(register):
    # Rotterdam's placement runs at the request for certain: whatever Schiedam's state, every
    # reading is the open question of running beschermd wonen.
    eerder = (plaatsing(0, ROTTERDAM, "2025-09-01", None), _begin_unknown(1, SCHIEDAM, "2025-10-01"))
    row = answer(case(eerder=eerder), register)
    assert short(row) == ("review", None, UITZ_A, OPEN)
    assert row["via_referentie"] is False


def test_a_placement_of_a_split_gemeente_that_may_run_with_a_reading_that_decides(register):
    # Provided by Haaren (0788, split in 2021), end unknown: it may run (1.2.1a open, a
    # review), or have ended within twelve months (exception a: a review of Haaren's
    # successors) or longer ago (the woonadres: Utrecht decides). One reading decides and
    # another is a review, so the readings differ whatever the candidate sets: a review for
    # the incomplete date under the first reading's clause (it runs: 1.2.1a).
    p = BeschermdWonenPlaatsing("eerderBeschermdWonen[0]", "0788", exact("2025-09-01"),
                                PartialDate.unknown(), "0788")
    row = answer(case(eerder=(p,)), register)
    assert short(row) == ("review", None, UITZ_A, "onvolledige_datum")
    assert row["via_referentie"] is False


def test_open_exceptions_b_to_d_need_no_reading_of_the_placements(register):
    # Exception b not established: a review under the clause of the first reading, whatever
    # the placement's state; decided column-wise.
    p = BeschermdWonenPlaatsing("eerderBeschermdWonen[0]", ROTTERDAM, exact("2025-09-01"),
                                PartialDate.year_month(2026, 3), ROTTERDAM)
    row = answer(case(eerder=(p,), uitzonderingen=Uitzonderingen("uitzonderingen", None, False, False)),
                 register)
    assert short(row) == ("review", None, UITZ_A, OPEN)
    assert row["via_referentie"] is False


# Where every reading of the placements is a review, ``combine`` compares their candidate sets;
# the executor does so column-wise (these clients went to the reference engine before). A
# review of running beschermd wonen lists the running placements' providers and the woonadres
# candidates, so it equals another reading's review only when the providers' successors are
# among those candidates (the subset test).


def _may_run(i: int, gemeente: str) -> BeschermdWonenPlaatsing:
    # Begin unknown, no end: on the day of the request it may not have begun, or run.
    return BeschermdWonenPlaatsing(f"eerderBeschermdWonen[{i}]", gemeente, PartialDate.unknown(),
                                   None, gemeente)


def test_a_placement_that_may_run_against_the_vangnet_with_other_candidates(register):
    # Not registered: not begun gives the vangnet (a review listing Utrecht, where he reports);
    # running beschermd wonen from Weesp (0457, merged into Amsterdam in 2022) lists Amsterdam
    # and Utrecht. The sets differ: the incomplete date, under the first reading's clause.
    row = answer(case(historie=(), eerder=(_may_run(0, WEESP),)), register)
    assert short(row) == ("review", None, WOONADRES, "onvolledige_datum")
    assert row["via_referentie"] is False


def test_a_placement_that_may_run_against_the_vangnet_with_the_same_candidates(register):
    # Provided by Utrecht itself: both readings list Utrecht alone, so they agree and the first
    # (the vangnet, open) is the answer. After 2031 the woonplaatsbeginsel applies to everyone.
    row = answer(case("2032-03-02", historie=(), eerder=(_may_run(0, UTRECHT),)), register)
    assert short(row) == ("review", None, WOONADRES, OPEN)
    assert row["via_referentie"] is False


def test_two_placements_that_may_run_by_one_provider_agree(register):
    # Either or both run: every running reading lists Utrecht, as the vangnet does.
    eerder = (_may_run(0, UTRECHT), _may_run(1, UTRECHT))
    row = answer(case("2032-03-02", historie=(), eerder=eerder), register)
    assert short(row) == ("review", None, WOONADRES, OPEN)
    assert row["via_referentie"] is False


def test_a_placement_that_may_run_beside_one_that_runs_within_the_woonadres(register):
    # Rotterdam's placement runs for certain; Utrecht's may run too. He lives in Utrecht, so
    # both readings list Rotterdam and Utrecht: the open question of running beschermd wonen.
    eerder = (plaatsing(0, ROTTERDAM, "2031-09-01", None), _may_run(1, UTRECHT))
    row = answer(case("2032-03-02", eerder=eerder), register)
    assert short(row) == ("review", None, UITZ_A, OPEN)
    assert row["via_referentie"] is False


def test_a_placement_that_may_run_beside_one_that_runs_outside_the_woonadres(register):
    # Schiedam's placement adds Schiedam to the running reading's candidates: they differ.
    eerder = (plaatsing(0, ROTTERDAM, "2025-09-01", None), _may_run(1, SCHIEDAM))
    row = answer(case(eerder=eerder), register)
    assert short(row) == ("review", None, UITZ_A, "onvolledige_datum")
    assert row["via_referentie"] is False


BEDUM, WINSUM = "0005", "0053"  # Bedum merged into Het Hogeland (1966); Winsum split (1966, 1969)


def _winsum_case(before: str) -> WmoBwCase:
    # Beschermd wonen from Winsum ended in March 2031: on 2032-03-15 twelve months may or may
    # not have passed. He lived in ``before`` and moved to Winsum some time in 2032.
    historie = (adres(0, before, "2000-01-01"), adres(1, WINSUM, PartialDate.year(2032)))
    eerder = (plaatsing(0, WINSUM, "2020-01-01", PartialDate.year_month(2031, 3)),)
    return case("2032-03-15", historie=historie, regio=None, eerder=eerder)


def test_exception_a_of_a_split_gemeente_against_the_union_of_woonadres_readings(register):
    # Exception a lists Winsum's successors; the woonadres readings (Bedum: Het Hogeland;
    # Winsum: its successors) differ, so theirs is a review of their union: the same two.
    row = answer(_winsum_case(BEDUM), register)
    assert short(row) == ("review", None, UITZ_A, "gesplitste_gemeente")
    assert row["via_referentie"] is False


def test_exception_a_of_a_split_gemeente_against_a_larger_union_of_woonadres_readings(register):
    # Having lived in Utrecht, the union adds Utrecht: the readings differ.
    row = answer(_winsum_case(UTRECHT), register)
    assert short(row) == ("review", None, UITZ_A, "onvolledige_datum")
    assert row["via_referentie"] is False


# --- the woonadres and the vangnet ------------------------------------------------------------


def test_client_coming_from_abroad_with_a_woonadres_now(register):
    historie = (
        Verblijfplaats("client.verblijfplaatshistorie[0]", VerblijfplaatsSoort.BUITENLAND,
                       Period(exact("2015-01-01"), exact("2026-01-10")), land_code="5010"),
        adres(1, NIEUWEGEIN, "2026-01-10"),
    )
    assert short(answer(case(historie=historie), register)) == ("bepaald", NIEUWEGEIN, WOONADRES, None)


def test_client_still_registered_abroad_falls_to_the_open_vangnet(register):
    historie = (
        adres(0, ROTTERDAM, "1990-04-01", "2020-01-01"),
        Verblijfplaats("client.verblijfplaatshistorie[1]", VerblijfplaatsSoort.BUITENLAND,
                       Period(exact("2020-01-01"), None), land_code="5010"),
    )
    assert short(answer(case(historie=historie), register)) == ("review", None, WOONADRES, OPEN)


@pytest.mark.parametrize("record", [
    adres(0, "1999", "2020-01-01"),  # RNI
    Verblijfplaats("client.verblijfplaatshistorie[0]", VerblijfplaatsSoort.ONBEKEND,
                   Period(exact("2020-01-01"), None)),
    adres(0, UTRECHT, "2025-06-01", briefadres=True),
])
def test_no_woonadres_falls_to_the_open_vangnet(register, record):
    assert short(answer(case(historie=(record,)), register)) == ("review", None, WOONADRES, OPEN)


def test_no_registration_at_all_falls_to_the_open_vangnet(register):
    assert short(answer(case(historie=()), register)) == ("review", None, WOONADRES, OPEN)


def test_exception_a_applies_even_without_a_woonadres(register):
    c = case(historie=(), eerder=(plaatsing(0, ROTTERDAM, "2024-01-01", "2025-10-01"),))
    assert short(answer(c, register)) == ("bepaald", ROTTERDAM, UITZ_A, None)


def test_aantekening_on_the_woonadres_is_open(register):
    historie = (adres(0, UTRECHT, "2025-06-01", vastgesteld_niet_op_adres=True),)
    assert short(answer(case(historie=historie), register)) == ("review", None, WOONADRES, OPEN)


def test_partial_move_date_in_the_month_of_the_request_is_review(register):
    historie = (adres(0, ROTTERDAM, "1990-04-01"), adres(1, UTRECHT, PartialDate.year_month(2026, 3)))
    assert short(answer(case(historie=historie), register)) == (
        "review", None, WOONADRES, "onvolledige_datum")


def test_merged_municipality_resolves_to_its_successor(register):
    historie = (adres(0, WEESP, "2010-01-01"),)
    assert short(answer(case(historie=historie), register)) == ("bepaald", AMSTERDAM, WOONADRES, None)


def test_split_municipality_is_review(register):
    historie = (adres(0, HAAREN, "2010-01-01"),)
    assert short(answer(case(historie=historie), register)) == (
        "review", None, WOONADRES, "gesplitste_gemeente")


# --- exceptions b-d and the overlegbepaling ---------------------------------------------------


@pytest.mark.parametrize("uitz", [
    None,
    Uitzonderingen("uitzonderingen", None, False, False),
    Uitzonderingen("uitzonderingen", False, False, True),
])
def test_exceptions_b_to_d_not_excluded_are_open(register, uitz):
    assert short(answer(case(uitzonderingen=uitz), register)) == ("review", None, WOONADRES, OPEN)


def test_exception_b_applying_is_open_even_when_exception_a_applies(register):
    c = case(eerder=(plaatsing(0, ROTTERDAM, "2024-01-01", "2025-10-01"),),
             uitzonderingen=Uitzonderingen("uitzonderingen", True, False, False))
    assert short(answer(c, register)) == ("review", None, UITZ_A, OPEN)


def test_beschermd_wonen_meant_elsewhere_is_a_duty_to_consult(register):
    # The overlegbepaling is a duty to consult: the woonadres still decides.
    assert short(answer(case(beoogd=NIEUWEGEIN), register)) == ("bepaald", UTRECHT, WOONADRES, None)
    assert short(answer(case(beoogd=UTRECHT), register)) == ("bepaald", UTRECHT, WOONADRES, None)


# --- nieuwe cliënt ------------------------------------------------------------------------------


def nieuw(c: WmoBwCase, register):
    return answer(c, register)["nieuwe_client"]


def test_no_earlier_beschermd_wonen_is_a_nieuwe_client(register):
    assert nieuw(case(), register) is True


@pytest.mark.parametrize(("days_before", "expected"), [(365, False), (366, True), (1, False)])
def test_use_in_the_region_in_the_365_days_before_is_no_nieuwe_client(register, days_before, expected):
    end = (d("2026-03-02") - timedelta(days=days_before)).isoformat()
    c = case(eerder=(plaatsing(0, UTRECHT, "2024-01-01", end, locatie=NIEUWEGEIN),))
    assert nieuw(c, register) is expected


def test_use_in_another_region_keeps_the_client_new(register):
    c = case(eerder=(plaatsing(0, ROTTERDAM, "2025-01-01", "2025-10-01"),))
    assert nieuw(c, register) is True


def test_without_the_region_use_elsewhere_leaves_nieuwe_client_open(register):
    c = case(regio=None, eerder=(plaatsing(0, UTRECHT, "2025-01-01", "2025-10-01", locatie=NIEUWEGEIN),))
    assert nieuw(c, register) is None


def test_application_in_the_region_counts_like_use(register):
    c = case(aanvragen=(Aanvraag("eerdereAanvragen[0]", NIEUWEGEIN, exact("2025-12-01")),))
    assert nieuw(c, register) is False


def test_unknown_applications_leave_nieuwe_client_open(register):
    assert nieuw(case(aanvragen=None), register) is None


# --- tables and converters ----------------------------------------------------------------------


def test_cases_survive_the_round_trip_through_the_tables(register):
    cases = [
        case(),
        case("2026-03-14", eerder=(plaatsing(0, ROTTERDAM, "2023-01-01", PartialDate.year_month(2025, 3)),),
             aanvragen=None, uitzonderingen=None, beoogd=NIEUWEGEIN, regio=None),
        case("2027-05-10", indicatie=ind(ROTTERDAM, "2024-03-01", "2028-02-29"),
             historie=(adres(0, UTRECHT, "2025-06-01", briefadres=True),)),
    ]
    population, ids = wmo_cases_to_population(cases)
    again, _ = wmo_cases_to_population(
        [c for _, c in wmo_population_to_cases(population, d("2027-05-10"), ids)])
    for table in WMO_TABLES:
        assert population.table(table).equals(again.table(table)), table
    back = dict(wmo_population_to_cases(population, d("2027-05-10"), ids))
    second = back[ids[1]]
    assert second.eerdere_aanvragen is None and second.uitzonderingen is None
    assert second.eerder_beschermd_wonen[0].einde == PartialDate.year_month(2025, 3)
    assert back[ids[2]].briefadressen  # the briefadres flag is read back as such


# --- the generator ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(register):
    return generate_wmo(WmoSynthConfig(3_000, seed=11), register, refdata.jeugdregio_indeling())


def test_same_seed_gives_the_same_tables(generated, register):
    again = generate_wmo(WmoSynthConfig(3_000, seed=11), register, refdata.jeugdregio_indeling())
    for table in WMO_TABLES:
        assert generated.table(table).equals(again.table(table)), table


def test_generated_bsns_pass_the_11_proef_and_are_distinct(generated):
    bsns = generated.personen["bsn"].to_list()
    assert len(set(bsns)) == len(bsns) and all(is_valid_bsn(b) for b in bsns)


def test_generated_clients_meet_every_rule(generated, register):
    """Every path of the rule occurs in a population of a few thousand clients."""
    result = decide_wmo_population(generated, d("2026-09-01"), register, inwerkingtreding=IN_FORCE)
    seen = set(result.select("status", "onderdeel", "reden").unique().iter_rows())
    for expected in [
        ("bepaald", WOONADRES, None), ("bepaald", UITZ_A, None), ("bepaald", OVERGANG, None),
        ("review", WOONADRES, OPEN), ("review", UITZ_A, OPEN), ("review", OVERGANG, OPEN),
        ("review", WOONADRES, "gesplitste_gemeente"),
        ("review", OVERGANG, "nieuwe_client_onbekend"),
    ]:
        assert expected in seen, expected
    assert any(reden == "onvolledige_datum" for _, _, reden in seen)
    assert set(result["nieuwe_client"].unique().to_list()) == {True, False, None}
    # Adults only; some clients came from abroad, some have only a briefadres or none.
    ages = generated.personen.select((pl.lit(d("2026-09-01")) - pl.col("geboorte_laatst")).dt.total_days())
    assert ages.min().item() >= 18 * 365
    records = generated.verblijfplaatsen
    assert records.filter(pl.col("type") == "VerblijfplaatsBuitenland").height > 0
    assert records.filter(pl.col("briefadres")).height > 0


def test_the_old_rule_on_a_population_gives_the_aanmeldgemeente(register):
    population = generate_wmo(WmoSynthConfig(500, seed=3, extract_date=d("2025-10-01")), register,
                              refdata.jeugdregio_indeling())
    result = decide_wmo_population(population, d("2025-10-01"), register)
    # The generator's aanmeldgemeenten exist on the extract date, so none needs review.
    assert (result["status"] == "bepaald").all()
    assert (result["onderdeel"] == AANMELD).all()
    assert (result["gemeente"] == result["aanmeldgemeente"]).all()


# --- reports and commands -----------------------------------------------------------------------


def test_per_gemeente_counts_add_up(generated, register):
    result = decide_wmo_population(generated, d("2026-09-01"), register, inwerkingtreding=IN_FORCE)
    table = per_gemeente(result, register)
    assert table["bepaald"].sum() == result.filter(pl.col("status") == "bepaald").height
    assert table["review"].sum() == result.filter(pl.col("status") == "review").height
    nieuw_cols = ["nieuwe_client_ja", "nieuwe_client_nee", "nieuwe_client_onbekend"]
    assert sum(table[c].sum() for c in nieuw_cols) == result.height
    assert table["bestaande_clienten"].sum() == result["centrumgemeente"].is_not_null().sum()
    utrecht = result.filter((pl.col("status") == "bepaald") & (pl.col("gemeente") == UTRECHT)).height
    assert table.filter(pl.col("code") == UTRECHT)["bepaald"].item() == utrecht


def test_run_and_outputs(generated, tmp_path, register):
    folder = tmp_path / "in"
    generated.write(folder)
    run = run_wmo_batch(folder, d("2026-09-01"), register)
    paths = write_wmo_outputs(run, tmp_path / "uit" / "bw.parquet")
    assert set(paths) == {"resultaat", "gemeenten_parquet", "gemeenten_csv"}
    back = pl.read_parquet(paths["resultaat"])
    assert back.height == 3_000 and back.columns == list(run.result.columns)
    # The file says which rule and which setting decided it: here the default, not in force.
    meta = pl.read_parquet_metadata(paths["resultaat"])
    assert (meta["regel"], meta["inwerkingtreding"]) == ("aanmeldgemeente", "niet-in-werking")
    in_force = run_wmo_batch(folder, d("2026-09-01"), register, inwerkingtreding=IN_FORCE)
    assert in_force.metadata["regel"] == "woonplaatsbeginsel"
    assert in_force.metadata["inwerkingtreding"] == "2026-01-01"
    assert pl.read_csv(paths["gemeenten_csv"], schema_overrides={"code": pl.String}).height > 100


def test_commands_synth_and_batch(tmp_path, monkeypatch):
    monkeypatch.delenv("WPB_WMO_BW_INWERKINGTREDING", raising=False)
    runner = CliRunner()
    folder = tmp_path / "bw"
    made = runner.invoke(app, ["synth", "--wet", "wmo-bw", "-n", "300", "--seed", "4",
                               "--out", str(folder)])
    assert made.exit_code == 0, made.output
    assert all((folder / f"{t}.parquet").is_file() for t in WMO_TABLES)
    out = tmp_path / "r.parquet"
    done = runner.invoke(app, ["batch", "--wet", "wmo-bw", "--in", str(folder), "--peildatum",
                               "2026-09-01", "--out", str(out)],
                         env={"WPB_WMO_BW_INWERKINGTREDING": "2026-01-01"})
    assert done.exit_code == 0, done.output
    assert "300 cliënten" in done.output and "woonplaatsbeginsel" in done.output
    assert pl.read_parquet(out).height == 300
    default = runner.invoke(app, ["batch", "--wet", "wmo-bw", "--in", str(folder), "--peildatum",
                                  "2026-09-01", "--out", str(tmp_path / "r0.parquet")])
    assert default.exit_code == 0 and "niet in werking" in default.output
    assert set(pl.read_parquet(tmp_path / "r0.parquet")["onderdeel"]) == {AANMELD}
    bad = runner.invoke(app, ["batch", "--wet", "wmo-bw", "--in", str(folder), "--peildatum",
                              "2026-09-01", "--out", str(out)],
                        env={"WPB_WMO_BW_INWERKINGTREDING": "januari"})
    assert bad.exit_code == 2 and "WPB_WMO_BW_INWERKINGTREDING" in bad.output
    later = runner.invoke(app, ["batch", "--wet", "wmo-bw", "--in", str(folder), "--peildatum",
                                "2026-09-01", "--inwerkingtreding", "2027-01-01",
                                "--out", str(tmp_path / "r2.parquet")])
    assert later.exit_code == 0 and "aanmeldgemeente" in later.output
    only_wmo = runner.invoke(app, ["batch", "--in", str(folder), "--peildatum", "2026-09-01",
                                   "--inwerkingtreding", "2027-01-01", "--out", str(out)])
    assert only_wmo.exit_code == 2 and "--inwerkingtreding" in only_wmo.output

