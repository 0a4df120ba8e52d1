"""Claims: what a gemeente that paid outside its responsibility may recover, and from whom.

Sources. The gemeente responsible under the woonplaatsbeginsel (Jeugdwet art. 1.1) bears
the cost of the jeugdhulp; Jeugdwet art. 8.2.1 leaves the settlement between municipalities
to them: there is no iJw message for it. The Factsheet 1-november-maatregel
(VNG en VWS, 2021-11-02) says under onderdeel A that the ontvangende gemeente "verrekent met
de gemeente die wel verantwoordelijk blijkt", and under B that the latende gemeente keeps
paying until the transfer is afgerond and then settles ("betaalde facturen verrekenen").

The rule (docs/verrekening.md):

- An invoice is split over the youth's responsibility timeline
  (:mod:`~wpb.law.verrekening.tijdlijn`) pro rata per day (:mod:`~wpb.law.verrekening.prorata`).
- A part paid by a gemeente that was not responsible on those days is a **claim** of the
  payer (schuldeiser) on the responsible gemeente (schuldenaar), with the basis that makes
  it so: the transfer id or the woonplaats decision's receipt.
- A part paid by the responsible gemeente itself is settled already (``eigen``); a part on
  days without a known responsible gemeente cannot be settled and is reported
  (``onbepaald``), never dropped.

States of a claim (:mod:`wpb.domain.claim`): ``open`` → ``erkend`` (the debtor acknowledges) →
``betaald``; ``open`` → ``betwist`` (the debtor disputes) → ``erkend`` or ``ingetrokken``
when the dispute is resolved; ``open`` → ``ingetrokken`` (withdrawn by the creditor or by
a recomputation). ``betaald`` and ``ingetrokken`` are final.

Recomputation (:func:`recompute`) never alters an ``erkend`` or ``betaald`` claim: when the
timeline changes, the difference is a new claim of soort ``correctie`` that names the
claims it corrects.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from wpb.domain.claim import (
    LOPEND,
    VASTGELEGD,
    ClaimStatus,
    check_overgang,
)
from wpb.law.dates import day_after, day_before
from wpb.law.verrekening.factuur import Factuur, buiten_grenzen
from wpb.law.verrekening.prorata import verdeel
from wpb.law.verrekening.tijdlijn import Grondslag, Tijdlijn


class ClaimSoort(str, Enum):
    CLAIM = "claim"  # a part of an invoice paid outside responsibility
    CORRECTIE = "correctie"  # the difference after a recomputation, beside settled claims


@dataclass(frozen=True)
class Claim:
    """One claim of ``schuldeiser`` on ``schuldenaar`` for ``bedrag`` eurocent.

    For soort ``claim`` the schuldeiser is the gemeente that paid the invoice and the
    schuldenaar the one responsible on ``[van, tot)``. For a ``correctie`` the direction
    follows the sign of the difference. ``jeugdige`` is the pseudonymous reference; the BSN
    is kept for the service's own use only and is never written by ``to_json``.
    """

    id: str
    soort: ClaimSoort
    factuur: str  # Factuur.sleutel
    aanbieder: str
    product: str
    jeugdige: str
    schuldeiser: str
    schuldenaar: str
    van: date
    tot: date  # exclusive
    bedrag: int
    grondslagen: tuple[Grondslag, ...]
    ontstaan: date
    status: ClaimStatus = ClaimStatus.OPEN
    status_sinds: date | None = None
    corrigeert: tuple[str, ...] = ()
    toelichting: str = ""
    bsn: str | None = field(default=None, repr=False, compare=False)
    # What a controller books a claim on: the invoice's own period and the day it was
    # paid. Descriptive only (derived from the invoice): not part of what the claim says
    # about money, so not compared; None for a claim stored without them.
    factuur_begin: date | None = field(default=None, compare=False)
    factuur_einde: date | None = field(default=None, compare=False)
    betaaldatum: date | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.status_sinds is None:
            object.__setattr__(self, "status_sinds", self.ontstaan)
        if isinstance(self.bedrag, bool) or not isinstance(self.bedrag, int) or self.bedrag <= 0:
            raise ValueError(f"claim {self.id}: bedrag {self.bedrag!r} moet een positief aantal eurocent zijn")
        if self.schuldeiser == self.schuldenaar:
            raise ValueError(f"claim {self.id}: schuldeiser en schuldenaar zijn dezelfde gemeente")
        if self.tot <= self.van:
            raise ValueError(f"claim {self.id}: periode [{self.van}, {self.tot}) is leeg")

    @property
    def laatste_dag(self) -> date:
        return day_before(self.tot)

    @property
    def factuurnummer(self) -> str:
        """The provider's invoice number: the last part of ``factuur`` (betaler/aanbieder/nummer)."""
        parts = self.factuur.split("/", 2)
        return parts[2] if len(parts) == 3 else self.factuur

    @property
    def geldsleutel(self) -> tuple:
        """What the claim says about money: recomputation matches claims on this."""
        return (self.factuur, self.schuldeiser, self.schuldenaar, self.van, self.tot, self.bedrag)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "soort": self.soort.value,
            "factuur": self.factuur,
            "aanbieder": self.aanbieder,
            "product": self.product,
            "jeugdige": self.jeugdige,
            "schuldeiser": self.schuldeiser,
            "schuldenaar": self.schuldenaar,
            "van": self.van.isoformat(),
            "totEnMet": self.laatste_dag.isoformat(),
            "bedrag": self.bedrag,
            "grondslagen": [g.to_json() for g in self.grondslagen],
            "ontstaan": self.ontstaan.isoformat(),
            "status": self.status.value,
            "statusSinds": self.status_sinds.isoformat() if self.status_sinds else None,
            "corrigeert": list(self.corrigeert),
            "toelichting": self.toelichting,
            "factuurnummer": self.factuurnummer,
            "factuurBegin": _iso(self.factuur_begin),
            "factuurEinde": _iso(self.factuur_einde),
            "betaaldatum": _iso(self.betaaldatum),
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def change_status(claim: Claim, naar: ClaimStatus, op: date, toelichting: str = "") -> Claim:
    """The claim in state ``naar`` from ``op``; raises when the state machine forbids it."""
    check_overgang(claim.id, claim.status, naar, claim.status_sinds, op)
    return replace(claim, status=naar, status_sinds=op, toelichting=toelichting or claim.toelichting)


