"""Read a Wmo beschermd-wonen case document into core facts.

The BRP part (``client``) uses the Haal Centraal field names, read by the same reader as the
Jeugdwet case (:mod:`wpb.brp.haal_centraal`); a record's ``functieAdres`` (``W`` woonadres,
``B`` briefadres, as in the BRP table Functie_Adres) is read here as well. The rest::

    {
      "peildatum": "2026-03-15",
      "client": {"burgerservicenummer": ..., "verblijfplaatshistorie": [...]},
      "aanmelding": {"gemeente": "0363", "datum": "2026-03-15",
                     "regio": {"naam": "...", "gemeenten": ["0363", ...],
                               "centrumgemeente": "0363"}},
      "eerderBeschermdWonen": [{"gemeente": "0599", "locatie": "0599",
                                "begin": "2024-01-01", "einde": "2025-03-15"}],
      "eerdereAanvragen": [{"gemeente": "0599", "datum": "2025-06-01"}],
      "indicatie": {"centrumgemeente": "0363", "begin": "2024-01-01", "einde": null},
      "uitzonderingen": {"b": false, "c": false, "d": false},
      "beoogdeGemeente": "0363"
    }

``eerderBeschermdWonen`` is required (``[]`` when there was none): exception a turns on it.
``eerdereAanvragen`` may be left out (then unknown). Dates of placements and applications may be
Haal Centraal date objects (partial dates); the others are ISO dates. Every problem is collected
with its path and raised together. ``regio.centrumgemeente`` (optional, one of the region's
gemeenten) is who stays responsible for a client who is not a nieuwe cliënt.

:func:`inwerkingtreding_instelling` reads the installation's setting for the entry into force
of bill 36 288 (``WPB_WMO_BW_INWERKINGTREDING``, or a command-line value); the core never
reads the environment.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from wpb.brp.haal_centraal import CaseReader
from wpb.errors import FieldError, InvalidInput
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister
from wpb.law.wmo.facts import (
    Aanmelding,
    Aanvraag,
    BeschermdWonenPlaatsing,
    BwRegio,
    Indicatie,
    Uitzonderingen,
    WmoBwCase,
)

INWERKINGTREDING_ENV = "WPB_WMO_BW_INWERKINGTREDING"
# Values that say "not in force" explicitly (an empty or absent setting says the same).
_NIET_IN_WERKING = ("", "nee", "geen", "niet-in-werking")

_FUNCTIE_ADRES = {"W": "woonadres", "B": "briefadres"}
_UITZONDERINGEN = ("b", "c", "d")
_ONTBREEKT_DATUM = "ontbreekt (gebruik DatumOnbekend als de datum onbekend is)"


class _WmoReader:
    def __init__(self, register: GemeenteRegister):
        self.base = CaseReader(register)
        self.register = register

    @property
    def errors(self) -> list[FieldError]:
        return self.base.errors

    def error(self, path: str, problem: str) -> None:
        self.base.error(path, problem)

    def _object(self, raw: Any, path: str, what: str) -> dict | None:
        if not isinstance(raw, dict):
            self.error(path, f"verwacht een {what}-object, gekregen {type(raw).__name__}")
            return None
        return raw

    def gemeente(self, raw: dict, key: str, path: str, *, required: bool) -> str | None:
        where = f"{path}.{key}" if path else key
        if raw.get(key) is None:
            if required:
                self.error(where, "ontbreekt")
            return None
        return self.code(raw[key], where)

    def code(self, value: Any, where: str) -> str | None:
        code = self.base.gemeente_code(value, where)
        if code in (RNI_CODE, UNKNOWN_CODE):
            # RNI (1999) and "onbekend" (0000) name no municipality that provides anything.
            self.error(f"{where}.code", f"{code} is geen gemeente")
            return None
        return code

    # --- parts ----------------------------------------------------------------------------

    def briefadressen(self, raw_client: Any) -> tuple[str, ...]:
        """The ``bron`` of every record whose functieAdres is a briefadres."""
        if not isinstance(raw_client, dict):
            return ()
        key = (
            "verblijfplaatshistorie" if "verblijfplaatshistorie" in raw_client
            else "verblijfplaatsen"
        )
        records = raw_client.get(key)
        if not isinstance(records, list):
            return ()
        found = []
        for i, raw in enumerate(records):
            if not isinstance(raw, dict) or raw.get("functieAdres") is None:
                continue
            path = f"client.{key}[{i}]"
            functie = raw["functieAdres"]
            code = functie.get("code") if isinstance(functie, dict) else functie
            if code not in _FUNCTIE_ADRES:
                self.error(
                    f"{path}.functieAdres.code",
                    f"verwacht W (woonadres) of B (briefadres), gekregen {code!r}",
                )
            elif code == "B":
                found.append(path)
        return tuple(found)

    def aanmelding(self, raw: Any, peildatum: date | None) -> Aanmelding | None:
        path = "aanmelding"
        if raw is None:
            self.error(path, "ontbreekt: tot welke gemeente wendde de cliënt zich, en wanneer")
            return None
        obj = self._object(raw, path, "aanmelding")
        if obj is None:
            return None
        code = self.gemeente(obj, "gemeente", path, required=True)
        datum = None
        if obj.get("datum") is not None:
            datum = self.base.iso_date(obj["datum"], f"{path}.datum")
            if datum and peildatum and datum > peildatum:
                self.error(
                    f"{path}.datum",
                    f"{datum.isoformat()} ligt na de peildatum {peildatum.isoformat()}",
                )
                datum = None
        regio = None
        if obj.get("regio") is not None:
            regio = self.regio(obj["regio"], f"{path}.regio", code)
        if code is None:
            return None
        return Aanmelding(path, code, datum, regio)

    def regio(self, raw: Any, path: str, aanmeldgemeente: str | None) -> BwRegio | None:
        obj = self._object(raw, path, "regio")
        if obj is None:
            return None
        naam = obj.get("naam")
        if naam is not None and not isinstance(naam, str):
            self.error(f"{path}.naam", f"verwacht tekst, gekregen {naam!r}")
            naam = None
        members = obj.get("gemeenten")
        if not isinstance(members, list) or not members:
            self.error(f"{path}.gemeenten", "verwacht een niet-lege lijst van gemeentecodes")
            return None
        codes = []
        for i, member in enumerate(members):
            code = self.code(member, f"{path}.gemeenten[{i}]")
            if code is not None:
                codes.append(code)
        if aanmeldgemeente is not None and codes and aanmeldgemeente not in codes:
            self.error(
                f"{path}.gemeenten",
                f"de aanmeldgemeente {aanmeldgemeente} hoort bij haar eigen regio maar staat "
                "niet in de lijst",
            )
        centrum = self.gemeente(obj, "centrumgemeente", path, required=False)
        if centrum is not None and codes and centrum not in codes:
            self.error(
                f"{path}.centrumgemeente",
                f"{centrum} hoort bij de regio waarvan zij centrumgemeente is, maar staat niet "
                "in gemeenten",
            )
        return BwRegio(path, naam, tuple(sorted(set(codes))), centrum)

    def plaatsingen(self, raw: Any) -> tuple[BeschermdWonenPlaatsing, ...] | None:
        path = "eerderBeschermdWonen"
        if raw is None:
            self.error(
                path,
                "ontbreekt: eerdere plaatsingen beschermd wonen (gemeente, begin, einde); "
                "geef [] als er geen waren",
            )
            return None
        if not isinstance(raw, list):
            self.error(path, "verwacht een lijst van plaatsingen")
            return None
        found = []
        for i, item in enumerate(raw):
            p = self.plaatsing(item, f"{path}[{i}]")
            if p is not None:
                found.append(p)
        return tuple(found)

    def plaatsing(self, raw: Any, path: str) -> BeschermdWonenPlaatsing | None:
        obj = self._object(raw, path, "plaatsing")
        if obj is None:
            return None
        code = self.gemeente(obj, "gemeente", path, required=True)
        locatie = self.gemeente(obj, "locatie", path, required=False)
        begin = einde = None
        if obj.get("begin") is None:
            self.error(f"{path}.begin", _ONTBREEKT_DATUM)
        else:
            begin = self.base.partial_date(obj["begin"], f"{path}.begin")
        if obj.get("einde") is not None:
            einde = self.base.partial_date(obj["einde"], f"{path}.einde")
            if begin and einde and einde.latest < begin.earliest:
                self.error(
                    f"{path}.einde", f"{einde.isoformat()} ligt vóór begin {begin.isoformat()}"
                )
                return None
        if code is None or begin is None:
            return None
        return BeschermdWonenPlaatsing(path, code, begin, einde, locatie)

    def aanvragen(self, raw: Any) -> tuple[Aanvraag, ...] | None:
        path = "eerdereAanvragen"
        if raw is None:
            return None
        if not isinstance(raw, list):
            self.error(path, "verwacht een lijst van aanvragen")
            return None
        found = []
        for i, item in enumerate(raw):
            item_path = f"{path}[{i}]"
            obj = self._object(item, item_path, "aanvraag")
            if obj is None:
                continue
            code = self.gemeente(obj, "gemeente", item_path, required=True)
            datum = None
            if obj.get("datum") is None:
                self.error(f"{item_path}.datum", _ONTBREEKT_DATUM)
            else:
                datum = self.base.partial_date(obj["datum"], f"{item_path}.datum")
            if code is not None and datum is not None:
                found.append(Aanvraag(item_path, code, datum))
        return tuple(found)

    def indicatie(self, raw: Any) -> Indicatie | None:
        path = "indicatie"
        obj = self._object(raw, path, "indicatie")
        if obj is None:
            return None
        code = self.gemeente(obj, "centrumgemeente", path, required=True)
        begin = einde = None
        if obj.get("begin") is None:
            self.error(f"{path}.begin", "ontbreekt")
        else:
            begin = self.base.iso_date(obj["begin"], f"{path}.begin")
        if obj.get("einde") is not None:
            einde = self.base.iso_date(obj["einde"], f"{path}.einde")
            if begin and einde and einde < begin:
                self.error(
                    f"{path}.einde", f"{einde.isoformat()} ligt vóór begin {begin.isoformat()}"
                )
                return None
        if code is None or begin is None:
            return None
        return Indicatie(path, code, begin, einde)

    def uitzonderingen(self, raw: Any) -> Uitzonderingen | None:
        path = "uitzonderingen"
        obj = self._object(raw, path, "uitzonderingen")
        if obj is None:
            return None
        values: dict[str, bool | None] = {}
        for key, value in obj.items():
            if key not in _UITZONDERINGEN:
                self.error(
                    f"{path}.{key}",
                    "onbekend onderdeel van art. 1.2.1a lid 1; verwacht b, c of d "
                    "(onderdeel a volgt uit eerderBeschermdWonen)",
                )
            elif value is not None and not isinstance(value, bool):
                self.error(f"{path}.{key}", f"verwacht true, false of null, gekregen {value!r}")
            else:
                values[key] = value
        return Uitzonderingen(path, **values)

    def case(self, doc: Any, peildatum: date | None) -> WmoBwCase | None:
        if not isinstance(doc, dict):
            self.error("$", "een casus is een JSON-object")
            return None
        if peildatum is None:
            if doc.get("peildatum") is None:
                self.error("peildatum", "ontbreekt (in het document of met --peildatum)")
            else:
                peildatum = self.base.iso_date(doc["peildatum"], "peildatum")
        if "client" not in doc:
            self.error("client", "ontbreekt (de cliënt met zijn verblijfplaatshistorie)")
        client = self.base.persoon(doc.get("client"), "client", require_history=True)
        briefadressen = self.briefadressen(doc.get("client"))
        aanmelding = self.aanmelding(doc.get("aanmelding"), peildatum)
        plaatsingen = self.plaatsingen(doc.get("eerderBeschermdWonen"))
        aanvragen = self.aanvragen(doc.get("eerdereAanvragen"))
        indicatie = None
        if doc.get("indicatie") is not None:
            indicatie = self.indicatie(doc["indicatie"])
        uitzonderingen = None
        if doc.get("uitzonderingen") is not None:
            uitzonderingen = self.uitzonderingen(doc["uitzonderingen"])
        beoogd = self.gemeente(doc, "beoogdeGemeente", "", required=False)

        if (
            self.errors
            or client is None
            or peildatum is None
            or aanmelding is None
            or plaatsingen is None
        ):
            return None
        return WmoBwCase(
            peildatum=peildatum,
            client=client,
            aanmelding=aanmelding,
            eerder_beschermd_wonen=plaatsingen,
            eerdere_aanvragen=aanvragen,
            indicatie=indicatie,
            uitzonderingen=uitzonderingen,
            beoogde_gemeente=beoogd,
            briefadressen=briefadressen,
        )


def parse_wmo_case(
    doc: Any, register: GemeenteRegister, *, peildatum: date | None = None, bron: str = "casus"
) -> WmoBwCase:
    """Turn a Wmo case document into core facts, or raise :class:`InvalidInput` with every problem.

    ``peildatum`` overrides the document's own.
    """
    reader = _WmoReader(register)
    case = reader.case(doc, peildatum)
    if reader.errors or case is None:
        raise InvalidInput(reader.errors, bron=bron)
    return case


def load_wmo_case(
    path: Path, register: GemeenteRegister, *, peildatum: date | None = None
) -> WmoBwCase:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            [FieldError(f"regel {exc.lineno}, kolom {exc.colno}", f"geen geldige JSON: {exc.msg}")],
            bron=str(path),
        ) from None
    return parse_wmo_case(doc, register, peildatum=peildatum, bron=str(path))


def inwerkingtreding_instelling(
    waarde: str | None = None, environ: Mapping[str, str] | None = None
) -> date | None:
    """The installation's entry-into-force date of bill 36 288, or None: not in force.

    ``waarde`` (a command-line value) wins over ``WPB_WMO_BW_INWERKINGTREDING``. Absent, empty,
    ``nee``, ``geen`` or ``niet-in-werking`` mean not in force, the default: no royal decree
    setting the date is known. Anything else must be a JJJJ-MM-DD date; otherwise
    :class:`InvalidInput` names the setting and the value.
    """
    env = os.environ if environ is None else environ
    bron, raw = ("--inwerkingtreding", waarde) if waarde is not None else (
        INWERKINGTREDING_ENV, env.get(INWERKINGTREDING_ENV))
    if raw is None or raw.strip().lower() in _NIET_IN_WERKING:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput(
            [FieldError(bron, f"{raw!r} is geen geldige datum (JJJJ-MM-DD) en ook niet 'nee'")],
            bron="instelling",
        ) from None


__all__ = ["INWERKINGTREDING_ENV", "inwerkingtreding_instelling", "load_wmo_case",
           "parse_wmo_case"]
