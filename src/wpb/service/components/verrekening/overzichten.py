"""Statements (overzichten) of a gemeente's claims and the vangnet list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wpb.law.verrekening.factuur import Factuur
from wpb.law.verrekening.overzicht import overzicht as maak_overzicht
from wpb.law.verrekening.vangnet import vangnet
from wpb.service.auth.principal import Principal
from wpb.service.components.verrekening.claim_state import claim_of, claims_visible
from wpb.service.components.verrekening.common import (
    audit_per_youth,
    chunks,
    gemeente_view,
    namer,
    only_gemeenten,
    pseudonimiseerder,
)
from wpb.service.components.verrekening.facturen import factuur_of
from wpb.service.components.verrekening.models import (
    VerrekeningClaim,
    VerrekeningFactuur,
)
from wpb.service.context import Context
from wpb.service.errors import (
    NotFound,
)
from wpb.verrekening import overzicht_writer

# --- statements, vangnet ----------------------------------------------------------------------


def _claims_of_party(session: Session, principal: Principal, gemeente: str) -> list[VerrekeningClaim]:
    return session.scalars(
        select(VerrekeningClaim)
        .where(claims_visible(principal),
               or_(VerrekeningClaim.schuldeiser == gemeente, VerrekeningClaim.schuldenaar == gemeente))
        .order_by(VerrekeningClaim.id)
    ).all()


def _facturen_of(session: Session, rows: Sequence[VerrekeningClaim]) -> dict[str, Factuur]:
    """The invoices behind the statement's claims, by key: their invoice and payment dates
    fill the statement lines. Only the invoices of these claims, which the caller may see
    already (a claim names its invoice); nothing else is read."""
    keys = sorted({r.factuur for r in rows})
    result: dict[str, Factuur] = {}
    for chunk in chunks(keys):
        for f in session.scalars(select(VerrekeningFactuur).where(VerrekeningFactuur.sleutel.in_(chunk))):
            result[f.sleutel] = factuur_of(f)
    return result


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    bestandsnaam: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overzicht(session: Session, principal: Principal, ctx: Context, gemeente: str,
              formaat: str = "json") -> dict | Download:
    """The statement of one gemeente per counterparty (pseudonymised), as JSON, XLSX or PDF.

    A gemeente gets only its own; the coordinator any. The PDF carries a chart of the net
    positions between this gemeente and its counterparties.
    """
    pseudonimiseerder(ctx)  # no statement without the key behind the references
    only_gemeenten(principal, "Overzichten")
    if (principal.is_gemeente and principal.code != gemeente) or gemeente not in ctx.register:
        raise NotFound(f"Het overzicht van {gemeente} bestaat niet of is niet zichtbaar voor u.")
    rows = _claims_of_party(session, principal, gemeente)
    claims = [claim_of(r) for r in rows]
    o = maak_overzicht(claims, gemeente)
    today = ctx.today()
    audit_per_youth(session, principal, ctx, f"overzicht.{formaat}", rows)
    naam = namer(ctx.register)
    if formaat == "xlsx":
        return Download(overzicht_writer.xlsx_bytes(o, naam, today, _facturen_of(session, rows)), XLSX,
                        f"overzicht-{gemeente}-{today.isoformat()}.xlsx")
    if formaat == "pdf":
        # The chart shows the table's own positions per counterparty, with the table's sign.
        chart = overzicht_writer.overzicht_grafiek_png(o, naam) if o.tegenpartijen else None
        page = overzicht_writer.overzicht_html(o, naam, today, chart, _facturen_of(session, rows))
        return Download(overzicht_writer.pdf_bytes(page), "application/pdf",
                        f"overzicht-{gemeente}-{today.isoformat()}.pdf")
    return {
        "gemeente": gemeente_view(ctx, gemeente),
        "datum": today.isoformat(),
        "teOntvangen": o.totaal_ontvangen,
        "teBetalen": o.totaal_betalen,
        "netto": o.netto,
        "tegenpartijen": [
            {"gemeente": gemeente_view(ctx, t.gemeente), "teOntvangen": t.totaal_ontvangen,
             "teBetalen": t.totaal_betalen, "netto": t.netto,
             "claimsTeOntvangen": [c.to_json() for c in t.te_ontvangen],
             "claimsTeBetalen": [c.to_json() for c in t.te_betalen]}
            for t in o.tegenpartijen
        ],
    }


def list_vangnet(session: Session, principal: Principal, ctx: Context, *,
                  peildatum: date | None = None, termijn: int | None = None) -> dict:
    """Claims open longer than the term (WPB_VANGNET_MAANDEN, default 6) or disputed, with
    totals per gemeente and per provider; a gemeente sees the claims it is party to."""
    only_gemeenten(principal, "Vangnetclaims")
    rows = session.scalars(
        select(VerrekeningClaim).where(claims_visible(principal)).order_by(VerrekeningClaim.id)
    ).all()
    on = peildatum or ctx.today()
    months = ctx.settings.vangnet_maanden if termijn is None else termijn
    v = vangnet([claim_of(r) for r in rows], on, months)
    selected = {vc.claim.id for vc in v.claims}
    audit_per_youth(session, principal, ctx, "vangnet.lezen", [r for r in rows if r.id in selected])
    return v.to_json()