# --- computing claims from invoices -------------------------------------------------------


@dataclass(frozen=True)
class Deel:
    """A part of an invoice that gives no claim: paid by the responsible gemeente
    (``eigen``), or on days nobody is known to be responsible for (``onbepaald``)."""

    factuur: str
    betaler: str
    aanbieder: str
    jeugdige: str
    van: date
    tot: date
    bedrag: int
    grondslag: Grondslag | None
    reden: str

    def to_json(self) -> dict:
        return {
            "factuur": self.factuur,
            "betaler": self.betaler,
            "aanbieder": self.aanbieder,
            "jeugdige": self.jeugdige,
            "van": self.van.isoformat(),
            "totEnMet": day_before(self.tot).isoformat(),
            "bedrag": self.bedrag,
            "grondslag": self.grondslag.to_json() if self.grondslag else None,
            "reden": self.reden,
        }


@dataclass(frozen=True)
class Geweigerd:
    """An invoice set aside whole because a value is outside the sane bounds (for example
    an einddatum of 9999-12-31, stored before the bounds were checked at import): it gets
    no claim and no part, and never stops the computation of the others."""

    factuur: str
    betaler: str
    aanbieder: str
    jeugdige: str
    begin: date
    einde: date
    bedrag: int
    reden: str

    def to_json(self) -> dict:
        return {
            "factuur": self.factuur,
            "betaler": self.betaler,
            "aanbieder": self.aanbieder,
            "jeugdige": self.jeugdige,
            "begin": self.begin.isoformat(),
            "einde": self.einde.isoformat(),
            "bedrag": self.bedrag,
            "reden": self.reden,
        }


@dataclass(frozen=True)
class Berekening:
    """The claims of a set of invoices and every other part, so that
    ``sum(claims) + sum(eigen) + sum(onbepaald) + sum(geweigerd) == sum(invoices)`` holds
    to the cent."""

    claims: tuple[Claim, ...]
    eigen: tuple[Deel, ...]
    onbepaald: tuple[Deel, ...]
    geweigerd: tuple[Geweigerd, ...] = ()

    @property
    def totaal_claims(self) -> int:
        return sum(c.bedrag for c in self.claims)

    @property
    def facturen(self) -> frozenset[str]:
        """The keys of every invoice this computation covered, whatever became of it."""
        return frozenset(
            [c.factuur for c in self.claims]
            + [d.factuur for d in self.eigen]
            + [d.factuur for d in self.onbepaald]
        )


