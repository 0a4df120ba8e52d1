"""Working days and deadlines with Dutch feestdagen (wpb.law.termijnen).

Expected dates are calendar facts (Easter dates as published, Koningsdag as celebrated)
and the counting rules stated in the module: "binnen N werkdagen na ontvangst" starts
counting the day after receipt.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpb.law import termijnen
from wpb.law.termijnen import (
    ALGEMENE_TERMIJNENWET,
    NATIONAAL,
    Bevrijdingsdag,
    Kalender,
    TermijnStatus,
    koningsdag,
    pasen,
)


@pytest.mark.parametrize(("jaar", "eerste_paasdag"), [
    (2000, date(2000, 4, 23)),
    (2008, date(2008, 3, 23)),  # early Easter
    (2011, date(2011, 4, 24)),
    (2019, date(2019, 4, 21)),
    (2024, date(2024, 3, 31)),
    (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)),
    (2038, date(2038, 4, 25)),  # latest possible date
    (2285, date(2285, 3, 22)),  # earliest possible date
])
def test_pasen_gregorian_computus(jaar, eerste_paasdag):
    assert pasen(jaar) == eerste_paasdag


@given(st.integers(1583, 4099))
def test_pasen_is_a_sunday_between_22_march_and_25_april(jaar):
    day = pasen(jaar)
    assert day.weekday() == 6
    assert date(jaar, 3, 22) <= day <= date(jaar, 4, 25)


def test_koningsdag_on_sunday_moves_to_saturday_26_april():
    assert date(2025, 4, 27).weekday() == 6
    assert koningsdag(2025) == date(2025, 4, 26)
    assert NATIONAAL.feestdag(date(2025, 4, 26)) == "Koningsdag"
    assert NATIONAAL.feestdag(date(2025, 4, 27)) is None


def test_koningsdag_27_april_otherwise_and_koninginnedag_before_2014():
    assert koningsdag(2024) == date(2024, 4, 27)
    assert koningsdag(2014) == date(2014, 4, 26)  # 27 April 2014 was a Sunday
    assert koningsdag(2013) == date(2013, 4, 30)  # Koninginnedag
    assert koningsdag(2006) == date(2006, 4, 29)  # 30 April 2006 was a Sunday
    with pytest.raises(ValueError, match="1979"):
        koningsdag(1979)


def test_feestdagen_2024_complete():
    assert NATIONAAL.feestdagen(2024) == {
        date(2024, 1, 1): "Nieuwjaarsdag",
        date(2024, 3, 31): "Eerste Paasdag",
        date(2024, 4, 1): "Tweede Paasdag",
        date(2024, 4, 27): "Koningsdag",
        date(2024, 5, 5): "Bevrijdingsdag",
        date(2024, 5, 9): "Hemelvaartsdag",
        date(2024, 5, 19): "Eerste Pinksterdag",
        date(2024, 5, 20): "Tweede Pinksterdag",
        date(2024, 12, 25): "Eerste Kerstdag",
        date(2024, 12, 26): "Tweede Kerstdag",
    }


def test_hemelvaart_and_bevrijdingsdag_on_one_day_keep_both_names():
    assert NATIONAAL.feestdag(date(2016, 5, 5)) == "Hemelvaartsdag en Bevrijdingsdag"


def test_bevrijdingsdag_every_year_by_default():
    assert date(2026, 5, 5).weekday() == 1  # a Tuesday, not a lustrum year
    assert not NATIONAAL.is_werkdag(date(2026, 5, 5))


def test_bevrijdingsdag_lustrum_only_in_years_divisible_by_5():
    lustrum = Kalender(bevrijdingsdag=Bevrijdingsdag.LUSTRUM)
    assert lustrum.is_werkdag(date(2026, 5, 5))
    assert not lustrum.is_werkdag(date(2025, 5, 5))  # Monday, 80 years liberation
    assert not lustrum.is_werkdag(date(2030, 5, 5))  # Sunday anyway, but a feestdag
    assert lustrum.feestdag(date(2030, 5, 5)) == "Bevrijdingsdag"


def test_bevrijdingsdag_nooit():
    assert Kalender(bevrijdingsdag=Bevrijdingsdag.NOOIT).is_werkdag(date(2025, 5, 5))


def test_goede_vrijdag_only_in_the_algemene_termijnenwet_calendar():
    goede_vrijdag = date(2024, 3, 29)
    assert NATIONAAL.is_werkdag(goede_vrijdag)
    assert not ALGEMENE_TERMIJNENWET.is_werkdag(goede_vrijdag)


def test_weekend_is_no_werkdag():
    assert not NATIONAAL.is_werkdag(date(2024, 6, 1))  # Saturday
    assert not NATIONAAL.is_werkdag(date(2024, 6, 2))  # Sunday
    assert NATIONAAL.is_werkdag(date(2024, 6, 3))


def test_five_werkdagen_plain_week():
    # Received Monday 3 June 2024: Tue..Fri are days 1-4, Monday 10 June is day 5.
    assert NATIONAAL.plus_werkdagen(date(2024, 6, 3), 5) == date(2024, 6, 10)


def test_five_werkdagen_received_on_saturday_starts_monday():
    assert NATIONAAL.plus_werkdagen(date(2024, 6, 1), 5) == date(2024, 6, 7)


def test_five_werkdagen_across_easter_2024():
    # Received Monday 25 March: 26, 27, 28, 29 (Goede Vrijdag is a working day), 1 April is
    # Tweede Paasdag, so 2 April is day 5.
    assert NATIONAAL.plus_werkdagen(date(2024, 3, 25), 5) == date(2024, 4, 2)
    # With Goede Vrijdag counted as in the Algemene termijnenwet: 3 April.
    assert ALGEMENE_TERMIJNENWET.plus_werkdagen(date(2024, 3, 25), 5) == date(2024, 4, 3)


def test_five_werkdagen_across_easter_and_koningsdag_2025():
    # Received Thursday 17 April 2025: Fri 18 (1), Tweede Paasdag 21 skipped, 22 (2), 23 (3),
    # 24 (4), 25 (5). Koningsdag falls on Saturday 26 April and changes nothing.
    assert NATIONAAL.plus_werkdagen(date(2025, 4, 17), 5) == date(2025, 4, 25)


def test_five_werkdagen_across_hemelvaart_and_pinksteren_2025():
    # Received Wednesday 28 May 2025: Hemelvaart 29 May; 30 (1), 2 June (2), 3 (3), 4 (4),
    # 5 (5). Then from 5 June: 6 (1), Tweede Pinksterdag 9 June skipped, 10 (2) ...
    assert NATIONAAL.plus_werkdagen(date(2025, 5, 28), 5) == date(2025, 6, 5)
    assert NATIONAAL.plus_werkdagen(date(2025, 6, 5), 2) == date(2025, 6, 10)


def test_five_werkdagen_across_christmas_and_new_year():
    # Received Monday 23 December 2024: 24 (1), 25-26 Kerst, 27 (2), 30 (3), 31 (4),
    # 1 January Nieuwjaarsdag, 2 January 2025 (5).
    assert NATIONAAL.plus_werkdagen(date(2024, 12, 23), 5) == date(2025, 1, 2)


def test_werkdagen_tussen_counts_after_start_up_to_end():
    assert NATIONAAL.werkdagen_tussen(date(2024, 3, 25), date(2024, 4, 2)) == 5
    assert NATIONAAL.werkdagen_tussen(date(2024, 4, 2), date(2024, 3, 25)) == -5
    assert NATIONAAL.werkdagen_tussen(date(2024, 4, 2), date(2024, 4, 2)) == 0


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(1, 30),
       st.sampled_from([NATIONAAL, ALGEMENE_TERMIJNENWET,
                        Kalender(bevrijdingsdag=Bevrijdingsdag.LUSTRUM)]))
def test_plus_werkdagen_lands_on_a_werkdag_exactly_n_working_days_later(start, n, kalender):
    end = kalender.plus_werkdagen(start, n)
    assert kalender.is_werkdag(end)
    assert kalender.werkdagen_tussen(start, end) == n
    assert end > start
    assert kalender.werkdagen_tussen(start, end - timedelta(days=1)) == n - 1


def test_plus_werkdagen_needs_at_least_one():
    with pytest.raises(ValueError):
        NATIONAAL.plus_werkdagen(date(2024, 1, 1), 0)


def test_op274_vot_answer_five_werkdagen():
    t = termijnen.antwoord_vot(date(2024, 3, 25))
    assert (t.regel, t.start, t.uiterlijk) == ("OP274", date(2024, 3, 25), date(2024, 4, 2))


def test_op346_vow_answer_five_werkdagen():
    t = termijnen.antwoord_vow(date(2024, 12, 23))
    assert (t.regel, t.uiterlijk) == ("OP346", date(2025, 1, 2))


def test_op359_woonplaats_rejection_two_calendar_weeks():
    t = termijnen.woonplaats_afwijzing(date(2024, 3, 25))
    assert (t.regel, t.uiterlijk) == ("OP359", date(2024, 4, 8))
    assert "1a.1" in t.bron


def test_op359_ending_on_a_feestdag_moves_only_when_asked():
    # Received 21 April 2025: two weeks later is Monday 5 May 2025, Bevrijdingsdag.
    t = termijnen.woonplaats_afwijzing(date(2025, 4, 21))
    assert t.uiterlijk == date(2025, 5, 5)
    moved = termijnen.woonplaats_afwijzing(date(2025, 4, 21), verleng_naar_werkdag=True)
    assert moved.uiterlijk == date(2025, 5, 6)
    weekend = termijnen.woonplaats_afwijzing(date(2024, 6, 1), verleng_naar_werkdag=True)
    assert weekend.uiterlijk == date(2024, 6, 17)  # Saturday 15 June moves to Monday


def test_eight_weeks_after_dagtekening_once_in_onderzoek():
    t = termijnen.na_onderzoek(date(2026, 4, 1))
    assert t.uiterlijk == date(2026, 5, 27)
    with pytest.raises(ValueError):
        termijnen.na_onderzoek(date(2026, 4, 1), "OP999")


def test_termijn_status():
    t = termijnen.antwoord_vot(date(2024, 3, 25))
    assert t.status(date(2024, 3, 28)) is TermijnStatus.LOPEND
    assert t.status(date(2024, 4, 2)) is TermijnStatus.LAATSTE_DAG
    assert t.status(date(2024, 4, 3)) is TermijnStatus.VERLOPEN
    assert t.werkdagen_over(date(2024, 3, 28)) == 2  # 29 March and 2 April
    assert t.to_json(date(2024, 4, 3))["status"] == "verlopen"


def test_years_before_1980_are_refused():
    with pytest.raises(ValueError):
        NATIONAAL.is_werkdag(date(1975, 6, 2))


def test_op090_retourbericht_within_3_werkdagen():
    # Received Friday 1 May 2026: Monday 4 May is day 1, Bevrijdingsdag (5 May) does not
    # count, Wednesday 6 is day 2, Thursday 7 May day 3.
    t = termijnen.retourbericht(date(2026, 5, 1))
    assert (t.regel, t.uiterlijk) == ("OP090", date(2026, 5, 7))


def test_the_2026_feestdagen_the_transfer_tasks_are_dated_around():
    # Easter 2026 is 5 April (so Tweede Paasdag Monday 6 April); 27 April 2026 is a Monday,
    # so Koningsdag is not moved; Eerste Kerstdag 2026 is a Friday (tests/law/test_taken.py).
    dagen = NATIONAAL.feestdagen(2026)
    assert pasen(2026) == date(2026, 4, 5)
    assert dagen[date(2026, 4, 6)] == "Tweede Paasdag"
    assert dagen[date(2026, 4, 27)] == "Koningsdag" and date(2026, 4, 27).weekday() == 0
    assert date(2026, 12, 25).weekday() == 4 and not NATIONAAL.is_werkdag(date(2026, 12, 25))
    assert NATIONAAL.plus_werkdagen(date(2026, 4, 23), 5) == date(2026, 5, 1)
