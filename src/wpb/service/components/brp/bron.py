"""The per-tenant store as a BRP source of the woonplaatscheck, and filling it in bulk.

:class:`OpslagBron` answers :class:`wpb.brp.bronnen.BrpBron` from documents already read
from the caller's store, so a check never sees another organisation's data.
:func:`fetch_into_store` fetches a list of youths through the Haal Centraal client
(:class:`wpb.brp.bulk.HaalCentraalBron`), outside any database transaction, and keeps what
came back in the caller's store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from wpb.brp.bronnen import BrpGegevens, Herkomst, Ophaling, Voortgang, read_document
from wpb.brp.bulk import HaalCentraalBron
from wpb.errors import InvalidInput
from wpb.law.gemeenten import GemeenteRegister
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.brp_client import bulk_settings
from wpb.service.components.brp.store import Provenance, document_from_gegevens, save_document
from wpb.service.context import Context
from wpb.service.db import transaction


class OpslagBron:
    """Documents of one organisation, read beforehand with :func:`store.documents_for`."""

    naam = "BRP-opslag"

    def __init__(self, documents: dict[str, tuple[dict, Provenance]], register: GemeenteRegister):
        self.documents = documents
        self.register = register

    def fetch(self, bsns: Iterable[str], peildatum: date, *,
                voortgang: Voortgang | None = None) -> Ophaling:
        wanted = list(dict.fromkeys(bsns))
        result = Ophaling()
        for i, bsn in enumerate(wanted, 1):
            found = self.documents.get(bsn)
            if found is None:
                result.mislukt[bsn] = "geen BRP-gegevens opgehaald of gekoppeld"
            else:
                doc, prov = found
                herkomst = Herkomst(prov.bron_detail or prov.bron, prov.opgehaald_op, prov.sha256)
                try:
                    jeugdige, moeder = read_document(doc, self.register, "BRP-opslag")
                except InvalidInput as exc:
                    result.mislukt[bsn] = "; ".join(str(e) for e in exc.errors[:3])
                else:
                    result.gegevens[bsn] = BrpGegevens(bsn, jeugdige, moeder, (herkomst,))
            if voortgang:
                voortgang(i, len(wanted))
        return result

    def met_moeder(self, gegevens: Iterable[BrpGegevens], *,
                   voortgang: Voortgang | None = None) -> Ophaling:
        # The mother, when fetched, is in the stored document already.
        return Ophaling({g.bsn: g for g in gegevens})


@dataclass
class Ophaalverslag:
    """What a bulk fetch did: how many were kept, and per youth what failed (no BSN in it)."""

    gevraagd: int
    opgeslagen: int = 0
    mislukt: dict[str, str] = field(default_factory=dict)
    zonder_moeder: int = 0  # youths kept without the mother's registration


def haal_centraal_source(ctx: Context) -> HaalCentraalBron:
    """The bulk client on the configured endpoint (``WPB_BRP_BASE_URL``), or the in-process
    transport a test or the demo gives (``Context.brp_async_transport``)."""
    base_url, historie_url = bulk_settings(ctx.settings)
    return HaalCentraalBron(
        base_url, ctx.register, api_key=ctx.settings.brp_api_key,
        timeout=ctx.settings.brp_timeout, transport=ctx.brp_async_transport,
        historie_url=historie_url, wachttijd=0.2,
    )


def fetch_into_store(
    factory: sessionmaker[Session], principal: Principal, ctx: Context, bsns: Iterable[str],
    peildatum: date, *, voortgang: Voortgang | None = None,
) -> Ophaalverslag:
    """Fetch ``bsns`` (with the mother's registration where the BRP names her) and keep each
    answer in the caller's store. The lookup is audited before it is made."""
    wanted = list(dict.fromkeys(bsns))
    bron = haal_centraal_source(ctx)
    with transaction(factory) as session:
        audit.record(session, principal, "brp.opvragen", details={
            "aantal": len(wanted), "peildatum": peildatum.isoformat(), "bron": bron.base_url,
        }, now=ctx.now())
    fetched = bron.fetch(wanted, peildatum, voortgang=voortgang)
    with_mother = bron.met_moeder(fetched.gegevens.values())
    report = Ophaalverslag(len(wanted), mislukt=dict(fetched.mislukt))
    with transaction(factory) as session:
        for bsn, g in with_mother.gegevens.items():
            if g.moeder is None:
                report.zonder_moeder += 1
            try:
                save_document(session, principal, ctx.register, bsn, document_from_gegevens(g),
                              bron="haal-centraal", bron_detail=bron.naam, herkomst=g.herkomst,
                              now=ctx.now())
            except InvalidInput as exc:
                report.mislukt[bsn] = "antwoord onbruikbaar: " + str(exc.errors[0])
            else:
                report.opgeslagen += 1
    return report
