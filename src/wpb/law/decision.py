"""A decision and everything it says about itself.

A decision never comes without its reasons: the clause applied (``grondslag``), the
dated records and care episodes it relied on (``gebruikte_gegevens``), what it could
not use (``ontbrekend``), the candidates when the facts do not decide
(``kandidaten``), a Dutch explanation built from those steps (``toelichting``), and a
receipt that ties it to the engine, the rule version and the exact input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum


class Status(str, Enum):
    BEPAALD = "bepaald"  # the facts decide: one gemeente
    REVIEW = "review"  # the facts do not decide: a person must look


class ReviewReden(str, Enum):
    """Why a decision needs a person. Stable codes: the batch engine reports the same ones."""

    GESPLITSTE_GEMEENTE = "gesplitste_gemeente"
    GEMEENTE_ZONDER_OPVOLGER = "gemeente_zonder_opvolger"
    ONVOLLEDIGE_DATUM = "onvolledige_datum"
    TEGENSTRIJDIGE_INSCHRIJVING = "tegenstrijdige_inschrijving"
    TEGENSTRIJDIGE_JEUGDHULP = "tegenstrijdige_jeugdhulp"
    WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT = "werkelijke_verblijfplaats_ontbreekt"
    GEZAG_ONTBREEKT = "gezag_ontbreekt"
    GEEN_JEUGDIGE = "geen_jeugdige"
    JJI_VERBLIJF_ONTBREEKT = "jji_verblijf_ontbreekt"
    WET_NIET_VAN_TOEPASSING = "wet_niet_van_toepassing"
    OPEN_RECHTSVRAAG = "open_rechtsvraag"
    NIEUWE_CLIENT_ONBEKEND = "nieuwe_client_onbekend"  # Wmo beschermd wonen, overgangsrecht

    @property
    def omschrijving(self) -> str:
        return _REVIEW_OMSCHRIJVING[self]


_REVIEW_OMSCHRIJVING = {
    ReviewReden.GESPLITSTE_GEMEENTE: (
        "de gemeente is bij een herindeling gesplitst; alleen de gemeentecode is bekend, "
        "dus het adres bepaalt welke opvolger het is"
    ),
    ReviewReden.GEMEENTE_ZONDER_OPVOLGER: (
        "de gemeente van het adres is opgeheven zonder Nederlandse opvolger"
    ),
    ReviewReden.ONVOLLEDIGE_DATUM: (
        "een onvolledige datum valt mogelijk aan beide kanten van de beslissende dag "
        "en de uitkomsten verschillen"
    ),
    ReviewReden.TEGENSTRIJDIGE_INSCHRIJVING: (
        "de BRP-historie heeft op de beslissende dag meerdere inschrijvingen tegelijk "
        "en de uitkomsten verschillen"
    ),
    ReviewReden.TEGENSTRIJDIGE_JEUGDHULP: (
        "de jeugdhulpgegevens spreken elkaar tegen en dat verandert de uitkomst"
    ),
    ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT: (
        "de wet verwijst naar de werkelijke verblijfplaats, maar die is niet opgegeven"
    ),
    ReviewReden.GEZAG_ONTBREEKT: "de regel van vóór 2022 volgt het gezag, maar dat is niet opgegeven",
    ReviewReden.JJI_VERBLIJF_ONTBREEKT: (
        "de jeugdhulp of jeugdreclassering hangt samen met een verblijf in een justitiële "
        "jeugdinrichting, maar dat verblijf is niet opgegeven, dus ook niet het woonadres ervoor"
    ),
    ReviewReden.GEEN_JEUGDIGE: "op de peildatum is dit geen jeugdige in de zin van de wet",
    ReviewReden.WET_NIET_VAN_TOEPASSING: "op de peildatum gold deze wet niet",
    ReviewReden.OPEN_RECHTSVRAAG: (
        "de wet (of het wetsvoorstel) laat dit open; zie openVragen en docs/open-questions.md"
    ),
    ReviewReden.NIEUWE_CLIENT_ONBEKEND: (
        "het overgangsrecht hangt ervan af of de cliënt een nieuwe cliënt is, en de gegevens "
        "stellen dat niet vast (zie nieuweClientToelichting en ontbrekend)"
    ),
}


@dataclass(frozen=True)
class LegalSource:
    """Where a rule comes from, keyed to the version in force."""

    wet: str
    bwb: str
    artikel: str
    begrip: str
    onderdeel: int | str | None  # 1..4 for "1°".."4°"; a letter for "onder a"
    tekst: str
    geldig_vanaf: date
    geldig_tot: date | None = None

    @property
    def citation(self) -> str:
        if isinstance(self.onderdeel, int):
            sub = f", onderdeel {self.onderdeel}°"
        elif self.onderdeel:
            sub = f", onder {self.onderdeel}"
        else:
            sub = ""
        return f"{self.wet} art. {self.artikel}, {self.begrip}{sub}"

    @property
    def url(self) -> str:
        return f"https://wetten.overheid.nl/{self.bwb}/{self.geldig_vanaf.isoformat()}"

    def to_json(self) -> dict:
        return {
            "wet": self.wet,
            "bwb": self.bwb,
            "artikel": self.artikel,
            "begrip": self.begrip,
            "onderdeel": self.onderdeel,
            "citeertitel": self.citation,
            "tekst": self.tekst,
            "geldigVanaf": self.geldig_vanaf.isoformat(),
            "geldigTot": self.geldig_tot.isoformat() if self.geldig_tot else None,
            "url": self.url,
        }


@dataclass(frozen=True)
class UsedFact:
    """A dated record or episode the decision relied on, and for what."""

    bron: str
    rol: str
    details: dict

    def to_json(self) -> dict:
        return {"bron": self.bron, "rol": self.rol, **self.details}


@dataclass(frozen=True)
class Missing:
    gegeven: str
    reden: str

    def to_json(self) -> dict:
        return {"gegeven": self.gegeven, "reden": self.reden}


@dataclass(frozen=True)
class Kandidaat:
    code: str
    naam: str
    reden: str

    def to_json(self) -> dict:
        return {"code": self.code, "naam": self.naam, "reden": self.reden}


@dataclass(frozen=True)
class Receipt:
    """What ties a decision to the code, the rules, the reference data and the input.

    ``engine`` is ``wpb VERSION+law.HASH``: the hash covers the sources of the law modules
    (computed outside the core, see ``wpb.engine_id``), so equal engine strings mean equal
    rules. ``invoer_hash`` is the SHA-256 of the canonical facts read from the input.
    """

    engine: str
    regelversie: str
    referentiedata: str
    invoer_hash: str

    def to_json(self) -> dict:
        return {
            "engine": self.engine,
            "regelversie": self.regelversie,
            "referentiedata": self.referentiedata,
            "invoerHash": self.invoer_hash,
        }


@dataclass(frozen=True)
class Decision:
    wet: str
    peildatum: date
    status: Status
    gemeente: tuple[str, str] | None  # (code, naam)
    grondslag: LegalSource | None
    toelichting: str
    gebruikte_gegevens: tuple[UsedFact, ...]
    ontbrekend: tuple[Missing, ...]
    kandidaten: tuple[Kandidaat, ...]
    reden: ReviewReden | None
    receipt: Receipt
    extra: dict = field(default_factory=dict)  # law-specific answers (e.g. nieuwe cliënt)

    @property
    def onderdeel(self) -> int | str | None:
        return self.grondslag.onderdeel if self.grondslag else None

    @property
    def gemeente_code(self) -> str | None:
        return self.gemeente[0] if self.gemeente else None

    def to_json(self) -> dict:
        return {
            "wet": self.wet,
            "peildatum": self.peildatum.isoformat(),
            "status": self.status.value,
            "gemeente": (
                {"code": self.gemeente[0], "naam": self.gemeente[1]} if self.gemeente else None
            ),
            "grondslag": self.grondslag.to_json() if self.grondslag else None,
            "reden": (
                {"code": self.reden.value, "omschrijving": self.reden.omschrijving}
                if self.reden
                else None
            ),
            "toelichting": self.toelichting,
            "gebruikteGegevens": [f.to_json() for f in self.gebruikte_gegevens],
            "ontbrekend": [m.to_json() for m in self.ontbrekend],
            "kandidaten": [k.to_json() for k in self.kandidaten],
            **self.extra,
            "receipt": self.receipt.to_json(),
        }
