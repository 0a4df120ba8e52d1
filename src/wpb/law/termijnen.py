"""Deadlines in working days and weeks, with the Dutch public holidays computed.

The iJw answers a municipality owes a provider run on deadlines (iStandaarden iJw 3.2,
"Regels op berichten"):

- OP274: after receiving a verzoek om toewijzing (VOT, JW315) the gemeente sends, per
  requested product, a toewijzing (JW301) or an antwoordbericht (JW319) *within 5
  werkdagen*. An answer "aanvraag in onderzoek" (VerzoekAntwoord 2) buys time: then a
  toewijzing or a rejection follows *within 8 weeks after the dagtekening of the verzoek*.
- OP346: the same 5 werkdagen (and the same 8 weeks) for a verzoek om wijziging (VOW, JW317).
- OP090: every received message is answered with its retourbericht *within 3 werkdagen*
  after receipt.
- OP359: a VOT rejected on the woonplaatsbeginsel is rejected *within the statutory term of
  2 weeks*, naming the financially responsible gemeente. The iStandaarden FAQ for iJw 3.2
  reads it as the deadline for the whole woonplaats investigation: while the gemeente
  investigates the woonplaats, its answer — a JW319 with reden 8 or a JW301 — is due within
  those 14 days, and OP274's 5 werkdagen do not set the last day. The statutory term is Regeling
  Jeugdwet art. 1a.1: "De redelijke termijn, bedoeld in artikel 8.2.1, eerste lid, van de
  wet, is in ieder geval verstreken wanneer het college binnen twee weken na ontvangst van
  een informatieverzoek ... over welk college financieel verantwoordelijk is ... niet de
  gevraagde informatie heeft verstrekt."

Counting (choices, documented in docs/ijw.md):

- "binnen N werkdagen na ontvangst": the day of receipt does not count; the first working
  day after it is day 1 and the deadline is the N-th. Received on a Saturday, Monday is day 1.
- "binnen twee weken na ontvangst": receipt + 14 calendar days. The Algemene termijnenwet
  (Atw) art. 1 moves a term that ends on a Saturday, Sunday or feestdag to the next working
  day, but by its art. 1 and 5 it covers terms set in a wet or an AMvB, and the Regeling
  Jeugdwet is a ministeriële regeling. So the default does not move the end; the
  ``verleng_naar_werkdag`` parameter applies the Atw rule for those who read it otherwise.
- A working day is Monday to Friday and not a feestdag of the chosen :class:`Kalender`.

Public holidays (nationale feestdagen): Nieuwjaarsdag, Eerste en Tweede Paasdag (Easter by
the Gregorian computus), Koningsdag, Bevrijdingsdag, Hemelvaartsdag (Easter + 39),
Eerste en Tweede Pinksterdag (Easter + 49, + 50), Eerste en Tweede Kerstdag.

- Koningsdag: 27 April from 2014 (Wet van 2013 on the King's birthday), 26 April when the
  27th is a Sunday. Before 2014 it was Koninginnedag, 30 April, kept on 29 April when the
  30th was a Sunday (the rule from 1980). Years before 1980 are refused rather than guessed.
- Bevrijdingsdag (5 mei) is a national feestdag every year, and the Atw (art. 3 lid 1)
  counts "de vijfde mei" every year; many CAO's give the day off only in lustrum years
  (divisible by 5). :class:`Bevrijdingsdag` makes that a parameter; the default counts it
  every year.
- Goede Vrijdag is no national feestdag, but Atw art. 3 lid 2 equates it for statutory
  terms: ``goede_vrijdag=True`` (the :data:`ALGEMENE_TERMIJNENWET` calendar) counts it.

Atw art. 3 lid 1 (text): "Algemeen erkende feestdagen in de zin van deze wet zijn: de
Nieuwjaarsdag, de Christelijke tweede Paas- en Pinksterdag, de beide Kerstdagen, de
Hemelvaartsdag, de dag waarop de verjaardag van de Koning wordt gevierd en de vijfde mei."

The module is pure: dates in, dates out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache

EERSTE_JAAR = 1980  # the Koninginnedag rule before this year is not encoded


class Bevrijdingsdag(str, Enum):
    """Whether 5 mei counts as a feestdag."""

    ELK_JAAR = "elk_jaar"  # national feestdag every year; Atw art. 3
    LUSTRUM = "lustrum"  # only in years divisible by 5, as many CAO's give the day off
    NOOIT = "nooit"


def pasen(jaar: int) -> date:
    """Eerste Paasdag: the Gregorian computus (the anonymous algorithm of 1876).

    Easter is the first Sunday after the ecclesiastical full moon on or after 21 March;
    the arithmetic below is the standard closed form of that rule for the Gregorian
    calendar, valid for every year from 1583.
    """
    if jaar < 1583:
        raise ValueError(f"{jaar}: de Gregoriaanse paasberekening geldt vanaf 1583")
    golden = jaar % 19  # place in the 19-year Metonic cycle
    century, year_of_century = divmod(jaar, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    solar_correction = (century - moon_correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - solar_correction + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday_offset = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    exception = (golden + 11 * epact + 22 * weekday_offset) // 451
    month, day = divmod(epact + weekday_offset - 7 * exception + 114, 31)
    return date(jaar, month, day + 1)


def koningsdag(jaar: int) -> date:
    """The day the monarch's birthday is celebrated (Koningsdag / Koninginnedag)."""
    if jaar < EERSTE_JAAR:
        raise ValueError(f"{jaar}: feestdagen vóór {EERSTE_JAAR} worden niet berekend")
    if jaar >= 2014:
        day = date(jaar, 4, 27)
        return day - timedelta(days=1) if day.weekday() == 6 else day
    day = date(jaar, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=512)
