"""Split an amount in eurocents over parts of a period, pro rata per day, exact to the cent.

Source: no statute or agreement prescribes how an invoice period that spans a change of
responsibility is divided (Jeugdwet art. 8.2.1 leaves the settlement to the municipalities;
the 1-november factsheet only says that paid invoices are settled). wpb's rule, documented
in docs/verrekening.md:

1. Every day of the invoice period weighs the same (calendar days, both ends inclusive as
   an iJw declaratie period is). A part of ``d`` days of a period of ``D`` days gets the
   exact share ``bedrag * d / D``.
2. Each part first gets the share rounded down to a whole cent.
3. The cents left over (fewer than the number of parts) go one each to the parts with the
   largest remainder of that division (the *largest remainder* method of Hamilton). Equal
   remainders are settled in favour of the earliest part. So the result is deterministic,
   no part is more than one cent from its exact share, and the parts always add up to the
   invoice amount.

Everything is integer arithmetic; no float ever touches an amount.
"""

from __future__ import annotations

from collections.abc import Sequence


def verdeel(bedrag: int, dagen: Sequence[int]) -> tuple[int, ...]:
    """Divide ``bedrag`` (eurocents, >= 0) over parts of ``dagen`` days each.

    Returns one amount per part, in the order given, adding up to ``bedrag``. A part of
    zero days gets zero. Raises ``ValueError`` for a negative amount, a negative day count
    or no days at all.
    """
    if isinstance(bedrag, bool) or not isinstance(bedrag, int):
        raise ValueError(f"bedrag {bedrag!r} is geen geheel aantal eurocent")
    if bedrag < 0:
        raise ValueError(f"bedrag {bedrag} is negatief")
    if any(isinstance(d, bool) or not isinstance(d, int) or d < 0 for d in dagen):
        raise ValueError(f"dagen {list(dagen)!r}: elk deel heeft een geheel aantal dagen >= 0")
    totaal = sum(dagen)
    if totaal == 0:
        raise ValueError("een periode van nul dagen kan niet verdeeld worden")
    basis = [bedrag * d // totaal for d in dagen]
    rest = [bedrag * d % totaal for d in dagen]
    over = bedrag - sum(basis)
    # Largest remainder first; among equals the earliest part (lower index) first.
    volgorde = sorted(range(len(dagen)), key=lambda i: (-rest[i], i))
    for i in volgorde[:over]:
        basis[i] += 1
    return tuple(basis)
