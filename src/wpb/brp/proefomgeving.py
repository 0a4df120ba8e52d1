"""A local BRP proefomgeving: the Haal Centraal personen and historie APIs for test persons.

It answers ``POST /personen`` (``RaadpleegMetBurgerservicenummer``: ``burgerservicenummer``
holds 1 to 20 BSNs) and ``POST /verblijfplaatshistorie`` (``RaadpleegMetPeriode`` with
``burgerservicenummer``, ``datumVan`` and ``datumTot``, half-open; or
``RaadpleegMetPeildatum``) for the persons it is given: synthetic persons from a folder of
``<bsn>.json`` documents (:func:`personen_uit_map`) and every persoonslijst of a GBA-V
extract (:func:`personen_uit_gba`), such as the official proefomgeving set. It reads only
what it is given; it never looks for files itself.

The app is an ASGI app (FastAPI): the service can mount it, tests talk to it in-process,
and ``python -m wpb.brp.proefomgeving --map DIR --gba FILE --port 8081`` runs it alone.
``haperingen`` makes the first requests answer 429 and 503, to exercise a client's retries.
Errors are ``application/problem+json`` without the BSN.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from wpb.brp import gba
from wpb.brp.haal_centraal_json import datum as datum_json
from wpb.brp.haal_centraal_json import verblijfplaats as verblijfplaats_json
from wpb.law.bsn import is_valid_bsn

MAX_BSNS_PER_VRAAG = 20  # the personen API's maxItems


def _hc_datum_interval(value: Any) -> tuple[date, date] | None:
    """(earliest, latest) of a Haal Centraal date object; None when unknown or malformed."""
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    try:
        if kind == "Datum":
            d = date.fromisoformat(value["datum"])
            return d, d
        if kind == "JaarMaandDatum":
            first = date(value["jaar"], value["maand"], 1)
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, date.fromordinal(nxt.toordinal() - 1)
        if kind == "JaarDatum":
            return date(value["jaar"], 1, 1), date(value["jaar"], 12, 31)
    except (KeyError, TypeError, ValueError):
        return None
    return None


def personen_uit_map(folder: Path) -> dict[str, dict]:
    """Persons from ``<bsn>.json`` documents: the youth, and the mother when the document
    gives her with a ``burgerservicenummer`` (she is then the youth's ouder with geslacht V)."""
    persons: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        bsn = path.stem
        if not is_valid_bsn(bsn):
            continue
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
        jeugdige = dict(doc.get("jeugdige") or {})
        historie = jeugdige.pop("verblijfplaatshistorie", None) or jeugdige.pop("verblijfplaatsen", [])
        persoon = {**jeugdige, "burgerservicenummer": bsn, "verblijfplaatsen": historie}
        moeder = doc.get("moeder")
        if isinstance(moeder, dict) and is_valid_bsn(str(moeder.get("burgerservicenummer", ""))):
            mbsn = moeder["burgerservicenummer"]
            mhist = moeder.get("verblijfplaatshistorie") or moeder.get("verblijfplaatsen") or []
            persons.setdefault(mbsn, {
                "burgerservicenummer": mbsn, "geslacht": {"code": "V", "omschrijving": "vrouw"},
                "verblijfplaatsen": mhist,
            })
            persoon["ouders"] = [{"ouderAanduiding": "1", "burgerservicenummer": mbsn,
                                  "geslacht": {"code": "V", "omschrijving": "vrouw"}}]
        persons[bsn] = persoon
    return persons


def personen_uit_gba(extract: gba.GbaExtract) -> dict[str, dict]:
    """Every persoonslijst with a BSN that occurs once, in Haal Centraal form."""
    counts: dict[str, int] = {}
    for p in extract.personen:
        if p.bsn:
            counts[p.bsn] = counts.get(p.bsn, 0) + 1
    persons: dict[str, dict] = {}
    for p in extract.personen:
        if not p.bsn or counts[p.bsn] != 1:
            continue
        persoon: dict = {"burgerservicenummer": p.bsn}
        if p.geboortedatum is not None:
            persoon["geboorte"] = {"datum": datum_json(p.geboortedatum)}
        if p.geslacht:
            persoon["geslacht"] = {"code": p.geslacht}
        persoon["ouders"] = [
            {"ouderAanduiding": "1" if o.categorie == "02" else "2",
             **({"burgerservicenummer": o.bsn} if o.bsn else {}),
             **({"geslacht": {"code": o.geslacht}} if o.geslacht else {})}
            for o in p.ouders
        ]
        persoon["verblijfplaatsen"] = [verblijfplaats_json(r) for r in p.persoon.historie]
        persons[p.bsn] = persoon
    return persons


def _problem(status: int, title: str) -> JSONResponse:
    return JSONResponse({"type": "about:blank", "title": title, "status": status},
                        status_code=status, media_type="application/problem+json")


def build_app(personen: Mapping[str, dict], *, api_key: str | None = None,
             haperingen: int = 0) -> FastAPI:
    """The ASGI app answering for ``personen`` (BSN -> Haal Centraal person with
    ``verblijfplaatsen``)."""
    app = FastAPI(title="wpb BRP-proefomgeving", docs_url=None, redoc_url=None)
    teller = itertools.count()

    async def body_of(request: Request) -> dict | JSONResponse:
        if api_key is not None and request.headers.get("x-api-key") != api_key:
            return _problem(401, "Niet geautoriseerd")
        n = next(teller)
        if n < haperingen:
            return _problem(429 if n % 2 else 503, "Tijdelijk niet beschikbaar")
        try:
            body = await request.json()
        except ValueError:
            return _problem(400, "Het verzoek is geen JSON")
        if not isinstance(body, dict):
            return _problem(400, "Het verzoek is geen JSON-object")
        return body

    @app.post("/personen")
    async def personen_api(request: Request):
        body = await body_of(request)
        if isinstance(body, JSONResponse):
            return body
        if body.get("type") != "RaadpleegMetBurgerservicenummer":
            return _problem(400, "Alleen RaadpleegMetBurgerservicenummer wordt ondersteund")
        bsns = body.get("burgerservicenummer")
        if not isinstance(bsns, list) or not 1 <= len(bsns) <= MAX_BSNS_PER_VRAAG:
            return _problem(400, f"burgerservicenummer: 1 tot {MAX_BSNS_PER_VRAAG} nummers")
        found = []
        for bsn in bsns:
            persoon = personen.get(bsn) if isinstance(bsn, str) else None
            if persoon is not None:
                found.append({k: v for k, v in persoon.items() if k != "verblijfplaatsen"})
        # A JSONResponse as such: FastAPI's encoder would walk every answer first.
        return JSONResponse({"type": "RaadpleegMetBurgerservicenummer", "personen": found})

    @app.post("/verblijfplaatshistorie")
    async def historie_api(request: Request):
        body = await body_of(request)
        if isinstance(body, JSONResponse):
            return body
        kind = body.get("type")
        try:
            if kind == "RaadpleegMetPeriode":
                van = date.fromisoformat(body["datumVan"])
                tot = date.fromisoformat(body["datumTot"])
            elif kind == "RaadpleegMetPeildatum":
                van = date.fromisoformat(body["peildatum"])
                tot = date.fromordinal(van.toordinal() + 1)
            else:
                return _problem(400, "type: RaadpleegMetPeriode of RaadpleegMetPeildatum")
        except (KeyError, TypeError, ValueError):
            return _problem(400, "Ongeldige datum in het verzoek")
        if tot <= van:
            return _problem(400, "datumTot moet na datumVan liggen")
        persoon = personen.get(body.get("burgerservicenummer"))  # type: ignore[arg-type]
        if persoon is None:
            return _problem(404, "Persoon niet gevonden")
        records = [r for r in persoon.get("verblijfplaatsen", []) if _overlaps(r, van, tot)]
        records.sort(key=lambda r: (_hc_datum_interval(r.get("datumVan")) or (date.min,))[0],
                     reverse=True)
        return JSONResponse({"verblijfplaatsen": records})

    return app


def _overlaps(record: dict, van: date, tot: date) -> bool:
    begin = _hc_datum_interval(record.get("datumVan"))
    end = _hc_datum_interval(record.get("datumTot")) if record.get("datumTot") else None
    if begin is not None and begin[0] >= tot:
        return False
    return not (end is not None and end[1] <= van)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Lokale BRP-proefomgeving (Haal Centraal)")
    parser.add_argument("--map", type=Path, help="map met <bsn>.json-documenten")
    parser.add_argument("--gba", type=Path, action="append", default=[], help="GBA-V-extract")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--api-key", default=None)
    args = parser.parse_args(argv)
    persons: dict[str, dict] = {}
    for path in args.gba:
        persons.update(personen_uit_gba(gba.read_extract(path, skip_invalid=True)))
    if args.map:
        persons.update(personen_uit_map(args.map))
    import uvicorn

    uvicorn.run(build_app(persons, api_key=args.api_key), host=args.host, port=args.port,
                log_level="warning")


if __name__ == "__main__":
    main()
