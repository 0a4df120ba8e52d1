"""The parts of the Logisch Ontwerp GBA (LO GBA) a woonplaats decision needs.

A GBA-V extract names each column by its LO GBA element number ``CC.GG.EE``: category,
group, element. Category 01 is the person, 02 and 03 the parents, 08 the verblijfplaats;
a category plus 50 (51, 52, 53, 58) holds the earlier *voorkomens* (history) of that
category. This module holds the element numbers used, the LO GBA date format and the
meaning of the onderzoek codes (group 83), so :mod:`wpb.brp.gba` reads as a mapping.

Facts taken from the LO GBA (RvIG, Logisch Ontwerp BRP/GBA, bijlage "Rubrieken") and the
Haal Centraal BRP API specification (BRP-API on GitHub), which maps the same elements.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from wpb.law.dates import PartialDate

# --- element numbers -------------------------------------------------------------------

# Categorie 01 Persoon.
A_NUMMER = "01.01.10"
BSN = "01.01.20"
GEBOORTEDATUM = "01.03.10"
GESLACHT = "01.04.10"  # M, V or O (onbekend)

# Categorie 02 Ouder1 and 03 Ouder2: the same elements under the parent's category.
OUDER_CATEGORIEEN = ("02", "03")


def ouder_element(categorie: str, element: str) -> str:
    """``ouder_element("02", "01.20")`` -> ``"02.01.20"``."""
    return f"{categorie}.{element}"


OUDER_BSN = "01.20"
OUDER_GESLACHT = "04.10"

# Categorie 08 Verblijfplaats (58: its history).
GEMEENTE_VAN_INSCHRIJVING = "08.09.10"
DATUM_INSCHRIJVING = "08.09.20"
FUNCTIE_ADRES = "08.10.10"  # W woonadres, B briefadres
DATUM_AANVANG_ADRESHOUDING = "08.10.30"
LOCATIEBESCHRIJVING = "08.12.10"
LAND_ADRES_BUITENLAND = "08.13.10"
DATUM_AANVANG_ADRES_BUITENLAND = "08.13.20"
AANDUIDING_IN_ONDERZOEK = "08.83.10"
DATUM_INGANG_ONDERZOEK = "08.83.20"
DATUM_EINDE_ONDERZOEK = "08.83.30"
INDICATIE_ONJUIST = "08.84.10"  # "O": this voorkomen was wrong and has been corrected
INGANGSDATUM_GELDIGHEID = "08.85.10"
DATUM_VAN_OPNEMING = "08.86.10"

VERBLIJFPLAATS = "08"
VERBLIJFPLAATS_HISTORIE = "58"

# Groups of category 08 that describe where the person is registered: gemeente (09),
# adreshouding (10), adres (11), locatie (12), adres buitenland (13). A row with none of
# these carries no address (only, say, 72.10 aangifte adreshouding or 14 immigratie).
ADRES_GROEPEN = ("09", "10", "11", "12", "13")
ADRES_GROEP_11 = "11"  # straat, huisnummer, postcode, BAG ids: a Dutch Adres

FUNCTIE_WOONADRES = "W"
FUNCTIE_BRIEFADRES = "B"
ONJUIST = "O"
GESLACHTEN = ("M", "V", "O")
VROUW = "V"

# Tabel 34 (landentabel): 0000 is "Onbekend". An address abroad in an unknown country is
# how the BRP records "vertrokken onbekend waarheen": Haal Centraal calls it
# VerblijfplaatsOnbekend.
LAND_ONBEKEND = "0000"

# Every element the reader needs; an extract without one of these columns is refused.
REQUIRED = (
    BSN,
    GEBOORTEDATUM,
    *(ouder_element(c, e) for c in OUDER_CATEGORIEEN for e in (OUDER_BSN, OUDER_GESLACHT)),
    GEMEENTE_VAN_INSCHRIJVING,
    FUNCTIE_ADRES,
    DATUM_AANVANG_ADRESHOUDING,
    LAND_ADRES_BUITENLAND,
    DATUM_AANVANG_ADRES_BUITENLAND,
    AANDUIDING_IN_ONDERZOEK,
    DATUM_INGANG_ONDERZOEK,
    DATUM_EINDE_ONDERZOEK,
    INDICATIE_ONJUIST,
    INGANGSDATUM_GELDIGHEID,
)

_ELEMENT = re.compile(r"(\d{2})\.(\d{2})\.(\d{2})")


def split_element(name: str) -> tuple[str, str, str] | None:
    """``"08.11.60"`` -> ``("08", "11", "60")``; None for other column names (``08.H``)."""
    m = _ELEMENT.fullmatch(name)
    return (m.group(1), m.group(2), m.group(3)) if m else None


# --- dates -----------------------------------------------------------------------------

_GBA_DATE = re.compile(r"\d{8}")


class GbaValueError(ValueError):
    """A value that breaks the LO GBA format; the message says why, in Dutch."""


def parse_gba_datum(value: str) -> tuple[PartialDate, str | None]:
    """An LO GBA date ``JJJJMMDD`` with ``00`` for the unknown parts, and a warning if any.

    ``00000000`` is wholly unknown, ``JJJJ0000`` only the year is known, ``JJJJMM00`` the
    day is unknown. A day that is not in the calendar, or a month above 12, is refused.

    The LO GBA fills the smaller parts with zeros when a larger part is unknown, but real
    extracts hold a few dates with a day and no month (the GBA-V test set has
    ``19660013``). A day without its month fixes no date, so such a value is read as
    what is certain -- the year (or nothing, when the year is 0000) -- and a warning
    says so.
    """
    if not _GBA_DATE.fullmatch(value):
        raise GbaValueError(f"{value!r} is geen GBA-datum (8 cijfers JJJJMMDD, 00 voor onbekend)")
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    if month > 12:
        raise GbaValueError(f"{value!r}: maand {month} bestaat niet")
    if year == 0:
        warning = None
        if month or day:
            warning = (
                f"{value!r}: jaar onbekend maar maand of dag gevuld; gelezen als geheel onbekend"
            )
        return PartialDate.unknown(), warning
    if month == 0:
        warning = None
        if day:
            warning = (
                f"{value!r}: dag {day} bij een onbekende maand; gelezen als alleen het jaar {year}"
            )
        return PartialDate.year(year), warning
    if day == 0:
        return PartialDate.year_month(year, month), None
    if day > calendar.monthrange(year, month)[1]:
        raise GbaValueError(f"{value!r}: dag {day} bestaat niet in {year:04d}-{month:02d}")
    return PartialDate.exact(date(year, month, day)), None


# --- onderzoek (group 83) --------------------------------------------------------------

# 83.10 "aanduiding gegevens in onderzoek" is six digits CCGGEE: the category (08, or 58
# when set on a history voorkomen), the group (00: the whole category) and the element
# (00: the whole group). 089999 / 589999 is not an element: it records that the municipality
# has established that the person no longer lives at the address while the search for the
# new address goes on ("vastgesteld verblijft niet op adres").
VASTGESTELD_NIET_OP_ADRES = ("089999", "589999")
_ONDERZOEK = re.compile(r"\d{6}")


@dataclass(frozen=True)
class Onderzoek:
    code: str
    categorie: str
    groep: str
    element: str

    @property
    def vastgesteld_niet_op_adres(self) -> bool:
        return self.code in VASTGESTELD_NIET_OP_ADRES

    @property
    def raakt_adres(self) -> bool:
        """Does the investigation concern where the person is registered?

        The whole category (group 00) or one of the address groups (09 gemeente, 10
        adreshouding, 11 adres, 12 locatie, 13 adres buitenland). An investigation into
        group 14 (immigratie), 72 (aangifte) or 85/86 (geldigheid, opneming) questions
        other facts than the address, so it is not an aantekening *bij het woonadres*.
        """
        return self.groep == "00" or self.groep in ADRES_GROEPEN


def parse_onderzoek(value: str) -> Onderzoek:
    if not _ONDERZOEK.fullmatch(value):
        raise GbaValueError(f"{value!r} is geen aanduiding onderzoek (6 cijfers CCGGEE)")
    categorie, groep, element = value[:2], value[2:4], value[4:]
    if categorie not in (VERBLIJFPLAATS, VERBLIJFPLAATS_HISTORIE):
        raise GbaValueError(
            f"{value!r} wijst naar categorie {categorie}, niet naar de verblijfplaats (08/58)"
        )
    return Onderzoek(value, categorie, groep, element)
