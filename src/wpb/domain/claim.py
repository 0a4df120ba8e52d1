"""The state machine of a claim (vordering) between gemeenten in the settlement.

| from | to | when |
|---|---|---|
| open | erkend | the debtor acknowledges the claim |
| open | betwist | the debtor disputes it (a geschil) |
| open | ingetrokken | the creditor withdraws it, or a recomputation does |
| betwist | erkend, ingetrokken | the dispute is resolved |
| erkend | betaald | the money is paid (through netting or directly) |

``betaald`` and ``ingetrokken`` are final. An acknowledged or paid claim is never changed
again: a recomputation adds a correction beside it (wpb.law.verrekening.claims).
This is administrative procedure, not statute, so it lives here beside the transfer's
state machine (:mod:`wpb.domain.overdracht`), in the standard library only.
"""

from __future__ import annotations

from datetime import date
from enum import Enum


class ClaimStatus(str, Enum):
    OPEN = "open"
    ERKEND = "erkend"
    BETAALD = "betaald"
    BETWIST = "betwist"
    INGETROKKEN = "ingetrokken"


OVERGANGEN: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    ClaimStatus.OPEN: frozenset({ClaimStatus.ERKEND, ClaimStatus.BETWIST, ClaimStatus.INGETROKKEN}),
    ClaimStatus.ERKEND: frozenset({ClaimStatus.BETAALD}),
    ClaimStatus.BETWIST: frozenset({ClaimStatus.ERKEND, ClaimStatus.INGETROKKEN}),
    ClaimStatus.BETAALD: frozenset(),
    ClaimStatus.INGETROKKEN: frozenset(),
}

# Settled: the money is acknowledged or paid; such a claim is never changed again.
VASTGELEGD = frozenset({ClaimStatus.ERKEND, ClaimStatus.BETAALD})
# Pending: still to be acknowledged (or disputed); a recomputation may withdraw it.
LOPEND = frozenset({ClaimStatus.OPEN, ClaimStatus.BETWIST})


class OngeldigeClaimOvergang(ValueError):
    """A state change the state machine does not allow."""


def check_overgang(
    claim_id: str, van: ClaimStatus, naar: ClaimStatus, sinds: date | None, op: date
) -> None:
    """Raise when the claim may not go from ``van`` to ``naar`` on ``op``."""
    if naar not in OVERGANGEN[van]:
        allowed = ", ".join(sorted(s.value for s in OVERGANGEN[van])) or "geen"
        raise OngeldigeClaimOvergang(
            f"claim {claim_id}: van {van.value} naar {naar.value} is niet toegestaan "
            f"(toegestaan: {allowed})"
        )
    if sinds is not None and op < sinds:
        raise OngeldigeClaimOvergang(
            f"claim {claim_id}: {op} ligt vóór de vorige statuswijziging {sinds}"
        )
