"""The public sources the budget rules follow, and what each one settles.

Status follows docs/budget.md: ``F`` for a rule taken from the named public source,
``S`` for a secondary source, ``OPEN`` where the source leaves the rule open and the
project models it as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    location: str  # a URL, or where the statement was found
    status: str  # F, S or OPEN
    says: str  # what the project takes from it (in Dutch, for reports)

    @property
    def citation(self) -> str:
        return f"{self.publisher}, {self.title} ({self.location})"


OBJECTIEF_VERDEELMODEL_BW = Source(
    title="Objectief verdeelmodel Beschermd Thuis",
    publisher="VNG",
    location="https://vng.nl/artikelen/objectief-verdeelmodel-beschermd-thuis",
    status="F",
    says=(
        "de middelen beschermd wonen gaan nu naar de centrumgemeenten volgens een historisch "
        "model (kosten van de regio in 2013) en gaan zeer geleidelijk en stapsgewijs naar een "
        "objectieve verdeling over alle gemeenten"
    ),
)

MVT_WOONPLAATSBEGINSEL_BW = Source(
    title="Memorie van toelichting, Kamerstukken II 36 288, nr. 3",
    publisher="Tweede Kamer",
    location="https://zoek.officielebekendmakingen.nl/kst-36288-3.html",
    status="F",
    says=(
        "Rijk en gemeenten besloten de middelen beschermd wonen gefaseerd naar alle "
        "gemeenten door te decentraliseren"
    ),
)

INGROEIPAD_TIEN_JAAR = Source(
    title="doordecentralisatie beschermd wonen: ingroeipad van 10 jaar (2022–2031, 2021 = jaar nul)",
    publisher="VNG/VWS",
    location=(
        "VNG-pagina objectief verdeelmodel (hierboven) en issue 7 van dit project; de "
        "jaarlijkse stappen zijn niet gepubliceerd als formule"
    ),
    status="OPEN",
    says=(
        "de duur van het ingroeipad staat vast; de exacte formule niet — daarom een "
        "gewicht per jaar als parameter (standaard lineair 0 % in 2021 tot 100 % in 2031)"
    ),
)

WLZ_UITNAME_TEMPO = Source(
    title="definitieve uitname Wlz (nacalculatie) en het nieuwe verdeelmodel",
    publisher="VNG",
    location="VNG over de nacalculatie van de uitname Wlz (precieze vindplaats niet vastgesteld)",
    status="F",
    says=(
        "de definitieve uitname heeft geen gevolgen voor het aandeel per gemeente in het "
        "nieuwe verdeelmodel, maar wel voor het tempo"
    ),
)

WLZ_UITNAME_SEED = Source(
    title="seed 004: ex-ante uitname Wlz",
    publisher="projectopdracht (seed 004)",
    location="issue 7 van dit project",
    status="F",
    says=(
        "ex ante 30 % van het macrobudget uitgenomen, over de centrumgemeenten verdeeld naar "
        "hun aandeel in het historische budget; ex post gecorrigeerd naar de werkelijke uitstroom"
    ),
)

WLZ_GGZ_UITSTROOM = Source(
    title="Kamerbrief toegang Wlz voor mensen met een psychische stoornis, 14 april 2023 "
    "(Kamerstukken II 25 424, nr. 651)",
    publisher="VWS",
    location="https://zoek.officielebekendmakingen.nl/kst-25424-651.html",
    status="F",
    says="verwacht ca. 12.000 cliënten naar de Wlz (ggz-wonen); ruim 27.000 geïndiceerd in 2023",
)

VOOGDIJ_18PLUS_T2 = Source(
    title="compensatieregeling voogdij/18+",
    publisher="VNG/Rijk (via Schulinck)",
    location=(
        "https://www.schulinck.nl/sociaal-domein/jeugd-nieuws-nieuws-jeugd-"
        "compensatieregeling-voogdij-18-open-voor"
    ),
    status="S",
    says=(
        "het budget voogdij/18+ volgt de beleidsinformatie (werkelijk gebruik) met twee jaar "
        "vertraging: de regeling 2018 rekent met de kosten van 2016"
    ),
)

COMPENSATIE_2022 = Source(
    title="compensatie voogdij/18+ 2022 na de wijziging van het woonplaatsbeginsel",
    publisher="secundaire bron (nieuws)",
    location="issue 7 van dit project; bedrag niet geverifieerd",
    status="S",
    says="in 2022 verschoof een compensatie ca. € 30 mln tussen gemeenten",
)
