"""Which element holds which field: the layout of every iJw 3.2 message wpb handles.

Each complex type of the XSDs becomes a :class:`Shape`: the model class it fills and its
child elements in schema order, each with the field it maps to, its datatype (a leaf,
see :mod:`wpb.ijw.datatypes`) or nested shape, whether it may be absent, and for a list
the wrapper element and the item element. The reader, the writer and the datatype
checks all walk these shapes, so the three cannot drift apart.

Namespaces follow the XSDs (elementFormDefault qualified): children of a message's own
types are in the message namespace (e.g. ``jw315``), children of the Basisschema's
CDT_* types in the ``ijw`` namespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from wpb.ijw import datatypes as dt
from wpb.ijw import models as m
from wpb.ijw.models import BerichtType


class Ns(str, Enum):
    MESSAGE = "message"  # the namespace of the message being read or written
    BASIS = "basis"  # the Basisschema's namespace


@dataclass(frozen=True)
class El:
    """One child element of a shape."""

    name: str
    attr: str
    type: dt.Ldt | Shape
    optional: bool = False
    item: str | None = None  # set for a list: ``name`` wraps 1..n ``item`` elements

    @property
    def is_leaf(self) -> bool:
        return isinstance(self.type, dt.Ldt)


@dataclass(frozen=True)
class Shape:
    cls: type
    ns: Ns
    children: tuple[El, ...]

    def names(self) -> list[str]:
        return [c.name for c in self.children]


def _shape(cls: type, ns: Ns, *children: El) -> Shape:
    return Shape(cls, ns, tuple(children))


def _opt(name: str, attr: str, type: dt.Ldt | Shape) -> El:
    return El(name, attr, type, optional=True)


# --- Basisschema complex types --------------------------------------------------------

B = Ns.BASIS
M = Ns.MESSAGE

BERICHT_IDENTIFICATIE = _shape(
    m.BerichtIdentificatie, B,
    El("Identificatie", "identificatie", dt.IDENTIFICATIE_BERICHT),
    El("Dagtekening", "dagtekening", dt.DATUM),
)
XSD_VERSIE = _shape(
    m.XsdVersie, B,
    El("BasisschemaXsdVersie", "basisschema", dt.VERSIE),
    El("BerichtXsdVersie", "bericht", dt.VERSIE),
)
GEBOORTEDATUM = _shape(
    m.Geboortedatum, B,
    El("Datum", "datum", dt.DATUM),
    _opt("DatumGebruik", "datum_gebruik", dt.DATUM_GEBRUIK),
)
ACHTERNAAM = _shape(
    m.Achternaam, B,
    El("Achternaam", "achternaam", dt.NAAM),
    _opt("Voorvoegsel", "voorvoegsel", dt.VOORVOEGSEL),
)
VERKORTE_NAAM = _shape(
    m.VerkorteNaam, B,
    El("Geslachtsnaam", "geslachtsnaam", ACHTERNAAM),
    _opt("Voornamen", "voornamen", dt.NAAM),
    _opt("Voorletters", "voorletters", dt.VOORLETTERS),
)
VOLLEDIGE_NAAM = _shape(
    m.VolledigeNaam, B,
    El("Geslachtsnaam", "geslachtsnaam", ACHTERNAAM),
    _opt("Partnernaam", "partnernaam", ACHTERNAAM),
    _opt("Voornamen", "voornamen", dt.NAAM),
    _opt("Voorletters", "voorletters", dt.VOORLETTERS),
    El("NaamGebruik", "naamgebruik", dt.NAAM_GEBRUIK),
)
PRODUCT = _shape(
    m.Product, B,
    El("Categorie", "categorie", dt.PRODUCT_CATEGORIE),
    _opt("Code", "code", dt.PRODUCT_CODE),
)
OMVANG = _shape(
    m.Omvang, B,
    El("Volume", "volume", dt.VOLUME),
    El("Eenheid", "eenheid", dt.EENHEID),
    El("Frequentie", "frequentie", dt.FREQUENTIE),
)
VERWIJZER = _shape(
    m.Verwijzer, B,
    El("Type", "type", dt.TYPE_VERWIJZER),
    _opt("Naam", "naam", dt.NAAM_VERWIJZER),
    _opt("ZorgverlenerCode", "zorgverlener_code", dt.AGB_CODE),
)
HUIS = _shape(
    m.Huis, B,
    El("Huisnummer", "huisnummer", dt.HUISNUMMER),
    _opt("Huisletter", "huisletter", dt.HUISLETTER),
    _opt("HuisnummerToevoeging", "huisnummer_toevoeging", dt.HUISNUMMER_TOEVOEGING),
    _opt("AanduidingWoonadres", "aanduiding_woonadres", dt.AANDUIDING_WOONADRES),
)
ADRES = _shape(
    m.Adres, B,
    _opt("Huis", "huis", HUIS),
    _opt("Postcode", "postcode", dt.POSTCODE),
    _opt("Straatnaam", "straatnaam", dt.STRAATNAAM),
    _opt("Plaatsnaam", "plaatsnaam", dt.PLAATSNAAM),
    _opt("LandCode", "landcode", dt.LAND_CODE),
)
TELEFOON = _shape(
    m.Telefoon, B,
    El("Telefoonnummer", "telefoonnummer", dt.TELEFOONNUMMER),
    El("Landnummer", "landnummer", dt.LANDNUMMER),
)
TELEFOONNUMMERS = _shape(
    m.Telefoonnummers, B,
    El("Telefoon01", "telefoon01", TELEFOON),
    _opt("Telefoon02", "telefoon02", TELEFOON),
)
COMMUNICATIE = _shape(
    m.Communicatie, B,
    El("Vorm", "vorm", dt.COMMUNICATIEVORM),
    _opt("Taal", "taal", dt.TAAL),
)
OPEN_PERIODE = _shape(
    m.OpenPeriode, B,
    _opt("Begindatum", "begindatum", dt.DATUM),
    _opt("Einddatum", "einddatum", dt.DATUM),
)
GESLOTEN_PERIODE = _shape(
    m.GeslotenPeriode, B,
    El("Begindatum", "begindatum", dt.DATUM),
    El("Einddatum", "einddatum", dt.DATUM),
)


def _header(type: BerichtType) -> Shape:
    # The XSD types Afzender and Ontvanger by direction: gemeentecode or AGB code.
    afzender, ontvanger = (
        (dt.GEMEENTE, dt.AGB_CODE) if type.afzender_is_gemeente else (dt.AGB_CODE, dt.GEMEENTE)
    )
    return _shape(
        m.Header, M,
        El("BerichtCode", "berichtcode", dt.BERICHT_CODE),
        El("BerichtVersie", "berichtversie", dt.BERICHT_VERSIE),
        El("BerichtSubversie", "berichtsubversie", dt.BERICHT_SUBVERSIE),
        El("Afzender", "afzender", afzender),
        El("Ontvanger", "ontvanger", ontvanger),
        El("BerichtIdentificatie", "bericht_identificatie", BERICHT_IDENTIFICATIE),
        El("XsdVersie", "xsd_versie", XSD_VERSIE),
    )


# --- JW301 ----------------------------------------------------------------------------

CONTACT = _shape(
    m.Contact, M,
    El("Soort", "soort", dt.ADRES_SOORT),
    _opt("Adres", "adres", ADRES),
    _opt("Organisatie", "organisatie", dt.ORGANISATIENAAM),
    _opt("Telefoon", "telefoon", TELEFOONNUMMERS),
    _opt("Emailadres", "emailadres", dt.EMAILADRES),
    _opt("Periode", "periode", OPEN_PERIODE),
)
RELATIE = _shape(
    m.Relatie, M,
    El("Nummer", "nummer", dt.PERSOONSID),
    _opt("Volgorde", "volgorde", dt.RELATIE_VOLGORDE),
    El("Soort", "soort", dt.SOORT_RELATIE),
    _opt("Geboortedatum", "geboortedatum", GEBOORTEDATUM),
    _opt("Geslacht", "geslacht", dt.GESLACHT),
    El("Naam", "naam", VOLLEDIGE_NAAM),
    El("Contact", "contact", CONTACT),
)
TOEGEWEZEN_PRODUCT = _shape(
    m.ToegewezenProduct, M,
    El("ToewijzingNummer", "toewijzing_nummer", dt.NUMMER),
    _opt("ReferentieAanbieder", "referentie_aanbieder", dt.REFERENTIE),
    _opt("Product", "product", PRODUCT),
    El("Toewijzingsdatum", "toewijzingsdatum", dt.DATUM),
    El("Toewijzingstijd", "toewijzingstijd", dt.TIJD),
    El("Ingangsdatum", "ingangsdatum", dt.DATUM),
    _opt("Einddatum", "einddatum", dt.DATUM),
    _opt("RedenWijziging", "reden_wijziging", dt.REDEN_WIJZIGING),
    _opt("Omvang", "omvang", OMVANG),
    _opt("Budget", "budget", dt.BUDGET),
    _opt("Commentaar", "commentaar", dt.COMMENTAAR),
)
CLIENT_301 = _shape(
    m.ClientToewijzing, M,
    El("Bsn", "bsn", dt.BSN),
    El("Geboortedatum", "geboortedatum", GEBOORTEDATUM),
    El("Geslacht", "geslacht", dt.GESLACHT),
    El("Naam", "naam", VOLLEDIGE_NAAM),
    _opt("Communicatie", "communicatie", COMMUNICATIE),
    _opt("JuridischeStatus", "juridische_status", dt.JURIDISCHE_STATUS),
    _opt("WettelijkeVertegenwoordiging", "wettelijke_vertegenwoordiging",
         dt.WETTELIJKE_VERTEGENWOORDIGING),
    _opt("Commentaar", "commentaar", dt.COMMENTAAR),
    El("Relaties", "relaties", RELATIE, optional=True, item="Relatie"),
    El("Contactgegevens", "contactgegevens", CONTACT, item="Contact"),
    El("ToegewezenProducten", "toegewezen_producten", TOEGEWEZEN_PRODUCT,
       item="ToegewezenProduct"),
)

# --- JW305 / JW307 --------------------------------------------------------------------

START_PRODUCT = _shape(
    m.StartProduct, M,
    _opt("ToewijzingNummer", "toewijzing_nummer", dt.NUMMER),
    _opt("Product", "product", PRODUCT),
    _opt("ToewijzingIngangsdatum", "toewijzing_ingangsdatum", dt.DATUM),
    El("Begindatum", "begindatum", dt.DATUM),
    El("StatusAanlevering", "status_aanlevering", dt.STATUS_AANLEVERING),
)
STOP_PRODUCT = _shape(
    m.StopProduct, M,
    _opt("ToewijzingNummer", "toewijzing_nummer", dt.NUMMER),
    _opt("Product", "product", PRODUCT),
    _opt("ToewijzingIngangsdatum", "toewijzing_ingangsdatum", dt.DATUM),
    El("Begindatum", "begindatum", dt.DATUM),
    El("RedenBeeindiging", "reden_beeindiging", dt.REDEN_BEEINDIGING),
    El("Einddatum", "einddatum", dt.DATUM),
    El("StatusAanlevering", "status_aanlevering", dt.STATUS_AANLEVERING),
)
CLIENT_305 = _shape(
    m.ClientStart, M,
    El("Bsn", "bsn", dt.BSN),
    El("Geboortedatum", "geboortedatum", GEBOORTEDATUM),
    El("Geslacht", "geslacht", dt.GESLACHT),
    El("Naam", "naam", VERKORTE_NAAM),
    El("StartProducten", "start_producten", START_PRODUCT, item="StartProduct"),
)
CLIENT_307 = _shape(
    m.ClientStop, M,
    El("Bsn", "bsn", dt.BSN),
    El("Geboortedatum", "geboortedatum", GEBOORTEDATUM),
    El("Geslacht", "geslacht", dt.GESLACHT),
    El("Naam", "naam", VERKORTE_NAAM),
    El("StopProducten", "stop_producten", STOP_PRODUCT, item="StopProduct"),
)

# --- JW315 ----------------------------------------------------------------------------

AANGEVRAAGD_PRODUCT = _shape(
    m.AangevraagdProduct, M,
    El("ReferentieAanbieder", "referentie_aanbieder", dt.REFERENTIE),
    _opt("BeschikkingNummer", "beschikking_nummer", dt.NUMMER),
    _opt("Product", "product", PRODUCT),
    _opt("BeschikkingIngangsdatum", "beschikking_ingangsdatum", dt.DATUM),
    El("ToewijzingIngangsdatum", "toewijzing_ingangsdatum", dt.DATUM),
    _opt("ToewijzingEinddatum", "toewijzing_einddatum", dt.DATUM),
    _opt("Omvang", "omvang", OMVANG),
    _opt("Budget", "budget", dt.BUDGET),
    El("Verwijzer", "verwijzer", VERWIJZER),
    _opt("Raamcontract", "raamcontract", dt.JA_NEE),
    _opt("Commentaar", "commentaar", dt.COMMENTAAR),
)
CLIENT_315 = _shape(
    m.ClientVerzoek, M,
    El("Bsn", "bsn", dt.BSN),
    El("Geboortedatum", "geboortedatum", GEBOORTEDATUM),
    El("Geslacht", "geslacht", dt.GESLACHT),
    El("Naam", "naam", VERKORTE_NAAM),
    _opt("GezagsdragerBekend", "gezagsdrager_bekend", dt.JA_NEE),
    _opt("Commentaar", "commentaar", dt.COMMENTAAR),
    El("AangevraagdeProducten", "aangevraagde_producten", AANGEVRAAGD_PRODUCT,
       item="AangevraagdProduct"),
)

# --- JW317 ----------------------------------------------------------------------------

ONGEWIJZIGD_PRODUCT = _shape(
    m.OngewijzigdProduct, M,
    El("ToewijzingNummer", "toewijzing_nummer", dt.NUMMER),
)
TE_WIJZIGEN_PRODUCT = _shape(
    m.TeWijzigenProduct, M,
    El("ToewijzingNummer", "toewijzing_nummer", dt.NUMMER),
    El("GewensteIngangsdatum", "gewenste_ingangsdatum", dt.DATUM),
    _opt("Einddatum", "einddatum", dt.DATUM),
    _opt("Omvang", "omvang", OMVANG),
    _opt("Budget", "budget", dt.BUDGET),
)
NIEUW_PRODUCT = _shape(
    m.NieuwProduct, M,
    _opt("Product", "product", PRODUCT),
    El("GewensteIngangsdatum", "gewenste_ingangsdatum", dt.DATUM),
    _opt("Einddatum", "einddatum", dt.DATUM),
    _opt("Omvang", "omvang", OMVANG),
    _opt("Budget", "budget", dt.BUDGET),
)
VERZOEK = _shape(
    m.Verzoek, M,
    El("ReferentieAanbieder", "referentie_aanbieder", dt.REFERENTIE),
    El("RedenVerzoek", "reden_verzoek", dt.REDEN_VERZOEK),
    El("OngewijzigdeProducten", "ongewijzigde_producten", ONGEWIJZIGD_PRODUCT, optional=True,
       item="OngewijzigdProduct"),
    El("TeWijzigenProducten", "te_wijzigen_producten", TE_WIJZIGEN_PRODUCT, optional=True,
       item="TeWijzigenProduct"),
    El("NieuweProducten", "nieuwe_producten", NIEUW_PRODUCT, optional=True, item="NieuwProduct"),
)
CLIENT_317 = _shape(
    m.ClientWijziging, M,
    El("Bsn", "bsn", dt.BSN),
    El("Verzoek", "verzoek", VERZOEK),
)

# --- JW319 ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Woonplaatsbeginsel:
    """The ``Woonplaatsbeginsel`` element; flattened into Antwoord by the reader and writer."""

    gemeente: str


WOONPLAATSBEGINSEL = _shape(
    _Woonplaatsbeginsel, M,
    El("Gemeente", "gemeente", dt.GEMEENTE),
)
ANTWOORD = _shape(
    m.Antwoord, M,
    El("ReferentieAanbieder", "referentie_aanbieder", dt.REFERENTIE),
    El("VerzoekAntwoord", "verzoek_antwoord", dt.VERZOEK_ANTWOORD),
    _opt("RedenAfwijzingVerzoek", "reden_afwijzing_verzoek", dt.REDEN_AFWIJZING_VERZOEK),
    # Special: the model holds the gemeentecode itself (see _Woonplaatsbeginsel).
    _opt("Woonplaatsbeginsel", "woonplaatsbeginsel_gemeente", WOONPLAATSBEGINSEL),
)

# --- JW323 ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _ProductReferentie:
    referentie_nummer: str
    vorig_referentie_nummer: str | None = None


@dataclass(frozen=True, kw_only=True)
class _BedragMetDC:
    bedrag: int
    debet_credit: str


PRODUCT_REFERENTIE = _shape(
    _ProductReferentie, B,
    El("ReferentieNummer", "referentie_nummer", dt.REFERENTIE_NUMMER),
    _opt("VorigReferentieNummer", "vorig_referentie_nummer", dt.REFERENTIE_NUMMER),
)
BEDRAG_MET_DC = _shape(
    _BedragMetDC, B,
    El("Bedrag", "bedrag", dt.BEDRAG),
    El("DebetCredit", "debet_credit", dt.DEBET_CREDIT),
)
TOTAAL_BEDRAG_MET_DC = _shape(
    _BedragMetDC, B,
    El("TotaalBedrag", "bedrag", dt.TOTAAL_BEDRAG),
    El("DebetCredit", "debet_credit", dt.DEBET_CREDIT),
)
PRESTATIE = _shape(
    m.Prestatie, M,
    El("ProductReferentie", "_product_referentie", PRODUCT_REFERENTIE),
    El("ToewijzingNummer", "toewijzing_nummer", dt.NUMMER),
    El("ProductCategorie", "product_categorie", dt.PRODUCT_CATEGORIE),
    El("ProductCode", "product_code", dt.PRODUCT_CODE),
    El("ProductPeriode", "product_periode", GESLOTEN_PERIODE),
    El("GeleverdVolume", "geleverd_volume", dt.VOLUME),
    El("Eenheid", "eenheid", dt.EENHEID),
    _opt("ProductTarief", "product_tarief", dt.BEDRAG),
    El("IngediendBedrag", "_ingediend_bedrag", BEDRAG_MET_DC),
)
CLIENT_323 = _shape(
    m.ClientDeclaratie, M,
    El("Bsn", "bsn", dt.BSN),
    El("Prestaties", "prestaties", PRESTATIE, item="Prestatie"),
)
DECLARATIE = _shape(
    m.Declaratie, M,
    El("DeclaratieNummer", "declaratie_nummer", dt.IDENTIFICATIE_DECLARATIE),
    El("DeclaratiePeriode", "declaratie_periode", GESLOTEN_PERIODE),
    El("DeclaratieDagtekening", "declaratie_dagtekening", dt.DATUM),
    El("TotaalIngediendBedrag", "_totaal_ingediend_bedrag", TOTAAL_BEDRAG_MET_DC),
    El("Clienten", "clienten", CLIENT_323, item="Client"),
)

# --- roots ----------------------------------------------------------------------------

_BODY = {
    BerichtType.JW301: El("Client", "client", CLIENT_301),
    BerichtType.JW305: El("Client", "client", CLIENT_305),
    BerichtType.JW307: El("Client", "client", CLIENT_307),
    BerichtType.JW315: El("Client", "client", CLIENT_315),
    BerichtType.JW317: El("Client", "client", CLIENT_317),
    BerichtType.JW319: El("Antwoord", "antwoord", ANTWOORD),
    BerichtType.JW323: El("Declaratie", "declaratie", DECLARATIE),
}

ROOT_ELEMENT = "Bericht"


def root_shape(type: BerichtType) -> Shape:
    """The shape of ``<Bericht>`` for a message type: Header, then the body."""
    return _shape(
        m.MODEL_CLASSES[type], M,
        El("Header", "header", _header(type)),
        _BODY[type],
    )


# Fields whose element nests what the model keeps flat. ``to_model``/``from_model`` turn
# the nested helper values into model fields and back.


def to_model(shape: Shape, values: dict) -> dict:
    """Flatten helper values (ProductReferentie, bedragen, Woonplaatsbeginsel) into fields."""
    if shape.cls is m.Antwoord:
        wpb = values.pop("woonplaatsbeginsel_gemeente", None)
        values["woonplaatsbeginsel_gemeente"] = wpb.gemeente if wpb is not None else None
    elif shape.cls is m.Prestatie:
        ref = values.pop("_product_referentie")
        values["referentie_nummer"] = ref.referentie_nummer
        values["vorig_referentie_nummer"] = ref.vorig_referentie_nummer
        bedrag = values.pop("_ingediend_bedrag")
        values["ingediend_bedrag"] = bedrag.bedrag
        values["debet_credit"] = bedrag.debet_credit
    elif shape.cls is m.Declaratie:
        totaal = values.pop("_totaal_ingediend_bedrag")
        values["totaal_ingediend_bedrag"] = totaal.bedrag
        values["totaal_debet_credit"] = totaal.debet_credit
    return values


def field_value(obj: object, el: El) -> object:
    """The value of ``el`` in a model object, building the nested helper where needed."""
    if isinstance(obj, m.Antwoord) and el.attr == "woonplaatsbeginsel_gemeente":
        code = obj.woonplaatsbeginsel_gemeente
        return None if code is None else _Woonplaatsbeginsel(gemeente=code)
    if isinstance(obj, m.Prestatie) and el.attr == "_product_referentie":
        return _ProductReferentie(
            referentie_nummer=obj.referentie_nummer,
            vorig_referentie_nummer=obj.vorig_referentie_nummer,
        )
    if isinstance(obj, m.Prestatie) and el.attr == "_ingediend_bedrag":
        return _BedragMetDC(bedrag=obj.ingediend_bedrag, debet_credit=obj.debet_credit)
    if isinstance(obj, m.Declaratie) and el.attr == "_totaal_ingediend_bedrag":
        return _BedragMetDC(bedrag=obj.totaal_ingediend_bedrag,
                            debet_credit=obj.totaal_debet_credit)
    return getattr(obj, el.attr)
