"""A paid invoice (declaratie) as the settlement sees it.

A gemeente pays a provider's declaratie for a youth's care over a period. The fields are
those of an iJw declaratie (JW323 Prestatie: ProductPeriode with Begindatum and Einddatum
both inclusive, amounts in eurocent) plus what the municipality's books add: who paid and
when. Jeugdwet art. 8.2.1 leaves it to the municipalities to settle such payments among
themselves; this is the unit they settle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from wpb.law.bsn import bsn_problem

_GEMEENTECODE = re.compile(r"[0-9]{4}")
_AGB = re.compile(r"[0-9]{8}")

# Sane bounds for an invoice, checked at import (issue 19, findings S4 and S6) and before a
# computation. Not checked on construction: an invoice stored before these bounds existed
# must still load, so that it can be reported and withdrawn instead of blocking the rest.
#
# - Dates: the Jeugdwet is in force from 2015-01-01, so no youth-care invoice under it lies
#   before; 2100-12-31 is far beyond any care period or payment that can be booked now,
#   and leaves every date arithmetic room (9999-12-31 has no next day).
# - Amount: at most 10 million euro. The most expensive youth care (closed residential
#   care) costs in the order of 1,000-1,500 euro a day, so under 0.6 million euro a year;
#   10 million is more than fifteen years of it on one invoice, so no real invoice is
#   refused, while a sum of millions of such invoices stays far below the 64-bit limit of
#   the database (2^63 cent) where S6 overflowed.
VROEGSTE_DATUM = date(2015, 1, 1)
LAATSTE_DATUM = date(2100, 12, 31)
MAX_BEDRAG = 1_000_000_000  # eurocent: 10 million euro


@dataclass(frozen=True)
class FactuurFout:
    veld: str
    probleem: str

    def __str__(self) -> str:
        return f"{self.veld}: {self.probleem}"


class OngeldigeFactuur(ValueError):
    """An invoice whose facts do not hold; lists every problem, never the BSN."""

    def __init__(self, referentie: str, fouten: Sequence[FactuurFout]):
        self.referentie = referentie
        self.fouten = tuple(fouten)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"factuur {self.referentie!r} is ongeldig: " + "; ".join(map(str, self.fouten))


@dataclass(frozen=True)
class Factuur:
    """An invoice paid by ``betaler`` for care to the youth ``bsn`` on ``begin``..``einde``.

    ``einde`` is inclusive (the last day of care invoiced), as in a declaratie. ``bedrag``
    is the net amount paid in eurocent and must be positive: a credit is netted with the
    invoice it corrects before import (:mod:`wpb.verrekening.factuur_reader` does so for JW323).
    """

    referentie: str
    bsn: str = field(repr=False)
    betaler: str  # gemeentecode of the paying gemeente
    aanbieder: str  # AGB code, 8 digits
    product: str
    begin: date
    einde: date
    bedrag: int  # eurocent
    betaaldatum: date

    def __post_init__(self) -> None:
        fouten = _check(self)
        if fouten:
            raise OngeldigeFactuur(str(self.referentie), fouten)

    @property
    def sleutel(self) -> str:
        """Unique per paying gemeente and provider: the provider numbers its own invoices."""
        return f"{self.betaler}/{self.aanbieder}/{self.referentie}"

    @property
    def dagen(self) -> int:
        # By day numbers, not day_after: an einde of date.max has no next day.
        return self.einde.toordinal() - self.begin.toordinal() + 1


def _check(f: Factuur) -> list[FactuurFout]:
    fouten: list[FactuurFout] = []
    if not isinstance(f.referentie, str) or not f.referentie.strip():
        fouten.append(FactuurFout("referentie", "ontbreekt"))
    problem = bsn_problem(f.bsn)
    if problem:
        fouten.append(FactuurFout("bsn", problem))
    if not isinstance(f.betaler, str) or not _GEMEENTECODE.fullmatch(f.betaler):
        fouten.append(FactuurFout("betaler", f"{f.betaler!r} is geen gemeentecode van 4 cijfers"))
    if not isinstance(f.aanbieder, str) or not _AGB.fullmatch(f.aanbieder):
        fouten.append(FactuurFout("aanbieder", f"{f.aanbieder!r} is geen AGB-code van 8 cijfers"))
    if not isinstance(f.product, str) or not f.product.strip():
        fouten.append(FactuurFout("product", "ontbreekt"))
    if isinstance(f.bedrag, bool) or not isinstance(f.bedrag, int):
        fouten.append(FactuurFout("bedrag", f"{f.bedrag!r} is geen geheel aantal eurocent"))
    elif f.bedrag <= 0:
        fouten.append(
            FactuurFout("bedrag", f"{f.bedrag} is niet positief; verreken een creditregel eerst "
                        "met de factuur die zij corrigeert")
        )
    dates_ok = True
    for veld in ("begin", "einde", "betaaldatum"):
        if type(getattr(f, veld)) is not date:
            fouten.append(FactuurFout(veld, f"{getattr(f, veld)!r} is geen datum"))
            dates_ok = False
    if dates_ok and f.einde < f.begin:
        fouten.append(FactuurFout("einde", f"{f.einde} ligt vóór het begin {f.begin}"))
    return fouten


def buiten_grenzen(f: Factuur) -> list[FactuurFout]:
    """The invoice's values outside the sane bounds (dates 2015..2100, at most 10 million
    euro); empty when it is within them."""
    fouten: list[FactuurFout] = []
    for veld in ("begin", "einde", "betaaldatum"):
        fout = datum_buiten_grenzen(veld, getattr(f, veld))
        if fout is not None:
            fouten.append(fout)
    if f.bedrag > MAX_BEDRAG:
        fouten.append(FactuurFout("bedrag", f"{f.bedrag} eurocent is meer dan het maximum van "
                                  f"{MAX_BEDRAG} eurocent (10 miljoen euro) voor één factuur"))
    return fouten


def datum_buiten_grenzen(veld: str, value: date) -> FactuurFout | None:
    """A problem when ``value`` lies outside 2015-01-01..2100-12-31, else None."""
    if value < VROEGSTE_DATUM:
        return FactuurFout(veld, f"{value} ligt vóór {VROEGSTE_DATUM}, de ingang van de Jeugdwet")
    if value > LAATSTE_DATUM:
        return FactuurFout(veld, f"{value} ligt na {LAATSTE_DATUM}; geen echte datum van zorg of betaling")
    return None
