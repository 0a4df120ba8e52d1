"""Jeugdwet art. 1.1, begripsbepaling "jeugdige": its text, its sources and its limits, once.

Who is a jeugdige decides whether the woonplaats rule applies at all: a person who is none
on the peildatum gets ``review`` with ``geen_jeugdige``, and that review cites the onderdeel
of this definition that was tested (:func:`jeugdige_bron`). The route tables that apply the
definition (``common.JEUGDIGE_LEEFTIJD_ROUTES``, ``JEUGDIGE_ROUTES``,
``JEUGDIGE_EINDEN_ROUTES``) and the age predicates (``wpb.law.predicates``) read the limits
below; the national executor compiles the same tables (``wpb.batch.jeugdwet.jeugdige``).

The definition (Jeugdwet, BWBR0034925, art. 1.1, "jeugdige"), in short: a person who
1° has not reached eighteen; 2° has reached eighteen and for whom jeugdreclassering is
carried out or care follows from a criminal-law decision (juvenile criminal law, which
the court may also apply to a young adult under art. 77c Wetboek van Strafrecht); 3° has
reached eighteen but not twenty-three, and for whom the continuation of jeugdhulp begun
before eighteen is necessary, or for whom it was determined before eighteen that jeugdhulp
is necessary, or for whom the resumption of jeugdhulp begun before eighteen is necessary
within half a year after it ended. The texts below are a summary in Dutch with the
statute's own words where quoted ("zakelijke weergave"); the full text is at
:attr:`LegalSource.url`. wpb reads the definition the same under the woonplaats texts of
2015 and 2022 (docs/interpretations.md, "Age").

Not modelled (docs/open-questions.md, "Who is a jeugdige from 18"): a decision before 18
that jeugdhulp is necessary (the case format has no field for it), and 2° without an upper
age: wpb answers ``geen_jeugdige`` from 23 also under 2°.
"""

from __future__ import annotations

from datetime import date

from wpb.law.decision import LegalSource

# "de leeftijd van achttien jaar": below it 1°, from it only 2° or 3° (the same age as
# meerderjarigheid, BW boek 1, art. 233, which the woonplaats text of 2015 reads).
ACHTTIEN_JAAR = 18
# 3°: "doch niet de leeftijd van drieëntwintig jaar": from it wpb answers geen_jeugdige.
DRIEENTWINTIG_JAAR = 23
# 3°: resumption "binnen een half jaar" after the jeugdhulp ended, counted in calendar
# months (wpb.law.spans.MonthsAfter: the same day of the month six months on).
HALF_JAAR_MAANDEN = 6

GELDIG_VANAF = date(2015, 1, 1)  # the Jeugdwet's entry into force

_KOP = "jeugdige: persoon die"
_TEKST_1 = "1°. de leeftijd van achttien jaar nog niet heeft bereikt"
_TEKST_2 = (
    "2°. de leeftijd van achttien jaar heeft bereikt en ten aanzien van wie jeugdreclassering "
    "wordt uitgevoerd of jeugdhulp volgt uit een strafrechtelijke beslissing (jeugdstrafrecht, "
    "ook toegepast op een jongvolwassene: artikel 77c van het Wetboek van Strafrecht)"
)
_TEKST_3 = (
    "3°. de leeftijd van achttien jaar doch niet de leeftijd van drieëntwintig jaar heeft "
    "bereikt, en voor wie voortzetting van jeugdhulp die vóór het bereiken van de leeftijd van "
    "achttien jaar is aangevangen noodzakelijk is, ten aanzien van wie vóór die leeftijd is "
    "bepaald dat jeugdhulp noodzakelijk is, of voor wie hervatting van zulke jeugdhulp binnen "
    "een half jaar na beëindiging noodzakelijk is"
)
_WEERGAVE = " (zakelijke weergave; volledige tekst: wetten.overheid.nl)"


def _bron(onderdeel: int | None, tekst: str) -> LegalSource:
    return LegalSource(
        wet="Jeugdwet",
        bwb="BWBR0034925",
        artikel="1.1",
        begrip="jeugdige",
        onderdeel=onderdeel,
        tekst=tekst + _WEERGAVE,
        geldig_vanaf=GELDIG_VANAF,
    )


# The definition as a whole: "persoon die" -- cited where no onderdeel was reached (the
# peildatum lies before the birth).
JEUGDIGE = _bron(None, f"{_KOP} {_TEKST_1}, {_TEKST_2}, of {_TEKST_3}.")
JEUGDIGE_1 = _bron(1, f"{_KOP}: {_TEKST_1}.")
JEUGDIGE_2 = _bron(2, f"{_KOP}: {_TEKST_2}.")
JEUGDIGE_3 = _bron(3, f"{_KOP}: {_TEKST_3}.")
ONDERDELEN = (JEUGDIGE_1, JEUGDIGE_2, JEUGDIGE_3)


def jeugdige_bron(onderdeel: int | None) -> LegalSource:
    """The source of onderdeel ``onderdeel`` of the definition (None: the definition)."""
    return JEUGDIGE if onderdeel is None else ONDERDELEN[onderdeel - 1]


__all__ = [
    "ACHTTIEN_JAAR",
    "DRIEENTWINTIG_JAAR",
    "HALF_JAAR_MAANDEN",
    "JEUGDIGE",
    "JEUGDIGE_1",
    "JEUGDIGE_2",
    "JEUGDIGE_3",
    "ONDERDELEN",
    "jeugdige_bron",
]
