"""Toewijzingen and what a gemeente does with them, as actions that yield JW301 messages.

A toewijzing (ToegewezenProduct in a JW301) has a ToewijzingNummer, a product, an
Ingangsdatum, an Einddatum (its last day) and either an Omvang (volume, eenheid,
frequentie) or a Budget in eurocent, never both; a Budget needs an Einddatum
(CD075-CD078). :func:`nieuwe_toewijzing` refuses anything else.

Changing a toewijzing is sending it again under the same ToewijzingNummer with the
change and a RedenWijziging (IV066, IV099, OP033x1), in a JW301 that holds all of the
client's current toewijzingen at that provider (OP087). The actions here build those
messages:

- :func:`verleng` moves the Einddatum later (oprekken);
- the 1-november-maatregel (factsheet VNG/VWS 2021-11-02): the latende gemeente extends
  its toewijzing to 2022-07-01 (:func:`extend_for_1_november`) and the ontvangende gemeente
  sends its own toewijzing from 2022-01-01 (:func:`toewijzing_ontvangende_gemeente`);
- on a move to another gemeente (RedenWijziging 07) the old toewijzing ends the day before
  the follow-on toewijzing starts, and not before that follow-on toewijzing exists
  (:func:`end_on_move`); until then the action is blocked.

An action never sends: it returns the message to send, or why it cannot be made yet.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from wpb.ijw import codelists as cl
from wpb.ijw import models as m
from wpb.ijw.problems import BerichtOngeldig, Problem
from wpb.ijw.rules import check_omvang_budget, toegewezen
from wpb.law.overgang import FACTSHEET

# The factsheet's dates, kept once in the core (wpb.law.overgang.Termijnen).
VERLENGEN_TOT = FACTSHEET.verlengen_tot  # 2022-07-01: the latende extends to this day
INGANG_NIEUWE_REGEL = FACTSHEET.ingang  # 2022-01-01: the ontvangende's toewijzing starts


def nieuwe_toewijzing(
    *,
    toewijzing_nummer: int,
    ingangsdatum: date,
    toegewezen_op: datetime,
    product: m.Product | None = None,
    einddatum: date | None = None,
    omvang: m.Omvang | None = None,
    budget: int | None = None,
    referentie_aanbieder: str | None = None,
    commentaar: str | None = None,
) -> m.ToegewezenProduct:
    """A new (initial) toewijzing; :class:`BerichtOngeldig` when the rules forbid it.

    An initial toewijzing never has a RedenWijziging (IV066).
    """
    product_ = m.ToegewezenProduct(
        toewijzing_nummer=toewijzing_nummer,
        referentie_aanbieder=referentie_aanbieder,
        product=product,
        toewijzingsdatum=toegewezen_op.date(),
        toewijzingstijd=_tijd(toegewezen_op),
        ingangsdatum=ingangsdatum,
        einddatum=einddatum,
        omvang=omvang,
        budget=budget,
        commentaar=commentaar,
    )
    _check(product_)
    return product_


def _tijd(moment: datetime) -> time:
    return moment.time().replace(microsecond=0, tzinfo=None)


def _check(product: m.ToegewezenProduct) -> None:
    path = "ToegewezenProduct"
    problems: list[Problem] = check_omvang_budget(toegewezen(product, path),
                                                  code_leeg_regel="CD080")
    if problems:
        raise BerichtOngeldig(problems, bron=f"toewijzing {product.toewijzing_nummer}")


class ActieSoort(str, Enum):
    VERLENGEN = "verlengen"
    NIEUWE_TOEWIJZING = "nieuwe_toewijzing"
    BEEINDIGEN_VERHUIZING = "beeindigen_verhuizing"


@dataclass(frozen=True)
class Actie:
    """One step for a gemeente: the JW301 to send, or why it cannot be made yet."""

    soort: ActieSoort
    gemeente: str
    toelichting: str
    bericht: m.JW301 | None = None
    geblokkeerd: bool = False
    aandachtspunten: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "soort": self.soort.value,
            "gemeente": self.gemeente,
            "toelichting": self.toelichting,
            "geblokkeerd": self.geblokkeerd,
            "aandachtspunten": list(self.aandachtspunten),
            "bericht": None if self.bericht is None else {
                "berichttype": self.bericht.type.value,
                "identificatie": self.bericht.header.identificatie,
            },
        }


def find_toewijzing(jw301: m.JW301, nummer: int) -> m.ToegewezenProduct:
    """The toewijzing ``nummer`` of ``jw301``; KeyError naming the numbers it does hold."""
    for p in jw301.client.toegewezen_producten:
        if p.toewijzing_nummer == nummer:
            return p
    known = ", ".join(str(p.toewijzing_nummer) for p in jw301.client.toegewezen_producten)
    raise KeyError(f"toewijzing {nummer} staat niet in dit toewijzingbericht (wel: {known})")


def _opvolgend_bericht(laatste: m.JW301, gewijzigd: m.ToegewezenProduct, *,
                       nu: datetime, identificatie: str) -> m.JW301:
    """The next JW301 for this client and provider: the changed toewijzing plus the other
    current ones unchanged (OP087). Unchanged toewijzingen carry no RedenWijziging (IV099)
    and no ReferentieAanbieder (IV097: the change is the gemeente's own)."""
    producten = []
    for p in laatste.client.toegewezen_producten:
        if p.toewijzing_nummer == gewijzigd.toewijzing_nummer:
            producten.append(gewijzigd)
        elif p.einddatum is None or p.einddatum >= nu.date():
            producten.append(dataclasses.replace(p, reden_wijziging=None,
                                                 referentie_aanbieder=None))
    header = m.Header.nieuw(
        m.BerichtType.JW301,
        afzender=laatste.header.afzender,
        ontvanger=laatste.header.ontvanger,
        identificatie=identificatie,
        dagtekening=nu.date(),
    )
    client = dataclasses.replace(laatste.client, toegewezen_producten=tuple(producten))
    return m.JW301(header=header, client=client)


def verleng(laatste: m.JW301, toewijzing_nummer: int, nieuwe_einddatum: date, *,
            nu: datetime, identificatie: str,
            reden_wijziging: str = cl.REDEN_WIJZIGING_VERLENGING,
            toelichting: str | None = None) -> Actie:
    """Extend toewijzing ``toewijzing_nummer`` of the last sent ``laatste`` to a later end.

    OP033x1 allows "oprekken" (a later Einddatum) under the same ToewijzingNummer; the
    new Toewijzingsdatum/-tijd mark it as the current version (IV013).
    """
    gemeente = laatste.header.afzender
    oud = find_toewijzing(laatste, toewijzing_nummer)
    if oud.einddatum is None:
        return Actie(ActieSoort.VERLENGEN, gemeente,
                     f"Toewijzing {toewijzing_nummer} heeft geen einddatum: er is niets te "
                     "verlengen.", geblokkeerd=True)
    if nieuwe_einddatum <= oud.einddatum:
        return Actie(ActieSoort.VERLENGEN, gemeente,
                     f"Toewijzing {toewijzing_nummer} loopt al tot en met {oud.einddatum}; "
                     f"{nieuwe_einddatum} is geen verlenging.", geblokkeerd=True)
    nieuw = dataclasses.replace(
        oud,
        einddatum=nieuwe_einddatum,
        reden_wijziging=reden_wijziging,
        referentie_aanbieder=None,
        toewijzingsdatum=nu.date(),
        toewijzingstijd=_tijd(nu),
    )
    _check(nieuw)
    bericht = _opvolgend_bericht(laatste, nieuw, nu=nu, identificatie=identificatie)
    return Actie(
        ActieSoort.VERLENGEN, gemeente,
        toelichting or f"Toewijzing {toewijzing_nummer} verlengd van {oud.einddatum} tot en met "
                       f"{nieuwe_einddatum} (RedenWijziging {reden_wijziging}).",
        bericht=bericht,
    )


def extend_for_1_november(laatste: m.JW301, toewijzing_nummer: int, *, nu: datetime,
                       identificatie: str, tot: date = VERLENGEN_TOT) -> Actie:
    """1-november-maatregel, step of the latende gemeente: extend the toewijzing to 2022-07-01.

    The factsheet has the latende gemeente extend its toewijzing "tot 1 juli 2022" so that
    care and payment go on while the transfer completes; the date is kept as written, as
    the Einddatum of the toewijzing.
    """
    oud = find_toewijzing(laatste, toewijzing_nummer)
    return verleng(
        laatste, toewijzing_nummer, tot, nu=nu, identificatie=identificatie,
        toelichting=f"1-november-maatregel: de latende gemeente {laatste.header.afzender} "
                    f"verlengt toewijzing {toewijzing_nummer} van {oud.einddatum} tot "
                    f"{tot.isoformat()}, zodat zorg en betaling doorlopen tot de overdracht "
                    "is afgerond.",
    )


def toewijzing_ontvangende_gemeente(
    latende: m.JW301,
    toewijzing_nummer: int,
    *,
    ontvangende_gemeente: str,
    nieuw_nummer: int,
    nu: datetime,
    identificatie: str,
    ingangsdatum: date = INGANG_NIEUWE_REGEL,
    einddatum: date | None = None,
) -> Actie:
    """1-november-maatregel, step of the ontvangende gemeente: its own toewijzing from 2022-01-01.

    The new toewijzing takes over the product and the Omvang or Budget of the latende
    gemeente's toewijzing ``toewijzing_nummer``; it is an initial toewijzing of the
    ontvangende gemeente (its own ToewijzingNummer, no RedenWijziging). Its Einddatum is
    ``einddatum`` or else the latende toewijzing's. The message holds only this
    toewijzing: the ontvangende gemeente has no other toewijzingen for the client yet.
    """
    oud = find_toewijzing(latende, toewijzing_nummer)
    eind = einddatum if einddatum is not None else oud.einddatum
    if eind is not None and eind < ingangsdatum:
        return Actie(ActieSoort.NIEUWE_TOEWIJZING, ontvangende_gemeente,
                     f"De toewijzing van de latende gemeente eindigt op {eind}, vóór "
                     f"{ingangsdatum}: er valt niets over te nemen; geef een einddatum op.",
                     geblokkeerd=True)
    product = nieuwe_toewijzing(
        toewijzing_nummer=nieuw_nummer,
        ingangsdatum=ingangsdatum,
        toegewezen_op=nu,
        product=oud.product,
        einddatum=eind,
        omvang=oud.omvang,
        budget=oud.budget,
    )
    bericht = m.JW301(
        header=m.Header.nieuw(m.BerichtType.JW301, afzender=ontvangende_gemeente,
                              ontvanger=latende.header.ontvanger, identificatie=identificatie,
                              dagtekening=nu.date()),
        client=dataclasses.replace(latende.client, toegewezen_producten=(product,)),
    )
    return Actie(
        ActieSoort.NIEUWE_TOEWIJZING, ontvangende_gemeente,
        f"Gemeente {ontvangende_gemeente} wijst vanaf {ingangsdatum.isoformat()} zelf toe "
        f"(toewijzing {nieuw_nummer}), overgenomen uit toewijzing {toewijzing_nummer} van "
        f"gemeente {latende.header.afzender}.",
        bericht=bericht,
        aandachtspunten=("Er moet een contract of lichte maatwerkovereenkomst met de aanbieder "
                         "zijn (keuzehulp).",),
    )


def end_on_move(
    laatste: m.JW301,
    toewijzing_nummer: int,
    opvolger: m.ToegewezenProduct | None,
    *,
    nu: datetime,
    identificatie: str,
) -> Actie:
    """End a toewijzing because the client moved to another gemeente (RedenWijziging 07).

    The old gemeente may not end its toewijzing before the new gemeente's follow-on
    toewijzing exists: ``opvolger`` is that toewijzing as sent by the new gemeente, or
    None while it does not exist, and then the action is blocked. The old toewijzing ends
    the day before the follow-on one starts, so care is covered every day without overlap.
    Ending on a day already past needs the provider's agreement (OP186).
    """
    gemeente = laatste.header.afzender
    oud = find_toewijzing(laatste, toewijzing_nummer)
    if opvolger is None:
        return Actie(ActieSoort.BEEINDIGEN_VERHUIZING, gemeente,
                     f"Toewijzing {toewijzing_nummer} blijft lopen: de opvolgende toewijzing van "
                     "de nieuwe gemeente bestaat nog niet, en de oude toewijzing wordt niet "
                     "beëindigd voordat die er is.", geblokkeerd=True)
    einde = opvolger.ingangsdatum - timedelta(days=1)
    if einde < oud.ingangsdatum:
        return Actie(ActieSoort.BEEINDIGEN_VERHUIZING, gemeente,
                     f"De opvolgende toewijzing begint op {opvolger.ingangsdatum}, niet na de "
                     f"ingangsdatum {oud.ingangsdatum} van toewijzing {toewijzing_nummer}: "
                     "beëindigen kan zo niet; beoordeel de toewijzingen.", geblokkeerd=True)
    if oud.einddatum is not None and oud.einddatum <= einde:
        return Actie(ActieSoort.BEEINDIGEN_VERHUIZING, gemeente,
                     f"Toewijzing {toewijzing_nummer} eindigt al op {oud.einddatum}, niet na "
                     f"de start van de opvolgende toewijzing: er is niets te beëindigen.")
    nieuw = dataclasses.replace(
        oud,
        einddatum=einde,
        reden_wijziging=cl.REDEN_WIJZIGING_VERHUIZING,
        referentie_aanbieder=None,
        toewijzingsdatum=nu.date(),
        toewijzingstijd=_tijd(nu),
    )
    _check(nieuw)
    notes = ()
    if einde < nu.date():
        notes = (f"De einddatum {einde} ligt in het verleden: alleen in overeenstemming met de "
                 "aanbieder (OP186).",)
    return Actie(
        ActieSoort.BEEINDIGEN_VERHUIZING, gemeente,
        f"Toewijzing {toewijzing_nummer} eindigt op {einde}, de dag vóór de opvolgende "
        f"toewijzing {opvolger.toewijzing_nummer} begint (verhuizing, RedenWijziging 07).",
        bericht=_opvolgend_bericht(laatste, nieuw, nu=nu, identificatie=identificatie),
        aandachtspunten=notes,
    )


# --- a JW301 answering a verzoek holds all current toewijzingen (IV094, OP087) ---------------


@dataclass(frozen=True)
class HuidigeToewijzing:
    """A toewijzing of the client as the gemeente's register of current toewijzingen (its
    caseload) knows it. The register has no Omvang or Budget, so it cannot be copied into
    a JW301 as it stands: it names what the JW301 must also hold."""

    aanbieder: str  # AGB code
    begindatum: date
    einddatum: date | None  # last day; None while it runs
    toewijzingnummer: str | None
    product: str  # productcode, else the category

    @classmethod
    def of_caseload(cls, t) -> HuidigeToewijzing:
        """One row of a caseload (:class:`wpb.caseload.model.Toewijzing`, or a stored row
        with the same fields) as the register names it."""
        return cls(aanbieder=t.aanbieder_agb, begindatum=t.begindatum, einddatum=t.einddatum,
                   toewijzingnummer=t.toewijzingnummer,
                   product=t.productcode or t.productcategorie or "onbekend product")


def lopend_bij(register, *, aanbieder: str, peildatum: date) -> tuple[HuidigeToewijzing, ...]:
    """The toewijzingen of ``register`` at ``aanbieder`` that have not ended on ``peildatum``
    (running, or starting later)."""
    return tuple(t for t in register if t.aanbieder == aanbieder
                 and (t.einddatum is None or t.einddatum >= peildatum))


def ook_in_toewijzing(register, *, aanbieder: str, peildatum: date) -> tuple[str, ...]:
    """IV094/OP087: a JW301 that answers a verzoek holds all other current toegewezen
    producten of the client at that provider. One line per toewijzing of the register the
    proposed JW301 must also hold; wpb cannot add them itself (the register lacks their
    Omvang or Budget), so a person completes the message."""
    out = []
    for t in lopend_bij(register, aanbieder=aanbieder, peildatum=peildatum):
        nummer = f"toewijzing {t.toewijzingnummer}" if t.toewijzingnummer else "een toewijzing"
        periode = f"vanaf {t.begindatum.isoformat()}" + (
            f" tot en met {t.einddatum.isoformat()}" if t.einddatum else "")
        out.append(f"{nummer} ({t.product}, {periode}) is nog actueel bij deze aanbieder en "
                   "hoort ook in de JW301 (IV094/OP087); omvang of budget staat niet in het "
                   "register van toewijzingen")
    return tuple(out)
