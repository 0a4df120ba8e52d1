"""What a re-import of a caseload changes: new, ended and changed toewijzingen (pure).

A toewijzing is the same one in both imports when its toewijzingnummer matches, or, without
one, its bsn, provider, product and begindatum (:attr:`Toewijzing.sleutel`).

- ``nieuw``: only in the new import;
- ``beeindigd``: gone from the new import, or given an einddatum (or an earlier one) it did
  not have before;
- ``gewijzigd``: in both, with other values (the names of the fields that differ).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wpb.caseload.model import Toewijzing


@dataclass(frozen=True)
class Wijziging:
    oud: Toewijzing
    nieuw: Toewijzing | None  # None: gone from the new import
    velden: tuple[str, ...]


@dataclass(frozen=True)
class Verschil:
    nieuw: tuple[Toewijzing, ...]
    beeindigd: tuple[Wijziging, ...]
    gewijzigd: tuple[Wijziging, ...]
    ongewijzigd: int

    def counts(self) -> dict[str, int]:
        return {"nieuw": len(self.nieuw), "beeindigd": len(self.beeindigd),
                "gewijzigd": len(self.gewijzigd), "ongewijzigd": self.ongewijzigd}


def verschil(oud: Iterable[Toewijzing], nieuw: Iterable[Toewijzing]) -> Verschil:
    before = {t.sleutel: t for t in oud}
    after = {t.sleutel: t for t in nieuw}
    added = tuple(t for k, t in after.items() if k not in before)
    ended: list[Wijziging] = [Wijziging(t, None, ()) for k, t in before.items() if k not in after]
    changed: list[Wijziging] = []
    same = 0
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            continue
        a, b = old.gegevens(), new.gegevens()
        fields = tuple(f for f in a if a[f] != b[f])
        if not fields:
            same += 1
        elif "einddatum" in fields and new.einddatum is not None and (
            old.einddatum is None or new.einddatum < old.einddatum
        ):
            ended.append(Wijziging(old, new, fields))
        else:
            changed.append(Wijziging(old, new, fields))
    return Verschil(added, tuple(ended), tuple(changed), same)
