"""The states of an earlier beschermd-wonen placement on the day of the request, declared once
for both executors (bill 36 288, art. 1.2.1a lid 1 onder a).

A placement's begin and end are partial dates (every day in [earliest, latest] possible), so on
the day of the request it may be in more than one state. Each state is a predicate over one
fact, :class:`PlaatsingOpDag` (the placement's bounds, the day of the request, and the first
days on which twelve months have passed since its earliest and its latest end, from the
declared period :data:`~wpb.law.wmo.termijnen.TWAALF_MAANDEN_NA_EINDE`):

- :data:`NOG_NIET_BEGONNEN`: it may begin on or after the day ("voor", no earlier placement);
- :data:`LOOPT`: it may have begun before the day and may still run on it;
- :data:`GEEINDIGD`: it may have begun and ended before the day;
- for an ended placement, :data:`ZEKER_BINNEN_TWAALF_MAANDEN` (even its earliest end is less
  than twelve months before the day) and :data:`MOGELIJK_BINNEN_TWAALF_MAANDEN` (its latest
  end is);
- for the nieuwe cliënt (:mod:`wpb.law.wmo.nieuwe_client`), whether a placement possibly or
  certainly had a day in the 365 days before the request (:data:`GEBRUIK_MOGELIJK_IN_VENSTER`,
  :data:`GEBRUIK_ZEKER_IN_VENSTER`), and an application was possibly or certainly dated in
  them (:data:`AANVRAAG_MOGELIJK_IN_VENSTER`, :data:`AANVRAAG_ZEKER_IN_VENSTER`, over
  :class:`AanvraagOpDag`).

The reference engine evaluates them with :func:`wpb.law.predicates.holds` (:func:`standen`);
the national executor compiles them to polars (``wpb.batch.wmo.compile``), and
``tests/law/test_wmo_spans.py`` evaluates both on generated placements. Which placement ended
last is the core's declared choice of the last of several episodes (:data:`LAATST_GEEINDIGD`,
a ``wpb.law.spans.Laatste``: "certainly later", "possibly last"); the product of the states of
several placements is a fold each executor still states itself (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wpb.law.predicates import Field, Predicate, UiterlijkOp, Voor, holds
from wpb.law.spans import DaysBefore, Laatste, ander
from wpb.law.wmo.predicates import MELDDATUM
from wpb.law.wmo.termijnen import TWAALF_MAANDEN_NA_EINDE, VENSTER_NIEUWE_CLIENT, MonthsSince

BEGIN_VROEGST = Field("begin_vroegst")
BEGIN_LAATST = Field("begin_laatst")
EINDE_VROEGST = Field("einde_vroegst")  # None: no end (still running)
EINDE_LAATST = Field("einde_laatst")
TWAALF_MAANDEN_NA_EINDE_VROEGST = Field("twaalf_maanden_na_einde_vroegst")
TWAALF_MAANDEN_NA_EINDE_LAATST = Field("twaalf_maanden_na_einde_laatst")
VENSTER_EERSTE = Field("venster_eerste")  # the first of the 365 days before the request
VENSTER_LAATSTE = Field("venster_laatste")  # the last of them (the day before the request)
DATUM_VROEGST = Field("datum_vroegst")  # an application's (partial) date
DATUM_LAATST = Field("datum_laatst")

# The fields computed from others by a declared period: field -> (period, the day it counts
# from). Both executors derive them from this table (:func:`afgeleide_dag`).
AFGELEIDE_DAGEN: dict[str, tuple[MonthsSince | DaysBefore, Field]] = {
    TWAALF_MAANDEN_NA_EINDE_VROEGST.name: (TWAALF_MAANDEN_NA_EINDE, EINDE_VROEGST),
    TWAALF_MAANDEN_NA_EINDE_LAATST.name: (TWAALF_MAANDEN_NA_EINDE, EINDE_LAATST),
    VENSTER_EERSTE.name: (VENSTER_NIEUWE_CLIENT[0], MELDDATUM),
    VENSTER_LAATSTE.name: (VENSTER_NIEUWE_CLIENT[1], MELDDATUM),
}


def afgeleide_dag(period: MonthsSince | DaysBefore, day: date) -> date | None:
    """The day ``period`` gives from ``day`` (MonthsSince: the day it has passed; DaysBefore:
    None before 0001-01-01)."""
    return period.passed_on(day) if isinstance(period, MonthsSince) else period.on(day)

MOGELIJK_BEGONNEN = Voor(BEGIN_VROEGST, MELDDATUM)

NOG_NIET_BEGONNEN = Predicate(
    "nog_niet_begonnen", UiterlijkOp(MELDDATUM, BEGIN_LAATST),
    "de plaatsing begon mogelijk pas op of na de melding",
)
LOOPT = Predicate(
    "loopt", MOGELIJK_BEGONNEN & (~EINDE_LAATST.is_present() | UiterlijkOp(MELDDATUM, EINDE_LAATST)),
    "de plaatsing begon mogelijk vóór de melding en liep bij de melding mogelijk nog",
)
GEEINDIGD = Predicate(
    "geeindigd", MOGELIJK_BEGONNEN & Voor(EINDE_VROEGST, MELDDATUM),
    "de plaatsing begon en eindigde mogelijk vóór de melding",
)
ZEKER_BINNEN_TWAALF_MAANDEN = Predicate(
    "zeker_binnen_twaalf_maanden", Voor(MELDDATUM, TWAALF_MAANDEN_NA_EINDE_VROEGST),
    "ook bij het vroegst mogelijke einde zijn bij de melding minder dan twaalf maanden verstreken",
)
MOGELIJK_BINNEN_TWAALF_MAANDEN = Predicate(
    "mogelijk_binnen_twaalf_maanden", Voor(MELDDATUM, TWAALF_MAANDEN_NA_EINDE_LAATST),
    "bij het laatst mogelijke einde zijn bij de melding minder dan twaalf maanden verstreken",
)

# The nieuwe cliënt (seed 004; wpb.law.wmo.nieuwe_client): a placement "used" in the 365 days
# before the request has a day in them; an application counts when it is dated in them.
GEBRUIK_MOGELIJK_IN_VENSTER = Predicate(
    "gebruik_mogelijk_in_venster",
    UiterlijkOp(BEGIN_VROEGST, VENSTER_LAATSTE) & ~Voor(EINDE_LAATST, VENSTER_EERSTE),
    "de plaatsing had mogelijk een dag in de 365 dagen vóór de melding",
)
GEBRUIK_ZEKER_IN_VENSTER = Predicate(
    "gebruik_zeker_in_venster",
    UiterlijkOp(BEGIN_LAATST, VENSTER_LAATSTE) & ~Voor(EINDE_VROEGST, VENSTER_EERSTE),
    "de plaatsing had zeker een dag in de 365 dagen vóór de melding (als zij er mogelijk een had)",
)
AANVRAAG_MOGELIJK_IN_VENSTER = Predicate(
    "aanvraag_mogelijk_in_venster",
    UiterlijkOp(VENSTER_EERSTE, DATUM_LAATST) & UiterlijkOp(DATUM_VROEGST, VENSTER_LAATSTE),
    "de aanvraag is mogelijk gedaan in de 365 dagen vóór de melding",
)
AANVRAAG_ZEKER_IN_VENSTER = Predicate(
    "aanvraag_zeker_in_venster",
    UiterlijkOp(VENSTER_EERSTE, DATUM_VROEGST) & UiterlijkOp(DATUM_LAATST, VENSTER_LAATSTE),
    "de aanvraag is zeker gedaan in de 365 dagen vóór de melding",
)

# Bill 36 288, art. 1.2.1a lid 1 onder a: "het college van de gemeente dat laatstelijk
# beschermd wonen heeft verstrekt": among the placements ended before the request, the one that
# ended last. Under partial ends a placement is left out when another certainly ended later
# (even its latest end lies before the other's earliest); each that is left may have ended
# last and is a reading of its own (no tie rule). The reference chooses by it
# (``beschermd_wonen._laatste_plaatsing``), the national executor compiles it
# (``wpb.batch.wmo.placements._may_be_last``, ``wpb.batch.compile.compile_laatste``).
LAATST_GEEINDIGD = Laatste(
    "laatst_geeindigd",
    GEEINDIGD,
    Voor(EINDE_LAATST, ander(EINDE_VROEGST)),
    None,
    "de plaatsing die als laatste vóór de melding eindigde; een plaatsing die zeker eerder "
    "eindigde dan een andere valt af, elke overige is een lezing",
    "wetsvoorstel 36 288, art. 1.2.1a lid 1 onder a: \"laatstelijk beschermd wonen heeft "
    "verstrekt\"",
)

# The states a placement may be in on the day of the request, in the reference's order.
STANDEN: tuple[tuple[str, Predicate], ...] = (
    ("voor", NOG_NIET_BEGONNEN),
    ("loopt", LOOPT),
    ("geeindigd", GEEINDIGD),
)


class _Afgeleid:
    """The days of :data:`AFGELEIDE_DAGEN`, computed when read."""

    def __getattr__(self, name: str) -> date | None:
        if name not in AFGELEIDE_DAGEN:
            raise AttributeError(name)
        period, since = AFGELEIDE_DAGEN[name]
        day = getattr(self, since.name)
        return None if day is None else afgeleide_dag(period, day)


@dataclass(frozen=True)
class PlaatsingOpDag(_Afgeleid):
    """The fact the state predicates are evaluated on: one placement on the day of the
    request."""

    melddatum: date
    begin_vroegst: date
    begin_laatst: date
    einde_vroegst: date | None
    einde_laatst: date | None


@dataclass(frozen=True)
class AanvraagOpDag(_Afgeleid):
    """An application (its partial date) on the day of the request."""

    melddatum: date
    datum_vroegst: date
    datum_laatst: date


def op_dag(begin: tuple[date, date], einde: tuple[date, date] | None,
           dag: date) -> PlaatsingOpDag:
    """The fact of a placement beginning in [begin] and ending in [einde] (None: running),
    on the day of the request ``dag``."""
    return PlaatsingOpDag(dag, begin[0], begin[1], None if einde is None else einde[0],
                          None if einde is None else einde[1])


def standen(fact: PlaatsingOpDag) -> list[str]:
    """Every state (of :data:`STANDEN`) the placement may be in on the day of the request."""
    return [toestand for toestand, predicate in STANDEN if holds(predicate, fact)]


__all__ = [
    "AANVRAAG_MOGELIJK_IN_VENSTER",
    "AANVRAAG_ZEKER_IN_VENSTER",
    "AFGELEIDE_DAGEN",
    "AanvraagOpDag",
    "GEBRUIK_MOGELIJK_IN_VENSTER",
    "GEBRUIK_ZEKER_IN_VENSTER",
    "GEEINDIGD",
    "LAATST_GEEINDIGD",
    "LOOPT",
    "MOGELIJK_BINNEN_TWAALF_MAANDEN",
    "NOG_NIET_BEGONNEN",
    "PlaatsingOpDag",
    "STANDEN",
    "ZEKER_BINNEN_TWAALF_MAANDEN",
    "afgeleide_dag",
    "op_dag",
    "standen",
]
