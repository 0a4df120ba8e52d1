"""Dutch time for what wpb stamps on messages outside the service.

A dagtekening, a Toewijzingsdatum/-tijd and "today" for a deadline are dates and times in
the Netherlands (Europe/Amsterdam, CET/CEST), whatever the machine's own time zone: a
message written at 00:30 Dutch time carries that day, not the UTC day before. The
service does the same with its clock (``wpb.service.clock.dutch_date``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utc_nu() -> datetime:
    """The current moment (aware, UTC); one place to replace in tests."""
    return datetime.now(UTC)


def nederlandse_tijd(moment: datetime | None = None) -> datetime:
    """``moment`` (default: now) as naive Dutch wall-clock time, to the second.

    iJw dates and times carry no time zone (LDT_Datum, LDT_Tijd), so the value is naive.
    A naive ``moment`` is taken to be UTC.
    """
    moment = moment or utc_nu()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None, microsecond=0)


def nederlandse_datum(moment: datetime | None = None) -> date:
    """The calendar date in the Netherlands at ``moment`` (default: now)."""
    return nederlandse_tijd(moment).date()
