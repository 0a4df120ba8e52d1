"""The two periods of the beschermd-wonen rules, counted exactly.

- "minder dan twaalf maanden [...] verstreken sinds het eindigen van dat beschermd wonen"
  (bill 36 288, art. 1.2.1a lid 1 onder a) counts calendar months. Twelve months after the
  day the beschermd wonen ended is the same day of the month a year later: for an end on
  2025-03-15 that is 2026-03-15. On 2026-03-14 less than twelve months have passed; on
  2026-03-15 exactly twelve have, which is no longer "minder dan twaalf maanden". When that
  day does not exist (an end on 29 February), the last day of the month stands in for it
  (2024-02-29 → 2025-02-28), as a term of months is usually counted.
- "in de 365 dagen voor de melding" (seed definition of the *nieuwe cliënt*) counts days:
  the 365 days before the day of the request, that day itself not included. For a request
  on 2026-03-15 these are 2025-03-15 up to and including 2026-03-14.

The twelve months are declared once (:data:`TWAALF_MAANDEN_NA_EINDE`, a :class:`MonthsSince`,
which is the core's one month term ``wpb.law.spans.MonthsAfter``): the reference engine
evaluates the declaration (:func:`twaalf_maanden_na`, with the one ``wpb.law.dates.add_months``),
the national executor compiles it to polars (``wpb.batch.compile.compile_passed_on``), and
``tests/law/test_wmo_spans.py`` compares both on generated days (month ends, 29 February).
The 365 days likewise (:data:`VENSTER_NIEUWE_CLIENT`, two :class:`DaysBefore`, which is the
core's one day term ``wpb.law.spans.DaysBefore``, also the Jeugdwet's day immediately before a
stay; compiled by ``wpb.batch.compile.compile_days_before``).
"""

from __future__ import annotations

from datetime import date

from wpb.law.spans import DaysBefore, MonthsAfter

TWAALF_MAANDEN = 12
DAGEN_NIEUWE_CLIENT = 365


# The month term is the core's one (``wpb.law.spans.MonthsAfter``, also the half year of the
# Jeugdwet's jeugdhulpketen): the same declaration, one evaluation, one compiler.
MonthsSince = MonthsAfter


# Bill 36 288, art. 1.2.1a lid 1 onder a: "minder dan twaalf maanden [...] verstreken sinds het
# eindigen van dat beschermd wonen", counted from the day it ended (its last day).
TWAALF_MAANDEN_NA_EINDE = MonthsSince(
    TWAALF_MAANDEN,
    "minder dan twaalf maanden verstreken sinds het eindigen van het eerdere beschermd wonen",
    "wetsvoorstel 36 288, art. 1.2.1a lid 1 onder a",
)


def twaalf_maanden_na(einde: date) -> date:
    """The first day on which twelve months have passed since the end on ``einde``."""
    return TWAALF_MAANDEN_NA_EINDE.passed_on(einde)


def minder_dan_twaalf_maanden(einde: date, dag: date) -> bool:
    """Whether on ``dag`` less than twelve months have passed since the end on ``einde``."""
    return TWAALF_MAANDEN_NA_EINDE.within(einde, dag)


# Seed 004 (the nieuwe cliënt): "in de 365 dagen voor de melding", the day of the request
# itself not included: its first and its last day.
# (The day term is the core's one, ``wpb.law.spans.DaysBefore``.)
VENSTER_NIEUWE_CLIENT = (
    DaysBefore(
        DAGEN_NIEUWE_CLIENT,
        "de eerste van de 365 dagen vóór de melding",
        'seed 004 (nieuwe cliënt): "in de 365 dagen voor de melding"',
    ),
    DaysBefore(
        1,
        "de laatste van de 365 dagen vóór de melding: de dag vóór de melding",
        'seed 004 (nieuwe cliënt): "in de 365 dagen voor de melding"',
    ),
)


def venster_nieuwe_client(melddatum: date) -> tuple[date | None, date | None]:
    """The first and last day of the 365 days before the request (both inclusive); None for
    a day that would lie before 0001-01-01 (``DaysBefore.on``)."""
    eerste, laatste = VENSTER_NIEUWE_CLIENT
    return eerste.on(melddatum), laatste.on(melddatum)