def _hash_id(prefix: str, parts: Iterable[object]) -> str:
    canonical = "\x1f".join(str(p) for p in parts)
    return prefix + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16].upper()


def claim_id(factuur: str, schuldeiser: str, schuldenaar: str, van: date, tot: date, bedrag: int) -> str:
    """Derived from what the claim says, never from the BSN: the same claim always gets
    the same id, and the id reveals nothing about the youth."""
    return _hash_id("VC-", ("claim", factuur, schuldeiser, schuldenaar, van, tot, bedrag))


def compute_claims(
    facturen: Sequence[Factuur],
    tijdlijnen: Mapping[str, Tijdlijn],
    *,
    pseudoniem: Callable[[str], str],
    ontstaan: date,
) -> Berekening:
    """Split every invoice over its youth's timeline and make a claim of each part paid
    outside responsibility.

    ``tijdlijnen`` maps a BSN to its timeline; a youth without one has no known responsible
    gemeente, so all of its invoices are ``onbepaald``. ``pseudoniem`` turns a BSN into the
    reference that goes into every output. An invoice outside the sane bounds
    (:func:`~wpb.law.verrekening.factuur.buiten_grenzen`) is set aside in ``geweigerd``
    with its reason, never computed. Raises ``ValueError`` for two invoices with the same
    :attr:`Factuur.sleutel`.
    """
    seen = Counter(f.sleutel for f in facturen)
    doubles = sorted(k for k, n in seen.items() if n > 1)
    if doubles:
        raise ValueError(f"factuur/facturen staan dubbel: {', '.join(doubles)}")
    claims: list[Claim] = []
    eigen: list[Deel] = []
    onbepaald: list[Deel] = []
    geweigerd: list[Geweigerd] = []
    for f in facturen:
        ref = pseudoniem(f.bsn)
        fouten = buiten_grenzen(f)
        if fouten:
            geweigerd.append(Geweigerd(f.sleutel, f.betaler, f.aanbieder, ref, f.begin, f.einde, f.bedrag,
                                       "; ".join(map(str, fouten))))
            continue
        tijdlijn = tijdlijnen.get(f.bsn)
        if tijdlijn is None:
            onbepaald.append(
                Deel(f.sleutel, f.betaler, f.aanbieder, ref, f.begin, day_after(f.einde), f.bedrag,
                     None, "geen overdracht of woonplaatsbeslissing bekend voor deze jeugdige")
            )
            continue
        segmenten = tijdlijn.segmenten(f.begin, f.einde)
        bedragen = verdeel(f.bedrag, [s.dagen for s in segmenten])
        for s, bedrag in zip(segmenten, bedragen, strict=True):
            if bedrag == 0:
                continue  # a part that rounds to nothing owes nothing
            p = s.periode
            if p is None:
                onbepaald.append(
                    Deel(f.sleutel, f.betaler, f.aanbieder, ref, s.van, s.tot, bedrag, None,
                         "geen verantwoordelijke gemeente bekend op deze dagen")
                )
            elif p.gemeente == f.betaler:
                eigen.append(
                    Deel(f.sleutel, f.betaler, f.aanbieder, ref, s.van, s.tot, bedrag, p.grondslag,
                         "betaald door de verantwoordelijke gemeente")
                )
            else:
                claims.append(
                    Claim(
                        id=claim_id(f.sleutel, f.betaler, p.gemeente, s.van, s.tot, bedrag),
                        soort=ClaimSoort.CLAIM,
                        factuur=f.sleutel,
                        aanbieder=f.aanbieder,
                        product=f.product,
                        jeugdige=ref,
                        schuldeiser=f.betaler,
                        schuldenaar=p.gemeente,
                        van=s.van,
                        tot=s.tot,
                        bedrag=bedrag,
                        grondslagen=(p.grondslag,),
                        ontstaan=ontstaan,
                        bsn=f.bsn,
                        factuur_begin=f.begin,
                        factuur_einde=f.einde,
                        betaaldatum=f.betaaldatum,
                    )
                )
    return Berekening(tuple(claims), tuple(eigen), tuple(onbepaald), tuple(geweigerd))


