"""Test BSNs and caseload files built from rows."""

from __future__ import annotations

from wpb.law.bsn import is_valid_bsn

KOP = "bsn;geboortedatum;aanbieder_agb;productcategorie;productcode;begindatum;einddatum"


def proef_bsns(n: int, start: int = 999_990_000) -> list[str]:
    """``n`` distinct numbers in the test range that pass the 11-proef."""
    found = []
    candidate = start
    while len(found) < n:
        text = f"{candidate:09d}"
        if is_valid_bsn(text):
            found.append(text)
        candidate += 1
    return found


def csv_bytes(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
