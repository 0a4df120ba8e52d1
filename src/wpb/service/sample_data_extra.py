"""Sample iJw messages and settlement data on top of :mod:`wpb.service.sample_data`.

:func:`seed` runs right after ``sample_data.seed`` in the same transaction, so the demo
(``make run``) shows something on the Berichten and Verrekening pages. Everything goes
through the service's own functions (receiving a message, approving an answer, importing
invoices, recomputing claims, registering a dispute), so the proposals, deadlines, claims
and audit entries are exactly what a real user would get.

Berichten, dated relative to today so the deadlines always mean something:

- youth 1 lives in Utrecht (a transfer Amersfoort → Utrecht holds the BRP data with an
  address): Jeugdzorg De Voorbeeldhoeve first asked Amersfoort (14 days ago), which sent a
  JW319 rejection with reden 8 naming Utrecht; today it asks Utrecht, where wpb proposes a
  JW301 toewijzing. The provider also asks Utrecht for a change (JW317, yesterday).
- youth 2 lives in Zeist: Pleegzorg Proefland asked Utrecht two weeks ago; wpb proposes a
  rejection with reden 8 naming Zeist. The 5-werkdagen deadline (OP274) has passed, whatever
  the feestdagen (two weeks hold at least 7 werkdagen), and today is the last day of OP359.
- youth 3 has no BRP data in the service: the proposal is "in onderzoek".

Verrekening: paid invoices for four youths of the 2021 sample cohort, paid in 2022 by the
latende gemeente while the ontvangende was responsible under the 1-november-maatregel, and
one paid in 2021 while the payer was still responsible. With ``WPB_PSEUDONIEM_SLEUTEL``
set, the claims are computed and Amersfoort disputes one of them (a geschil at the
regioadviseur); without the key only the invoices are stored, and the claims appear when
someone presses "Claims herberekenen" once the key is set.

The youths of the messages get test BSNs from their own range (99997xxxx), apart from the
sample transfers (99999xxxx) and the browser tests' uploads (99998xxxx).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.ijw import models as m
from wpb.ijw.xml_write import write_bericht
from wpb.law.gemeenten import GemeenteRegister
from wpb.refdata import gemeente_register
from wpb.service.auth.principal import Principal, principal_of
from wpb.service.clock import Clock, system_clock
from wpb.service.components.beheer.models import Gebruiker
from wpb.service.components.berichten import antwoord, instemming, voorstel
from wpb.service.components.berichten import receive as ontvangst
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.brp import store as brp_store
from wpb.service.components.overdrachten.models import Gebeurtenis, Overdracht, OverdrachtRegel
from wpb.service.components.verrekening import claims as claim_rules
from wpb.service.components.verrekening import facturen, geschillen
from wpb.service.context import Context
from wpb.service.sample_data import synthetic_bsns
from wpb.service.settings import Settings

UTRECHT, AMERSFOORT, ZEIST, ROTTERDAM = "0344", "0307", "0355", "0599"
VOORBEELDHOEVE, PROEFLAND, TESTDORP = "99000011", "99000022", "99000033"
BSN_RANGE_START = 999970000
IDENTIFICATIE_PREFIX = "DEMO"  # + 8 digits: 12 characters, LDT_IdentificatieBericht

PRODUCT = m.Product(categorie="45", code="45A03")
OMVANG = m.Omvang(volume=4, eenheid="04", frequentie="2")  # 4 uur per week

# Paid invoices (CSV columns of wpb.verrekening.factuur_reader): the sample transfer they belong
# to (latende, ontvangende, aanleverdatum), the reference, the period and the amount.
_INVOICES = (
    ((UTRECHT, AMERSFOORT, date(2021, 10, 4)), "DEMO-F-001", "2022-01-01", "2022-03-31", 900000),
    ((UTRECHT, AMERSFOORT, date(2021, 10, 4)), "DEMO-F-002", "2021-10-01", "2021-12-31", 880000),
    ((AMERSFOORT, UTRECHT, date(2021, 9, 20)), "DEMO-F-003", "2022-01-01", "2022-03-31", 750000),
    ((ZEIST, UTRECHT, date(2021, 10, 29)), "DEMO-F-004", "2022-01-01", "2022-02-28", 450000),
    ((UTRECHT, ROTTERDAM, date(2021, 10, 31)), "DEMO-F-005", "2022-01-01", "2022-03-31", 1200000),
)
_INVOICE_HEADER = ("factuurreferentie", "bsn", "betalende_gemeente", "aanbieder_agb", "product",
                   "begindatum", "einddatum", "bedrag_eurocent", "betaaldatum")


@dataclass(frozen=True)
class Resultaat:
    """What :func:`seed` made, for the start-up message and the tests."""

    berichten: int
    facturen: int
    claims: int
    geschillen: int


def is_seeded(session: Session) -> bool:
    """True when the demo messages are already there (the seed is not run twice)."""
    return session.scalar(
        select(IjwBericht.id).where(IjwBericht.identificatie.like(f"{IDENTIFICATIE_PREFIX}%"))
        .limit(1)
    ) is not None


def seed(session: Session, settings: Settings, *, clock: Clock = system_clock) -> Resultaat:
    """Add the demo messages and settlement data; needs the organisations and users of
    :func:`wpb.service.sample_data.seed` in the same database."""
    users = _principals(session)
    # The seed never asks a BRP API, whatever the settings say: the BRP data are in the
    # transfers it makes here.
    settings = settings.with_(brp_base_url="")
    register = gemeente_register()
    now = clock()

    def ctx_at(days_ago: int) -> Context:
        moment = now - timedelta(days=days_ago)
        return Context(settings=settings, register=register, clock=lambda: moment)

    today = ctx_at(0).today()
    bsn = synthetic_bsns(BSN_RANGE_START)
    youth1, youth2, youth3 = next(bsn), next(bsn), next(bsn)
    born = {youth1: date(2013, 5, 14), youth2: date(2011, 9, 2), youth3: date(2015, 1, 23)}

    # Each gemeente proposes with its own BRP data only (S1): the latende gemeente attached
    # the document to its transfer; Utrecht uploads its own for youth 1's request below.
    youth1_brp = _transfer(session, users["amersfoort"], register, youth1, AMERSFOORT, UTRECHT, today - timedelta(days=30),
              geboren=born[youth1], verhuisd=today - timedelta(days=60),
              adres=("Oudegracht", 101, "3511AB", "Utrecht"))
    _transfer(session, users["utrecht"], register, youth2, UTRECHT, ZEIST, today - timedelta(days=40),
              geboren=born[youth2], verhuisd=today - timedelta(days=90),
              adres=("Slotlaan", 12, "3701GK", "Zeist"))

    numbers = iter(range(1, 10_000))

    def receive(principal: Principal, bericht: m.Bericht, days_ago: int) -> int:
        received = ontvangst._ontvang(session, principal, ctx_at(days_ago), write_bericht(bericht))
        return received.bericht_id

    def ident() -> str:
        return f"{IDENTIFICATIE_PREFIX}{next(numbers):08d}"

    # Youth 1: first asked at Amersfoort, which rejected with reden 8 (Utrecht) ...
    at_amersfoort = receive(users["voorbeeldhoeve"], _jw315(
        VOORBEELDHOEVE, AMERSFOORT, youth1, ident(), today - timedelta(days=14), "VH-2026-017",
        naam=("Jansen", "Noor", "N"), geboren=born[youth1]), days_ago=14)
    # Reden 8 waits for the named gemeente (issue 18 item 12): Amersfoort asks, Utrecht agrees.
    (asked,) = instemming.ask_instemming(session, users["amersfoort"], ctx_at(13), at_amersfoort)
    instemming.decide_instemming(session, users["utrecht"], ctx_at(13), asked["id"],
                                 besluit="akkoord")
    antwoord.approve_antwoord(session, users["amersfoort"], ctx_at(13), at_amersfoort)
    # ... then at Utrecht, where the proposal is a toewijzing, and a change request.
    at_utrecht = receive(users["voorbeeldhoeve"], _jw315(
        VOORBEELDHOEVE, UTRECHT, youth1, ident(), today, "VH-2026-018",
        naam=("Jansen", "Noor", "N"), geboren=born[youth1]), days_ago=0)
    row = session.get(IjwBericht, at_utrecht)
    assert row is not None
    voorstel.propose_antwoord(session, row, voorstel.verzoek_of(row), ctx_at(0),
                              voorstel.case_uit_historie(youth1_brp, voorstel.verzoek_of(row)),
                              "upload")
    receive(users["voorbeeldhoeve"], _jw317(VOORBEELDHOEVE, UTRECHT, youth1, ident(),
                                            today - timedelta(days=1)), days_ago=1)
    # Youth 2 lives in Zeist: a rejection with reden 8, the OP274 deadline passed.
    receive(users["proefland"], _jw315(
        PROEFLAND, UTRECHT, youth2, ident(), today - timedelta(days=14), "PP-2026-044",
        naam=("Bakker", "Sem", "S"), geboren=born[youth2]), days_ago=14)
    # Youth 3: no BRP data in the service, the answer waits for a person.
    receive(users["testdorp"], _jw315(
        TESTDORP, UTRECHT, youth3, ident(), today - timedelta(days=2), "AT-2026-101",
        naam=("Visser", "Lotte", "L"), geboren=born[youth3]), days_ago=2)
    messages = session.scalars(
        select(IjwBericht.id).where(IjwBericht.bsn.in_([youth1, youth2, youth3]))
    ).all()

    # Settlement: invoices always; claims and a dispute when the key is set.
    coordinator = users["coordinator"]
    ctx = ctx_at(0)
    stored = facturen.import_facturen(
        session, coordinator, ctx, _invoice_csv(session), "voorbeeld-declaraties.csv"
    )
    claims = 0
    disputes = 0
    if settings.pseudoniem_sleutel:
        result = claim_rules.recompute_claims(session, coordinator, ctx)
        claims = len(result["nieuw"]) + len(result["correcties"])
        disputed = next(
            (c for c in result["nieuw"]
             if c["schuldenaar"]["code"] == AMERSFOORT and c["schuldeiser"]["code"] == UTRECHT),
            None,
        )
        if disputed is not None:
            geschillen.register_geschil(
                session, users["amersfoort"], ctx, onderwerp="claim", claim_id=disputed["id"],
                omschrijving="Amersfoort betwist de claim: volgens ons is de toewijzing pas "
                             "per 1 februari 2022 overgegaan.",
            )
            disputes = 1
    return Resultaat(len(messages), stored["aantal"], claims, disputes)


def _principals(session: Session) -> dict[str, Principal]:
    names = ("utrecht", "amersfoort", "voorbeeldhoeve", "proefland", "testdorp", "coordinator")
    users = {
        u.gebruikersnaam: principal_of(u)
        for u in session.scalars(select(Gebruiker).where(Gebruiker.gebruikersnaam.in_(names)))
    }
    missing = sorted(set(names) - set(users))
    if missing:
        raise ValueError(
            "de extra voorbeelddata vraagt eerst de gewone voorbeelddata; ontbrekende "
            f"demo-gebruikers: {', '.join(missing)}"
        )
    return users


def _transfer(session: Session, attacher: Principal, register: GemeenteRegister, bsn: str,
              latende: str, ontvangende: str, aanleverdatum: date,
              *, geboren: date, verhuisd: date, adres: tuple[str, int, str, str]) -> dict:
    """A delivered transfer whose BRP document (with an address) says where the youth lives,
    attached by the latende gemeente (``attacher``), and so also in its own BRP store; the
    document is returned."""
    straat, huisnummer, postcode, woonplaats = adres

    def datum(d: date) -> dict:
        return {"type": "Datum", "datum": d.isoformat(), "langFormaat": d.isoformat()}

    document = {"verblijfplaatsen": [
        {"type": "Adres", "datumVan": datum(verhuisd),
         "gemeenteVanInschrijving": {"code": ontvangende},
         "verblijfadres": {"korteStraatnaam": straat, "huisnummer": huisnummer,
                           "postcode": postcode, "woonplaats": woonplaats}},
        {"type": "Adres", "datumVan": datum(geboren), "datumTot": datum(verhuisd),
         "gemeenteVanInschrijving": {"code": latende}},
    ]}
    stamp = datetime.combine(aanleverdatum, time(10, 0))
    o = Overdracht(
        latende_gemeente=latende, ontvangende_gemeente=ontvangende, bsn=bsn,
        geboortedatum=geboren, status="aangeleverd", versie=1, aanleverdatum=aanleverdatum,
        aangemaakt_op=stamp, gewijzigd_op=stamp,
        brp_document=json.dumps(document, sort_keys=True), brp_bron="upload",
        brp_ontvangen_op=stamp + timedelta(hours=1),
    )
    o.regels.append(OverdrachtRegel(
        aanbieder_agb=VOORBEELDHOEVE, product="Ambulante jeugdhulp",
        toewijzing_einddatum=date(aanleverdatum.year + 1, 6, 30), pgb=False,
        aanleverdatum=aanleverdatum,
    ))
    o.gebeurtenissen.append(Gebeurtenis(
        tijdstip=stamp, datum=aanleverdatum, soort="aangeleverd", van_status=None,
        naar_status="aangeleverd", organisatie=f"gemeente:{latende}",
        toelichting="aangeleverd (voorbeelddata)",
    ))
    o.gebeurtenissen.append(Gebeurtenis(
        tijdstip=stamp + timedelta(hours=1), datum=aanleverdatum, soort="brp",
        organisatie=f"gemeente:{latende}", toelichting="BRP-gegevens gekoppeld (upload)",
    ))
    session.add(o)
    session.flush()
    brp_store.save_document(session, attacher, register, bsn, {"jeugdige": {
        "burgerservicenummer": bsn, "geboorte": {"datum": datum(geboren)},
        "verblijfplaatshistorie": document["verblijfplaatsen"]}},
        bron="upload", bron_detail="overdracht", now=stamp + timedelta(hours=1))
    return document


def _aangevraagd(referentie: str, ingang: date) -> m.AangevraagdProduct:
    return m.AangevraagdProduct(
        referentie_aanbieder=referentie, product=PRODUCT, toewijzing_ingangsdatum=ingang,
        toewijzing_einddatum=date(ingang.year + 1, 6, 30), omvang=OMVANG,
        verwijzer=m.Verwijzer(type="01", naam="huisarts"),
    )


def _jw315(aanbieder: str, gemeente: str, bsn: str, identificatie: str, dagtekening: date,
           referentie: str, *, naam: tuple[str, str, str], geboren: date) -> m.JW315:
    achternaam, voornaam, voorletters = naam
    return m.JW315(
        header=m.Header.nieuw(m.BerichtType.JW315, afzender=aanbieder, ontvanger=gemeente,
                              identificatie=identificatie, dagtekening=dagtekening),
        client=m.ClientVerzoek(
            bsn=bsn,
            geboortedatum=m.Geboortedatum(datum=geboren),
            geslacht="2",
            naam=m.VerkorteNaam(geslachtsnaam=m.Achternaam(achternaam=achternaam),
                                voornamen=voornaam, voorletters=voorletters),
            gezagsdrager_bekend="1",
            aangevraagde_producten=(_aangevraagd(referentie, dagtekening),),
        ),
    )


def _jw317(aanbieder: str, gemeente: str, bsn: str, identificatie: str,
           dagtekening: date) -> m.JW317:
    return m.JW317(
        header=m.Header.nieuw(m.BerichtType.JW317, afzender=aanbieder, ontvanger=gemeente,
                              identificatie=identificatie, dagtekening=dagtekening),
        client=m.ClientWijziging(
            bsn=bsn,
            verzoek=m.Verzoek(
                referentie_aanbieder="VH-2026-019", reden_verzoek="1",
                ongewijzigde_producten=(m.OngewijzigdProduct(toewijzing_nummer=1001),),
                nieuwe_producten=(m.NieuwProduct(
                    product=m.Product(categorie="45", code="45A04"),
                    gewenste_ingangsdatum=dagtekening + timedelta(days=14),
                    einddatum=date(dagtekening.year + 1, 6, 30),
                    omvang=m.Omvang(volume=2, eenheid="04", frequentie="4"),
                ),),
            ),
        ),
    )


def _invoice_csv(session: Session) -> bytes:
    """The demo invoices as a CSV file, with the BSNs of the sample transfers they are about."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(_INVOICE_HEADER)
    for transfer, referentie, begin, einde, bedrag in _INVOICES:
        writer.writerow([referentie, _bsn_of_transfer(session, *transfer), transfer[0], VOORBEELDHOEVE, "45A48",
                         begin, einde, str(bedrag), _paid_on(einde)])
    return out.getvalue().encode("utf-8")


def _bsn_of_transfer(session: Session, latende: str, ontvangende: str, aanleverdatum: date) -> str:
    bsn = session.scalar(
        select(Overdracht.bsn).where(
            Overdracht.latende_gemeente == latende,
            Overdracht.ontvangende_gemeente == ontvangende,
            Overdracht.aanleverdatum == aanleverdatum,
        ).limit(1)
    )
    if bsn is None:
        raise ValueError(
            f"voorbeeldoverdracht {latende} → {ontvangende} van {aanleverdatum} ontbreekt"
        )
    return bsn


def _paid_on(einde: str) -> str:
    """Invoices are paid about two weeks after the period."""
    return (date.fromisoformat(einde) + timedelta(days=15)).isoformat()


__all__ = ["Resultaat", "is_seeded", "seed"]
