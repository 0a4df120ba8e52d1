"""Caseload export files for the service's tests (the columns of docs/woonplaatscheck.md)."""

from __future__ import annotations

KOP = ["bsn", "geboortedatum", "aanbieder_agb", "productcategorie", "productcode", "begindatum",
       "einddatum", "verblijf", "toewijzingnummer"]


def regel(bsn: str, *, geboren: str = "2012-03-04", agb: str = "99000011", categorie: str = "45",
          code: str = "45A01", begin: str = "2026-01-01", einde: str = "", verblijf: str = "",
          nummer: str = "") -> list[str]:
    return [bsn, geboren, agb, categorie, code, begin, einde, verblijf, nummer]


def export(*regels: list[str], kop: list[str] | None = None) -> bytes:
    lines = [";".join(kop or KOP)] + [";".join(r) for r in regels]
    return ("\n".join(lines) + "\n").encode("utf-8")