# --- recomputation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Herberekening:
    """The outcome of :func:`recompute`.

    - ``ongewijzigd``: earlier claims that stay as they are (settled, pending and still
      right, or already withdrawn);
    - ``ingetrokken``: earlier pending claims the new timeline no longer supports, now
      ``ingetrokken``;
    - ``nieuw``: new claims, ``open``;
    - ``correcties``: new claims of soort ``correctie`` beside settled claims, ``open``.
    """

    ongewijzigd: tuple[Claim, ...]
    ingetrokken: tuple[Claim, ...]
    nieuw: tuple[Claim, ...]
    correcties: tuple[Claim, ...]

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Every claim after the recomputation: the register to store."""
        return self.ongewijzigd + self.ingetrokken + self.nieuw + self.correcties

    @property
    def gewijzigd(self) -> bool:
        return bool(self.ingetrokken or self.nieuw or self.correcties)


def _pair(c: Claim) -> tuple[str, str]:
    return tuple(sorted((c.schuldeiser, c.schuldenaar)))  # type: ignore[return-value]


def _signed(c: Claim, pair: tuple[str, str]) -> int:
    """The amount from the first gemeente of the pair's point of view (it receives: +)."""
    return c.bedrag if c.schuldeiser == pair[0] else -c.bedrag


def _multiset_match(pending: Sequence[Claim], wanted: Sequence[Claim]) -> tuple[list[Claim], list[Claim], list[Claim]]:
    """Match claims on their money: (kept pending, unmatched pending, unmatched wanted)."""
    pool: dict[tuple, list[Claim]] = {}
    for c in wanted:
        pool.setdefault(c.geldsleutel, []).append(c)
    kept, dropped = [], []
    for c in pending:
        bucket = pool.get(c.geldsleutel)
        if bucket:
            bucket.pop(0)
            kept.append(c)
        else:
            dropped.append(c)
    rest = [c for bucket in pool.values() for c in bucket]
    rest.sort(key=lambda c: (c.van, c.schuldeiser, c.schuldenaar, c.bedrag))
    return kept, dropped, rest


