"""The bundled example (src/wpb/data/verrekening/voorbeeld/), worked out by hand.

Sources: the Factsheet 1-november-maatregel (VNG en VWS, 2021-11-02): under part A the
ontvangende gemeente is responsible from 2022-01-01; under part B the latende gemeente
keeps paying until the transfer is afgerond and then settles "de al betaalde facturen"
with the gemeente responsible under the law (Jeugdwet art. 1.1, from 2022-01-01).
Invoices are split per calendar day, both ends inclusive (docs/verrekening.md, section 2).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from wpb import refdata
from wpb.law.verrekening.claims import compute_claims
from wpb.law.verrekening.pseudoniem import pseudoniem
from wpb.law.verrekening.tijdlijn import build_tijdlijnen
from wpb.verrekening.beslissingen import read_beslissingen
from wpb.verrekening.factuur_reader import read_facturen
from wpb.verrekening.overdrachten import read_overdrachten

VOORBEELD = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "verrekening" / "voorbeeld"


def _berekening():
    transfers = read_overdrachten(VOORBEELD / "overdrachten.csv", refdata.gemeente_register())
    tijdlijnen = build_tijdlijnen(transfers, read_beslissingen(VOORBEELD / "beslissingen.json"),
                                 vanaf=transfers.vanaf)
    return compute_claims(read_facturen(VOORBEELD / "facturen.csv"), tijdlijnen,
                          pseudoniem=lambda bsn: pseudoniem(bsn, b"voorbeeld-sleutel-0123456789"),
                          ontstaan=date(2022, 6, 1))


def test_the_example_by_hand():
    """Per invoice (amounts in eurocent):

    - F-1001, Utrecht 0344 paid January 2022 (310 000) for a youth of OV-1 (part A, to
      Amersfoort 0307 from 2022-01-01): all 31 days are Amersfoort's, claim 0344 on 0307
      of 310 000.
    - F-1002, Rotterdam 0599 paid February 2022 (280 001) for a youth of OV-2 (part B, to Den
      Haag 0518, afgerond 2022-02-15). Rotterdam paid for the time being on 1-14 February,
      but once afgerond it settles the paid invoices with Den Haag, responsible under the
      law from 2022-01-01: all 28 days, claim 0599 on 0518 of 280 001 (the old booking
      was 140 001 own cost + a 140 000 claim).
    - F-1003, Rotterdam paid 2021-12-15..2022-01-15 (64 000), the same youth: 32 days, 2 000
      a day. December (17 days, 34 000) lies before the new law: no known responsible
      gemeente, reported as onbepaald. January (15 days, 30 000) is Den Haag's under the
      law: claim 0599 on 0518 of 30 000 (missed before).
    - F-1004, Utrecht paid January-March (900 000) for a youth of OV-3 (part A, to Utrecht),
      but decision WB-1 names Rotterdam from 2022-01-01: claim 0344 on 0599 of 900 000.
    - F-1005, Utrecht paid January (100 001) for a youth of OV-4 (part B, Weesp 0457 to
      Utrecht, not afgerond): Weesp pays for the time being, claim 0344 on 0457 of 100 001.
    - F-1006, Den Haag paid January-February (590 000) for a youth of OV-5 (part A, to
      Amsterdam 0363): claim 0518 on 0363 of 590 000.
    - F-1007, Amsterdam paid 45 000 for a youth without transfer or decision: onbepaald.

    Claims 310 000 + 280 001 + 30 000 + 900 000 + 100 001 + 590 000 = 2 210 002; onbepaald
    34 000 + 45 000 = 79 000; together the 2 289 002 of the seven invoices; no own parts.
    """
    r = _berekening()
    per_invoice = {}
    for c in r.claims:
        per_invoice.setdefault(c.factuur.rsplit("/", 1)[1], []).append((c.schuldeiser, c.schuldenaar, c.bedrag))
    assert per_invoice == {
        "F-1001": [("0344", "0307", 310000)],
        "F-1002": [("0599", "0518", 280001)],
        "F-1003": [("0599", "0518", 30000)],
        "F-1004": [("0344", "0599", 900000)],
        "F-1005": [("0344", "0457", 100001)],
        "F-1006": [("0518", "0363", 590000)],
    }
    assert sorted((d.factuur.rsplit("/", 1)[1], d.bedrag) for d in r.onbepaald) == [
        ("F-1003", 34000), ("F-1007", 45000),
    ]
    assert r.eigen == ()
    assert r.totaal_claims == 2210002
