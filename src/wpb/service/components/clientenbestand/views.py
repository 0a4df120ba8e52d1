"""The caseload's rows and signals as API bodies (and page rows), and small queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wpb.service.auth.principal import Principal
from wpb.service.components.brp.bron import Ophaalverslag
from wpb.service.components.clientenbestand.models import ClientToewijzing, Signaal
from wpb.service.components.clientenbestand.signalen import decision_of, transfer_rows
from wpb.service.components.overdrachten.views import iso


def toewijzing(r: ClientToewijzing, brp: bool) -> dict:
    return {
        "bsn": r.bsn, "geboortedatum": iso(r.geboortedatum), "aanbiederAgb": r.aanbieder_agb,
        "productcategorie": r.productcategorie, "productcode": r.productcode,
        "begindatum": iso(r.begindatum), "einddatum": iso(r.einddatum), "verblijf": r.verblijf,
        "wet": r.wet, "toewijzingnummer": r.toewijzingnummer, "brpAanwezig": brp,
    }


def running_clients(session: Session, principal: Principal, peildatum: date) -> list[str]:
    """The caller's clients with a toewijzing running on the peildatum or starting later:
    the ones the woonplaatscheck decides, so the ones whose BRP data is fetched."""
    return list(session.scalars(
        select(ClientToewijzing.bsn).where(
            ClientToewijzing.eigenaar_id == principal.organisatie_id,
            or_(ClientToewijzing.einddatum.is_(None), ClientToewijzing.einddatum >= peildatum),
        ).distinct().order_by(ClientToewijzing.bsn)))


def fetch_report(report: Ophaalverslag) -> dict:
    return {
        "gevraagd": report.gevraagd, "opgeslagen": report.opgeslagen,
        "zonderMoeder": report.zonder_moeder,
        "mislukt": [{"bsn": b, "reden": r} for b, r in sorted(report.mislukt.items())],
    }


def signaal(r: Signaal) -> dict:
    return {
        "id": r.publiek_id, "bsn": r.bsn, "soort": r.soort,
        "verantwoordelijkeGemeente": r.verantwoordelijke_gemeente, "vanaf": iso(r.vanaf),
        "status": r.status, "reden": r.reden, "vingerafdruk": r.vingerafdruk,
        "peildatum": iso(r.peildatum), "afhandeling": r.afhandeling,
        "afhandelingToelichting": r.afhandeling_toelichting,
        "afgehandeldOp": iso(r.afgehandeld_op),
        "overdrachtId": r.overdracht.publiek_id if r.overdracht is not None else None,
    }


def signaal_detail(r: Signaal) -> dict:
    return {**signaal(r), "beslissing": decision_of(r), "aanlevering": transfer_rows(r)}

