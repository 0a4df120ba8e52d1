"""The woonplaatscheck's files.

- ``beslissingen.jsonl``: one decision JSON per client (per law), with ``bsn``, ``vanaf`` (and
  the fact it rests on), the assumptions made, the toewijzingen used and the BRP provenance.
- ``signalen.csv``: ``bsn``, ``soort``, ``verantwoordelijke_gemeente``, ``vanaf``, ``status``
  (of the decision), ``reden`` and ``vingerafdruk`` (to recognise a handled signal).
- ``aanlevering.csv``: ready for the transfer upload: one row per client and toewijzing
  (running or starting on or after the peildatum) whose responsible gemeente is another one;
  none for ``review``. Columns: ``bsn``, ``geboortedatum``, ``ontvangende_gemeente``,
  ``aanbieder_agb``, ``product`` (the productcode, else the productcategorie),
  ``toewijzing_einddatum`` (empty while it runs), ``pgb`` (``nee``: a caseload of toewijzingen
  holds care in natura), ``wet`` and ``vanaf``.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from wpb.law.decision import Status
from wpb.law.signalen import SignaalSoort
from wpb.woonplaatscheck.check import Resultaat

SIGNALEN_KOLOMMEN = ("bsn", "soort", "verantwoordelijke_gemeente", "vanaf", "status", "reden",
                     "vingerafdruk")
AANLEVERING_KOLOMMEN = ("bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb",
                        "product", "toewijzing_einddatum", "pgb", "wet", "vanaf")


def aanlevering_rijen(resultaat: Resultaat) -> list[dict[str, str]]:
    rows = []
    for u in resultaat.uitkomsten:
        d = u.beslissing
        if d is None or d.status is not Status.BEPAALD or d.gemeente_code == resultaat.gemeente:
            continue
        for t in u.toewijzingen:
            if t.einddatum is not None and t.einddatum < resultaat.peildatum:
                continue
            rows.append({
                "bsn": u.bsn, "geboortedatum": t.geboortedatum.isoformat(),
                "ontvangende_gemeente": d.gemeente_code or "", "aanbieder_agb": t.aanbieder_agb,
                "product": t.productcode or t.productcategorie or "",
                "toewijzing_einddatum": t.einddatum.isoformat() if t.einddatum else "",
                "pgb": "nee", "wet": u.wet,
                "vanaf": u.vanaf.datum.isoformat() if u.vanaf else "",
            })
    return rows


def schrijf(resultaat: Resultaat, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {naam: out / naam for naam in ("beslissingen.jsonl", "signalen.csv", "aanlevering.csv")}
    with paths["beslissingen.jsonl"].open("w", encoding="utf-8") as f:
        for u in sorted(resultaat.uitkomsten, key=lambda u: (u.bsn, u.wet)):
            f.write(json.dumps(u.to_json(), ensure_ascii=False, sort_keys=False, default=str) + "\n")
    with paths["signalen.csv"].open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(SIGNALEN_KOLOMMEN)
        for s in sorted(resultaat.signalen, key=lambda s: (s.bsn, s.soort.value)):
            writer.writerow([s.bsn, s.soort.value, s.verantwoordelijke_gemeente or "",
                             s.vanaf.isoformat() if s.vanaf else "", s.status, s.reden,
                             s.vingerafdruk])
    with paths["aanlevering.csv"].open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=AANLEVERING_KOLOMMEN, delimiter=";")
        writer.writeheader()
        writer.writerows(aanlevering_rijen(resultaat))
    return paths


def samenvatting(resultaat: Resultaat) -> dict[str, int]:
    statuses = Counter(u.status for u in resultaat.uitkomsten)
    soorten = Counter(s.soort for s in resultaat.signalen)
    return {
        "beslist": len(resultaat.uitkomsten),
        "bepaald": statuses.get(Status.BEPAALD.value, 0),
        "review": statuses.get(Status.REVIEW.value, 0),
        "niet opgehaald (BRP)": len(resultaat.niet_opgehaald),
        "zonder lopende zorg (niet beslist)": resultaat.zonder_lopende_zorg,
        **{f"signaal {s.value}": soorten.get(s, 0) for s in SignaalSoort},
    }
