"""Parts of bill 36 288 that wpb does not settle, each with the question it leaves.

A rule that meets one of these does not guess: it records the question in the trace (under
``ontbrekend``, as ``rechtsvraag <id>``) and answers ``review``, listing what the settled parts
would give as candidates. docs/open-questions.md lists the same questions for readers.

Sources: Wmo 2015 (BWBR0035362); bill 36 288 as submitted on 2023-01-16 (Kamerstuk 36 288,
nr. 2). Only art. 1.2.1 onder b (new text) and art. 1.2.1a lid 1 aanhef and onder a are
settled here; the text as it will be enacted may still differ. Not every entry leads to
``review``: the entry into force is a setting, and the overlegbepaling gives a task.
"""

from __future__ import annotations

from dataclasses import dataclass

from wpb.law.decision import ReviewReden
from wpb.law.trace import Trace

# The code for "the law leaves this open"; the open question itself is named in the trace.
REDEN_OPEN_RECHTSVRAAG = ReviewReden.OPEN_RECHTSVRAAG

_PREFIX = "rechtsvraag "


@dataclass(frozen=True)
class OpenVraag:
    id: str
    onderdeel: str  # the part of the bill (or of the seeds) it concerns
    vraag: str  # the question it leaves
    gevolg: str  # what the engine does about it

    def to_json(self) -> dict:
        return {"id": self.id, "onderdeel": self.onderdeel, "vraag": self.vraag}


INWERKINGTREDING = OpenVraag(
    "bw-inwerkingtreding",
    "wetsvoorstel 36 288, inwerkingtredingsbepaling (koninklijk besluit)",
    "Op welke dag treedt het woonplaatsbeginsel voor beschermd wonen in werking? De wet laat "
    "dat aan een koninklijk besluit; de bronnen van wpb tonen zo'n besluit niet (beoogd was "
    "1 januari 2026, volgens secundaire bronnen).",
    "standaard niet in werking (de aanmeldgemeente); een installatie stelt de dag in met "
    "WPB_WMO_BW_INWERKINGTREDING of --inwerkingtreding, en elke beslissing noemt de instelling",
)
UITZONDERING_B = OpenVraag(
    "bw-uitzondering-b",
    "art. 1.2.1a, eerste lid, onderdeel b",
    "Wat is de volledige tekst en het gevolg van uitzondering b? De kopieën die wpb kan lezen "
    "van Kamerstuk 36 288, nr. 2, breken af na \"b. ingeval de ingezetene zijn woonadres heeft "
    "bij een bij regeli[ng ...]\"; welke gemeente dan verstrekt, staat in het ontbrekende deel.",
    "review wanneer de casus b niet uitdrukkelijk uitsluit",
)
UITZONDERING_C = OpenVraag(
    "bw-uitzondering-c",
    "art. 1.2.1a, eerste lid, onderdeel c",
    "Wat is de tekst en het gevolg van uitzondering c, en welke gemeente verstrekt dan? De "
    "tekst ontbreekt geheel in de bronnen van wpb (Kamerstuk 36 288, nr. 2, art. I, onderdeel C).",
    "review wanneer de casus c niet uitdrukkelijk uitsluit",
)
UITZONDERING_D = OpenVraag(
    "bw-uitzondering-d",
    "art. 1.2.1a, eerste lid, onderdeel d",
    "Wat is de tekst en het gevolg van uitzondering d, en welke gemeente verstrekt dan? De "
    "tekst ontbreekt geheel in de bronnen van wpb (Kamerstuk 36 288, nr. 2, art. I, onderdeel C).",
    "review wanneer de casus d niet uitdrukkelijk uitsluit",
)
UITZONDERINGEN = {"b": UITZONDERING_B, "c": UITZONDERING_C, "d": UITZONDERING_D}

