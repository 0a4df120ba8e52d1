"""The proposed woonplaats answer on a JW315 (OP359), from the BRP data the service has for
the youth or fetched from the Haal Centraal BRP API outside any transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from wpb.brp.haal_centraal import parse_case
from wpb.errors import InvalidInput
from wpb.ijw import models as m
from wpb.ijw.toewijzingen import HuidigeToewijzing
from wpb.ijw.woonplaats_antwoord import (
    AntwoordSoort,
    ClientGegevens,
    Nummering,
    contact_uit_brp,
    met_huidige_toewijzingen,
    propose_woonplaats_antwoord,
)
from wpb.ijw.xml_read import read_bericht
from wpb.law import termijnen as termijn_regels
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.brp_client import query_until
from wpb.service.clock import AMSTERDAM, utc_naive
from wpb.service.components.berichten import ports
from wpb.service.components.berichten.access import (
    BEANTWOORD,
    IN_ONDERZOEK,
    VOORSTEL,
    get_visible,
    require_gemeente,
)
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.berichten.views import bericht_view
from wpb.service.components.brp.store import gemeente_document_for as brp_document_for_gemeente
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.errors import (
    Conflict,
    InvalidRequest,
    NotConfigured,
    UpstreamError,
)

# --- the proposal ----------------------------------------------------------------------------

# The source of a proposal's BRP data when it came from the gemeente's own BRP store.
BRP_OPSLAG = "brp-opslag:"


def peildatum_of(verzoek: m.JW315) -> date:
    """The BRP history must reach the latest ToewijzingIngangsdatum the decisions look at."""
    return max(p.toewijzing_ingangsdatum for p in verzoek.client.aangevraagde_producten)


def brp_van_gemeente(session: Session, gemeente: str, bsn: str, peildatum: date) -> tuple[dict, str] | None:
    """The BRP data ``gemeente`` itself holds for this youth, as a case document (S1).

    BRP data is used only within the tenant that fetched or attached it: this is the
    gemeente's own row in the per-tenant BRP store (:mod:`wpb.service.components.brp`),
    filled by its own fetches, uploads and documents attached to its transfers. A document
    another gemeente fetched, attached or made up is another tenant's row and never steers,
    nor leaks into, this gemeente's proposal. The source names the store and how the
    document got there, never a transfer (its id is no business of the provider's).
    """
    found = brp_document_for_gemeente(session, gemeente, bsn, doel="jw315-voorstel")
    if found is None:
        return None
    document, provenance = found
    return {"peildatum": peildatum.isoformat(), **document}, f"{BRP_OPSLAG}{provenance.bron}"


def _geboorte(g: m.Geboortedatum) -> dict:
    """A JW315 Geboortedatum as a Haal Centraal date (DatumGebruik says what is unknown)."""
    d = g.datum
    if g.datum_gebruik == "1":
        return {"type": "JaarMaandDatum", "jaar": d.year, "maand": d.month}
    if g.datum_gebruik == "2":
        return {"type": "JaarDatum", "jaar": d.year}
    if g.datum_gebruik == "3":
        return {"type": "DatumOnbekend"}
    return {"type": "Datum", "datum": d.isoformat()}


def _geboorte_vroegst(g: m.Geboortedatum) -> date:
    """The earliest day the birth date may be: the BRP history is asked from then on."""
    if g.datum_gebruik == "1":
        return g.datum.replace(day=1)
    if g.datum_gebruik == "2":
        return g.datum.replace(month=1, day=1)
    if g.datum_gebruik == "3":
        return date(1900, 1, 1)
    return g.datum


def case_uit_historie(historie: dict, verzoek: m.JW315) -> dict:
    """A case document from a BRP historie answer, completed with the VOT's youth."""
    if "jeugdige" in historie:
        return dict(historie)
    records = historie.get("verblijfplaatsen", historie.get("verblijfplaatshistorie", []))
    return {
        "peildatum": peildatum_of(verzoek).isoformat(),
        "jeugdige": {
            "burgerservicenummer": verzoek.client.bsn,
            "geboorte": {"datum": _geboorte(verzoek.client.geboortedatum)},
            "verblijfplaatshistorie": records,
        },
    }


def local_now(ctx: Context) -> datetime:
    """Toewijzingsdatum/-tijd and dagtekening are Dutch local time."""
    moment = ctx.now()
    if moment.tzinfo is not None:
        moment = moment.astimezone(AMSTERDAM).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def huidige_toewijzingen(session: Session, gemeente: str, bsn: str) -> tuple[HuidigeToewijzing, ...]:
    """The client's toewijzingen in ``gemeente``'s register of current toewijzingen (its
    caseload), for IV094/OP087: a JW301 answering a verzoek holds all of them at that
    provider. Read through the port the service's assembly wires to the clientenbestand
    component (:mod:`.ports`): the caseload of the addressed gemeente itself, never another
    tenant's."""
    return tuple(ports.PORTS.toewijzingen(session, gemeente, bsn))


def make_voorstel(
    verzoek: m.JW315, doc: dict | None, ctx: Context, ontvangen_op: date, *,
    identificatie: Callable[[], str], toewijzingnummer: Callable[[], int],
    toewijzingen: tuple[HuidigeToewijzing, ...] = (),
):
    """The proposal and the problem with the BRP data (None when it was usable);
    ``toewijzingen``: the client's current toewijzingen the JW301 must also hold."""
    case = None
    probleem = None
    gegevens = ClientGegevens()
    if doc is not None:
        try:
            case = parse_case(doc, ctx.register, peildatum=peildatum_of(verzoek), bron="BRP-gegevens")
            if case.jeugdige.burgerservicenummer not in (None, verzoek.client.bsn):
                case, probleem = None, "de BRP-gegevens gaan over een andere jeugdige"
        except InvalidInput as exc:
            case = None
            probleem = "; ".join(f"{e.pad}: {e.probleem}" for e in exc.errors)
        contact = contact_uit_brp(doc) if case is not None else None
        if contact is not None:
            gegevens = ClientGegevens(contactgegevens=(contact,))
    voorstel = propose_woonplaats_antwoord(
        verzoek, case, ctx.register, ontvangen_op=ontvangen_op, nu=local_now(ctx),
        identificatie=identificatie, toewijzingnummer=toewijzingnummer, client_gegevens=gegevens,
    )
    voorstel = met_huidige_toewijzingen(voorstel, toewijzingen, peildatum=local_now(ctx).date())
    return voorstel, probleem


def propose_antwoord(
    session: Session, row: IjwBericht, verzoek: m.JW315, ctx: Context,
    doc: dict | None, bron: str | None, *, brp_probleem: str | None = None,
) -> None:
    """Compute and keep the proposal for the JW315 in ``row``."""
    concept = Nummering(prefix="CONCEPT")
    voorstel, probleem = make_voorstel(
        verzoek, doc, ctx, row.ontvangstdatum or ctx.today(),
        identificatie=concept.identificatie, toewijzingnummer=concept.toewijzingnummer,
        toewijzingen=huidige_toewijzingen(session, row.gemeente or "", verzoek.client.bsn),
    )
    earlier = json.loads(row.voorstel) if row.voorstel else {}
    data = voorstel.to_json()
    # Numbers are handed out when the answer is sent; a concept number would mislead.
    for p in data["producten"]:
        p["toewijzingNummer"] = None
    for b in data["berichten"]:
        b["identificatie"] = None
    data["brp"] = {
        "bron": bron,
        "probleem": brp_probleem or (f"BRP-gegevens niet bruikbaar: {probleem}" if probleem else None),
    }
    data["verzonden"] = earlier.get("verzonden", {})
    row.voorstel = json.dumps(data, ensure_ascii=False)
    row.voorstel_op = utc_naive(ctx.now())
    row.brp_document = json.dumps(doc, ensure_ascii=False) if doc is not None else None
    row.brp_bron = bron
    open_products = [p for p in voorstel.producten if p.referentie_aanbieder not in data["verzonden"]
                     or data["verzonden"][p.referentie_aanbieder] == AntwoordSoort.IN_ONDERZOEK.value]
    if row.status == IN_ONDERZOEK:
        # "In onderzoek" was sent: the final answer is due 8 weeks after the dagtekening.
        row.uiterlijk = termijn_regels.na_onderzoek(verzoek.header.dagtekening).uiterlijk
    else:
        row.uiterlijk = min((p.uiterlijk for p in open_products or voorstel.producten),
                            default=None)
        row.status = VOORSTEL
    session.flush()


def voorstel_met_brp_api(factory: sessionmaker[Session], ctx: Context, bericht_id: int) -> None:
    """Fetch the youth's history from the BRP API (no transaction open) and propose."""
    with transaction(factory) as session:
        row = session.get(IjwBericht, bericht_id)
        assert row is not None and row.xml is not None
        verzoek = verzoek_of(row)
        query = query_until(verzoek.client.bsn, _geboorte_vroegst(verzoek.client.geboortedatum),
                            peildatum_of(verzoek))
        # The service asks on behalf of the addressed gemeente, not of the submitting provider.
        audit.record(
            session, None, "brp.opvragen", bsn=verzoek.client.bsn,
            details={"bericht": row.publiek_id, "voor": f"gemeente:{row.gemeente}",
                     "datumVan": query.datum_van.isoformat(), "datumTot": query.datum_tot.isoformat()},
            now=ctx.now(),
        )
    doc = None
    probleem = None
    try:
        doc = case_uit_historie(ctx.brp_client().verblijfplaatshistorie(query), verzoek)
    except (UpstreamError, NotConfigured) as exc:
        probleem = f"BRP-bevraging mislukt: {exc.detail}"
    with transaction(factory) as session:
        row = session.get(IjwBericht, bericht_id)
        assert row is not None
        propose_antwoord(session, row, verzoek_of(row), ctx, doc, "haal-centraal" if doc else None,
                   brp_probleem=probleem)


def verzoek_of(row: IjwBericht) -> m.JW315:
    assert row.xml is not None
    bericht = read_bericht(row.xml.encode("utf-8"), bron=f"bericht {row.id}")
    assert isinstance(bericht, m.JW315)
    return bericht


def recompute_voorstel(
    factory: sessionmaker[Session], principal: Principal, ctx: Context, bericht_id: int | str,
    *, brp_gegevens: dict | None = None,
) -> dict:
    """Propose the answer anew: with a BRP document given here, else with the BRP data the
    service has now (a transfer's document, else the BRP API). Only the addressed gemeente,
    and only while the answer is not definitively sent."""
    with transaction(factory) as session:
        row = get_visible(session, principal, bericht_id)
        require_gemeente(principal, row)
        if row.berichttype != m.BerichtType.JW315.value:
            raise Conflict("Alleen op een verzoek om toewijzing (JW315) stelt wpb een antwoord voor.")
        if row.status == BEANTWOORD:
            raise Conflict("Dit verzoek is al beantwoord.", extra={"huidigeStatus": row.status})
        verzoek = verzoek_of(row)
        if brp_gegevens is not None:
            doc = _check_brp_document(brp_gegevens, verzoek, ctx)
            propose_antwoord(session, row, verzoek, ctx, doc, "upload")
            fetch = False
        else:
            assert row.gemeente is not None
            found = brp_van_gemeente(session, row.gemeente, verzoek.client.bsn,
                                     peildatum_of(verzoek))
            fetch = found is None and ctx.settings.brp_configured
            if not fetch:
                propose_antwoord(session, row, verzoek, ctx, *(found or (None, None)))
        audit.record(session, principal, "bericht.voorstel", bsn=row.bsn,
                     details={"bericht": row.publiek_id}, now=ctx.now())
        internal = row.id
    if fetch:
        voorstel_met_brp_api(factory, ctx, internal)
    with transaction(factory) as session:
        row = get_visible(session, principal, bericht_id)
        return bericht_view(session, row, principal, ctx, detail=True)


def _check_brp_document(doc: Any, verzoek: m.JW315, ctx: Context) -> dict:
    if not isinstance(doc, dict) or not (
        "jeugdige" in doc or "verblijfplaatsen" in doc or "verblijfplaatshistorie" in doc
    ):
        raise InvalidRequest(
            "Het BRP-document is onbruikbaar.",
            [("brpGegevens", "verwacht een casus met 'jeugdige' of een antwoord van de BRP "
                             "historie API met 'verblijfplaatsen'")],
        )
    case_doc = case_uit_historie(doc, verzoek)
    try:
        case = parse_case(case_doc, ctx.register, peildatum=peildatum_of(verzoek), bron="brpGegevens")
    except InvalidInput as exc:
        raise InvalidRequest(
            "Het BRP-document is onbruikbaar.", [(e.pad, e.probleem) for e in exc.errors]
        ) from None
    if case.jeugdige.burgerservicenummer not in (None, verzoek.client.bsn):
        raise InvalidRequest(
            "Het BRP-document past niet bij dit verzoek.",
            [("brpGegevens.jeugdige.burgerservicenummer", "hoort bij een andere jeugdige")],
        )
    return case_doc
