"""The statement of one gemeente: what it is to receive and to pay, per counterparty.

A statement is what a municipality's finance department checks and books: for each other
gemeente, the claims it holds on it and the claims that gemeente holds on it, with totals
and the net position. Youths appear by their pseudonymous reference only
(:mod:`~wpb.law.verrekening.pseudoniem`). Rendering (XLSX, PDF) is the adapter's job
(:mod:`wpb.verrekening.overzicht_writer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wpb.law.verrekening.claims import Claim, ClaimStatus

# What a statement shows by default: the outstanding claims (not yet paid, not withdrawn),
# disputed ones included, each with its state.
OP_OVERZICHT = frozenset({ClaimStatus.OPEN, ClaimStatus.ERKEND, ClaimStatus.BETWIST})


@dataclass(frozen=True)
class Tegenpartij:
    gemeente: str
    te_ontvangen: tuple[Claim, ...]
    te_betalen: tuple[Claim, ...]

    @property
    def totaal_ontvangen(self) -> int:
        return sum(c.bedrag for c in self.te_ontvangen)

    @property
    def totaal_betalen(self) -> int:
        return sum(c.bedrag for c in self.te_betalen)

    @property
    def netto(self) -> int:
        return self.totaal_ontvangen - self.totaal_betalen


@dataclass(frozen=True)
class Overzicht:
    gemeente: str
    tegenpartijen: tuple[Tegenpartij, ...]

    @property
    def totaal_ontvangen(self) -> int:
        return sum(t.totaal_ontvangen for t in self.tegenpartijen)

    @property
    def totaal_betalen(self) -> int:
        return sum(t.totaal_betalen for t in self.tegenpartijen)

    @property
    def netto(self) -> int:
        return self.totaal_ontvangen - self.totaal_betalen


def overzicht(
    claims: Sequence[Claim], gemeente: str, statussen: frozenset[ClaimStatus] = OP_OVERZICHT
) -> Overzicht:
    """The statement of ``gemeente`` over the claims in ``statussen``."""
    per: dict[str, tuple[list[Claim], list[Claim]]] = {}
    for c in claims:
        if c.status not in statussen:
            continue
        if c.schuldeiser == gemeente:
            per.setdefault(c.schuldenaar, ([], []))[0].append(c)
        elif c.schuldenaar == gemeente:
            per.setdefault(c.schuldeiser, ([], []))[1].append(c)

    def order(cs: list[Claim]) -> tuple[Claim, ...]:
        return tuple(sorted(cs, key=lambda c: (c.van, c.jeugdige, c.id)))

    return Overzicht(
        gemeente,
        tuple(Tegenpartij(k, order(v[0]), order(v[1])) for k, v in sorted(per.items())),
    )


def gemeenten(claims: Sequence[Claim]) -> tuple[str, ...]:
    """Every gemeente that appears in the claims, sorted."""
    return tuple(sorted({c.schuldeiser for c in claims} | {c.schuldenaar for c in claims}))