def _feestdagen(jaar: int, bevrijdingsdag: Bevrijdingsdag, goede_vrijdag: bool) -> dict:
    if jaar < EERSTE_JAAR:
        raise ValueError(f"{jaar}: feestdagen vóór {EERSTE_JAAR} worden niet berekend")
    easter = pasen(jaar)
    days = {
        date(jaar, 1, 1): "Nieuwjaarsdag",
        easter: "Eerste Paasdag",
        easter + timedelta(days=1): "Tweede Paasdag",
        koningsdag(jaar): "Koningsdag" if jaar >= 2014 else "Koninginnedag",
        easter + timedelta(days=39): "Hemelvaartsdag",
        easter + timedelta(days=49): "Eerste Pinksterdag",
        easter + timedelta(days=50): "Tweede Pinksterdag",
        date(jaar, 12, 25): "Eerste Kerstdag",
        date(jaar, 12, 26): "Tweede Kerstdag",
    }
    if bevrijdingsdag is Bevrijdingsdag.ELK_JAAR or (
        bevrijdingsdag is Bevrijdingsdag.LUSTRUM and jaar % 5 == 0
    ):
        # Hemelvaartsdag can fall on 5 May (e.g. 2016): keep both names.
        bevrijding = date(jaar, 5, 5)
        days[bevrijding] = (
            f"{days[bevrijding]} en Bevrijdingsdag" if bevrijding in days else "Bevrijdingsdag"
        )
    if goede_vrijdag:
        days[easter - timedelta(days=2)] = "Goede Vrijdag"
    return dict(sorted(days.items()))


