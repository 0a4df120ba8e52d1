"""Dutch formatting, the one place for it: dates in sentences ("7 december 2026"), moments
in Dutch local time, counts with the right noun ("1 minuut", "11 minuten") and yes/no.

Pages (the Jinja2 filters of :mod:`wpb.service.web.pages`), messages of the service
functions (a rejected upload row says "ligt na de aanleverdatum 7 december 2026") and the
exports use these helpers, so a date reads the same everywhere. Machine-readable fields
(the API's JSON, CSV cells, file names) keep ISO 8601 (JJJJ-MM-DD).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from wpb.service.clock import AMSTERDAM

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

# Nouns with their plural, for counts in sentences.
NOUNS = {
    "minuut": "minuten",
    "seconde": "seconden",
    "uur": "uur",
    "dag": "dagen",
    "werkdag": "werkdagen",
    "week": "weken",
    "maand": "maanden",
    "regel": "regels",
    "overdracht": "overdrachten",
    "taak": "taken",
    "fout": "fouten",
}


def dutch_date(value: date | str | None) -> str:
    """``2026-12-07`` → ``7 december 2026`` (empty for nothing; text that is no date stays)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def dutch_month(value: date) -> str:
    """``2026-12-01`` → ``december 2026``."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def dutch_moment(value: str | datetime | None) -> str:
    """A UTC moment (``2021-10-04T10:00:00Z``) as Dutch local time: ``4 oktober 2021, 12:00``."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(AMSTERDAM)
    return f"{dutch_date(local.date())}, {local:%H:%M}"


def count(number: int, noun: str) -> str:
    """``count(1, "minuut")`` → ``1 minuut``; ``count(11, "minuut")`` → ``11 minuten``."""
    if noun not in NOUNS:
        raise KeyError(f"geen meervoud bekend voor {noun!r}; voeg het toe aan NOUNS")
    return f"{number} {noun if number == 1 else NOUNS[noun]}"


def minutes_of(seconds: int) -> str:
    """A wait in whole minutes, rounded up, at least one: 30 s → ``1 minuut``, 601 s → ``11 minuten``."""
    return count(max(1, -(-int(seconds) // 60)), "minuut")


def yes_no(value: object) -> str:
    return "ja" if value else "nee"


__all__ = ["MONTHS", "count", "dutch_date", "dutch_moment", "dutch_month", "minutes_of", "yes_no"]
