"""Test data for the woonplaatscheck: BRP documents and caseloads written to a folder."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from caseload.helpers import KOP, proef_bsns
from wpb.brp.proefomgeving import build_app

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GBA_TESTSET = SHARED / "data" / "brp" / "testdata" / "gba-v-proefomgeving-testset-20220502.csv"


def adres(van: str, code: str, tot: str | None = None, **extra) -> dict:
    record = {"type": "Adres", "datumVan": {"type": "Datum", "datum": van},
              "gemeenteVanInschrijving": {"code": code}, **extra}
    if tot:
        record["datumTot"] = {"type": "Datum", "datum": tot}
    return record


def document(geboren: str, *records: dict, moeder: dict | None = None) -> dict:
    doc: dict = {"jeugdige": {"geboorte": {"datum": {"type": "Datum", "datum": geboren}},
                              "verblijfplaatshistorie": list(records)}}
    if moeder is not None:
        doc["moeder"] = moeder
    return doc


def write_documents(folder: Path, docs: dict[str, dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for bsn, doc in docs.items():
        (folder / f"{bsn}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def caseload_csv(path: Path, rows: list[dict]) -> Path:
    """A caseload export; ``rows`` carry the columns of KOP and any optional ones."""
    columns = KOP.split(";")
    extra = sorted({k for r in rows for k in r} - set(columns))
    lines = [";".join(columns + extra)]
    for r in rows:
        lines.append(";".join("" if r.get(c) is None else str(r[c]) for c in columns + extra))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(bsn: str, geboren: str, begin: str, einde: str | None = None, categorie: str = "45",
        **extra) -> dict:
    return {"bsn": bsn, "geboortedatum": geboren, "aanbieder_agb": "12345678",
            "productcategorie": categorie, "productcode": f"{categorie}A01", "begindatum": begin,
            "einddatum": einde, **extra}


def asgi_transport(personen: dict, **kw) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=build_app(personen, **kw))


__all__ = ["GBA_TESTSET", "SHARED", "adres", "asgi_transport", "caseload_csv", "document",
           "proef_bsns", "row", "write_documents"]
