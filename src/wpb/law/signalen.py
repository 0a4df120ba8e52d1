"""Signalen: what a gemeente must act on after the woonplaatscheck of its caseload.

- ``andere_gemeente``: another gemeente is responsible, from ``vanaf``: propose a transfer.
- ``review``: the facts do not decide; a person must, with the reason and the candidates.
- ``einde_jeugdige``: the youth turned 18 (or will within the window) and no care that began
  before 18 continues, or resumed within six months; or the youth turns 23. Jeugdwet art. 1.1
  "jeugdige": under 18, or 18 to 23 when care that began before 18 continues or is resumed
  within six months after it ended (onder b and c), and never from 23.
- ``wijziging_gepland``: a change already known, such as a stay ending on its einddatum after
  which another gemeente is responsible.

Each signal carries a fingerprint (``vingerafdruk``): the SHA-256 of the facts behind it,
without the peildatum. A signal handled once (made into a transfer, checked, dismissed) is
not raised again by a later run unless those facts changed (:func:`niet_afgehandeld`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from wpb.law.jeugdwet.jeugdige import ACHTTIEN_JAAR, DRIEENTWINTIG_JAAR, HALF_JAAR_MAANDEN

# The limits of the definition "jeugdige", declared once with its text.
MEERDERJARIG = ACHTTIEN_JAAR
MAX_LEEFTIJD = DRIEENTWINTIG_JAAR
VENSTER_DAGEN = 60  # how far ahead a coming birthday or planned change is signalled
HERVATTING_MAANDEN = HALF_JAAR_MAANDEN  # art. 1.1 jeugdige, 3°: resumed within half a year


class SignaalSoort(str, Enum):
    ANDERE_GEMEENTE = "andere_gemeente"
    REVIEW = "review"
    EINDE_JEUGDIGE = "einde_jeugdige"
    WIJZIGING_GEPLAND = "wijziging_gepland"


@dataclass(frozen=True)
class Signaal:
    soort: SignaalSoort
    bsn: str = field(repr=False)
    verantwoordelijke_gemeente: str | None
    vanaf: date | None
    status: str  # the decision's status: bepaald or review
    reden: str  # in Dutch, for the person who handles it
    feiten: dict = field(default_factory=dict)  # what the fingerprint covers, besides the above

    @property
    def vingerafdruk(self) -> str:
        return vingerafdruk(
            self.soort, self.bsn, self.verantwoordelijke_gemeente, self.vanaf, self.feiten
        )


def vingerafdruk(
    soort: SignaalSoort, bsn: str, gemeente: str | None, vanaf: date | None, feiten: dict
) -> str:
    """SHA-256 of the canonical JSON of the facts behind a signal (never of the peildatum)."""
    canonical = json.dumps(
        {
            "soort": soort.value,
            "bsn": bsn,
            "gemeente": gemeente,
            "vanaf": vanaf.isoformat() if vanaf else None,
            "feiten": feiten,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def niet_afgehandeld(signalen: Iterable[Signaal], afgehandeld: Iterable[str]) -> list[Signaal]:
    """The signals whose fingerprint was not handled before."""
    handled = set(afgehandeld)
    return [s for s in signalen if s.vingerafdruk not in handled]


def verjaardag(geboortedatum: date, jaren: int) -> date:
    """The day someone born on ``geboortedatum`` reaches ``jaren``; 29 February: 1 March."""
    try:
        return geboortedatum.replace(year=geboortedatum.year + jaren)
    except ValueError:
        return date(geboortedatum.year + jaren, 3, 1)


def _plus_maanden(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class EindeJeugdige:
    grens: int  # 18 or 23
    datum: date  # the birthday
    reden: str


def einde_jeugdige(
    geboortedatum: date,
    peildatum: date,
    zorg: Sequence[tuple[date, date | None]],
    *,
    venster: int = VENSTER_DAGEN,
) -> EindeJeugdige | None:
    """Whether the youth stops (or may stop) being a jeugdige soon; ``zorg``: (begin, einde).

    ``einde`` is inclusive, None while running. Care "continues" past 18 when a toewijzing that
    began before the 18th birthday runs on that day, or when care resumes within six months
    after care that began before 18 ended.
    """
    horizon = peildatum + timedelta(days=venster)
    b23 = verjaardag(geboortedatum, MAX_LEEFTIJD)
    if b23 <= horizon:
        wanneer = "werd" if b23 <= peildatum else "wordt"
        return EindeJeugdige(
            MAX_LEEFTIJD, b23, f"{wanneer} 23 op {b23}: vanaf dan geen jeugdige meer"
        )
    b18 = verjaardag(geboortedatum, MEERDERJARIG)
    if b18 > horizon:
        return None
    before = [(b, e) for b, e in zorg if b < b18]
    if any(e is None or e >= b18 for _, e in before):
        return None
    if before:
        last_end = max(e for _, e in before if e is not None)
        deadline = _plus_maanden(last_end, HERVATTING_MAANDEN)
        if any(b18 <= b <= deadline or last_end < b <= deadline for b, _ in zorg if b >= b18):
            return None
    wanneer = "werd" if b18 <= peildatum else "wordt"
    return EindeJeugdige(
        MEERDERJARIG,
        b18,
        f"{wanneer} 18 op {b18} en geen jeugdhulp die vóór 18 begon loopt door of is binnen "
        f"{HERVATTING_MAANDEN} maanden hervat: verlengde jeugdhulp vraagt een besluit",
    )


__all__ = [
    "EindeJeugdige",
    "Signaal",
    "SignaalSoort",
    "einde_jeugdige",
    "niet_afgehandeld",
    "verjaardag",
    "vingerafdruk",
]