VANGNET = OpenVraag(
    "bw-vangnet",
    "vangnetregeling voor cliënten zonder (Nederlands) woonadres",
    "Welke gemeente verstrekt beschermd wonen aan een cliënt die de hoofdregel niet kan "
    "plaatsen: geen inschrijving, verblijfplaats onbekend, alleen een briefadres, of een "
    "verblijfplaats in het buitenland (RNI)?",
    "review; de aanmeldgemeente staat als kandidaat vermeld",
)
WOONADRES_AANTEKENING = OpenVraag(
    "bw-woonadres-aantekening",
    "art. 1.2.1, onderdeel b (nieuw), woonadres",
    "Telt een woonadres met een aantekening als bedoeld in art. 2.26 Wet BRP (in onderzoek, "
    "of vastgesteld dat de persoon er niet verblijft) als woonadres voor beschermd wonen, of "
    "valt de cliënt dan onder de vangnetregeling?",
    "review met de gemeente van dat woonadres als kandidaat",
)
OVERGANG_AANVRAAG = OpenVraag(
    "bw-overgang-aanvraag",
    "overgangsrecht van het wetsvoorstel",
    "Welke regel geldt voor een aanvraag die vóór de inwerkingtreding is gedaan en waarover "
    "daarna wordt beslist: de aanmeldgemeente (oude regel) of het woonplaatsbeginsel?",
    "review met de aanmeldgemeente en de gemeente volgens het woonplaatsbeginsel als kandidaten",
)
OVERGANG_NA_2031 = OpenVraag(
    "bw-overgang-na-2031",
    "overgangsrecht van het wetsvoorstel (bestaande cliënten tot uiterlijk eind 2031)",
    "Welke gemeente is verantwoordelijk voor een bestaande cliënt wiens indicatie van vóór "
    "de inwerkingtreding na 31 december 2031 nog loopt?",
    "review met de centrumgemeente en de gemeente volgens het woonplaatsbeginsel als kandidaten",
)
LOPEND_BESCHERMD_WONEN = OpenVraag(
    "bw-lopend-beschermd-wonen",
    "art. 1.2.1a, eerste lid, onderdeel a (\"sinds het eindigen\")",
    "Welke gemeente is verantwoordelijk wanneer de cliënt zich meldt terwijl beschermd wonen "
    "of een indicatie daarvoor nog loopt, buiten het overgangsrecht voor bestaande cliënten? "
    "Uitzondering a gaat over beschermd wonen dat geëindigd is.",
    "review met de verstrekkende gemeente en de gemeente van het woonadres als kandidaten",
)
OVERLEG = OpenVraag(
    "bw-overleg",
    "overlegbepaling van het wetsvoorstel",
    "Wat is de precieze tekst van de overlegbepaling (vorm en termijn van het overleg)? Dat het "
    "een plicht tot overleg is en de verantwoordelijkheid niet verschuift, staat vast.",
    "geen review: de verantwoordelijke gemeente beslist, met de taak 'overleg vereist met' de "
    "beoogde gemeente in `taken`",
)
MEETMOMENT = OpenVraag(
    "bw-meetmoment",
    "art. 1.2.1, onderdeel b (nieuw) en art. 1.2.1a, eerste lid, onderdeel a",
    "Op welke dag worden het woonadres en de twaalf maanden gemeten: de dag van de melding "
    "of een latere dag waarop over de verantwoordelijkheid wordt beslist?",
    "wpb meet op de dag van de melding (interpretatie); de peildatum kiest de versie en de "
    "opvolger van een gemeentecode",
)
BW_REGIOS = OpenVraag(
    "bw-regios",
    "definitie nieuwe cliënt (regio waar hij zich meldt)",
    "Welke gemeenten horen bij de beschermd-wonenregio van de aanmeldgemeente? De indeling "
    "(centrumgemeenten met hun regiogemeenten) is geen referentiedata in wpb.",
    "de casus geeft de regio (`aanmelding.regio.gemeenten`); zonder regio en wanneer die "
    "ertoe doet is `nieuweClient` onbekend (null); de verantwoordelijke gemeente hangt er "
    "niet van af",
)

ALLE = (
    INWERKINGTREDING,
    UITZONDERING_B,
    UITZONDERING_C,
    UITZONDERING_D,
    VANGNET,
    WOONADRES_AANTEKENING,
    OVERGANG_AANVRAAG,
    OVERGANG_NA_2031,
    LOPEND_BESCHERMD_WONEN,
    OVERLEG,
    MEETMOMENT,
    BW_REGIOS,
)
_BY_ID = {v.id: v for v in ALLE}


def raise_question(trace: Trace, vraag: OpenVraag, situatie: str) -> None:
    """Record that ``vraag`` applies to this case, and why, in the trace."""
    trace.say(f"{situatie} Dit is een open rechtsvraag ({vraag.id}): {vraag.vraag}")
    trace.miss(_PREFIX + vraag.id, vraag.vraag)


def raised(trace: Trace) -> list[OpenVraag]:
    """The open questions recorded in ``trace``, in the order they were met."""
    return [_BY_ID[key.removeprefix(_PREFIX)] for key in trace.missing if key.startswith(_PREFIX)]
