"""Vangnet: the claims that the settlement between municipalities does not resolve.

Source: the seeds of the transition promise that no municipality is left with the cost of
care it paid outside its responsibility; a *vangnetregeling* covers what cannot be settled.
Its details (who pays out, from which fund, after how long) are **[OPEN]**: no published
regulation was found. wpb assumes, as documented in docs/verrekening.md:

- a claim qualifies when it is ``betwist`` (disputed, whatever its age), or when it is
  still unsettled (``open`` or ``erkend`` but not ``betaald``) at least ``termijn_maanden``
  calendar months (default 6) after it arose: on or after ``ontstaan + termijn``;
- ``betaald`` and ``ingetrokken`` claims never qualify;
- months are calendar months; a day that does not exist in the target month becomes the
  last day of that month (2022-08-31 + 6 months = 2023-02-28).

The list is grouped per gemeente (what it is owed and what it owes) and per provider
(the aanbieder of the invoices concerned), with totals in eurocent.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from wpb.law.verrekening.claims import Claim, ClaimStatus

STANDAARD_TERMIJN_MAANDEN = 6
ONAFGEWIKKELD = frozenset({ClaimStatus.OPEN, ClaimStatus.ERKEND})


class VangnetReden(str, Enum):
    BETWIST = "betwist"
    TE_LANG_OPEN = "te_lang_open"


def plus_maanden(d: date, maanden: int) -> date:
    """``d`` plus whole calendar months; clamped to the last day of the target month, and
    to ``date.max`` past the end of the calendar."""
    index = d.year * 12 + (d.month - 1) + maanden
    year, month = divmod(index, 12)
    month += 1
    if year > date.max.year:
        return date.max  # beyond the calendar: the term never runs out (no overflow)
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class VangnetClaim:
    claim: Claim
    reden: VangnetReden
    sinds: date  # the day the claim became a vangnet claim

    def to_json(self) -> dict:
        return {"reden": self.reden.value, "sinds": self.sinds.isoformat(), "claim": self.claim.to_json()}


@dataclass(frozen=True)
class Totaal:
    aantal: int
    bedrag: int

    def plus(self, bedrag: int) -> Totaal:
        return Totaal(self.aantal + 1, self.bedrag + bedrag)

    def to_json(self) -> dict:
        return {"aantal": self.aantal, "bedrag": self.bedrag}


@dataclass(frozen=True)
class GemeenteTotaal:
    te_ontvangen: Totaal
    te_betalen: Totaal

    def to_json(self) -> dict:
        return {"teOntvangen": self.te_ontvangen.to_json(), "teBetalen": self.te_betalen.to_json()}


@dataclass(frozen=True)
class Vangnet:
    peildatum: date
    termijn_maanden: int
    claims: tuple[VangnetClaim, ...]
    per_gemeente: dict[str, GemeenteTotaal]
    per_aanbieder: dict[str, Totaal]

    @property
    def totaal(self) -> int:
        return sum(v.claim.bedrag for v in self.claims)

    def to_json(self) -> dict:
        return {
            "peildatum": self.peildatum.isoformat(),
            "termijnMaanden": self.termijn_maanden,
            "totaal": self.totaal,
            "aantal": len(self.claims),
            "perGemeente": {k: v.to_json() for k, v in sorted(self.per_gemeente.items())},
            "perAanbieder": {k: v.to_json() for k, v in sorted(self.per_aanbieder.items())},
            "claims": [v.to_json() for v in self.claims],
        }


def vangnet(
    claims: Sequence[Claim], peildatum: date, termijn_maanden: int = STANDAARD_TERMIJN_MAANDEN
) -> Vangnet:
    """The vangnet claims on ``peildatum`` and their totals per gemeente and per provider."""
    if isinstance(termijn_maanden, bool) or not isinstance(termijn_maanden, int) or termijn_maanden < 0:
        raise ValueError(f"termijn {termijn_maanden!r} moet een geheel aantal maanden >= 0 zijn")
    selected: list[VangnetClaim] = []
    for c in claims:
        if c.status is ClaimStatus.BETWIST:
            selected.append(VangnetClaim(c, VangnetReden.BETWIST, c.status_sinds or c.ontstaan))
        elif c.status in ONAFGEWIKKELD:
            due = plus_maanden(c.ontstaan, termijn_maanden)
            if due <= peildatum:
                selected.append(VangnetClaim(c, VangnetReden.TE_LANG_OPEN, due))
    selected.sort(key=lambda v: (v.claim.schuldeiser, v.claim.schuldenaar, v.claim.van, v.claim.id))

    empty = Totaal(0, 0)
    per_gemeente: dict[str, GemeenteTotaal] = {}
    per_aanbieder: dict[str, Totaal] = {}
    for v in selected:
        c = v.claim
        g = per_gemeente.get(c.schuldeiser, GemeenteTotaal(empty, empty))
        per_gemeente[c.schuldeiser] = GemeenteTotaal(g.te_ontvangen.plus(c.bedrag), g.te_betalen)
        g = per_gemeente.get(c.schuldenaar, GemeenteTotaal(empty, empty))
        per_gemeente[c.schuldenaar] = GemeenteTotaal(g.te_ontvangen, g.te_betalen.plus(c.bedrag))
        per_aanbieder[c.aanbieder] = per_aanbieder.get(c.aanbieder, empty).plus(c.bedrag)
    return Vangnet(peildatum, termijn_maanden, tuple(selected), per_gemeente, per_aanbieder)
