"""Dutch formatting (wpb.service.web.dutch): dates in sentences as a Dutch reader writes
them (Taalunie: day, month name in lower case, year; no leading zero) and counts with the
singular for exactly one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wpb.service.web.dutch import MONTHS, count, dutch_date, dutch_moment, dutch_month, minutes_of


def test_dates_in_sentences():
    assert dutch_date(date(2026, 12, 7)) == "7 december 2026"
    assert dutch_date("2022-01-01") == "1 januari 2022"
    assert dutch_date(datetime(2021, 3, 9, 23, 0)) == "9 maart 2021"
    assert dutch_date(None) == "" and dutch_date("") == ""
    assert dutch_date("geen datum") == "geen datum"
    assert dutch_month(date(2026, 5, 31)) == "mei 2026"


def test_moment_in_dutch_local_time_across_daylight_saving():
    assert dutch_moment("2026-12-07T23:30:00Z") == "8 december 2026, 00:30"  # CET, +1
    assert dutch_moment(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)) == "1 juli 2026, 12:00"  # CEST


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 minuut"), (60, "1 minuut"), (61, "2 minuten"), (601, "11 minuten"), (0, "1 minuut")],
)
def test_minutes_rounded_up_with_singular_and_plural(seconds, words):
    assert minutes_of(seconds) == words


def test_counts_and_an_unknown_noun_is_refused():
    assert count(1, "regel") == "1 regel" and count(0, "regel") == "0 regels"
    assert count(2, "taak") == "2 taken" and count(3, "uur") == "3 uur"
    with pytest.raises(KeyError):
        count(2, "ding")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_date_reads_back(day):
    words = dutch_date(day)
    d, month, year = words.split(" ")
    assert date(int(year), MONTHS.index(month) + 1, int(d)) == day
    assert not d.startswith("0")
    assert dutch_date(day + timedelta(days=0)) == dutch_date(day.isoformat())
