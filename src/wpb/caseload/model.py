"""One toewijzing of a gemeente's caseload, as read from an export or a JW301 message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

JEUGDWET = "jeugdwet"
WMO_BW = "wmo-bw"
WETTEN = (JEUGDWET, WMO_BW)

# The forms art. 1.1 sub 2° names (wpb.law.facts.JeugdhulpVorm) and jeugdreclassering,
# which the caseload may hold but which is no form of stay by itself.
JEUGDRECLASSERING = "jeugdreclassering"
VORMEN = (
    "jeugdhulpaanbieder", "pleegouder", "gezinshuis", "opvang", "beschermd_wonen", "jji",
    JEUGDRECLASSERING,
)


def mask_bsn(bsn: str) -> str:
    """A BSN as it may appear in a message or a log: its last 3 digits only."""
    return "******" + bsn[-3:] if len(bsn) >= 3 else "***"


@dataclass(frozen=True)
class Toewijzing:
    """One product toegewezen to a provider for a client. ``einddatum`` is inclusive."""

    bron: str  # where it came from: "regel 12" of a file, or a JW301 message
    bsn: str = field(repr=False)
    geboortedatum: date
    aanbieder_agb: str
    productcategorie: str | None
    productcode: str | None
    begindatum: date
    einddatum: date | None
    verblijf: bool
    verblijf_uit_categorie: bool  # True: the product category decided (no ``verblijf`` given)
    wet: str = JEUGDWET
    vorm: str | None = None
    verblijf_sinds: date | None = None
    aanmeldgemeente: str | None = None
    aanmelddatum: date | None = None
    indicatie_begin: date | None = None
    toewijzingnummer: str | None = None

    @property
    def sleutel(self) -> tuple:
        """Identity across imports: the toewijzingnummer, else bsn, provider, product, begin."""
        if self.toewijzingnummer:
            return ("nummer", self.toewijzingnummer)
        return (
            "inhoud", self.bsn, self.aanbieder_agb, self.productcategorie, self.productcode,
            self.begindatum,
        )

    def loopt_op(self, day: date) -> bool:
        return self.begindatum <= day and (self.einddatum is None or day <= self.einddatum)

    def gegevens(self) -> dict:
        """The fields that can change between imports (not ``bron``)."""
        return {
            "geboortedatum": self.geboortedatum, "aanbieder_agb": self.aanbieder_agb,
            "productcategorie": self.productcategorie, "productcode": self.productcode,
            "begindatum": self.begindatum, "einddatum": self.einddatum, "verblijf": self.verblijf,
            "wet": self.wet, "vorm": self.vorm, "verblijf_sinds": self.verblijf_sinds,
            "aanmeldgemeente": self.aanmeldgemeente, "aanmelddatum": self.aanmelddatum,
            "indicatie_begin": self.indicatie_begin, "bsn": self.bsn,
        }


def per_client(toewijzingen: list[Toewijzing] | tuple[Toewijzing, ...]) -> dict[str, list[Toewijzing]]:
    """The toewijzingen grouped by BSN, in input order."""
    clients: dict[str, list[Toewijzing]] = {}
    for t in toewijzingen:
        clients.setdefault(t.bsn, []).append(t)
    return clients
