"""Time as the service sees it: naive UTC timestamps in the database, Dutch calendar dates.

Tests and demos pass their own clock so that rule dates (2021-11-01, 2022-01-01) can be
exercised without waiting for them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

Clock = Callable[[], datetime]  # returns an aware datetime


def system_clock() -> datetime:
    return datetime.now(UTC)


def utc_naive(moment: datetime) -> datetime:
    """The stored form of a moment: UTC without tzinfo, microsecond precision."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def dutch_date(moment: datetime) -> date:
    """The calendar date in the Netherlands at ``moment`` (an upload at 00:30 CET counts that day)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).date()


def fixed_clock(moment: datetime) -> Clock:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return lambda: moment
