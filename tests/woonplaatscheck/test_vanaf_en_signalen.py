"""``vanaf`` and the signalen, from the law: the day the deciding fact began, never before
2022-01-01 under the 2022 rule; a signal's fingerprint follows the facts, not the run."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from woonplaatscheck.helpers import adres
from wpb.brp.haal_centraal import parse_case
from wpb.law.engine import decide
from wpb.law.signalen import Signaal, SignaalSoort, einde_jeugdige, niet_afgehandeld, verjaardag
from wpb.law.vanaf import vanaf_jeugdwet, vanaf_verhuizing, vanaf_wmo


def _case(peildatum, records, jeugdhulp, register):
    doc = {"peildatum": peildatum.isoformat(),
           "jeugdige": {"geboorte": {"datum": {"type": "Datum", "datum": "2010-01-01"}},
                        "verblijfplaatshistorie": records},
           "jeugdhulp": jeugdhulp}
    return parse_case(doc, register)


def _vanaf(peildatum, records, jeugdhulp, register):
    case = _case(peildatum, records, jeugdhulp, register)
    decision = decide(case, register)
    return decision, vanaf_jeugdwet(case, decision, register)


AMBULANT = [{"begin": "2025-01-01", "einde": None, "verblijf": False}]


def test_a_move_in_ambulant_care_counts_from_the_new_address(register):
    records = [adres("2010-01-01", "0344", "2026-03-01"), adres("2026-03-01", "0363")]
    decision, vanaf = _vanaf(date(2026, 6, 1), records, AMBULANT, register)
    assert (decision.gemeente_code, decision.onderdeel) == ("0363", 1)
    assert vanaf.datum == date(2026, 3, 1)


def test_a_move_within_the_gemeente_does_not_restart_vanaf(register):
    records = [adres("2010-01-01", "0344", "2023-05-01"), adres("2023-05-01", "0363", "2025-02-01"),
               adres("2025-02-01", "0363")]
    _, vanaf = _vanaf(date(2026, 6, 1), records, AMBULANT, register)
    assert vanaf.datum == date(2023, 5, 1)


def test_vanaf_is_never_before_2022(register):
    _, vanaf = _vanaf(date(2026, 6, 1), [adres("2010-01-01", "0363")], AMBULANT, register)
    assert vanaf.datum == date(2022, 1, 1) and "2022" in vanaf.grond


def test_the_registration_date_counts_when_later_than_datum_van():
    assert vanaf_verhuizing(date(2026, 3, 1)) == date(2026, 3, 1)
    assert vanaf_verhuizing(date(2026, 3, 1), date(2026, 3, 9)) == date(2026, 3, 9)
    assert vanaf_verhuizing(date(2026, 3, 9), date(2026, 3, 1)) == date(2026, 3, 9)


def test_a_stay_counts_from_the_start_of_the_series(register):
    records = [adres("2010-01-01", "0344", "2024-07-01"), adres("2024-07-01", "0599")]
    stays = [{"begin": "2024-06-01", "einde": "2025-01-31", "verblijf": True},
             {"begin": "2025-02-01", "einde": None, "verblijf": True, "vorm": "pleegouder"}]
    decision, vanaf = _vanaf(date(2026, 6, 1), records, stays, register)
    assert (decision.gemeente_code, decision.onderdeel) == ("0344", 2)
    assert vanaf.datum == date(2024, 6, 1)
    # Ambulant care in the same gemeente before the stay: no change when the stay began.
    before = [{"begin": "2023-09-01", "einde": "2024-05-31", "verblijf": False}, *stays]
    _, vanaf = _vanaf(date(2026, 6, 1), records, before, register)
    assert vanaf.datum == date(2022, 1, 1)


def test_after_a_stay_ends_the_woonadres_counts_from_the_day_after(register):
    records = [adres("2010-01-01", "0344", "2024-07-01"), adres("2024-07-01", "0599")]
    care = [{"begin": "2024-06-01", "einde": "2026-02-28", "verblijf": True},
            {"begin": "2026-03-01", "einde": None, "verblijf": False}]
    decision, vanaf = _vanaf(date(2026, 6, 1), records, care, register)
    assert (decision.gemeente_code, decision.onderdeel) == ("0599", 1)
    assert vanaf.datum == date(2026, 3, 1)


def test_a_review_has_no_vanaf_and_wmo_counts_from_the_aanmelding(register):
    records = [adres("2010-01-01", "0788")]  # Haaren: split over four in 2021
    decision, vanaf = _vanaf(date(2026, 3, 15), records, AMBULANT, register)
    assert decision.status.value == "review" and vanaf is None
    assert vanaf_wmo(date(2026, 1, 15), date(2025, 1, 1)).datum == date(2026, 1, 15)
    assert vanaf_wmo(None, date(2025, 1, 1)).datum == date(2025, 1, 1)
    assert vanaf_wmo(None, None) is None


GEMEENTEN = ["0344", "0363", "0599", "0518"]


@settings(max_examples=80, deadline=None)
@given(
    moves=st.lists(st.tuples(st.integers(1, 6000), st.sampled_from(GEMEENTEN)), max_size=5),
    stay=st.one_of(st.none(), st.tuples(st.integers(0, 3000), st.integers(0, 3000))),
)
def test_vanaf_is_the_first_day_of_an_unbroken_run_of_the_same_answer(register, moves, stay):
    """Deciding on ``vanaf`` and on every day up to the peildatum gives the same gemeente,
    and the day before ``vanaf`` another answer, or no care, or ``vanaf`` is the 2022 floor."""
    peildatum = date(2026, 6, 1)
    start = date(2010, 1, 1)
    days = sorted({start + timedelta(days=d) for d, _ in moves})
    codes = [c for _, c in moves][: len(days)]
    begins = [start, *days]
    gemeenten = ["0344", *codes]
    records = [adres(b.isoformat(), g, begins[i + 1].isoformat() if i + 1 < len(begins) else None)
               for i, (b, g) in enumerate(zip(begins, gemeenten, strict=True))]
    care = [{"begin": "2019-01-01", "einde": None, "verblijf": False}]
    if stay is not None:
        s_begin = date(2018, 1, 1) + timedelta(days=stay[0])
        s_end = s_begin + timedelta(days=stay[1])
        care = [{"begin": s_begin.isoformat(), "einde": s_end.isoformat(), "verblijf": True}]
        if s_end < peildatum:
            care.append({"begin": (s_end + timedelta(days=1)).isoformat(), "einde": None,
                         "verblijf": False})
    decision, vanaf = _vanaf(peildatum, records, care, register)
    if decision.status.value != "bepaald":
        return
    assert vanaf is not None and date(2022, 1, 1) <= vanaf.datum <= peildatum
    probe = sorted({vanaf.datum, peildatum, *[d for d in days if vanaf.datum <= d <= peildatum]})
    for day in probe:
        on_day = decide(_case(day, records, care, register), register)
        assert on_day.gemeente_code == decision.gemeente_code, day
    day_before = vanaf.datum - timedelta(days=1)
    in_care = any(date.fromisoformat(e["begin"]) <= day_before
                  and (e["einde"] is None or day_before <= date.fromisoformat(e["einde"]))
                  for e in care)
    if vanaf.datum > date(2022, 1, 1) and in_care:
        before = decide(_case(vanaf.datum - timedelta(days=1), records, care, register), register)
        assert (before.status.value, before.gemeente_code) != ("bepaald", decision.gemeente_code)


# --- einde_jeugdige --------------------------------------------------------------------


def test_turning_18_without_care_that_continues_is_signalled():
    born = date(2008, 7, 1)
    peil = date(2026, 6, 1)  # 18 on 2026-07-01, within 60 days
    ended = einde_jeugdige(born, peil, [(date(2025, 1, 1), date(2026, 6, 30))])
    assert ended is not None and ended.grens == 18 and ended.datum == date(2026, 7, 1)
    assert einde_jeugdige(born, peil, [(date(2025, 1, 1), None)]) is None  # continues
    assert einde_jeugdige(born, peil, [(date(2025, 1, 1), date(2026, 12, 31))]) is None
    # resumed within six months after care that began before 18
    assert einde_jeugdige(born, peil, [(date(2025, 1, 1), date(2026, 6, 30)),
                                       (date(2026, 11, 1), None)]) is None
    assert einde_jeugdige(born, peil, [(date(2025, 1, 1), date(2026, 6, 30)),
                                       (date(2027, 2, 1), None)]) is not None
    assert einde_jeugdige(born, date(2026, 4, 1), [(date(2025, 1, 1), date(2026, 6, 30))]) is None


def test_23_near_is_signalled_and_29_february_turns_a_year_on_1_march():
    assert einde_jeugdige(date(2003, 7, 1), date(2026, 6, 1), [(date(2020, 1, 1), None)]).grens == 23
    assert verjaardag(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert verjaardag(date(2008, 2, 29), 20) == date(2028, 2, 29)


def test_a_fingerprint_follows_the_facts_and_a_handled_signal_is_not_raised_again():
    one = Signaal(SignaalSoort.ANDERE_GEMEENTE, "999990007", "0363", date(2026, 3, 1), "bepaald",
                  "tekst van run 1", {"onderdeel": 1})
    same_facts = Signaal(SignaalSoort.ANDERE_GEMEENTE, "999990007", "0363", date(2026, 3, 1),
                         "bepaald", "andere tekst", {"onderdeel": 1})
    moved_again = Signaal(SignaalSoort.ANDERE_GEMEENTE, "999990007", "0518", date(2026, 9, 1),
                          "bepaald", "tekst", {"onderdeel": 1})
    assert one.vingerafdruk == same_facts.vingerafdruk
    assert one.vingerafdruk != moved_again.vingerafdruk
    assert niet_afgehandeld([same_facts, moved_again], {one.vingerafdruk}) == [moved_again]


def test_the_probe_without_receipt_answers_as_the_engine_on_every_conformance_case(register):
    from wpb.conformance import default_path, load_cases
    from wpb.law.vanaf import antwoord_op

    for c in load_cases(default_path()):
        case = parse_case(c.casus, register)
        d = decide(case, register)
        a = antwoord_op(case, register)
        assert (a.status, a.gemeente, a.onderdeel, a.reden) == (
            d.status, d.gemeente_code, d.onderdeel, d.reden), c.id
