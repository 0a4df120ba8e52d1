"""The iJw 3.2 simple datatypes (LDT_*) as checks in code.

The Basisschema of iJw 3.2 restricts every value: a length, a pattern, a range or a list
of codes. wpb cannot ship the XSDs (their licence is unclear), so the same facets are
written here and always checked, with or without the XSD files. Code lists that are
project data (:mod:`wpb.ijw.codelists`) are looked up there; the small fixed
enumerations of the schema are listed here.

Two simplifications, both stricter-or-equal in practice: ``LDT_LandCode`` is checked as
two capital letters (the XSD enumerates the ISO 3166-1 codes), and ``\\s`` in a pattern
follows Python's notion of white space.

The BSN type adds the 11-proef (CS002), which the XSD cannot express.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import Enum

from wpb.ijw.codelists import codelijst
from wpb.law.bsn import bsn_problem


class Base(str, Enum):
    STRING = "string"
    INTEGER = "integer"
    DATE = "date"
    TIME = "time"


@dataclass(frozen=True)
class Ldt:
    name: str
    base: Base
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enumeration: tuple[str, ...] | None = None
    codelijst: str | None = None  # id of a project code list (WJ759 ...)
    minimum: int | None = None
    maximum: int | None = None
    bsn: bool = False  # CS002: the 11-proef
    personal: bool = False  # never echo the value

    def problem(self, value: object) -> tuple[str, str] | None:
        """(rule, reason) when ``value`` does not fit this type; None when it does."""
        if self.base is Base.STRING:
            if not isinstance(value, str):
                return "XSD", f"verwacht tekst ({self.name})"
            return self._string_problem(value)
        if self.base is Base.INTEGER:
            if not isinstance(value, int) or isinstance(value, bool):
                return "XSD", f"verwacht een geheel getal ({self.name})"
            if self.minimum is not None and value < self.minimum:
                return "XSD", f"{value} is kleiner dan {self.minimum} ({self.name})"
            if self.maximum is not None and value > self.maximum:
                return "XSD", f"{value} is groter dan {self.maximum} ({self.name})"
            return None
        if self.base is Base.DATE:
            ok = isinstance(value, date)
            return None if ok else ("XSD", f"verwacht een datum ({self.name})")
        ok = isinstance(value, time) and value.tzinfo is None
        return None if ok else ("XSD", f"verwacht een tijd zonder tijdzone ({self.name})")

    def _string_problem(self, value: str) -> tuple[str, str] | None:
        shown = "waarde" if self.personal else repr(value)
        bad = _NOT_XML_CHAR.search(value)
        if bad:
            return "XSD", f"bevat het teken U+{ord(bad.group()):04X}, dat XML niet toestaat"
        if self.bsn:
            problem = bsn_problem(value)
            if problem is None:
                return None
            rule = "CS002" if problem == "voldoet niet aan de 11-proef" else "XSD"
            return rule, f"Bsn {problem}"
        if self.min_length is not None and len(value) < self.min_length:
            if not value:
                return "XSD", f"is leeg ({self.name})"
            return "XSD", f"{shown} is korter dan {self.min_length} tekens ({self.name})"
        if self.max_length is not None and len(value) > self.max_length:
            return "XSD", f"{shown} is langer dan {self.max_length} tekens ({self.name})"
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            return "XSD", f"{shown} past niet in het patroon {self.pattern} ({self.name})"
        if self.enumeration is not None and value not in self.enumeration:
            return "XSD", (
                f"{shown} is geen geldige code ({self.name}); "
                f"toegestaan: {', '.join(self.enumeration)}"
            )
        if self.codelijst is not None:
            problem = codelijst(self.codelijst).probleem(value)
            if problem:
                return "XSD", problem
        return None


_NOT_BLANK = r".*[^\s].*"
# XML 1.0 Char: tab, LF, CR and everything from space on, minus surrogates and FFFE/FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _s(name: str, **kw) -> Ldt:
    return Ldt(f"LDT_{name}", Base.STRING, **kw)


def _i(name: str, minimum: int, maximum: int) -> Ldt:
    return Ldt(f"LDT_{name}", Base.INTEGER, minimum=minimum, maximum=maximum)


def _e(name: str, *codes: str) -> Ldt:
    return Ldt(f"LDT_{name}", Base.STRING, enumeration=codes)


DATUM = Ldt("LDT_Datum", Base.DATE)
TIJD = Ldt("LDT_Tijd", Base.TIME)

AANDUIDING_WOONADRES = _e("AanduidingWoonadres", "AB", "BY", "TO", "WW")
ADRES_SOORT = _e("AdresSoort", "01", "02", "03", "04")
AGB_CODE = _s("AgbCode", min_length=1, max_length=8, pattern=r"[0-9]{8}")
BEDRAG = _i("Bedrag", 0, 99_999_999)
BERICHT_CODE = _s("BerichtCode", min_length=1, max_length=3, codelijst="COD002")
BERICHT_VERSIE = _i("BerichtVersie", 0, 99)
BERICHT_SUBVERSIE = _i("BerichtSubversie", 0, 99)
BUDGET = _i("Budget", 0, 99_999_999)
BSN = _s("BurgerServicenummer", bsn=True, personal=True)
COMMENTAAR = _s("Commentaar", min_length=1, pattern=r"(?s).*\S.*")
COMMUNICATIEVORM = _e("Communicatievorm", "1", "2", "3")
DATUM_GEBRUIK = _e("DatumGebruik", "1", "2", "3")
DEBET_CREDIT = _e("DebetCredit", "C", "D")
EENHEID = _s("Eenheid", codelijst="WJ756")
EMAILADRES = _s("Emailadres", min_length=1, max_length=80, pattern=_NOT_BLANK, personal=True)
FREQUENTIE = _s("Frequentie", codelijst="WMO757")
GEMEENTE = _s("Gemeente", min_length=1, pattern=r"[0-9]{4}")
GESLACHT = _e("Geslacht", "0", "1", "2")
HUISLETTER = _s("Huisletter", min_length=1, max_length=1, pattern=_NOT_BLANK)
HUISNUMMER = _i("Huisnummer", 0, 99_999)
HUISNUMMER_TOEVOEGING = _s("HuisnummerToevoeging", min_length=1, max_length=4, pattern=_NOT_BLANK)
IDENTIFICATIE_BERICHT = _s("IdentificatieBericht", min_length=1, max_length=12, pattern=_NOT_BLANK)
# JW323 narrows LDT_IdentificatieDeclaratie to letters and digits.
IDENTIFICATIE_DECLARATIE = _s(
    "IdentificatieDeclaratie", min_length=1, max_length=12, pattern=r"[a-zA-Z0-9]+"
)
JA_NEE = _e("JaNee", "1", "2")
JURIDISCHE_STATUS = _e("JuridischeStatus", "01", "02", "03", "04", "05", "11", "12")
LAND_CODE = _s("LandCode", pattern=r"[A-Z]{2}")
LANDNUMMER = _s("Landnummer", min_length=1, max_length=4, pattern=_NOT_BLANK)
NAAM = _s("Naam", min_length=1, max_length=200, pattern=_NOT_BLANK, personal=True)
NAAM_GEBRUIK = _e("NaamGebruik", "1", "2", "3", "4", "5", "6")
NAAM_VERWIJZER = _s("NaamVerwijzer", min_length=1, max_length=64, pattern=_NOT_BLANK)
NUMMER = _i("Nummer", 0, 999_999_999)
ORGANISATIENAAM = _s("Organisatienaam", min_length=1, max_length=35, pattern=_NOT_BLANK)
PERSOONSID = _s("Persoonsid", min_length=1, max_length=20, pattern=_NOT_BLANK)
PLAATSNAAM = _s("Plaatsnaam", min_length=1, max_length=80, pattern=_NOT_BLANK)
POSTCODE = _s("Postcode", min_length=1, max_length=8, pattern=_NOT_BLANK, personal=True)
PRODUCT_CATEGORIE = _s("ProductCategorie", codelijst="JZ020")
PRODUCT_CODE = _s("ProductCode", min_length=1, max_length=5, pattern=_NOT_BLANK)
REDEN_AFWIJZING_VERZOEK = _s("RedenAfwijzingVerzoek", codelijst="WJ759")
REDEN_BEEINDIGING = _e(
    "RedenBeeindiging", "02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"
)
REDEN_VERZOEK = _s("RedenVerzoek", codelijst="WJ758")
REDEN_WIJZIGING = _s("RedenWijziging", codelijst="JZ002")
REFERENTIE = _s("Referentie", min_length=1, max_length=36, pattern=_NOT_BLANK)
REFERENTIE_NUMMER = _s("ReferentieNummer", min_length=1, max_length=20)
RELATIE_VOLGORDE = _i("RelatieVolgorde", 0, 99)
SOORT_RELATIE = _e("SoortRelatie", *(f"{n:02d}" for n in range(3, 26)))
STATUS_AANLEVERING = _e("StatusAanlevering", "1", "2", "3", "9")
STRAATNAAM = _s("Straatnaam", min_length=1, max_length=24, pattern=_NOT_BLANK, personal=True)
TAAL = _s("Taal", min_length=1, max_length=25, pattern=_NOT_BLANK)
TELEFOONNUMMER = _s("Telefoonnummer", min_length=1, max_length=15, pattern=r"[0-9]*",
                    personal=True)
TOTAAL_BEDRAG = _i("TotaalBedrag", 0, 999_999_999_999)
TYPE_VERWIJZER = _e("TypeVerwijzer", "01", "02", "03", "04", "05", "06", "08")
VERSIE = _s("Versie", min_length=1, pattern=r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
VERZOEK_ANTWOORD = _s("VerzoekAntwoord", codelijst="WJ760")
VOLUME = _i("Volume", 0, 99_999_999)
VOORLETTERS = _s("Voorletters", min_length=1, max_length=6, pattern=r"[a-zA-ZÀ-ỳ]+")
VOORVOEGSEL = _s("Voorvoegsel", min_length=1, max_length=10, pattern=_NOT_BLANK)
WETTELIJKE_VERTEGENWOORDIGING = _e("WettelijkeVertegenwoordiging", "06", "07", "08", "09", "10")