@dataclass(frozen=True)
class Kalender:
    """Which days are feestdagen; every deadline is computed against one calendar."""

    bevrijdingsdag: Bevrijdingsdag = Bevrijdingsdag.ELK_JAAR
    goede_vrijdag: bool = False

    def feestdagen(self, jaar: int) -> dict[date, str]:
        """The feestdagen of ``jaar`` (also those on a weekend), by date."""
        return dict(_feestdagen(jaar, self.bevrijdingsdag, self.goede_vrijdag))

    def feestdag(self, dag: date) -> str | None:
        """The name of the feestdag on ``dag``, or None."""
        return _feestdagen(dag.year, self.bevrijdingsdag, self.goede_vrijdag).get(dag)

    def is_werkdag(self, dag: date) -> bool:
        return dag.weekday() < 5 and self.feestdag(dag) is None

    def eerste_werkdag_vanaf(self, dag: date) -> date:
        """``dag`` itself when it is a working day, else the next working day."""
        while not self.is_werkdag(dag):
            dag += timedelta(days=1)
        return dag

    def plus_werkdagen(self, start: date, aantal: int) -> date:
        """The ``aantal``-th working day after ``start`` (``start`` itself does not count)."""
        if aantal < 1:
            raise ValueError(f"aantal werkdagen moet minstens 1 zijn, niet {aantal}")
        dag = start
        counted = 0
        while counted < aantal:
            dag += timedelta(days=1)
            if self.is_werkdag(dag):
                counted += 1
        return dag

    def werkdagen_tussen(self, start: date, einde: date) -> int:
        """The number of working days in (start, einde]: after ``start``, up to ``einde``."""
        if einde < start:
            return -self.werkdagen_tussen(einde, start)
        return sum(
            1 for i in range(1, (einde - start).days + 1)
            if self.is_werkdag(start + timedelta(days=i))
        )


NATIONAAL = Kalender()
"""The national feestdagen, Bevrijdingsdag every year, no Goede Vrijdag (the default)."""

ALGEMENE_TERMIJNENWET = Kalender(goede_vrijdag=True)
"""Atw art. 3: the national feestdagen with 5 mei every year, and Goede Vrijdag equated."""


class TermijnStatus(str, Enum):
    LOPEND = "lopend"  # the last day is still ahead
    LAATSTE_DAG = "laatste_dag"  # today is the last day
    VERLOPEN = "verlopen"  # the last day has passed


@dataclass(frozen=True)
class Termijn:
    """A deadline: from which day it runs, the last day on which acting is in time, and why."""

    regel: str  # the rule that sets it, e.g. "OP274"
    omschrijving: str
    start: date  # the day it starts from (receipt, or the dagtekening of the verzoek)
    uiterlijk: date  # the last day that is in time
    bron: str
    kalender: Kalender = NATIONAAL

    def status(self, vandaag: date) -> TermijnStatus:
        if vandaag < self.uiterlijk:
            return TermijnStatus.LOPEND
        if vandaag == self.uiterlijk:
            return TermijnStatus.LAATSTE_DAG
        return TermijnStatus.VERLOPEN

    def werkdagen_over(self, vandaag: date) -> int:
        """Working days left after today up to and including the last day (negative: late)."""
        return self.kalender.werkdagen_tussen(vandaag, self.uiterlijk)

    def to_json(self, vandaag: date | None = None) -> dict:
        out = {
            "regel": self.regel,
            "omschrijving": self.omschrijving,
            "start": self.start.isoformat(),
            "uiterlijk": self.uiterlijk.isoformat(),
            "bron": self.bron,
        }
        if vandaag is not None:
            out["status"] = self.status(vandaag).value
            out["werkdagenOver"] = self.werkdagen_over(vandaag)
        return out


ANTWOORD_WERKDAGEN = 5  # OP274, OP346
RETOUR_WERKDAGEN = 3  # OP090
ONDERZOEK_WEKEN = 8  # OP274, OP346: after "aanvraag in onderzoek"
WOONPLAATS_WEKEN = 2  # OP359, Regeling Jeugdwet art. 1a.1

_ISTANDAARD = "iStandaarden iJw 3.2, Regels op berichten"


def _werkdagen(regel: str, omschrijving: str, ontvangen: date, aantal: int,
               kalender: Kalender) -> Termijn:
    return Termijn(
        regel=regel,
        omschrijving=omschrijving,
        start=ontvangen,
        uiterlijk=kalender.plus_werkdagen(ontvangen, aantal),
        bron=f"{_ISTANDAARD}, {regel}",
        kalender=kalender,
    )


