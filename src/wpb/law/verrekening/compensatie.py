"""Compensatieregeling woonplaats onbekend: youths for whom the 2022 rule finds no herkomstgemeente.

Sources.

- Jeugdwet (BWBR0034925) art. 1.1, "woonplaats", as in force from 2022-01-01:

  "3°. ingeval de woonplaats niet op grond van de onderdelen 1° en 2° kan worden
  vastgesteld (...): de gemeente waar de moeder van de jeugdige ten tijde van diens
  geboorte als ingezetene was ingeschreven in de basisregistratie personen, of, indien
  dit niet kan worden vastgesteld, de gemeente waar de jeugdige werkelijk verblijft op
  het moment van de hulpvraag;"

  "4°. ingeval de woonplaats buiten Nederland is: de gemeente waar de jeugdige werkelijk
  verblijft op het moment van de hulpvraag."

  In both cases the gemeente where the youth actually stays pays: for a youth in care
  with stay, the gemeente of the institution or foster family, not a gemeente the youth
  came from.
- Divosa, news "Compensatie nadelige gevolgen woonplaatsbeginsel": municipalities that
  bear the cost of youths without a herkomstgemeente (placed in a stay straight from
  abroad, born in a moeder-kind-verblijfsinstelling) are compensated by the Rijk through a
  specifieke uitkering for 2022 and 2023.
- DUS-I / VNG: "Specifieke uitkering niet-beoogde jeugdzorgkosten vanwege verblijf in
  gemeente" (applications from 2024-05-01 to 2024-07-31).
- Issue 6 of this project states the selection used here.

**[OPEN] — wpb's reading.** The conditions of the regulation itself were not found in a
source wpb holds. wpb lists a youth when, on the most recent woonplaats decision the
service has for it:

1. the decision applies the 2022 rule (grondslag valid from 2022-01-01);
2. the youth was in care with stay that began before 2022-01-01 (the stay, or series of
   stays, the decision relied on): the group the change of the law moved;
3. the woonplaats is not traceable to a herkomstgemeente: onderdeel 4°, or onderdeel 3°
   ending in the actual stay (the mother's registration at the birth could not be used).

A decision that needs a person because the actual stay is unknown (onderdeel 3° or 4°
without a werkelijke verblijfplaats) meets the rule but names no gemeente: it is listed
as *te beoordelen*, never dropped. The care costs are the youth's paid invoices on the
days of the period asked (by default from 2022-01-01), an invoice that crosses the
period's edges split per day as the settlement splits it (:mod:`.prorata`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from wpb.law.dates import day_after
from wpb.law.verrekening.factuur import Factuur
from wpb.law.verrekening.prorata import verdeel

INGANG_2022 = date(2022, 1, 1)  # Wet wijziging woonplaatsbeginsel, in force


class CompensatieGrond(str, Enum):
    ONDERDEEL_3_WERKELIJK_VERBLIJF = "onderdeel_3_werkelijk_verblijf"
    ONDERDEEL_4 = "onderdeel_4"


@dataclass(frozen=True)
class Woonplaatsuitkomst:
    """What the selection reads from one woonplaats decision.

    ``regel_vanaf`` is the first day of the rule version applied (the grondslag's
    geldigVanaf); ``werkelijke_verblijfplaats`` says whether the decision rests on the
    actual stay at the help request; ``verblijf_sinds`` is the first day of the stay (or
    series of stays) the decision relied on, None without a stay; ``ontbreekt_verblijf``
    says the decision needs a person because that actual stay is unknown.
    """

    bsn: str = field(repr=False)
    peildatum: date
    regel_vanaf: date | None
    onderdeel: int | str | None
    gemeente: str | None
    werkelijke_verblijfplaats: bool
    verblijf_sinds: date | None
    ontbreekt_verblijf: bool = False


def compensatie_grond(u: Woonplaatsuitkomst) -> CompensatieGrond | None:
    """The ground on which the youth of ``u`` belongs on the list, or None."""
    if u.regel_vanaf != INGANG_2022:
        return None  # the 2015 rule followed the gezag; the regulation is about the change
    if u.verblijf_sinds is None or u.verblijf_sinds >= INGANG_2022:
        return None  # not in care with stay before the law changed
    # 4°: "ingeval de woonplaats buiten Nederland is: de gemeente waar de jeugdige werkelijk
    # verblijft op het moment van de hulpvraag" — no Dutch herkomstgemeente at all.
    if u.onderdeel == 4:
        return CompensatieGrond.ONDERDEEL_4
    # 3°, last part: "of, indien dit niet kan worden vastgesteld, de gemeente waar de
    # jeugdige werkelijk verblijft" — the mother's registration at the birth did not decide.
    # 3° through the mother's registration names a herkomstgemeente: not listed.
    if u.onderdeel == 3 and (u.werkelijke_verblijfplaats or u.ontbreekt_verblijf):
        return CompensatieGrond.ONDERDEEL_3_WERKELIJK_VERBLIJF
    return None


@dataclass(frozen=True)
class Kandidaat:
    """A youth on the list: the gemeente that bears the cost (None: a person must decide)."""

    bsn: str = field(repr=False)
    gemeente: str | None
    grond: CompensatieGrond
    peildatum: date
    verblijf_sinds: date


def selecteer(uitkomsten: Iterable[Woonplaatsuitkomst]) -> tuple[Kandidaat, ...]:
    """The youths that meet the rule, judged on their most recent decision (latest peildatum)."""
    latest: dict[str, Woonplaatsuitkomst] = {}
    for u in uitkomsten:
        current = latest.get(u.bsn)
        if current is None or u.peildatum > current.peildatum:
            latest[u.bsn] = u
    out = []
    for u in latest.values():
        grond = compensatie_grond(u)
        if grond is None:
            continue
        assert u.verblijf_sinds is not None
        gemeente = None if u.ontbreekt_verblijf else u.gemeente
        out.append(Kandidaat(u.bsn, gemeente, grond, u.peildatum, u.verblijf_sinds))
    out.sort(key=lambda k: (k.gemeente or "", k.peildatum, k.verblijf_sinds))
    return tuple(out)


def kosten_in_periode(f: Factuur, van: date, tot: date | None) -> int:
    """The part of invoice ``f`` on the days ``[van, tot)``, split per day (Hamilton)."""
    start, stop = f.begin, day_after(f.einde)
    lo = max(start, van)
    hi = stop if tot is None else min(stop, tot)
    if hi <= lo:
        return 0
    dagen = [(lo - start).days, (hi - lo).days, (stop - hi).days]
    return verdeel(f.bedrag, dagen)[1]


@dataclass(frozen=True)
class Regel:
    """One youth on the list of a gemeente, by pseudonym, with its care costs."""

    jeugdige: str
    grond: CompensatieGrond
    peildatum: date
    verblijf_sinds: date
    bedrag: int
    facturen: int

    def to_json(self) -> dict:
        return {
            "jeugdige": self.jeugdige,
            "grond": self.grond.value,
            "peildatum": self.peildatum.isoformat(),
            "verblijfSinds": self.verblijf_sinds.isoformat(),
            "bedrag": self.bedrag,
            "aantalFacturen": self.facturen,
        }


@dataclass(frozen=True)
class Compensatielijst:
    van: date
    tot: date | None
    per_gemeente: dict[str, tuple[Regel, ...]]
    te_beoordelen: tuple[Regel, ...]

    def totaal(self, gemeente: str) -> int:
        return sum(r.bedrag for r in self.per_gemeente.get(gemeente, ()))

    def to_json(self) -> dict:
        return {
            "van": self.van.isoformat(),
            "tot": self.tot.isoformat() if self.tot else None,
            "gemeenten": [
                {"gemeente": code, "aantal": len(regels), "bedrag": self.totaal(code),
                 "jeugdigen": [r.to_json() for r in regels]}
                for code, regels in sorted(self.per_gemeente.items())
            ],
            "teBeoordelen": [r.to_json() for r in self.te_beoordelen],
        }


def compensatielijst(
    kandidaten: Sequence[Kandidaat],
    facturen: Sequence[Factuur],
    *,
    pseudoniem: Callable[[str], str],
    van: date = INGANG_2022,
    tot: date | None = None,
) -> Compensatielijst:
    """The list per gemeente with each youth's care costs on ``[van, tot)``."""
    if tot is not None and tot <= van:
        raise ValueError(f"tot {tot} ligt niet na van {van}")
    per_bsn: dict[str, list[Factuur]] = {}
    for f in facturen:
        per_bsn.setdefault(f.bsn, []).append(f)
    per_gemeente: dict[str, list[Regel]] = {}
    te_beoordelen: list[Regel] = []
    for k in kandidaten:
        bedragen = [kosten_in_periode(f, van, tot) for f in per_bsn.get(k.bsn, [])]
        regel = Regel(pseudoniem(k.bsn), k.grond, k.peildatum, k.verblijf_sinds,
                      sum(bedragen), sum(1 for b in bedragen if b > 0))
        if k.gemeente is None:
            te_beoordelen.append(regel)
        else:
            per_gemeente.setdefault(k.gemeente, []).append(regel)
    return Compensatielijst(
        van, tot,
        {code: tuple(sorted(rs, key=lambda r: r.jeugdige)) for code, rs in per_gemeente.items()},
        tuple(sorted(te_beoordelen, key=lambda r: r.jeugdige)),
    )
