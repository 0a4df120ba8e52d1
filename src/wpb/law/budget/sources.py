"""The public sources the budget rules follow, and what each one settles.

Status follows docs/budget.md: ``F`` for a rule taken first-hand from the named public
source, ``S`` for a secondary source, ``P`` for the project's own seed material (a public
page as the project's assignment quotes it, not checked first-hand here), ``A`` for an
assumption the project makes, ``OPEN`` where no source settles the rule and the project
models it as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    location: str  # a URL, or where the statement was found
    status: str  # F, S, P, A or OPEN
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
    title="doordecentralisatie beschermd wonen: ingroeipad in tien stappen (2022–2031, 2021 = "
    "jaar nul)",
    publisher="projectopdracht (seed 004: voortgangsrapportage beschermd wonen)",
    location="issue 7 en issue 18 van dit project; de rapportage zelf is hier niet geraadpleegd",
    status="P",
    says=(
        "tien stappen van 2022 tot en met 2031 met 2021 als jaar nul; de stappen volgen de "
        "geschatte in- en uitstroom van alle cliënten (die schatting is in dit project niet "
        "beschikbaar)"
    ),
)

INGROEIPAD_LINEAIR = Source(
    title="standaardgewichten van het ingroeipad: lineair, 10 procentpunt per jaar",
    publisher="wpb (aanname)",
    location="src/wpb/data/budget/ingroeipad.csv",
    status="A",
    says=(
        "zonder de geschatte in- en uitstroom neemt wpb lineaire stappen aan (2021 0 % tot 2031 "
        "100 % objectief); dat zijn niet de stappen van seed 004 — geef de juiste reeks met "
        "--gewichten"
    ),
)

WLZ_UITNAME_TEMPO = Source(
    title="definitieve uitname Wlz (nacalculatie) en het nieuwe verdeelmodel",
    publisher="VNG",
    location="aangehaald in de bronnotities van het project; de VNG-pagina zelf is niet "
    "vastgesteld",
    status="S",
    says=(
        "de definitieve uitname heeft geen gevolgen voor het aandeel per gemeente in het "
        "nieuwe verdeelmodel, maar wel voor het tempo"
    ),
)

WLZ_UITNAME_SEED = Source(
    title="uitname Wlz ex ante en ex post",
    publisher="projectopdracht (seed 004: voortgangsrapportage beschermd wonen)",
    location="issue 7 en issue 18 van dit project; de rapportage zelf is hier niet geraadpleegd",
    status="P",
    says=(
        "ex ante 30 % van het macrobudget uitgenomen, over de centrumgemeenten verdeeld naar "
        "hun aandeel in het historische budget; de definitieve correctie volgt de kosten die "
        "voor individuele gemeenten door de uitstroom van cliënten naar de Wlz daadwerkelijk "
        "wegvallen"
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

T2_2022_NIEUWE_REGEL = Source(
    title="voogdij/18+ 2022: nog één jaar T-2, met de nieuwe woonplaatsregel via een CBS-simulatie",
    publisher="projectopdracht (seed 001: de pagina over het woonplaatsbeginsel Jeugdwet)",
    location="issue 18 van dit project; de pagina zelf is hier niet geraadpleegd",
    status="P",
    says=(
        "omdat het nieuwe woonplaatsbeginsel (2022-01-01) een jaar vóór het nieuwe verdeelmodel "
        "(verwacht 2023-01-01, met de herijking van het gemeentefonds) inging, is het budget "
        "voogdij/18+ voor 2022 nog één jaar op het historische zorggebruik (T-2) verdeeld, met "
        "de nieuwe regel toegepast via een CBS-simulatie"
    ),
)

COMPENSATIEREGELING_ONDERBREKING = Source(
    title="compensatieregeling Onderbreking financieringssystematiek voogdij en 18+",
    publisher="projectopdracht (seed 001: de pagina over het woonplaatsbeginsel Jeugdwet)",
    location="issue 18 van dit project; de regeling zelf is hier niet geraadpleegd",
    status="P",
    says=(
        "gemeenten zien een verandering in hun zorggebruik in 2020 en 2021 niet meer terug in "
        "een hoger of lager budget voogdij/18+; daarvoor is deze compensatieregeling gemaakt — "
        "niet voor het verschil tussen de twee T-2-kolommen van wpb"
    ),
)

COMPENSATIE_2022 = Source(
    title="bedrag van de compensatie voogdij/18+",
    publisher="secundaire bron (nieuws)",
    location="issue 7 van dit project; bedrag niet geverifieerd",
    status="S",
    says=(
        "een compensatie verschoof ca. € 30 mln tussen gemeenten; wpb rekent dit bedrag niet "
        "na en de vergelijking (b) − (a) is er geen schatting van"
    ),
)