def antwoord_vot(ontvangen: date, kalender: Kalender = NATIONAAL) -> Termijn:
    """OP274: a toewijzing or an antwoordbericht within 5 werkdagen after receiving a VOT."""
    return _werkdagen("OP274", f"Toewijzing of antwoordbericht binnen {ANTWOORD_WERKDAGEN} "
                      "werkdagen na ontvangst van het verzoek om toewijzing",
                      ontvangen, ANTWOORD_WERKDAGEN, kalender)


def antwoord_vow(ontvangen: date, kalender: Kalender = NATIONAAL) -> Termijn:
    """OP346: a toewijzing or an antwoordbericht within 5 werkdagen after receiving a VOW."""
    return _werkdagen("OP346", f"Toewijzing of antwoordbericht binnen {ANTWOORD_WERKDAGEN} "
                      "werkdagen na ontvangst van het verzoek om wijziging",
                      ontvangen, ANTWOORD_WERKDAGEN, kalender)


def na_onderzoek(dagtekening_verzoek: date, regel: str = "OP274",
                 kalender: Kalender = NATIONAAL) -> Termijn:
    """OP274/OP346: after "aanvraag in onderzoek", the final answer within 8 weeks of the
    dagtekening of the verzoek."""
    if regel not in ("OP274", "OP346"):
        raise ValueError(f"onbekende regel {regel!r}: OP274 (VOT) of OP346 (VOW)")
    return Termijn(
        regel=regel,
        omschrijving=f"Toewijzing of afwijzing binnen {ONDERZOEK_WEKEN} weken na de "
        "dagtekening van het verzoek (na 'aanvraag in onderzoek')",
        start=dagtekening_verzoek,
        uiterlijk=dagtekening_verzoek + timedelta(weeks=ONDERZOEK_WEKEN),
        bron=f"{_ISTANDAARD}, {regel}",
        kalender=kalender,
    )


def woonplaats_afwijzing(ontvangen: date, *, verleng_naar_werkdag: bool = False,
                         kalender: Kalender = NATIONAAL) -> Termijn:
    """OP359: while the woonplaats is investigated, the answer within 2 weeks after receipt.

    The answer is a JW319 with reden 8 naming the responsible gemeente, or a JW301 when the
    investigation shows the gemeente itself is responsible (iStandaarden FAQ iJw 3.2).

    ``verleng_naar_werkdag`` applies Atw art. 1 (an end on a weekend or feestdag moves to
    the next working day); see the module docstring for why it is off by default.
    """
    uiterlijk = ontvangen + timedelta(weeks=WOONPLAATS_WEKEN)
    if verleng_naar_werkdag:
        uiterlijk = kalender.eerste_werkdag_vanaf(uiterlijk)
    return Termijn(
        regel="OP359",
        omschrijving="Onderzoek naar de woonplaats: afwijzing op het woonplaatsbeginsel met de "
        "verantwoordelijke gemeente (JW319, reden 8) of toewijzing (JW301) binnen "
        f"{WOONPLAATS_WEKEN * 7} dagen na ontvangst van het verzoek",
        start=ontvangen,
        uiterlijk=uiterlijk,
        bron=f"{_ISTANDAARD}, OP359; iStandaarden FAQ iJw 3.2 (antwoord bij onderzoek naar de "
        "woonplaats); Regeling Jeugdwet art. 1a.1",
        kalender=kalender,
    )


def retourbericht(ontvangen: date, kalender: Kalender = NATIONAAL) -> Termijn:
    """OP090: the retourbericht on a received message within 3 werkdagen after receipt."""
    return _werkdagen("OP090", f"Retourbericht binnen {RETOUR_WERKDAGEN} werkdagen na "
                      "ontvangst van het bericht", ontvangen, RETOUR_WERKDAGEN, kalender)