def recompute(
    old_claims: Sequence[Claim],
    new_claims: Sequence[Claim] | Berekening,
    *,
    op: date,
    reden: str = "herberekend na een wijziging van de tijdlijn",
    facturen: frozenset[str] | None = None,
) -> Herberekening:
    """Bring the stored claims in line with a new computation, without touching settled ones.

    Only the invoices the new computation covers are recomputed: ``new_claims.facturen``
    for a :class:`Berekening`, else ``facturen`` when given, else every invoice (the list
    of new claims is then taken as complete). Claims of other invoices stay as they are, so
    importing a new batch of invoices never withdraws or corrects the claims of earlier ones.

    Per invoice and pair of gemeenten:

    1. No settled (erkend/betaald) claims: pending claims that the new computation repeats
       exactly (same money, period and direction) stay; the other pending claims are
       withdrawn; the new ones that are left are added.
    2. Settled claims that the new computation repeats exactly: the same as 1 for the rest.
    3. Otherwise the difference ``new total − settled total`` is owed: when the pending
       claims already amount to it they stay, else they are withdrawn and one claim of
       soort ``correctie`` for the difference is added, naming the settled claims it
       corrects and the bases of the new computation.

    After it, for every invoice and pair the claims that are not withdrawn add up to
    what the new computation says, and every settled claim is unchanged. Applied twice
    with the same new computation, the second run changes nothing.
    """
    if isinstance(new_claims, Berekening):
        facturen = new_claims.facturen
        new_list = list(new_claims.claims)
        bases_by_invoice: dict[str, list[Grondslag]] = {}
        for d in new_claims.eigen:
            if d.grondslag is not None:
                bases_by_invoice.setdefault(d.factuur, []).append(d.grondslag)
    else:
        new_list = list(new_claims)
        bases_by_invoice = {}
    for c in new_list:
        if c.status is not ClaimStatus.OPEN or c.soort is not ClaimSoort.CLAIM:
            raise ValueError(f"claim {c.id}: een nieuwe berekening bevat alleen open claims")

    used_ids = {c.id for c in old_claims}
    buiten_bereik = [c for c in old_claims if facturen is not None and c.factuur not in facturen]
    groups: dict[tuple[str, tuple[str, str]], tuple[list[Claim], list[Claim]]] = {}
    for c in old_claims:
        if facturen is not None and c.factuur not in facturen:
            continue
        groups.setdefault((c.factuur, _pair(c)), ([], []))[0].append(c)
    for c in new_list:
        groups.setdefault((c.factuur, _pair(c)), ([], []))[1].append(c)

    ongewijzigd: list[Claim] = list(buiten_bereik)
    ingetrokken: list[Claim] = []
    nieuw: list[Claim] = []
    correcties: list[Claim] = []

    def withdraw(c: Claim) -> None:
        ingetrokken.append(change_status(c, ClaimStatus.INGETROKKEN, max(op, c.status_sinds or op), reden))

    def add_new(c: Claim) -> None:
        cid = _unique(c.id, used_ids)
        nieuw.append(replace(c, id=cid, ontstaan=op, status_sinds=op))

    for key in sorted(groups, key=lambda k: (k[0], k[1])):
        factuur, pair = key
        old, new = groups[key]
        settled = [c for c in old if c.status in VASTGELEGD]
        pending = [c for c in old if c.status in LOPEND]
        ongewijzigd += [c for c in old if c.status is ClaimStatus.INGETROKKEN]
        ongewijzigd += settled

        settled_kept, settled_unmatched, new_rest = _multiset_match(settled, new)
        if not settled_unmatched:
            kept, dropped, to_add = _multiset_match(pending, new_rest)
            ongewijzigd += kept
            for c in dropped:
                withdraw(c)
            for c in to_add:
                add_new(c)
            continue

        target = sum(_signed(c, pair) for c in new)
        fixed = sum(_signed(c, pair) for c in settled)
        need = target - fixed
        if sum(_signed(c, pair) for c in pending) == need:
            ongewijzigd += pending
            continue
        for c in pending:
            withdraw(c)
        if need == 0:
            continue
        creditor, debtor = (pair[0], pair[1]) if need > 0 else (pair[1], pair[0])
        sample = (new or settled)[0]
        spans = new + settled
        van = min(c.van for c in spans)
        tot = max(c.tot for c in spans)
        corrects = tuple(sorted(c.id for c in settled))
        bases: list[Grondslag] = []
        for g in [g for c in new for g in c.grondslagen] + bases_by_invoice.get(factuur, []):
            if g not in bases:
                bases.append(g)
        cid = _unique(
            _hash_id("VK-", ("correctie", factuur, creditor, debtor, abs(need), *corrects)), used_ids
        )
        toelichting = (
            f"{reden}: de erkende/betaalde claims ({', '.join(corrects)}) komen samen op "
            f"{_euro(fixed if pair[0] == creditor else -fixed)} voor {creditor}, de nieuwe "
            f"berekening op {_euro(target if pair[0] == creditor else -target)}; het verschil "
            f"is {_euro(abs(need))} te ontvangen door {creditor} van {debtor}"
        )
        correcties.append(
            Claim(
                id=cid,
                soort=ClaimSoort.CORRECTIE,
                factuur=factuur,
                aanbieder=sample.aanbieder,
                product=sample.product,
                jeugdige=sample.jeugdige,
                schuldeiser=creditor,
                schuldenaar=debtor,
                van=van,
                tot=tot,
                bedrag=abs(need),
                grondslagen=tuple(bases),
                ontstaan=op,
                corrigeert=corrects,
                toelichting=toelichting,
                bsn=next((c.bsn for c in spans if c.bsn), None),
                factuur_begin=next((c.factuur_begin for c in spans if c.factuur_begin), None),
                factuur_einde=next((c.factuur_einde for c in spans if c.factuur_einde), None),
                betaaldatum=next((c.betaaldatum for c in spans if c.betaaldatum), None),
            )
        )
    return Herberekening(tuple(ongewijzigd), tuple(ingetrokken), tuple(nieuw), tuple(correcties))


def _unique(cid: str, used: set[str]) -> str:
    """``cid``, or with a suffix when an earlier (withdrawn) claim already has it."""
    candidate, n = cid, 1
    while candidate in used:
        n += 1
        candidate = f"{cid}-{n}"
    used.add(candidate)
    return candidate


def _euro(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}€ {cents // 100},{cents % 100:02d}"
