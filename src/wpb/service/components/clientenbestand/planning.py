"""The woonplaatscheck of every gemeente, for a scheduler (cron, a systemd timer).

``wpb db woonplaatscheck`` calls :func:`run_every_gemeente`: for each gemeente with a
caseload, optionally fetch its clients' BRP data again (into that gemeente's own store),
then run the check on the peildatum. The scheduler acts for each gemeente in turn, as that
gemeente (its own caseload, its own BRP documents, its own signalen); the audit log names
it as ``planner`` of that organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wpb.service.auth.principal import Principal, Soort
from wpb.service.components.beheer.models import Organisatie
from wpb.service.components.brp.bron import Ophaalverslag, fetch_into_store
from wpb.service.components.clientenbestand import signalen, views
from wpb.service.components.clientenbestand.models import ClientToewijzing
from wpb.service.context import Context
from wpb.service.db import transaction

PLANNER = "planner"


def planner_for(org: Organisatie) -> Principal:
    """The scheduler acting for one gemeente (no user: ``gebruiker_id`` is None)."""
    return Principal(gebruiker_id=None, gebruikersnaam=PLANNER,  # type: ignore[arg-type]
                     naam="woonplaatscheck (gepland)", organisatie_id=org.id,
                     soort=Soort.GEMEENTE, code=org.code, organisatie_naam=org.naam)


@dataclass(frozen=True)
class Uitvoering:
    gemeente: str
    ophaling: Ophaalverslag | None
    run: signalen.Run


def run_every_gemeente(factory: sessionmaker[Session], ctx: Context, peildatum: date | None = None,
                       *, brp_ophalen: bool = False) -> list[Uitvoering]:
    peildatum = peildatum or ctx.today()
    with transaction(factory) as session:
        with_caseload = select(ClientToewijzing.eigenaar_id).distinct()
        orgs = session.scalars(select(Organisatie).where(
            Organisatie.soort == Soort.GEMEENTE.value, Organisatie.id.in_(with_caseload))
            .order_by(Organisatie.code)).all()
        planners = [planner_for(o) for o in orgs]
    done = []
    for who in planners:
        report = None
        if brp_ophalen:
            with transaction(factory) as session:
                bsns = views.running_clients(session, who, peildatum)
            report = fetch_into_store(factory, who, ctx, bsns, peildatum)
        with transaction(factory) as session:
            run = signalen.run_check(session, who, ctx, peildatum)
        done.append(Uitvoering(who.code, report, run))
    return done
