"""Read a case document whose BRP parts use the Haal Centraal BRP API field names.

Persons carry ``verblijfplaatshistorie`` (or ``verblijfplaatsen``, as the
verblijfplaatshistorie endpoint answers), records typed ``Adres``, ``Locatie``,
``VerblijfplaatsBuitenland`` or ``VerblijfplaatsOnbekend``, and dates typed
``Datum``, ``JaarMaandDatum``, ``JaarDatum`` or ``DatumOnbekend``. Every problem is
collected with its path, and all of them are raised together.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from wpb.errors import FieldError, InvalidInput
from wpb.frozen import maker
from wpb.law.bsn import bsn_problem
from wpb.law.dates import PartialDate, Period
from wpb.law.facts import (
    Case,
    Gezag,
    GezagSoort,
    Jeugdhulp,
    JeugdhulpVorm,
    Persoon,
    Verblijfplaats,
    VerblijfplaatsSoort,
    WerkelijkeVerblijfplaats,
)
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister

_RECORD_TYPES = {s.value: s for s in VerblijfplaatsSoort}
_verblijfplaats = maker(Verblijfplaats)
_PLAIN_RECORD_KEYS = frozenset({"type", "datumVan", "datumTot", "gemeenteVanInschrijving"})
_NON_MUNICIPAL_CODES = {RNI_CODE, UNKNOWN_CODE}
MIN_YEAR = 1800
_DATUM: dict[str, PartialDate] = {}  # a Datum's text that read without error, and its value

# Keys a case document may carry at each level. Anything else is refused: a typo such as
# "jeugdHulp" would otherwise silently drop facts that change the answer. BRP persons
# (Haal Centraal objects) may carry any further API fields.
_CASE_KEYS = {"peildatum", "jeugdige", "moeder", "jeugdhulp", "werkelijkeVerblijfplaats", "gezag",
              "omschrijving", "toelichting"}
_EPISODE_KEYS = {"begin", "einde", "verblijf", "vorm", "gemeente", "omschrijving", "inVerbandMetJji"}
_WVP_KEYS = {"gemeente", "datum"}
_GEZAG_KEYS = {"soort", "ouder"}


def _known_day(value: Any) -> PartialDate | None:
    """A ``Datum`` whose text was read without error before; else None."""
    if type(value) is not dict or value.get("type") != "Datum":
        return None
    text = value.get("datum")
    return _DATUM.get(text) if type(text) is str else None


class CaseReader:
    """Reads case documents; reusable by other laws' case formats (e.g. Wmo)."""

    def __init__(self, register: GemeenteRegister):
        self.register = register
        self.errors: list[FieldError] = []

    def error(self, path: str, problem: str) -> None:
        self.errors.append(FieldError(path, problem))

    # --- primitives -----------------------------------------------------------------

    def iso_date(self, value: Any, path: str) -> date | None:
        if not isinstance(value, str):
            self.error(path, f"verwacht een datum als JJJJ-MM-DD, gekregen {value!r}")
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(path, f"{value!r} is geen geldige datum (JJJJ-MM-DD)")
            return None
        return parsed if self._plausible(parsed.year, path) else None

    def _plausible(self, year: int, path: str) -> bool:
        # 9999-12-31 is a common "no end" sentinel and stays allowed; years before 1800
        # are typing errors for anyone the Jeugdwet or the Wmo can concern.
        if year < MIN_YEAR:
            self.error(path, f"jaar {year} ligt vóór {MIN_YEAR}: geen plausibele datum")
            return False
        return True

    def partial_date(self, value: Any, path: str) -> PartialDate | None:
        """A Haal Centraal date object (or a plain ISO date string)."""
        if isinstance(value, str):
            d = self.iso_date(value, path)
            return PartialDate.exact(d) if d else None
        if not isinstance(value, dict):
            self.error(path, f"verwacht een datumobject met 'type', gekregen {value!r}")
            return None
        kind = value.get("type")
        if kind == "Datum":
            text = value.get("datum")
            found = _DATUM.get(text) if type(text) is str else None
            if found is not None:
                return found
            d = self.iso_date(text, f"{path}.datum")
            if d is None:
                return None
            found = PartialDate.exact(d)
            if type(text) is str:  # a valid day reads the same every time: kept
                if len(_DATUM) > 100_000:
                    _DATUM.clear()
                _DATUM[text] = found
            return found
        if kind == "DatumOnbekend":
            return PartialDate.unknown()
        if kind in ("JaarMaandDatum", "JaarDatum"):
            year = value.get("jaar")
            if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
                self.error(f"{path}.jaar", f"verwacht een jaartal, gekregen {year!r}")
                return None
            if not self._plausible(year, f"{path}.jaar"):
                return None
            if kind == "JaarDatum":
                return PartialDate.year(year)
            month = value.get("maand")
            if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
                self.error(f"{path}.maand", f"verwacht een maand 1-12, gekregen {month!r}")
                return None
            return PartialDate.year_month(year, month)
        self.error(
            f"{path}.type",
            f"onbekend datumtype {kind!r}; verwacht Datum, JaarMaandDatum, JaarDatum of DatumOnbekend",
        )
        return None

    def unknown_keys(self, raw: dict, allowed: set[str], path: str) -> None:
        for key in sorted(set(raw) - allowed):
            # An empty name still gets a place to point at: the object it is in ($: the root).
            where = f"{path}.{key}" if path and key else (key or path or "$")
            what = "onbekend veld" if key else "onbekend veld met een lege naam"
            self.error(where, f"{what}; toegestaan: {', '.join(sorted(allowed))}")

    def gemeente_code(self, value: Any, path: str, *, residence: bool = False) -> str | None:
        """A 4-digit code in the register. ``residence``: where someone actually stays or
        gets care, so RNI (1999) and Onbekend (0000) are not municipalities there."""
        code = value.get("code") if isinstance(value, dict) else value
        if isinstance(code, int) and not isinstance(code, bool):
            code = f"{code:04d}"
        if not isinstance(code, str) or len(code) != 4 or not code.isdigit():
            self.error(f"{path}.code", f"verwacht een gemeentecode van 4 cijfers, gekregen {code!r}")
            return None
        if code not in self.register and code not in _NON_MUNICIPAL_CODES:
            self.error(f"{path}.code", f"onbekende gemeentecode {code!r} (niet in de gemeentetabel)")
            return None
        if residence and code in _NON_MUNICIPAL_CODES:
            self.error(f"{path}.code", f"{code} ({'RNI' if code == RNI_CODE else 'onbekend'}) is geen "
                       "gemeente waar iemand verblijft; geef de gemeente van het werkelijke verblijf")
            return None
        return code

    # --- records --------------------------------------------------------------------

    def record(self, raw: Any, path: str) -> Verblijfplaats | None:
        if type(raw) is dict and raw.keys() <= _PLAIN_RECORD_KEYS:
            found = self._plain_address(raw, path)
            if found is not None:
                return found
        if not isinstance(raw, dict):
            self.error(path, "verwacht een verblijfplaats-object")
            return None
        raw_type = raw.get("type")
        kind = _RECORD_TYPES.get(raw_type) if isinstance(raw_type, str) else None
        if kind is None:
            self.error(
                f"{path}.type",
                f"onbekend type {raw.get('type')!r}; verwacht een van {', '.join(_RECORD_TYPES)}",
            )
            return None
        if "datumVan" not in raw:
            self.error(f"{path}.datumVan", "ontbreekt (gebruik DatumOnbekend als de datum onbekend is)")
            return None
        van = self.partial_date(raw["datumVan"], f"{path}.datumVan")
        tot = None
        if raw.get("datumTot") is not None:
            tot = self.partial_date(raw["datumTot"], f"{path}.datumTot")
            if van and tot and tot.latest < van.earliest:
                self.error(
                    f"{path}.datumTot",
                    f"{tot.isoformat()} ligt vóór datumVan {van.isoformat()}",
                )
                return None
        if van is None:
            return None

        gemeente = raw.get("gemeenteVanInschrijving")
        code = omschrijving = None
        if kind in (VerblijfplaatsSoort.ADRES, VerblijfplaatsSoort.LOCATIE):
            if gemeente is None:
                self.error(f"{path}.gemeenteVanInschrijving", f"ontbreekt bij een {kind.value}")
                return None
            code = self.gemeente_code(gemeente, f"{path}.gemeenteVanInschrijving")
            if code is None:
                return None
        elif isinstance(gemeente, dict):
            code = gemeente.get("code")
        if isinstance(gemeente, dict):
            omschrijving = gemeente.get("omschrijving")
        if raw.keys() <= _PLAIN_RECORD_KEYS:
            # No address parts, aantekeningen or functie: every other field has its default
            # (most records of a caseload's documents; the fields below give the same then).
            return _verblijfplaats(bron=path, soort=kind, periode=Period(van, tot),
                                   gemeente_code=code, gemeente_omschrijving=omschrijving)

        land = None
        for key in ("verblijfadres", "adressering"):
            part = raw.get(key)
            if part is None:
                continue
            if not isinstance(part, dict):
                self.error(f"{path}.{key}", "verwacht een object")
            elif land is None and part.get("land") is not None:
                land = part["land"]
                if not isinstance(land, dict):
                    self.error(f"{path}.{key}.land", "verwacht een object met code en omschrijving")
                    land = None
        land_code = land.get("code") if land else None
        land_omschrijving = land.get("omschrijving") if land else None

        onderzoek = raw.get("inOnderzoek")
        if onderzoek is not None and not isinstance(onderzoek, dict | bool):
            self.error(f"{path}.inOnderzoek", "verwacht een object (of true/false)")
            onderzoek = None
        onderzoek_vanaf = None
        if isinstance(onderzoek, dict) and onderzoek.get("datumIngangOnderzoek") is not None:
            onderzoek_vanaf = self.partial_date(
                onderzoek["datumIngangOnderzoek"], f"{path}.inOnderzoek.datumIngangOnderzoek"
            )
        in_onderzoek = bool(onderzoek) and onderzoek is not False

        niet_op_adres = raw.get("indicatieVastgesteldVerblijftNietOpAdres", False)
        if not isinstance(niet_op_adres, bool):
            self.error(f"{path}.indicatieVastgesteldVerblijftNietOpAdres", "verwacht true of false")
            niet_op_adres = False
        niet_op_adres_vanaf = None
        if raw.get("verblijftNietOpAdresVanaf") is not None:
            niet_op_adres_vanaf = self.partial_date(
                raw["verblijftNietOpAdresVanaf"], f"{path}.verblijftNietOpAdresVanaf"
            )

        functie = raw.get("functieAdres")
        functie_code = functie.get("code") if isinstance(functie, dict) else functie
        if functie_code not in (None, "W", "B"):
            self.error(f"{path}.functieAdres.code", f"verwacht W (woonadres) of B (briefadres), gekregen {functie_code!r}")

        return Verblijfplaats(
            bron=path,
            soort=kind,
            periode=Period(van, tot),
            gemeente_code=code,
            gemeente_omschrijving=omschrijving,
            land_code=land_code,
            land_omschrijving=land_omschrijving,
            in_onderzoek=in_onderzoek,
            onderzoek_vanaf=onderzoek_vanaf,
            vastgesteld_niet_op_adres=niet_op_adres,
            niet_op_adres_vanaf=niet_op_adres_vanaf,
            briefadres=functie_code == "B",
        )

    def _plain_address(self, raw: dict, path: str) -> Verblijfplaats | None:
        """An Adres or Locatie with only complete dates read before (``_DATUM``) and a
        gemeente code of the register: read as :meth:`record` reads it, with fewer steps.
        None for anything else, which :meth:`record` then reads (and names what is wrong)."""
        kind = raw.get("type")
        if kind != "Adres" and kind != "Locatie":
            return None
        van = _known_day(raw.get("datumVan"))
        if van is None:
            return None
        tot = raw.get("datumTot")
        if tot is not None:
            tot = _known_day(tot)
            if tot is None or tot.latest < van.earliest:
                return None
        gemeente = raw.get("gemeenteVanInschrijving")
        if type(gemeente) is not dict:
            return None
        code = gemeente.get("code")
        if type(code) is not str or len(code) != 4 or not code.isdigit() \
                or (code not in self.register and code not in _NON_MUNICIPAL_CODES):
            return None
        return _verblijfplaats(bron=path, soort=_RECORD_TYPES[kind], periode=Period(van, tot),
                               gemeente_code=code, gemeente_omschrijving=gemeente.get("omschrijving"))

    def persoon(self, raw: Any, path: str, *, require_history: bool) -> Persoon | None:
        if not isinstance(raw, dict):
            self.error(path, "verwacht een persoon-object")
            return None
        bsn = raw.get("burgerservicenummer")
        if bsn is not None:
            problem = bsn_problem(bsn)
            if problem:
                # Never echo the value itself: it may be a real BSN with a typo.
                self.error(f"{path}.burgerservicenummer", problem)
                bsn = None
        birth = None
        geboorte = raw.get("geboorte")
        if isinstance(geboorte, dict) and geboorte.get("datum") is not None:
            birth = self.partial_date(geboorte["datum"], f"{path}.geboorte.datum")
        elif geboorte is not None and not isinstance(geboorte, dict):
            self.error(f"{path}.geboorte", "verwacht een object met 'datum'")

        if "verblijfplaatshistorie" in raw and "verblijfplaatsen" in raw:
            self.error(f"{path}.verblijfplaatsen", "geef de historie één keer: verblijfplaatshistorie of verblijfplaatsen")
        key = "verblijfplaatshistorie" if "verblijfplaatshistorie" in raw else "verblijfplaatsen"
        history_raw = raw.get(key)
        if history_raw is None:
            if require_history:
                self.error(f"{path}.verblijfplaatshistorie", "ontbreekt")
            history_raw = []
        if not isinstance(history_raw, list):
            self.error(f"{path}.{key}", "verwacht een lijst van verblijfplaatsen")
            history_raw = []
        records = [self.record(r, f"{path}.{key}[{i}]") for i, r in enumerate(history_raw)]
        return Persoon(
            bron=path,
            geboortedatum=birth,
            historie=tuple(r for r in records if r is not None),
            burgerservicenummer=bsn,
        )

    def episode(self, raw: Any, path: str) -> Jeugdhulp | None:
        if not isinstance(raw, dict):
            self.error(path, "verwacht een jeugdhulp-object")
            return None
        self.unknown_keys(raw, _EPISODE_KEYS, path)
        begin = self.iso_date(raw.get("begin"), f"{path}.begin")
        einde = None
        if raw.get("einde") is not None:
            einde = self.iso_date(raw.get("einde"), f"{path}.einde")
            if begin and einde and einde < begin:
                self.error(f"{path}.einde", f"{einde} ligt vóór begin {begin}")
                return None
        verblijf = raw.get("verblijf")
        if not isinstance(verblijf, bool):
            self.error(f"{path}.verblijf", f"verwacht true of false, gekregen {verblijf!r}")
            return None
        vorm = None
        if raw.get("vorm") is not None:
            try:
                vorm = JeugdhulpVorm(raw["vorm"])
            except ValueError:
                self.error(
                    f"{path}.vorm",
                    f"onbekende vorm {raw['vorm']!r}; verwacht een van "
                    + ", ".join(v.value for v in JeugdhulpVorm),
                )
                return None
        in_verband = self.jji_link(raw, vorm, verblijf, path)
        location = None
        if raw.get("gemeente") is not None:
            location = self.gemeente_code(raw["gemeente"], f"{path}.gemeente", residence=True)
        if begin is None:
            return None
        return Jeugdhulp(path, begin, einde, verblijf, vorm, location,
                         in_verband_met_jji=in_verband)

    def jji_link(self, raw: dict, vorm: JeugdhulpVorm | None, verblijf: bool, path: str) -> bool | None:
        """``inVerbandMetJji``: required with jeugdreclassering (art. 1.1 woonplaats 2°), else absent."""
        value = raw.get("inVerbandMetJji")
        if vorm is not JeugdhulpVorm.JEUGDRECLASSERING:
            if value is not None:
                self.error(f"{path}.inVerbandMetJji", "alleen bij vorm jeugdreclassering")
            return None
        if verblijf:
            self.error(f"{path}.verblijf", "jeugdreclassering is geen verblijf; geef verblijf: false")
        if not isinstance(value, bool):
            self.error(
                f"{path}.inVerbandMetJji",
                f"verplicht bij jeugdreclassering: true of false, gekregen {value!r}",
            )
            return None
        return value

    def case(self, doc: Any, peildatum: date | None) -> Case | None:
        if not isinstance(doc, dict):
            self.error("$", "een casus is een JSON-object")
            return None
        self.unknown_keys(doc, _CASE_KEYS, "")
        if peildatum is None:
            if doc.get("peildatum") is None:
                self.error("peildatum", "ontbreekt (in het document of met --peildatum)")
            else:
                peildatum = self.iso_date(doc["peildatum"], "peildatum")
        if "jeugdige" not in doc:
            self.error("jeugdige", "ontbreekt")  # once: not also "verwacht een persoon-object"
            jeugdige = None
        else:
            jeugdige = self.persoon(doc["jeugdige"], "jeugdige", require_history=True)

        moeder = None
        if doc.get("moeder") is not None:
            moeder = self.persoon(doc["moeder"], "moeder", require_history=False)

        episodes_raw = doc.get("jeugdhulp")
        if episodes_raw is None:
            episodes_raw = []
        if not isinstance(episodes_raw, list):
            self.error("jeugdhulp", "verwacht een lijst van jeugdhulp-episodes")
            episodes_raw = []
        episodes = [self.episode(e, f"jeugdhulp[{i}]") for i, e in enumerate(episodes_raw)]

        wvp = None
        raw_wvp = doc.get("werkelijkeVerblijfplaats")
        if raw_wvp is not None:
            if not isinstance(raw_wvp, dict) or "gemeente" not in raw_wvp:
                self.error("werkelijkeVerblijfplaats.gemeente", "ontbreekt")
            else:
                self.unknown_keys(raw_wvp, _WVP_KEYS, "werkelijkeVerblijfplaats")
                code = self.gemeente_code(
                    raw_wvp["gemeente"], "werkelijkeVerblijfplaats.gemeente", residence=True
                )
                when = None
                if raw_wvp.get("datum") is not None:
                    when = self.iso_date(raw_wvp["datum"], "werkelijkeVerblijfplaats.datum")
                if code:
                    wvp = WerkelijkeVerblijfplaats("werkelijkeVerblijfplaats", code, when)

        gezag = None
        raw_gezag = doc.get("gezag")
        if raw_gezag is not None:
            gezag = self.gezag(raw_gezag)

        if self.errors or jeugdige is None or peildatum is None:
            return None
        return Case(
            peildatum=peildatum,
            jeugdige=jeugdige,
            moeder=moeder,
            jeugdhulp=tuple(e for e in episodes if e is not None),
            werkelijke_verblijfplaats=wvp,
            gezag=gezag,
        )

    def gezag(self, raw: Any) -> Gezag | None:
        if not isinstance(raw, dict):
            self.error("gezag", "verwacht een object met 'soort'")
            return None
        self.unknown_keys(raw, _GEZAG_KEYS, "gezag")
        try:
            soort = GezagSoort(raw.get("soort"))
        except ValueError:
            self.error("gezag.soort", f"verwacht 'ouders' of 'voogdij', gekregen {raw.get('soort')!r}")
            return None
        ouder = None
        if raw.get("ouder") is not None:
            ouder = self.persoon(raw["ouder"], "gezag.ouder", require_history=False)
        return Gezag("gezag", soort, ouder)


def parse_case(doc: Any, register: GemeenteRegister, *, peildatum: date | None = None,
               bron: str = "casus") -> Case:
    """Turn a case document into core facts, or raise :class:`InvalidInput` with every problem.

    ``peildatum`` overrides the document's own.
    """
    reader = CaseReader(register)
    case = reader.case(doc, peildatum)
    if reader.errors or case is None:
        raise InvalidInput(reader.errors, bron=bron)
    return case


def load_case(path: Path, register: GemeenteRegister, *, peildatum: date | None = None) -> Case:
    try:
        # utf-8-sig: a BOM written by some Windows editors is not an error.
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [FieldError(f"regel {exc.lineno}, kolom {exc.colno}", f"geen geldige JSON: {exc.msg}")],
            bron=str(path),
        ) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [FieldError(f"byte {exc.start}", "het bestand is geen UTF-8-tekst")], bron=str(path)
        ) from None
    except RecursionError:
        raise InvalidInput([FieldError("$", "JSON is te diep genest")], bron=str(path)) from None
    return parse_case(doc, register, peildatum=peildatum, bron=str(path))


__all__ = ["load_case", "parse_case"]
