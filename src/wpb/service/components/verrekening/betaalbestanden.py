"""Payments out (issue 18, item 3): the bank accounts of the gemeenten and the payment files
of an accepted netting run, written by :mod:`wpb.verrekening.betalingen`.

A gemeente sets its own account (IBAN checked with the ISO 13616 modulus-97 check, BIC
optional); the coordinator may set any. The payment files of a run are a pain.001 credit
transfer file per paying gemeente (one transfer per payment, with the run's reference) and a
CSV of the payments. Each payment keeps its line number in the run and its reference
``WPB-VS<run>-<line>``, so payer and payee find the same payment in their files; ``<run>``
is the first 12 hexadecimal digits of the run's public id (S10: never its internal key),
as a SEPA EndToEndId holds at most 35 characters.

Who gets what: a gemeente only its own pain.001 (the payments it makes) and the CSV lines
it is party to; the coordinator any, naming the payer for a pain.001. A run still a
proposal has no payment files (409); neither has a run with a party without an account
(409 naming every such gemeente).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.law.verrekening.iban import bic_probleem, iban_probleem, normaliseer
from wpb.law.verrekening.netting import Betaling, Saldering
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.verrekening.common import gemeente_view, iso, only_gemeenten
from wpb.service.components.verrekening.models import VerrekeningBetaling, VerrekeningRekening
from wpb.service.components.verrekening.saldering import get_saldering
from wpb.service.context import Context
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound
from wpb.verrekening import betalingen

PAIN001 = "application/xml"
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Bestand:
    content: bytes
    media_type: str
    bestandsnaam: str


# --- accounts ----------------------------------------------------------------------------------


def rekening_view(row: VerrekeningRekening, ctx: Context) -> dict:
    return {"gemeente": gemeente_view(ctx, row.gemeente), "iban": row.iban, "bic": row.bic,
            "rekeninghouder": row.rekeninghouder, "gewijzigdOp": iso(row.gewijzigd_op)}


def set_rekening(session: Session, principal: Principal, ctx: Context, gemeente: str, *,
                 iban: str, bic: str | None = None, rekeninghouder: str | None = None) -> dict:
    """Set the account of ``gemeente``: the gemeente itself or the coordinator; audited."""
    only_gemeenten(principal, "Rekeningen")
    if principal.is_gemeente and principal.code != gemeente:
        raise Forbidden("Een gemeente legt alleen haar eigen rekening vast.")
    if gemeente not in ctx.register:
        raise NotFound(f"Gemeente {gemeente} bestaat niet.")
    iban = normaliseer(iban)
    bic = normaliseer(bic) if bic else None
    problems = [(veld, reden) for veld, reden in (
        ("iban", iban_probleem(iban)), ("bic", bic_probleem(bic) if bic else None)) if reden]
    if problems:
        raise InvalidRequest("De rekening is ongeldig; er is niets gewijzigd.", problems)
    houder = (rekeninghouder or "").strip() or f"Gemeente {ctx.register.naam(gemeente)}"
    row = session.get(VerrekeningRekening, gemeente)
    moment = utc_naive(ctx.now())
    if row is None:
        row = VerrekeningRekening(gemeente=gemeente)
        session.add(row)
    row.iban, row.bic, row.rekeninghouder = iban, bic, houder[:70]
    row.organisatie, row.gebruiker_id, row.gewijzigd_op = principal.label, principal.gebruiker_id, moment
    session.flush()
    audit.record(session, principal, "rekening.vastleggen", details={"gemeente": gemeente},
                 now=ctx.now())
    return rekening_view(row, ctx)


def list_rekeningen(session: Session, principal: Principal, ctx: Context) -> list[dict]:
    """A gemeente sees its own account; the coordinator every account."""
    only_gemeenten(principal, "Rekeningen")
    query = select(VerrekeningRekening).order_by(VerrekeningRekening.gemeente)
    if principal.is_gemeente:
        query = query.where(VerrekeningRekening.gemeente == principal.code)
    return [rekening_view(r, ctx) for r in session.scalars(query)]


# --- payment files -----------------------------------------------------------------------------


def betaalbestand(session: Session, principal: Principal, ctx: Context, saldering_id: str, *,
                  formaat: str, gemeente: str | None = None,
                  uitvoerdatum: date | None = None) -> Bestand:
    """The pain.001 of one paying gemeente, or the CSV of the payments (see the module)."""
    run = get_saldering(session, principal, saldering_id)
    if run.status not in ("geaccepteerd", "betaald"):
        raise Conflict(f"Saldering {run.publiek_id} is {run.status}: betaalbestanden zijn er pas als "
                       "alle partijen akkoord zijn.", extra={"huidigeStatus": run.status})
    if principal.is_gemeente:
        if gemeente not in (None, principal.code):
            raise NotFound("Betaalbestanden van een andere gemeente zijn niet zichtbaar voor u.")
        gemeente = principal.code
    if formaat == "pain001" and gemeente is None:
        raise InvalidRequest("Noem de betalende gemeente.", [("gemeente", "verplicht voor pain.001")])
    rows = session.scalars(
        select(VerrekeningBetaling).where(VerrekeningBetaling.saldering_id == run.id)
        .order_by(VerrekeningBetaling.id)
    ).all()
    wanted = [(n, b) for n, b in enumerate(rows, start=1)
              if gemeente is None or (b.van == gemeente if formaat == "pain001" else gemeente in (b.van, b.aan))]
    if not wanted:
        raise NotFound("Deze saldering heeft geen betalingen van of aan deze gemeente.")
    orders = _orders(session, run_reference(run.publiek_id), wanted)
    on = uitvoerdatum or ctx.today()
    audit.record(session, principal, "saldering.betaalbestand",
                 details={"saldering": run.publiek_id, "formaat": formaat, "gemeente": gemeente,
                          "betalingen": [n for n, _ in wanted]}, now=ctx.now())
    if formaat == "pain001":
        assert gemeente is not None
        content = betalingen.sepa_xml(orders, on)[gemeente]
        return Bestand(content, PAIN001, f"pain001-saldering-{run.publiek_id}-{gemeente}.xml")
    suffix = f"-{gemeente}" if gemeente else ""
    return Bestand(betalingen.betalingen_csv(orders, on).encode("utf-8"), CSV,
                   f"betalingen-saldering-{run.publiek_id}{suffix}.csv")


def run_reference(publiek_id: str) -> str:
    """What names a run in its payments' references: ``WPB-VS`` and the first 12 hex digits
    of its public id (random: 48 bits make a clash between two runs negligible)."""
    return "WPB-VS" + publiek_id.replace("-", "")[:12]


def _orders(session: Session, reference: str, wanted: list[tuple[int, VerrekeningBetaling]]):
    """The bank orders of the wanted payments, each with its line number in the whole run."""
    codes = sorted({c for _, b in wanted for c in (b.van, b.aan)})
    accounts = {
        r.gemeente: betalingen.Rekening(r.gemeente, r.iban, r.rekeninghouder, r.bic)
        for r in session.scalars(select(VerrekeningRekening).where(VerrekeningRekening.gemeente.in_(codes)))
    }
    orders = []
    problems: list[str] = []
    for n, b in wanted:
        one = Saldering(saldi={}, betalingen=(Betaling(b.van, b.aan, int(b.bedrag)),),
                        claim_ids=(), intern=(), buiten=())
        try:
            (order,) = betalingen.opdrachten(one, accounts, reference)
        except betalingen.BetaalFout as exc:
            problems += [p for p in exc.problemen if p not in problems]
            continue
        # The library numbers the lines of what it is given; keep the line of the whole run.
        line_ref = f"{reference}-{n:03d}"
        orders.append(dataclasses.replace(
            order, regel=n, kenmerk=line_ref, omschrijving=order.omschrijving.replace(order.kenmerk, line_ref)))
    if problems:
        raise Conflict("Er ontbreken rekeningen; leg ze vast onder /rekeningen.",
                       extra={"problemen": problems})
    return orders
