"""Test data for the woonplaatscheck: BRP documents and caseloads written to a folder."""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import httpx

from caseload.helpers import KOP, proef_bsns
from wpb.brp.proefomgeving import build_app
from wpb.conformance import default_path, load_cases

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


def representable(case) -> bool:
    """A conformance case a caseload and a BRP document can carry: the 2022 rule, care
    episodes without a location or a tie to a JJI stay, no werkelijke verblijfplaats or gezag
    (not in a caseload)."""
    c = case.casus
    return (
        c["peildatum"] >= "2022-01-01" and c.get("jeugdhulp")
        and "werkelijkeVerblijfplaats" not in c and "gezag" not in c
        and not any("gemeente" in e or "inVerbandMetJji" in e for e in c["jeugdhulp"])
    )


def conformance_caseloads(tmp_path):
    """Per peildatum: a caseload file, a BRP folder and the cases by BSN."""
    cases = [c for c in load_cases(default_path()) if representable(c)]
    bsns = iter(proef_bsns(2 * len(cases), start=999_995_000))
    groups: dict[str, dict] = defaultdict(lambda: {"rows": [], "docs": {}, "cases": {}})
    for case in cases:
        c = copy.deepcopy(case.casus)
        bsn, moeder_bsn = next(bsns), next(bsns)
        g = groups[c["peildatum"]]
        jeugdige = {**c["jeugdige"], "burgerservicenummer": bsn}
        doc = {"jeugdige": jeugdige}
        if c.get("moeder") is not None:
            doc["moeder"] = {**c["moeder"], "burgerservicenummer": moeder_bsn}
        g["docs"][bsn] = doc
        g["cases"][bsn] = case
        for e in c["jeugdhulp"]:
            g["rows"].append(row(bsn, "2010-01-01", e["begin"], e.get("einde"),
                                 categorie="43" if e["verblijf"] else "45",
                                 verblijf="ja" if e["verblijf"] else "nee", vorm=e.get("vorm")))
    out = []
    for peildatum, g in sorted(groups.items()):
        folder = tmp_path / peildatum
        caseload_csv(folder / "clienten.csv", g["rows"])
        write_documents(folder / "brp", g["docs"])
        out.append((peildatum, folder, g["cases"]))
    return out


def random_caseload(folder: Path, n: int, *, seed: int, start: int,
                    einde_dagen: tuple[int, int] = (1, 90), zonder_document: int = 0,
                    peildatum: date = date(2026, 12, 1)) -> tuple[Path, Path]:
    """A caseload of ``n`` youths of 0344 (``clienten.csv``, ``brp/``): moves during ambulant
    care (half of them out of the gemeente), stays and toewijzingen ending ``einde_dagen``
    after the peildatum, a toewijzing that starts later, youths near 18; with
    ``zonder_document`` every so many-th youth has no BRP document."""
    rng = random.Random(seed)
    near = ["0344"] * 4 + ["0307", "0310", "0355", "0363", "0599"]
    rows, docs = [], {}
    for i, bsn in enumerate(proef_bsns(n, start=start)):
        born = peildatum - timedelta(days=rng.randint(2 * 365, 19 * 365))
        moves = sorted(rng.sample(range(30, (peildatum - born).days - 1), k=rng.randint(0, 3)))
        days = [born] + [born + timedelta(days=d) for d in moves]
        places = ["0344"] + [rng.choice(near) for _ in moves]
        records = [adres(d.isoformat(), g, days[j + 1].isoformat() if j + 1 < len(days) else None)
                   for j, (d, g) in enumerate(zip(days, places, strict=True))]
        if not zonder_document or i % zonder_document != zonder_document // 2:
            docs[bsn] = document(born.isoformat(), *records)
        begin = max(born, peildatum - timedelta(days=rng.randint(10, 1500)))
        stay = rng.random() < 0.3
        einde = None if rng.random() < 0.6 else peildatum + timedelta(days=rng.randint(*einde_dagen))
        rows.append(row(bsn, born.isoformat(), begin.isoformat(),
                        einde.isoformat() if einde else None, categorie="43" if stay else "45"))
        if rng.random() < 0.2:
            later = peildatum + timedelta(days=rng.randint(1, 50))
            rows.append(row(bsn, born.isoformat(), later.isoformat(), None, categorie="44"))
    return caseload_csv(folder / "clienten.csv", rows), write_documents(folder / "brp", docs)


def gba_caseload(tmp_path, extract, peildatum):
    """Every youth under 23 of the set, with one running ambulant toewijzing."""
    rows, youths = [], []
    for p in extract.personen:
        birth = p.geboortedatum
        if p.bsn is None or birth is None or not birth.is_exact or len(extract.met_bsn(p.bsn)) != 1:
            continue
        if not (peildatum - timedelta(days=23 * 365) < birth.earliest < peildatum):
            continue
        youths.append(p)
        rows.append(row(p.bsn, birth.earliest.isoformat(), max(birth.earliest, date(2022, 1, 1)).isoformat()))
    return caseload_csv(tmp_path / "clienten.csv", rows), youths


__all__ = ["GBA_TESTSET", "SHARED", "adres", "asgi_transport", "caseload_csv",
           "conformance_caseloads", "document", "gba_caseload", "proef_bsns", "random_caseload",
           "representable", "row", "write_documents"]
