"""The woonplaats answer on a verzoek om toewijzing (VOT, JW315): propose, never send.

When a provider asks a gemeente for a toewijzing, the gemeente first checks that it is
the one the Jeugdwet makes responsible. wpb runs the woonplaats decision
(:func:`wpb.law.engine.decide`) on the BRP data of the youth, for each requested product
on its ToewijzingIngangsdatum, and proposes the answer:

- the receiving gemeente (the VOT's Ontvanger) is responsible: a toewijzing (JW301) with
  the requested products as asked (IV094 lets the gemeente deviate; a person may edit);
- another gemeente is responsible: an antwoordbericht (JW319) rejecting the product with
  RedenAfwijzingVerzoek 8 (woonplaatsbeginsel) and ``Woonplaatsbeginsel/Gemeente`` the
  responsible gemeente (IV095, TR377), within 2 weeks of receipt (OP359);
- the facts do not decide (``review``), or there is no BRP data: an antwoordbericht with
  VerzoekAntwoord 2 (aanvraag in onderzoek), and the case waits for a person.

Every product answer keeps the decision itself, with its explanation, grounds and
receipt, and its deadlines: 5 werkdagen for any answer to a VOT (OP274); 2 weeks (OP359)
while the woonplaats is investigated, which then sets the last day for the JW319 with
reden 8 or the JW301 (iStandaarden FAQ iJw 3.2); 8 weeks after the dagtekening once "in
onderzoek" was sent.

Nothing here sends a message or stores anything: the service does that, after a person
agrees where the proposal says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from wpb.errors import FieldError, InvalidInput
from wpb.ijw import codelists as cl
from wpb.ijw import models as m
from wpb.ijw.rules import reden_andere_gemeente
from wpb.ijw.toewijzingen import ook_in_toewijzing
from wpb.law import termijnen
from wpb.law.decision import Decision, Status
from wpb.law.engine import decide
from wpb.law.facts import Case
from wpb.law.gemeenten import GemeenteRegister, UnknownGemeente
from wpb.law.termijnen import NATIONAAL, Kalender, Termijn

NAAMGEBRUIK_EIGEN_NAAM = "1"  # the JW315's VerkorteNaam is the client's own geslachtsnaam


class AntwoordSoort(str, Enum):
    TOEWIJZING = "toewijzing"  # JW301: the receiving gemeente is responsible
    AFWIJZING_WOONPLAATS = "afwijzing_woonplaatsbeginsel"  # JW319, reden 8
    IN_ONDERZOEK = "in_onderzoek"  # JW319, VerzoekAntwoord 2: a person decides


@dataclass(frozen=True, kw_only=True)
class ClientGegevens:
    """What a toewijzing needs about the client that a VOT does not carry."""

    contactgegevens: tuple[m.Contact, ...] = ()  # at least the BRP or verblijfadres (TR061)
    relaties: tuple[m.Relatie, ...] = ()  # the gezagsdrager (OP002) unless known (OP002x1)
    naamgebruik: str = NAAMGEBRUIK_EIGEN_NAAM
    communicatie: m.Communicatie | None = None
    juridische_status: str | None = None
    wettelijke_vertegenwoordiging: str | None = None


@dataclass(frozen=True)
class ProductAntwoord:
    """The proposed answer for one AangevraagdProduct."""

    referentie_aanbieder: str
    soort: AntwoordSoort
    peildatum: date
    reden: str  # in Dutch, why this answer
    beslissing: Decision | None  # None when there was no BRP data to decide on
    verantwoordelijke_gemeente: str | None
    termijnen: tuple[Termijn, ...]
    toegewezen_product: m.ToegewezenProduct | None = None
    antwoord: m.JW319 | None = None

    @property
    def wait_for_persoon(self) -> bool:
        return self.soort is AntwoordSoort.IN_ONDERZOEK

    @property
    def geldende_termijn(self) -> Termijn:
        """The deadline that sets the last day for this product's answer.

        While the gemeente investigates the woonplaats (a rejection on it, or "in
        onderzoek" because the facts do not decide), OP359's 14 days govern, for a JW319
        with reden 8 and for a JW301 alike (iStandaarden FAQ iJw 3.2); OP274's 5
        werkdagen do not. Otherwise the earliest deadline.
        """
        if self.soort in (AntwoordSoort.AFWIJZING_WOONPLAATS, AntwoordSoort.IN_ONDERZOEK):
            for t in self.termijnen:
                if t.regel == "OP359":
                    return t
        return min(self.termijnen, key=lambda t: t.uiterlijk)

    @property
    def uiterlijk(self) -> date:
        """The last day the answer for this product is in time (see :attr:`geldende_termijn`)."""
        return self.geldende_termijn.uiterlijk

    def to_json(self, vandaag: date | None = None) -> dict:
        return {
            "referentieAanbieder": self.referentie_aanbieder,
            "soort": self.soort.value,
            "peildatum": self.peildatum.isoformat(),
            "reden": self.reden,
            "verantwoordelijkeGemeente": self.verantwoordelijke_gemeente,
            "wachtOpPersoon": self.wait_for_persoon,
            "uiterlijk": self.uiterlijk.isoformat(),
            "uiterlijkVolgens": self.geldende_termijn.regel,
            "termijnen": [t.to_json(vandaag) for t in self.termijnen],
            "toewijzingNummer": (
                self.toegewezen_product.toewijzing_nummer if self.toegewezen_product else None
            ),
            "beslissing": self.beslissing.to_json() if self.beslissing else None,
        }


@dataclass(frozen=True)
class AntwoordVoorstel:
    """The proposed answer to one VOT: a toewijzing for the granted products, an
    antwoordbericht for each other product, and what a person must still supply."""

    verzoek: m.BerichtSleutel
    gemeente: str  # the receiving gemeente (the VOT's Ontvanger)
    aanbieder: str
    ontvangen_op: date
    producten: tuple[ProductAntwoord, ...]
    toewijzing: m.JW301 | None
    ontbrekend: tuple[str, ...] = ()  # without these the toewijzing cannot be made
    aandachtspunten: tuple[str, ...] = ()  # to look at, not blocking

    @property
    def berichten(self) -> list[m.Bericht]:
        out: list[m.Bericht] = [self.toewijzing] if self.toewijzing else []
        out += [p.antwoord for p in self.producten if p.antwoord is not None]
        return out

    @property
    def wait_for_persoon(self) -> bool:
        return bool(self.ontbrekend) or any(p.wait_for_persoon for p in self.producten)

    def to_json(self, vandaag: date | None = None) -> dict:
        return {
            "verzoek": {
                "berichttype": self.verzoek.type.value,
                "afzender": self.verzoek.afzender,
                "identificatie": self.verzoek.identificatie,
            },
            "gemeente": self.gemeente,
            "aanbieder": self.aanbieder,
            "ontvangenOp": self.ontvangen_op.isoformat(),
            "wachtOpPersoon": self.wait_for_persoon,
            "producten": [p.to_json(vandaag) for p in self.producten],
            "ontbrekend": list(self.ontbrekend),
            "aandachtspunten": list(self.aandachtspunten),
            "berichten": [
                {"berichttype": b.type.value, "identificatie": b.header.identificatie}
                for b in self.berichten
            ],
        }


def _same_gemeente(ontvanger: str, responsible: str, on: date,
                   register: GemeenteRegister) -> bool:
    """True when the VOT reached the responsible gemeente, also under a code it replaced."""
    if ontvanger == responsible:
        return True
    try:
        successors = register.successors(ontvanger, on)
    except (UnknownGemeente, ValueError):
        return False
    return successors.codes == (responsible,)


def _check_same_youth(verzoek: m.JW315, case: Case) -> None:
    bsn = case.jeugdige.burgerservicenummer
    if bsn is not None and bsn != verzoek.client.bsn:
        # Never show either number: both are personal data.
        raise InvalidInput(
            [FieldError("jeugdige.burgerservicenummer",
                        "hoort niet bij de Bsn in het verzoek om toewijzing: "
                        "de BRP-gegevens gaan over een andere jeugdige")],
            bron="BRP-gegevens",
        )


def propose_woonplaats_antwoord(
    verzoek: m.JW315,
    case: Case | None,
    register: GemeenteRegister,
    *,
    ontvangen_op: date,
    nu: datetime,
    identificatie: Callable[[], str],
    toewijzingnummer: Callable[[], int],
    client_gegevens: ClientGegevens | None = None,
    kalender: Kalender = NATIONAAL,
) -> AntwoordVoorstel:
    """Propose the answer to ``verzoek`` from the BRP facts in ``case``.

    ``case`` is the youth's case (``wpb.brp.haal_centraal.parse_case``); its peildatum is
    replaced per product by the ToewijzingIngangsdatum, because the toewijzing must be
    right from that day. ``identificatie`` and ``toewijzingnummer`` hand out a fresh
    BerichtIdentificatie and ToewijzingNummer (unique per gemeente, TR056 and OP275);
    ``nu`` is the Toewijzingsdatum/-tijd and the dagtekening of the proposed messages.
    """
    if case is not None:
        _check_same_youth(verzoek, case)
    gemeente = verzoek.header.ontvanger
    aanbieder = verzoek.header.afzender
    decisions: dict[date, Decision] = {}
    producten: list[ProductAntwoord] = []
    toegewezen: list[m.ToegewezenProduct] = []
    toewijzing_gemeente = gemeente

    for aanvraag in verzoek.client.aangevraagde_producten:
        peildatum = aanvraag.toewijzing_ingangsdatum
        beslissing = None
        if case is not None:
            if peildatum not in decisions:
                decisions[peildatum] = decide(dataclasses.replace(case, peildatum=peildatum),
                                              register)
            beslissing = decisions[peildatum]
        answer = _product_antwoord(verzoek, aanvraag, beslissing, register,
                                   ontvangen_op=ontvangen_op, nu=nu,
                                   identificatie=identificatie,
                                   toewijzingnummer=toewijzingnummer, kalender=kalender)
        producten.append(answer)
        if answer.toegewezen_product is not None:
            toegewezen.append(answer.toegewezen_product)
            # After a herindeling the successor sends the toewijzing (IV046).
            toewijzing_gemeente = answer.verantwoordelijke_gemeente or gemeente

    ontbrekend: list[str] = []
    aandachtspunten: list[str] = []
    toewijzing = None
    if toegewezen:
        gegevens = client_gegevens or ClientGegevens()
        if not any(c.soort in ("01", "02", "03") and c.adres is not None
                   for c in gegevens.contactgegevens):
            ontbrekend.append("Client/Contactgegevens: een Contact met Adres en Soort 01 "
                              "(BRP-adres), 02 of 03 is verplicht in een toewijzing (TR061)")
        if verzoek.client.gezagsdrager_bekend != "1" and not gegevens.relaties:
            aandachtspunten.append("Client/Relaties: de gezagsdrager hoort als Relatie in de "
                                   "toewijzing, tenzij de aanbieder hem kent (OP002, OP002x1)")
        if not ontbrekend:
            toewijzing = _toewijzing(verzoek, toewijzing_gemeente, gegevens, tuple(toegewezen),
                                     nu=nu, identificatie=identificatie())
    return AntwoordVoorstel(
        verzoek=m.sleutel(verzoek),
        gemeente=gemeente,
        aanbieder=aanbieder,
        ontvangen_op=ontvangen_op,
        producten=tuple(producten),
        toewijzing=toewijzing,
        ontbrekend=tuple(ontbrekend),
        aandachtspunten=tuple(aandachtspunten),
    )


def _product_antwoord(
    verzoek: m.JW315,
    aanvraag: m.AangevraagdProduct,
    beslissing: Decision | None,
    register: GemeenteRegister,
    *,
    ontvangen_op: date,
    nu: datetime,
    identificatie: Callable[[], str],
    toewijzingnummer: Callable[[], int],
    kalender: Kalender,
) -> ProductAntwoord:
    gemeente = verzoek.header.ontvanger
    peildatum = aanvraag.toewijzing_ingangsdatum
    ref = aanvraag.referentie_aanbieder
    op274 = termijnen.antwoord_vot(ontvangen_op, kalender)

    if beslissing is None or beslissing.status is Status.REVIEW:
        if beslissing is None:
            reden = "Er zijn geen BRP-gegevens van de jeugdige: de woonplaats is niet bepaald."
        else:
            why = beslissing.reden.omschrijving if beslissing.reden else "beoordeling nodig"
            reden = f"De gegevens beslissen niet: {why}."
        return ProductAntwoord(
            referentie_aanbieder=ref,
            soort=AntwoordSoort.IN_ONDERZOEK,
            peildatum=peildatum,
            reden=reden + " Een medewerker beoordeelt het verzoek; intussen gaat het "
            "antwoord 'aanvraag in onderzoek' naar de aanbieder.",
            beslissing=beslissing,
            verantwoordelijke_gemeente=None,
            termijnen=(
                op274,
                termijnen.woonplaats_afwijzing(ontvangen_op, kalender=kalender),
                termijnen.na_onderzoek(verzoek.header.dagtekening, "OP274", kalender),
            ),
            antwoord=_antwoord(verzoek, ref, cl.AANVRAAG_IN_ONDERZOEK, None, None,
                               nu=nu, identificatie=identificatie()),
        )

    responsible = beslissing.gemeente_code
    assert responsible is not None
    naam = beslissing.gemeente[1] if beslissing.gemeente else responsible
    if _same_gemeente(gemeente, responsible, peildatum, register):
        product = m.ToegewezenProduct(
            toewijzing_nummer=toewijzingnummer(),
            referentie_aanbieder=ref,  # TR379: the toewijzing answers this request
            product=aanvraag.product,
            toewijzingsdatum=nu.date(),
            toewijzingstijd=nu.time().replace(microsecond=0, tzinfo=None),
            ingangsdatum=aanvraag.toewijzing_ingangsdatum,
            einddatum=aanvraag.toewijzing_einddatum,
            omvang=aanvraag.omvang,
            budget=aanvraag.budget,
        )
        via = "" if responsible == gemeente else f" (opvolger van {gemeente})"
        return ProductAntwoord(
            referentie_aanbieder=ref,
            soort=AntwoordSoort.TOEWIJZING,
            peildatum=peildatum,
            reden=f"{naam} ({responsible}){via} is op {peildatum.isoformat()} verantwoordelijk "
            "volgens het woonplaatsbeginsel: toewijzen zoals gevraagd.",
            beslissing=beslissing,
            verantwoordelijke_gemeente=responsible,
            termijnen=(op274,),
            toegewezen_product=product,
        )

    reden_code = reden_andere_gemeente(m.BerichtType.JW315)
    return ProductAntwoord(
        referentie_aanbieder=ref,
        soort=AntwoordSoort.AFWIJZING_WOONPLAATS,
        peildatum=peildatum,
        reden=f"Niet {gemeente} maar {naam} ({responsible}) is op {peildatum.isoformat()} "
        "verantwoordelijk volgens het woonplaatsbeginsel: afwijzen met reden 8 en die "
        "gemeente noemen (IV095), binnen twee weken (OP359).",
        beslissing=beslissing,
        verantwoordelijke_gemeente=responsible,
        termijnen=(op274, termijnen.woonplaats_afwijzing(ontvangen_op, kalender=kalender)),
        antwoord=_antwoord(verzoek, ref, cl.VERZOEK_AFGEWEZEN, reden_code, responsible,
                           nu=nu, identificatie=identificatie()),
    )


def _antwoord(verzoek: m.JW315, ref: str, verzoek_antwoord: str, reden: str | None,
              gemeente: str | None, *, nu: datetime, identificatie: str) -> m.JW319:
    return m.JW319(
        header=m.Header.nieuw(
            m.BerichtType.JW319,
            afzender=verzoek.header.ontvanger,
            ontvanger=verzoek.header.afzender,
            identificatie=identificatie,
            dagtekening=nu.date(),
        ),
        antwoord=m.Antwoord(
            referentie_aanbieder=ref,
            verzoek_antwoord=verzoek_antwoord,
            reden_afwijzing_verzoek=reden,
            woonplaatsbeginsel_gemeente=gemeente,
        ),
    )


def _toewijzing(verzoek: m.JW315, gemeente: str, gegevens: ClientGegevens,
                producten: tuple[m.ToegewezenProduct, ...], *, nu: datetime,
                identificatie: str) -> m.JW301:
    client = verzoek.client
    naam = m.VolledigeNaam(
        geslachtsnaam=client.naam.geslachtsnaam,
        voornamen=client.naam.voornamen,
        voorletters=client.naam.voorletters,
        naamgebruik=gegevens.naamgebruik,
    )
    return m.JW301(
        header=m.Header.nieuw(
            m.BerichtType.JW301,
            afzender=gemeente,
            ontvanger=verzoek.header.afzender,
            identificatie=identificatie,
            dagtekening=nu.date(),
        ),
        client=m.ClientToewijzing(
            bsn=client.bsn,
            geboortedatum=client.geboortedatum,
            geslacht=client.geslacht,
            naam=naam,
            communicatie=gegevens.communicatie,
            juridische_status=gegevens.juridische_status,
            wettelijke_vertegenwoordiging=gegevens.wettelijke_vertegenwoordiging,
            relaties=gegevens.relaties,
            contactgegevens=gegevens.contactgegevens,
            toegewezen_producten=producten,
        ),
    )


@dataclass
class Nummering:
    """A simple source of fresh identifications and toewijzingnummers (CLI, tests).

    The service hands out numbers from its database so they stay unique per gemeente.
    """

    prefix: str = "WPB"
    volgende_identificatie: int = 1
    volgend_toewijzingnummer: int = 1
    uitgegeven: list[str] = field(default_factory=list)

    def identificatie(self) -> str:
        value = f"{self.prefix}{self.volgende_identificatie:0{12 - len(self.prefix)}d}"
        self.volgende_identificatie += 1
        self.uitgegeven.append(value)
        return value

    def toewijzingnummer(self) -> int:
        value = self.volgend_toewijzingnummer
        self.volgend_toewijzingnummer += 1
        return value


def contact_uit_brp(doc: object) -> m.Contact | None:
    """The youth's current BRP address from a case document, as a JW301 Contact (Soort 01).

    Reads the Haal Centraal fields of the current ``Adres`` record (no ``datumTot``) of
    ``jeugdige.verblijfplaatshistorie``: ``verblijfadres.korteStraatnaam`` (at most 24
    characters, as LDT_Straatnaam), ``huisnummer``, ``huisletter``,
    ``huisnummertoevoeging``, ``aanduidingBijHuisnummer``, ``postcode`` and ``woonplaats``.
    None when there is no such record with a huisnummer and a postcode (TR006 needs both).
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("jeugdige"), dict):
        return None
    jeugdige = doc["jeugdige"]
    records = jeugdige.get("verblijfplaatshistorie", jeugdige.get("verblijfplaatsen")) or []
    current = [
        r for r in records
        if isinstance(r, dict) and r.get("type") == "Adres" and r.get("datumTot") is None
        and isinstance(r.get("verblijfadres"), dict)
    ]
    if len(current) != 1:
        return None
    adres = current[0]["verblijfadres"]
    huisnummer = adres.get("huisnummer")
    postcode = adres.get("postcode")
    if not isinstance(huisnummer, int) or isinstance(huisnummer, bool) or not postcode:
        return None
    aanduiding = adres.get("aanduidingBijHuisnummer")
    aanduiding_code = aanduiding.get("code") if isinstance(aanduiding, dict) else None
    straat = adres.get("korteStraatnaam")
    if not straat and isinstance(adres.get("officieleStraatnaam"), str) \
            and len(adres["officieleStraatnaam"]) <= 24:
        straat = adres["officieleStraatnaam"]
    return m.Contact(
        soort="01",
        adres=m.Adres(
            huis=m.Huis(
                huisnummer=huisnummer,
                huisletter=adres.get("huisletter") or None,
                huisnummer_toevoeging=adres.get("huisnummertoevoeging") or None,
                aanduiding_woonadres=aanduiding_code.upper() if aanduiding_code else None,
            ),
            postcode=str(postcode).replace(" ", ""),
            straatnaam=straat or None,
            plaatsnaam=adres.get("woonplaats") or None,
            landcode="NL",
        ),
    )


def met_huidige_toewijzingen(voorstel: AntwoordVoorstel, register, *,
                             peildatum: date) -> AntwoordVoorstel:
    """IV094/OP087: a proposed JW301 must also hold the client's other current toewijzingen
    at that provider. ``register`` holds the client's toewijzingen as the gemeente's
    register knows them (:class:`wpb.ijw.toewijzingen.HuidigeToewijzing`); each one still
    running on ``peildatum`` is added to ``ontbrekend``, so the toewijzing is not sent
    until a person completed it."""
    if voorstel.toewijzing is None:
        return voorstel
    extra = ook_in_toewijzing(register, aanbieder=voorstel.aanbieder, peildatum=peildatum)
    return dataclasses.replace(voorstel, ontbrekend=voorstel.ontbrekend + extra) if extra else voorstel
