"""Wmo 2015: which gemeente provides beschermd wonen, by the version in force on the peildatum.

Sources:
- Wet maatschappelijke ondersteuning 2015 (BWBR0035362), art. 1.2.1, onderdeel b: beschermd
  wonen is provided "door het college van de gemeente tot welke hij zich wendt".
- Bill 36 288 ("Wijziging van de Wet maatschappelijke ondersteuning 2015 in verband met de
  invoering van het woonplaatsbeginsel voor beschermd wonen"), as submitted on 2023-01-16
  (Kamerstuk 36 288, nr. 2), art. I: onderdeel A adds the definition of woonadres to
  art. 1.1.1, onderdeel B replaces those words in art. 1.2.1, onderdeel b by "door het
  college van de gemeente waar hij zijn woonadres heeft", onderdeel C inserts art. 1.2.1a
  with exceptions a to d. The bill takes effect "op een bij koninklijk besluit te bepalen
  tijdstip"; wpb's sources show no such decree.
- Seed 004 (the project's seed material): current clients stay with their centrumgemeente
  while their indication runs, to the end of 2031 at the latest; the nieuwe cliënt.

Which rule applies (the installation's setting, then the peildatum):
- ``inwerkingtreding`` None (the default: the bill is not in force): the aanmeldgemeente
  (:func:`aanmeldgemeente`) on every peildatum from 2015-01-01.
- ``inwerkingtreding`` a date (set per installation by the adapters, from
  ``WPB_WMO_BW_INWERKINGTREDING`` or ``--inwerkingtreding``): the aanmeldgemeente before that
  date, the woonplaatsbeginsel (:func:`woonplaatsbeginsel`) from it, with the transitional
  rule for current clients and for clients who are not a nieuwe cliënt.
Every decision names the rule and the setting it used (``regel``, ``inwerkingtreding``, the
receipt's ``regelversie`` and the first sentence of the toelichting).

The clauses are declared once as route tables beside their text (``REGEL_ROUTES``,
``OVERGANG_ROUTES`` with ``NIEUWE_CLIENT_ONBEKEND_ROUTES`` and ``CENTRUMGEMEENTE_ROUTES``,
``EERDER_ROUTES``, ``WOONADRES_ROUTES``, ``UITZONDERINGEN_ROUTES`` beside the text of
exceptions b to d, after :func:`bronnen`): this engine walks them and names every route tried in the
toelichting; the national executor (:mod:`wpb.batch.wmo`) compiles the same tables.

Settled here: the new art. 1.2.1 onderdeel b and art. 1.2.1a lid 1 onderdeel a; the
overlegbepaling as a duty to consult (a task, not a question of who is responsible). Open
(see :mod:`wpb.law.wmo.open_vragen` and docs/open-questions.md): exceptions b to d (their full
text is not in wpb's sources), the transitional section beyond the seed, the vangnet. Where
they could apply the answer is ``review`` with the candidates the settled parts give.

Interpretations (docs/open-questions.md, "Choices"; docs/interpretations.md):
- Facts are measured on the day of the request (``aanmelding.datum``, else the peildatum):
  the woonadres, the twelve months, the 365 days, a running placement. The peildatum chooses
  the version and the successor of a municipality code.
- Twelve months are calendar months (:mod:`wpb.law.wmo.termijnen`): a placement that ended
  on 2025-03-15 still counts on 2026-03-14 and no longer on 2026-03-15.
- "laatstelijk beschermd wonen heeft verstrekt": the placement that ended last before the
  request. Only it can make fewer than twelve months have passed.
- A placement is earlier ("eerder") when it began before the day of the request.
- A briefadres (BRP ``functieAdres`` B) is not a woonadres (Wet BRP art. 1.1, onder o).
- During the transition (to the end of 2031) the woonplaatsbeginsel applies to a nieuwe
  cliënt; a client who is not one stays with the centrumgemeente of the region where he
  reports.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, partial

import wpb.law.wmo.nieuwe_client as nieuwe_client
import wpb.law.wmo.open_vragen as open_vragen
from wpb.law.dates import day_before
from wpb.law.decision import Decision, LegalSource, ReviewReden, Status
from wpb.law.engine import build_decision
from wpb.law.explain import (
    combine_readings,
    describe_record,
    gemeente_label,
    resolve_gemeente,
    use_record,
)
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.outcome import Outcome, combine
from wpb.law.predicates import (
    AANTEKENING,
    BUITENLAND,
    INGESCHREVEN,
    WOONADRES,
    EnigeOpvolger,
    Field,
    Opvolgers,
    Route,
    Term,
    first_route,
    holds,
    tried_text,
)
from wpb.law.registration import Reading, reading_facts, readings_between
from wpb.law.spans import laatste
from wpb.law.trace import Trace
from wpb.law.wmo.facts import BeschermdWonenPlaatsing, Indicatie, WmoBwCase
from wpb.law.wmo.open_vragen import REDEN_OPEN_RECHTSVRAAG, raise_question
from wpb.law.wmo.predicates import (
    AANMELDGEMEENTE_GELDT,
    BESTAANDE_CLIENT,
    BLIJFT_BIJ_CENTRUMGEMEENTE,
    EERDER_BINNEN_TWAALF_MAANDEN,
    GEEN_NIEUWE_CLIENT,
    LOPEND_BESCHERMD_WONEN,
    LOPENDE_INDICATIE_BIJ_MELDING,
    MELDING_VOOR_INWERKINGTREDING,
    MELDING_VOOR_WMO_2015,
    NA_OVERGANG,
    NIEUWE_CLIENT,
    NIEUWE_CLIENT_ONBEKEND,
    OVERGANG_NIEUWE_CLIENT,
    OVERGANG_STREKKING,
    OVERGANG_TOT,
    PEILDATUM,
    REGIO_CENTRUM_BEKEND,
    REGIO_CENTRUMGEMEENTE,
    UITZONDERINGEN_UITGESLOTEN,
    WMO_2015_VANAF,
    WmoFacts,
)
from wpb.law.wmo.spans import (
    LAATST_GEEINDIGD,
    MOGELIJK_BINNEN_TWAALF_MAANDEN,
    ZEKER_BINNEN_TWAALF_MAANDEN,
    PlaatsingOpDag,
    op_dag,
    standen,
)
from wpb.law.wmo.termijnen import twaalf_maanden_na

WET = "wmo-bw"
BWB = "BWBR0035362"  # Wet maatschappelijke ondersteuning 2015
# The bill enters into force "op een bij koninklijk besluit te bepalen tijdstip" and no such
# decree is known: by default it is not in force (None). An installation sets the date.
INWERKINGTREDING: date | None = None
# [S] The target date named by secondary sources (2023, 2024 and 2025 proved infeasible). It
# is no default: synthetic populations and examples use it when they need some date.
BEOOGDE_INWERKINGTREDING = date(2026, 1, 1)
# WMO_2015_VANAF and OVERGANG_TOT (the first day after the transition, seed 004) are declared
# with the predicates that read them (wpb.law.wmo.predicates), OVERGANG_TOT beside the text of
# the transitional rule (OVERGANG_STREKKING).

REGELVERSIE_AANMELDGEMEENTE = "wmo2015-art1.2.1b-aanmeldgemeente@2015-01-01"

# The rule a decision applied (``regel`` in the decision JSON).
REGEL_AANMELDGEMEENTE = "aanmeldgemeente"
REGEL_WOONPLAATSBEGINSEL = "woonplaatsbeginsel"
REGEL_GEEN = "geen"


def instelling_label(inwerkingtreding: date | None) -> str:
    """The setting as the receipt's regelversie names it."""
    return inwerkingtreding.isoformat() if inwerkingtreding else "niet-in-werking"


def regelversie(regel: str, inwerkingtreding: date | None) -> str:
    """The rule version with the setting it was chosen under, for the receipt."""
    setting = f"wetsvoorstel-36288={instelling_label(inwerkingtreding)}"
    if regel == REGEL_AANMELDGEMEENTE:
        return f"{REGELVERSIE_AANMELDGEMEENTE};{setting}"
    if regel == REGEL_WOONPLAATSBEGINSEL:
        assert inwerkingtreding is not None
        return f"wmo2015-art1.2.1b-woonplaatsbeginsel-36288@{inwerkingtreding.isoformat()}"
    return f"geen;{setting}"


# --- legal sources -------------------------------------------------------------------------

_BEGRIP_AANMELDGEMEENTE = "onderdeel b (gemeente tot welke hij zich wendt)"
_BEGRIP_WOONADRES = "onderdeel b (gemeente waar hij zijn woonadres heeft)"
_BEGRIP_UITZONDERING_A = "eerste lid, onderdeel a (eerder beschermd wonen)"
_BEGRIP_OVERGANG = "bestaande cliënten"

# LegalSource.onderdeel is a number (the Jeugdwet's 1° to 4°). The Wmo clauses are lettered and
# in two articles, so each gets a short stable name here, for conformance cases and batch output.
ONDERDEEL_AANMELDGEMEENTE = "1.2.1 b aanmeldgemeente"
ONDERDEEL_WOONADRES = "1.2.1 b woonadres"
ONDERDEEL_UITZONDERING_A = "1.2.1a lid 1 a"
ONDERDEEL_OVERGANG = "overgangsrecht"
ONDERDELEN = (ONDERDEEL_AANMELDGEMEENTE, ONDERDEEL_WOONADRES, ONDERDEEL_UITZONDERING_A, ONDERDEEL_OVERGANG)
_ONDERDEEL_CODES = {
    ("1.2.1", _BEGRIP_AANMELDGEMEENTE): ONDERDEEL_AANMELDGEMEENTE,
    ("1.2.1", _BEGRIP_WOONADRES): ONDERDEEL_WOONADRES,
    ("1.2.1a", _BEGRIP_UITZONDERING_A): ONDERDEEL_UITZONDERING_A,
    ("overgangsrecht", _BEGRIP_OVERGANG): ONDERDEEL_OVERGANG,
}


def onderdeel_code(grondslag: LegalSource | None) -> str | None:
    """The short name of the clause a beschermd-wonen decision applied (None: none applied)."""
    if grondslag is None:
        return None
    return _ONDERDEEL_CODES[(grondslag.artikel, grondslag.begrip)]



@dataclass(frozen=True)
class Bronnen:
    """The clauses, keyed to the entry-into-force date they hold from or until."""

    aanmeldgemeente: LegalSource
    woonadres: LegalSource
    uitzondering_a: LegalSource
    overgang: LegalSource


@cache
def aanmeldgemeente_bron(inwerkingtreding: date | None = INWERKINGTREDING) -> LegalSource:
    """Art. 1.2.1, onderdeel b, as in force from 2015-01-01, until the bill (if set) replaces it.

    Only the words the bill replaces are quoted; "[...]" marks the rest of the article, which
    this rule does not turn on.
    """
    return LegalSource(
        wet="Wmo 2015",
        bwb=BWB,
        artikel="1.2.1",
        begrip=_BEGRIP_AANMELDGEMEENTE,
        onderdeel=None,
        tekst="b. [...] beschermd wonen [...], te verstrekken door het college van de gemeente "
        "tot welke hij zich wendt [...]",
        geldig_vanaf=WMO_2015_VANAF,
        geldig_tot=inwerkingtreding,
    )


@cache
def bronnen(inwerkingtreding: date) -> Bronnen:
    """The clauses of the Wmo with the bill in force from ``inwerkingtreding``."""
    aanmeldgemeente = aanmeldgemeente_bron(inwerkingtreding)
    # Art. 1.2.1, onderdeel b, as amended by art. I, onderdeel B of the bill, with the
    # definition art. I, onderdeel A adds to art. 1.1.1, eerste lid.
    woonadres = LegalSource(
        wet="Wmo 2015 (wetsvoorstel 36 288)",
        bwb=BWB,
        artikel="1.2.1",
        begrip=_BEGRIP_WOONADRES,
        onderdeel=None,
        tekst="b. [...] beschermd wonen [...], te verstrekken door het college van de gemeente "
        "waar hij zijn woonadres heeft [...]. Art. 1.1.1, eerste lid: woonadres: woonadres als "
        "bedoeld in artikel 1.1, onderdeel o, van de Wet basisregistratie personen;",
        geldig_vanaf=inwerkingtreding,
    )
    # Art. 1.2.1a, eerste lid, aanhef en onderdeel a, inserted by art. I, onderdeel C.
    uitzondering_a = LegalSource(
        wet="Wmo 2015 (wetsvoorstel 36 288)",
        bwb=BWB,
        artikel="1.2.1a",
        begrip=_BEGRIP_UITZONDERING_A,
        onderdeel=None,
        tekst="1. Indien uit feiten en omstandigheden, inlichtingen van de ingezetene van "
        "Nederland daaronder begrepen, blijkt dat op de ingezetene van Nederland een "
        "omstandigheid als bedoeld in de onderdelen a tot en met d van toepassing is, dan "
        "wordt het beschermd wonen, in afwijking van artikel 1.2.1, aanhef en onderdeel b, "
        "verstrekt: a. ingeval aan de ingezetene eerder beschermd wonen is verstrekt en er "
        "minder dan twaalf maanden zijn verstreken sinds het eindigen van dat beschermd "
        "wonen, door het college van de gemeente dat laatstelijk beschermd wonen heeft "
        "verstrekt;",
        geldig_vanaf=inwerkingtreding,
    )
    # The seed's transitional rule, as its purport (beside its dates, wpb.law.wmo.predicates).
    overgang = LegalSource(
        wet="Wetsvoorstel 36 288",
        bwb=BWB,
        artikel="overgangsrecht",
        begrip=_BEGRIP_OVERGANG,
        onderdeel=None,
        tekst=OVERGANG_STREKKING,
        geldig_vanaf=inwerkingtreding,
        geldig_tot=OVERGANG_TOT,
    )
    return Bronnen(aanmeldgemeente, woonadres, uitzondering_a, overgang)


# --- the clauses as routes ---------------------------------------------------------------------
#
# Each table lists, in the order they are tried, the ways a case can go at one step of the rule,
# with the words each route rests on (the full texts are in the sources above). The predicates
# are declared once (wpb.law.wmo.predicates; woonadres, buitenland and aantekening are the
# Jeugdwet's, wpb.law.predicates). This engine walks the tables (first_route) and names every
# route tried in the toelichting; the national executor compiles the same tables
# (wpb.batch.wmo). A route's ``gevolg`` names the step it leads to in each executor.

_OPEN = REDEN_OPEN_RECHTSVRAAG.value

# Which rule applies on the peildatum.
REGEL_ROUTES = (
    # The Wmo 2015 is in force from 2015-01-01; before that beschermd wonen was AWBZ care.
    Route(MELDING_VOOR_WMO_2015, None, "melding vóór de Wmo 2015",
          reden=ReviewReden.WET_NIET_VAN_TOEPASSING.value, gevolg="geen_wmo"),
    # Art. 1.2.1 onder b (2015): "door het college van de gemeente tot welke hij zich wendt",
    # until bill 36 288 takes effect "op een bij koninklijk besluit te bepalen tijdstip".
    Route(AANMELDGEMEENTE_GELDT, ONDERDEEL_AANMELDGEMEENTE,
          "wetsvoorstel 36 288 op de peildatum niet in werking", gevolg="aanmeldgemeente"),
    # The bill, art. I onder B: "door het college van de gemeente waar hij zijn woonadres
    # heeft", with art. 1.2.1a and the transitional rule (OVERGANG_ROUTES).
    Route(~AANMELDGEMEENTE_GELDT, None, "wetsvoorstel 36 288 op de peildatum in werking",
          gevolg="woonplaatsbeginsel"),
)

# Under the bill: the transitional rule (seed 004, its purport), before art. 1.2.1a and 1.2.1 b.
OVERGANG_ROUTES = (
    # "Cliënten met een indicatie (...) van vóór de inwerkingtreding blijven aangewezen op hun
    # centrumgemeente zolang die indicatie loopt, uiterlijk tot en met 31 december 2031";
    # what follows after 2031 is open (overgang-na-2031).
    Route(BESTAANDE_CLIENT & NA_OVERGANG, ONDERDEEL_OVERGANG,
          "bestaande cliënt, peildatum na 2031", reden=_OPEN, gevolg="bestaande_client_na_2031"),
    Route(BESTAANDE_CLIENT, ONDERDEEL_OVERGANG,
          "bestaande cliënt (indicatie van vóór de inwerkingtreding, lopend op de peildatum)",
          gevolg="centrumgemeente_indicatie"),
    # A request made under the old rule and decided under the new: open (overgang-aanvraag).
    Route(MELDING_VOOR_INWERKINGTREDING, ONDERDEEL_WOONADRES, "melding vóór de inwerkingtreding",
          reden=_OPEN, gevolg="aanvraag_voor_inwerkingtreding"),
    # "wie in de 365 dagen vóór de melding in de regio waar hij zich meldt beschermd wonen heeft
    # aangevraagd of gebruikt, is geen nieuwe cliënt en blijft in die periode aangewezen op de
    # centrumgemeente van die regio".
    Route(OVERGANG_NIEUWE_CLIENT & GEEN_NIEUWE_CLIENT & REGIO_CENTRUM_BEKEND, ONDERDEEL_OVERGANG,
          "geen nieuwe cliënt", gevolg="centrumgemeente_regio"),
    Route(OVERGANG_NIEUWE_CLIENT & GEEN_NIEUWE_CLIENT, ONDERDEEL_OVERGANG,
          "geen nieuwe cliënt, centrumgemeente van de regio niet opgegeven", reden=_OPEN,
          ontbreekt=("aanmelding.regio.centrumgemeente",
                     "de centrumgemeente van de regio waar de cliënt zich meldt: die blijft "
                     "verantwoordelijk voor wie geen nieuwe cliënt is"),
          gevolg="centrumgemeente_regio_ontbreekt"),
    # Both answers weighed: decided only where they name the same gemeente.
    Route(OVERGANG_NIEUWE_CLIENT & NIEUWE_CLIENT_ONBEKEND, None,
          "niet vast te stellen of hij een nieuwe cliënt is", gevolg="nieuwe_client_onbekend"),
    # "Het woonplaatsbeginsel geldt voor de nieuwe cliënt", and for every client from 2032.
    Route(~OVERGANG_NIEUWE_CLIENT | NIEUWE_CLIENT.eq(True), None,
          "nieuwe cliënt, of buiten de overgangsperiode", gevolg="hoofdregel"),
)

# Not known whether he is a nieuwe cliënt (OVERGANG_ROUTES, "nieuwe_client_onbekend"): both
# answers are weighed, the woonplaatsbeginsel ("geldt voor de nieuwe cliënt") and the
# transitional rule (who is not one "blijft [...] aangewezen op de centrumgemeente van die
# regio"). Only where they name the same gemeente does the difference not matter: where the
# woonplaatsbeginsel decides for the one municipality that carries the code of the region's
# centrumgemeente on the peildatum (HOOFDREGEL_WIJST_CENTRUMGEMEENTE, declared in
# WEGING_FEITEN as the successor relation of the core, EnigeOpvolger, over HoofdregelOpPeildatum).
HOOFDREGEL_WIJST_CENTRUMGEMEENTE = Field("hoofdregel_wijst_centrumgemeente")
HOOFDREGEL_GEMEENTE = Field("hoofdregel_gemeente")  # the gemeente it decides for (None: none)

WEGING_FEITEN: dict[str, Term] = {
    HOOFDREGEL_WIJST_CENTRUMGEMEENTE.name: EnigeOpvolger(
        HOOFDREGEL_GEMEENTE, Opvolgers(REGIO_CENTRUMGEMEENTE, PEILDATUM)),
}


@dataclass(frozen=True)
class HoofdregelOpPeildatum:
    """The fact WEGING_FEITEN is evaluated on: the gemeente the woonplaatsbeginsel decides for
    (None: it decides for none), the region's centrumgemeente (None: not given), the peildatum
    and the register of herindelingen."""

    hoofdregel_gemeente: str | None
    regio_centrumgemeente: str | None
    peildatum: date
    gemeentelijke_indeling: GemeenteRegister


@dataclass(frozen=True)
class WegingFacts:
    """Whether the woonplaatsbeginsel decides for the region's centrumgemeente."""

    hoofdregel_wijst_centrumgemeente: bool

    @classmethod
    def op(cls, fact: HoofdregelOpPeildatum) -> WegingFacts:
        """The fact of NIEUWE_CLIENT_ONBEKEND_ROUTES, from its declaration (WEGING_FEITEN)."""
        return cls(holds(WEGING_FEITEN[HOOFDREGEL_WIJST_CENTRUMGEMEENTE.name], fact))


NIEUWE_CLIENT_ONBEKEND_ROUTES = (
    Route(HOOFDREGEL_WIJST_CENTRUMGEMEENTE, None,
          "woonplaatsbeginsel en overgangsrecht wijzen dezelfde gemeente aan", gevolg="hoofdregel"),
    Route(~HOOFDREGEL_WIJST_CENTRUMGEMEENTE, ONDERDEEL_OVERGANG,
          "woonplaatsbeginsel en overgangsrecht wijzen niet dezelfde gemeente aan",
          reden=ReviewReden.NIEUWE_CLIENT_ONBEKEND.value, gevolg="nieuwe_client_onbekend"),
)

# The centrumgemeente that stays responsible under the transitional rule (the decision's
# ``centrumgemeente``, whatever rule decides): a current client's is the centrumgemeente of
# his indication (OVERGANG_ROUTES, "centrumgemeente_indicatie"), any other who stays with one
# (not a nieuwe cliënt) the centrumgemeente of the region where he reports
# ("centrumgemeente_regio"); only while the transitional rule runs.
CENTRUMGEMEENTE_ROUTES = (
    Route(~BLIJFT_BIJ_CENTRUMGEMEENTE, None, "niet aangewezen op een centrumgemeente",
          gevolg="geen"),
    Route(BESTAANDE_CLIENT, ONDERDEEL_OVERGANG, "bestaande cliënt: de centrumgemeente van zijn "
          "indicatie", gevolg="centrumgemeente_indicatie"),
    Route(BLIJFT_BIJ_CENTRUMGEMEENTE, ONDERDEEL_OVERGANG, "geen nieuwe cliënt: de "
          "centrumgemeente van de regio waar hij zich meldt", gevolg="centrumgemeente_regio"),
)

# Art. 1.2.1a lid 1 onder a, in each reading of the earlier beschermd wonen on the day of the
# request (its facts are a fold over the placements: the predicates module says so).
EERDER_ROUTES = (
    # Beschermd wonen that still runs has not ended, so a is not settled (lopend-beschermd-wonen).
    Route(LOPENDE_INDICATIE_BIJ_MELDING, ONDERDEEL_UITZONDERING_A,
          "lopende indicatie bij de melding", reden=_OPEN, gevolg="lopende_indicatie"),
    Route(LOPEND_BESCHERMD_WONEN, ONDERDEEL_UITZONDERING_A,
          "lopend beschermd wonen bij de melding", reden=_OPEN, gevolg="lopend_beschermd_wonen"),
    # "ingeval aan de ingezetene eerder beschermd wonen is verstrekt en er minder dan twaalf
    # maanden zijn verstreken sinds het eindigen van dat beschermd wonen, door het college van
    # de gemeente dat laatstelijk beschermd wonen heeft verstrekt".
    Route(EERDER_BINNEN_TWAALF_MAANDEN, ONDERDEEL_UITZONDERING_A,
          "eerder beschermd wonen, minder dan twaalf maanden geleden geëindigd",
          gevolg="uitzondering_a"),
    # Otherwise art. 1.2.1 onder b: the woonadres (WOONADRES_ROUTES).
    Route(~EERDER_BINNEN_TWAALF_MAANDEN, ONDERDEEL_WOONADRES,
          "geen eerder beschermd wonen dat minder dan twaalf maanden geleden eindigde",
          gevolg="woonadres"),
)

# Art. 1.2.1 onder b (bill): "de gemeente waar hij zijn woonadres heeft", in each reading of the
# BRP on the day of the request. Where the rule cannot place the client the vangnet applies,
# whose content is open (vangnet); an aantekening (art. 2.26 Wet BRP) is open too.
WOONADRES_ROUTES = (
    Route(~INGESCHREVEN, ONDERDEEL_WOONADRES, "niet in de BRP ingeschreven", reden=_OPEN,
          gevolg="vangnet"),
    Route(BUITENLAND, ONDERDEEL_WOONADRES, "verblijfplaats buiten Nederland", reden=_OPEN,
          gevolg="vangnet"),
    # Art. 1.1.1 (bill): "woonadres als bedoeld in artikel 1.1, onderdeel o, van de Wet BRP";
    # a briefadres or verblijfplaats onbekend is none.
    Route(~WOONADRES, ONDERDEEL_WOONADRES, "geen woonadres", reden=_OPEN, gevolg="vangnet"),
    Route(AANTEKENING, ONDERDEEL_WOONADRES, "aantekening art. 2.26 Wet BRP bij het woonadres",
          reden=_OPEN, gevolg="aantekening"),
    Route(WOONADRES, ONDERDEEL_WOONADRES, "woonadres in een Nederlandse gemeente",
          gevolg="woonadres"),
)

# Art. 1.2.1a, eerste lid, onderdelen b, c en d, as far as wpb's sources give them. The copies
# of Kamerstuk 36 288, nr. 2 reachable here break off inside onderdeel b; c and d are missing.
# docs/open-questions.md says which words are missing and where they are published.
UITZONDERING_TEKST = {
    "b": "b. ingeval de ingezetene zijn woonadres heeft bij een bij regeli[ng ...] "
         "[de rest van onderdeel b ontbreekt in de bronnen van wpb]",
    "c": "c. [de tekst van onderdeel c ontbreekt in de bronnen van wpb]",
    "d": "d. [de tekst van onderdeel d ontbreekt in de bronnen van wpb]",
}
UITZONDERING_VINDPLAATS = (
    "Kamerstukken II 2022/23, 36 288, nr. 2, art. I, onderdeel C "
    "(https://zoek.officielebekendmakingen.nl/kst-36288-2.html)"
)
# Their text is not (fully) in wpb's sources (above), so only the intake's explicit "not
# applicable" passes. A review stays under the clause that settled the case (onderdeel None:
# the clause being applied).
UITZONDERINGEN_ROUTES = (
    Route(~UITZONDERINGEN_UITGESLOTEN, None,
          "omstandigheid van art. 1.2.1a lid 1 onder b, c of d niet uitgesloten", reden=_OPEN,
          gevolg="uitzondering_b_tot_d"),
    Route(UITZONDERINGEN_UITGESLOTEN, None, "omstandigheden onder b, c en d uitgesloten",
          gevolg="geregeld"),
)

# The rule each route of REGEL_ROUTES applies (``regel`` in the decision JSON).
REGEL_VAN = {
    "geen_wmo": REGEL_GEEN,
    "aanmeldgemeente": REGEL_AANMELDGEMEENTE,
    "woonplaatsbeginsel": REGEL_WOONPLAATSBEGINSEL,
}

ROUTE_TABLES = {
    "REGEL_ROUTES": REGEL_ROUTES,
    "OVERGANG_ROUTES": OVERGANG_ROUTES,
    "NIEUWE_CLIENT_ONBEKEND_ROUTES": NIEUWE_CLIENT_ONBEKEND_ROUTES,
    "CENTRUMGEMEENTE_ROUTES": CENTRUMGEMEENTE_ROUTES,
    "EERDER_ROUTES": EERDER_ROUTES,
    "WOONADRES_ROUTES": WOONADRES_ROUTES,
    "UITZONDERINGEN_ROUTES": UITZONDERINGEN_ROUTES,
}


def wmo_facts(
    case: WmoBwCase, inwerkingtreding: date | None, nieuwe_client: bool | None = None
) -> WmoFacts:
    """The facts the tables name, for ``case`` (the placements' readings not yet folded in)."""
    ind, uitz, regio = case.indicatie, case.uitzonderingen, case.aanmelding.regio
    return WmoFacts(
        melddatum=case.melddatum,
        peildatum=case.peildatum,
        inwerkingtreding=inwerkingtreding,
        indicatie_begin=ind.begin if ind else None,
        indicatie_einde=ind.einde if ind else None,
        nieuwe_client=nieuwe_client,
        regio_centrumgemeente=regio.centrumgemeente if regio else None,
        uitzondering_b=uitz.b if uitz else None,
        uitzondering_c=uitz.c if uitz else None,
        uitzondering_d=uitz.d if uitz else None,
    )


# --- entry point ---------------------------------------------------------------------------


def decide_wmo_bw(
    case: WmoBwCase,
    register: GemeenteRegister,
    *,
    inwerkingtreding: date | None = INWERKINGTREDING,
) -> Decision:
    """Which gemeente provides beschermd wonen on ``case.peildatum`` for this request, and why.

    ``inwerkingtreding`` is the installation's setting: the day bill 36 288 takes effect, or
    None when it is not in force (the default; no royal decree is known).
    """
    trace = Trace()
    trace.say(_instelling_zin(inwerkingtreding))
    if case.aanmelding.datum is None:
        trace.say(
            f"De dag van de melding is niet opgegeven; de peildatum {case.peildatum.isoformat()} "
            "geldt als dag van de melding."
        )
    taken: list[dict] = []
    route, tried = first_route(REGEL_ROUTES, wmo_facts(case, inwerkingtreding))
    if route.gevolg == "geen_wmo":
        trace.say(
            f"De melding ({case.melddatum.isoformat()}) ligt vóór de Wmo 2015 (in werking vanaf "
            f"{WMO_2015_VANAF.isoformat()}); beschermd wonen viel toen onder de AWBZ."
        )
        trace.say(f"Regel: {tried_text(tried)}")
        nieuw = nieuwe_client.bepaal(case, register, trace)
        assert route.reden is not None
        outcome = Outcome.review(ReviewReden(route.reden), None)
    elif route.gevolg == "aanmeldgemeente":
        trace.say(
            f"Peildatum {case.peildatum.isoformat()}: Wmo 2015 art. 1.2.1, onderdeel b, zoals "
            "geldend vanaf 2015-01-01 (de gemeente tot welke hij zich wendt)."
        )
        trace.say(f"Regel: {tried_text(tried)}")
        nieuw = nieuwe_client.bepaal(case, register, trace)
        trace.say("Of hij een nieuwe cliënt is, doet onder deze regel niet ter zake.")
        outcome = aanmeldgemeente(case, register, aanmeldgemeente_bron(inwerkingtreding), trace)
    else:
        assert route.gevolg == "woonplaatsbeginsel" and inwerkingtreding is not None
        trace.say(
            f"Peildatum {case.peildatum.isoformat()}: woonplaatsbeginsel voor beschermd wonen "
            f"(Wmo 2015 art. 1.2.1, onderdeel b, en art. 1.2.1a zoals voorgesteld in "
            f"wetsvoorstel 36 288), in werking vanaf {inwerkingtreding.isoformat()}."
        )
        trace.say(f"Regel: {tried_text(tried)}")
        nieuw = nieuwe_client.bepaal(case, register, trace)
        src = bronnen(inwerkingtreding)
        outcome = woonplaatsbeginsel(case, register, src, trace, inwerkingtreding, nieuw, taken)
    regel = REGEL_VAN[route.gevolg]

    extra = {
        "regel": regel,
        "inwerkingtreding": inwerkingtreding.isoformat() if inwerkingtreding else None,
        "nieuweClient": nieuw.waarde,
        "nieuweClientToelichting": nieuw.toelichting,
        "centrumgemeente": _centrumgemeente(case, register, inwerkingtreding, nieuw.waarde),
        "taken": taken,
        "openVragen": [v.to_json() for v in open_vragen.raised(trace)],
    }
    return build_decision(
        WET, case, register, outcome, trace, regelversie(regel, inwerkingtreding), extra
    )


def _instelling_zin(inwerkingtreding: date | None) -> str:
    """The opening sentence: the installation's setting for the entry into force of the bill."""
    if inwerkingtreding is None:
        return (
            "Instelling inwerkingtreding wetsvoorstel 36 288: niet ingesteld. Het wetsvoorstel "
            "treedt in werking op een bij koninklijk besluit te bepalen tijdstip; zo'n besluit "
            "is wpb niet bekend, dus het woonplaatsbeginsel voor beschermd wonen is niet in "
            "werking."
        )
    return (
        f"Instelling inwerkingtreding wetsvoorstel 36 288: {inwerkingtreding.isoformat()} "
        "(gekozen door deze installatie; de wet zelf laat de dag aan een koninklijk besluit)."
    )


def _centrumgemeente(
    case: WmoBwCase, register: GemeenteRegister, inwerkingtreding: date | None,
    nieuw: bool | None,
) -> dict | None:
    """The centrumgemeente that stays responsible under the transitional rule, as {code, naam}
    (CENTRUMGEMEENTE_ROUTES): a current client's, else the region's."""
    route, _ = first_route(CENTRUMGEMEENTE_ROUTES, wmo_facts(case, inwerkingtreding, nieuw))
    code = _centrum_code(case, str(route.gevolg))
    if code is None:
        return None
    codes = register.successors(code, case.peildatum).codes
    code = codes[0] if len(codes) == 1 else code
    return {"code": code, "naam": register.naam(code)}


def _centrum_code(case: WmoBwCase, gevolg: str) -> str | None:
    """The centrumgemeente a gevolg of OVERGANG_ROUTES or CENTRUMGEMEENTE_ROUTES names."""
    if gevolg == "centrumgemeente_indicatie":
        return case.indicatie.centrumgemeente if case.indicatie else None
    if gevolg == "centrumgemeente_regio":
        return _regio_centrumgemeente(case)
    return None


def _regio_centrumgemeente(case: WmoBwCase) -> str | None:
    regio = case.aanmelding.regio
    return regio.centrumgemeente if regio is not None else None


# --- version from 2015-01-01: the aanmeldgemeente -------------------------------------------


def aanmeldgemeente(
    case: WmoBwCase, register: GemeenteRegister, bron: LegalSource, trace: Trace
) -> Outcome:
    """Art. 1.2.1 onder b (2015): "door het college van de gemeente tot welke hij zich wendt"."""
    melding = case.aanmelding
    trace.use(
        melding.bron, "aanmelding", gemeente=melding.gemeente_code,
        datum=case.melddatum.isoformat(),
    )
    trace.say(
        f"De cliënt wendde zich op {case.melddatum.isoformat()} tot "
        f"{gemeente_label(register, melding.gemeente_code)}."
    )
    ind = case.indicatie
    if ind is not None and ind.covers(case.peildatum):
        trace.use(ind.bron, "lopende indicatie", **_indicatie_details(ind))
        trace.say(
            f"Zijn lopende indicatie (sinds {ind.begin.isoformat()}) wordt verstrekt door "
            f"centrumgemeente {gemeente_label(register, ind.centrumgemeente)}; onder deze regel "
            "beslist de gemeente tot welke hij zich wendt."
        )
    return resolve_gemeente(
        register, melding.gemeente_code, case.peildatum, bron, trace, wat="de aanmeldgemeente",
    )


# --- version from the entry into force: the woonplaatsbeginsel -----------------------------


def woonplaatsbeginsel(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    trace: Trace,
    inwerkingtreding: date,
    nieuw: nieuwe_client.NieuweClient,
    taken: list[dict],
) -> Outcome:
    """The transitional rule (OVERGANG_ROUTES: current clients, then clients who are not a
    nieuwe cliënt), then art. 1.2.1a and art. 1.2.1 onder b, and the overlegbepaling."""
    facts = wmo_facts(case, inwerkingtreding, nieuw.waarde)
    route, tried = first_route(OVERGANG_ROUTES, facts)
    trace.say(f"Overgangsrecht: {tried_text(tried)}")
    if route.gevolg in ("bestaande_client_na_2031", "centrumgemeente_indicatie"):
        assert case.indicatie is not None
        if route.gevolg == "bestaande_client_na_2031":
            return _bestaande_client_na_2031(case, register, src, trace, case.indicatie)
        return bestaande_client(case, register, src, trace, case.indicatie)
    if route.gevolg == "aanvraag_voor_inwerkingtreding":
        return _aanvraag_voor_inwerkingtreding(case, register, src, trace, inwerkingtreding)
    if route.gevolg in ("centrumgemeente_regio", "centrumgemeente_regio_ontbreekt"):
        return geen_nieuwe_client(case, register, src, trace, route)
    if route.gevolg == "nieuwe_client_onbekend":
        trace.say(
            "Niet vast te stellen of de cliënt een nieuwe cliënt is. Als hij dat is, geldt het "
            "woonplaatsbeginsel; als hij dat niet is, blijft hij volgens het overgangsrecht "
            "aangewezen op de centrumgemeente van zijn regio. Beide worden getoetst."
        )
        hoofdregel = _hoofdregel(case, register, src, trace, inwerkingtreding, taken)
        return _nieuwe_client_onbekend(case, register, src.overgang, trace, hoofdregel, taken)
    assert route.gevolg == "hoofdregel"
    if not holds(OVERGANG_NIEUWE_CLIENT, facts):
        if nieuw.waarde is not True:
            trace.say(
                f"Het overgangsrecht loopt uiterlijk tot en met "
                f"{day_before(OVERGANG_TOT).isoformat()}; daarna geldt het woonplaatsbeginsel "
                "ook voor wie geen nieuwe cliënt is."
            )
    else:
        trace.say("De cliënt is een nieuwe cliënt: het woonplaatsbeginsel geldt.")
    return _hoofdregel(case, register, src, trace, inwerkingtreding, taken)


def _hoofdregel(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    trace: Trace,
    inwerkingtreding: date,
    taken: list[dict],
) -> Outcome:
    """Art. 1.2.1a lid 1 (a settled, b to d open), art. 1.2.1 onder b, the overlegbepaling."""
    outcome = _eerder_beschermd_wonen(case, register, src, trace, inwerkingtreding)
    outcome = _uitzonderingen_b_tot_d(case, trace, outcome)
    return _overleg(case, register, trace, outcome, taken)


def geen_nieuwe_client(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen, trace: Trace, route: Route
) -> Outcome:
    """Overgangsrecht (seed 004): who is not a nieuwe cliënt stays with the centrumgemeente;
    open when the case does not name it (``route``: which of the two OVERGANG_ROUTES held)."""
    centrum = _regio_centrumgemeente(case)
    situatie = (
        "De cliënt is geen nieuwe cliënt: hij heeft in de 365 dagen vóór de melding in de regio "
        "waar hij zich meldt beschermd wonen aangevraagd of gebruikt. Volgens het overgangsrecht "
        "blijft hij aangewezen op de centrumgemeente van die regio, uiterlijk tot en met "
        f"{day_before(OVERGANG_TOT).isoformat()}; het woonplaatsbeginsel geldt niet voor hem."
    )
    if route.reden is not None:
        assert route.ontbreekt is not None
        trace.miss(*route.ontbreekt)
        raise_question(
            trace, open_vragen.BW_REGIOS,
            f"{situatie} De casus noemt de centrumgemeente van die regio niet.",
        )
        return Outcome.review(ReviewReden(route.reden), src.overgang)
    regio = case.aanmelding.regio
    assert regio is not None and centrum is not None
    trace.use(regio.bron, "regio van de aanmelding", centrumgemeente=centrum,
              gemeenten=list(regio.gemeenten))
    trace.say(f"{situatie} Centrumgemeente: {gemeente_label(register, centrum)}.")
    return resolve_gemeente(
        register, centrum, case.peildatum, src.overgang, trace, wat="de centrumgemeente",
    )


def _nieuwe_client_onbekend(
    case: WmoBwCase,
    register: GemeenteRegister,
    overgang: LegalSource,
    trace: Trace,
    hoofdregel: Outcome,
    taken: list[dict],
) -> Outcome:
    """Not known whether he is a nieuwe cliënt: decided only when the woonplaatsbeginsel
    (``hoofdregel``) gives the region's centrumgemeente itself."""
    centrum = _regio_centrumgemeente(case)
    gemeente = hoofdregel.gemeente if hoofdregel.status is Status.BEPAALD else None
    route, _ = first_route(NIEUWE_CLIENT_ONBEKEND_ROUTES, WegingFacts.op(
        HoofdregelOpPeildatum(gemeente, centrum, case.peildatum, register)))
    if route.gevolg == "hoofdregel":
        trace.say(
            f"Het woonplaatsbeginsel en het overgangsrecht wijzen dezelfde gemeente aan "
            f"({gemeente_label(register, hoofdregel.gemeente)}); het verschil doet er niet toe."
        )
        return hoofdregel
    taken.clear()  # a task follows a decision; this one is still open
    if centrum is None:
        trace.miss(
            "aanmelding.regio.centrumgemeente",
            "de centrumgemeente van de regio waar de cliënt zich meldt: verantwoordelijk als "
            "hij geen nieuwe cliënt is",
        )
    assert route.reden is not None
    return Outcome.review(
        ReviewReden(route.reden),
        overgang,
        _merge(
            _current(register, case.peildatum, [
                (centrum, "centrumgemeente van de regio, als hij geen nieuwe cliënt is")
            ] if centrum else []),
            _candidates_of(hoofdregel, "als hij een nieuwe cliënt is (woonplaatsbeginsel)"),
        ),
    )


def bestaande_client(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen, trace: Trace, ind: Indicatie
) -> Outcome:
    """Overgangsrecht (seed 004): the centrumgemeente while the indication runs, to end 2031."""
    trace.use(ind.bron, "indicatie van vóór de inwerkingtreding", **_indicatie_details(ind))
    label = gemeente_label(register, ind.centrumgemeente)
    einde = f"tot en met {ind.einde.isoformat()}" if ind.einde else "zonder einddatum"
    trace.say(
        f"De cliënt is een bestaande cliënt: zijn indicatie van vóór de inwerkingtreding "
        f"(sinds {ind.begin.isoformat()}, {einde}) loopt op de peildatum. Hij blijft "
        f"aangewezen op centrumgemeente {label} zolang de indicatie loopt, uiterlijk tot en met "
        f"{day_before(OVERGANG_TOT).isoformat()}."
    )
    return resolve_gemeente(
        register, ind.centrumgemeente, case.peildatum, src.overgang, trace,
        wat="de centrumgemeente",
    )


def _bestaande_client_na_2031(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen, trace: Trace, ind: Indicatie
) -> Outcome:
    """A current client's indication still runs after the transition: open (overgang-na-2031)."""
    trace.use(ind.bron, "indicatie van vóór de inwerkingtreding", **_indicatie_details(ind))
    label = gemeente_label(register, ind.centrumgemeente)
    settled = _settled_candidates(case, register, src)
    raise_question(
        trace, open_vragen.OVERGANG_NA_2031,
        f"De indicatie van vóór de inwerkingtreding (sinds {ind.begin.isoformat()}, "
        f"centrumgemeente {label}) loopt op de peildatum nog, maar het overgangsrecht "
        f"houdt uiterlijk op {day_before(OVERGANG_TOT).isoformat()} op.",
    )
    return Outcome.review(
        REDEN_OPEN_RECHTSVRAAG,
        src.overgang,
        _merge(
            _current(register, case.peildatum,
                     [(ind.centrumgemeente, "centrumgemeente van de lopende indicatie")]),
            settled,
        ),
    )


def _aanvraag_voor_inwerkingtreding(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    trace: Trace,
    inwerkingtreding: date,
) -> Outcome:
    """A request made under the old rule and decided under the new: the transition is open."""
    melding = case.aanmelding
    trace.use(
        melding.bron, "aanmelding", gemeente=melding.gemeente_code,
        datum=case.melddatum.isoformat(),
    )
    settled = _settled_candidates(case, register, src)
    raise_question(
        trace, open_vragen.OVERGANG_AANVRAAG,
        f"De cliënt meldde zich op {case.melddatum.isoformat()}, vóór de inwerkingtreding "
        f"({inwerkingtreding.isoformat()}), bij {gemeente_label(register, melding.gemeente_code)}; "
        "de peildatum valt erna.",
    )
    return Outcome.review(
        REDEN_OPEN_RECHTSVRAAG,
        src.woonadres,
        _merge(
            _current(register, case.peildatum,
                     [(melding.gemeente_code, "aanmeldgemeente (regel vóór de inwerkingtreding)")]),
            settled,
        ),
    )


def _uitzonderingen_b_tot_d(case: WmoBwCase, trace: Trace, settled: Outcome) -> Outcome:
    """Art. 1.2.1a lid 1 onder b, c en d: their text is not (fully) in wpb's sources, so only
    an explicit "not applicable" passes (:data:`UITZONDERING_TEKST`)."""
    declared = case.uitzonderingen
    if declared is not None:
        trace.use(declared.bron, "uitzonderingen art. 1.2.1a lid 1 onder b-d",
                  **{k: v for k, v in declared.items()})
    route, tried = first_route(UITZONDERINGEN_ROUTES, wmo_facts(case, None))
    trace.say(f"Art. 1.2.1a lid 1 onder b, c en d: {tried_text(tried)}")
    if route.gevolg == "geregeld":
        trace.say(
            "Volgens de casus (uitzonderingen) doen de omstandigheden van art. 1.2.1a lid 1 "
            "onder b, c en d zich niet voor."
        )
        return settled
    assert route.reden is not None
    stated = declared.items() if declared else (("b", None), ("c", None), ("d", None))
    for letter, value in stated:
        if value is False:
            continue
        situatie = (
            f"Volgens de casus doet de omstandigheid van art. 1.2.1a lid 1 onder {letter} "
            "zich voor."
            if value
            else f"Of de omstandigheid van art. 1.2.1a lid 1 onder {letter} zich voordoet, is "
            "niet vastgesteld (uitzonderingen." + letter + ")."
        )
        situatie += (
            f" De tekst luidt in de bronnen van wpb: \"{UITZONDERING_TEKST[letter]}\"; de volledige "
            f"tekst staat in {UITZONDERING_VINDPLAATS}."
        )
        raise_question(trace, open_vragen.UITZONDERINGEN[letter], situatie)
    return Outcome.review(
        ReviewReden(route.reden),
        settled.grondslag,
        _candidates_of(settled, "als de uitzonderingen b-d niet van toepassing zijn"),
    )


def _overleg(
    case: WmoBwCase,
    register: GemeenteRegister,
    trace: Trace,
    outcome: Outcome,
    taken: list[dict],
) -> Outcome:
    """The overlegbepaling: a duty to consult, not a shift of responsibility.

    When beschermd wonen is meant in another gemeente than the responsible one, the
    responsible gemeente stays responsible (art. 1.2.1 onder b, or art. 1.2.1a) and must
    consult the gemeente where the beschermd wonen is meant. The decision carries that as a
    task (``taken``) for the service to follow up. The wording of the overlegbepaling itself
    is not in wpb's sources (docs/open-questions.md, bw-overleg).
    """
    beoogd = case.beoogde_gemeente
    if beoogd is None or outcome.status is not Status.BEPAALD:
        return outcome
    assert outcome.gemeente is not None
    trace.use("beoogdeGemeente", "beoogde gemeente van het beschermd wonen", gemeente=beoogd)
    codes = register.successors(beoogd, case.peildatum).codes or (beoogd,)
    others = [c for c in codes if c != outcome.gemeente]
    if not others:
        trace.say("Het beschermd wonen is beoogd in de verantwoordelijke gemeente zelf.")
        return outcome
    verantwoordelijk = gemeente_label(register, outcome.gemeente)
    for code in others:
        met = gemeente_label(register, code)
        naam = register.naam(code) if code in register else code
        taken.append({
            "soort": "overleg",
            "door": {"code": outcome.gemeente, "naam": register.naam(outcome.gemeente)},
            "met": {"code": code, "naam": naam},
            "omschrijving": f"overleg vereist met {code} ({naam}): het beschermd wonen is daar "
                            f"beoogd; {verantwoordelijk} blijft verantwoordelijk",
            "grondslag": "overlegbepaling wetsvoorstel 36 288 (tekst ontbreekt in de bronnen "
                         "van wpb; zie docs/open-questions.md, bw-overleg)",
        })
        trace.say(
            f"Het beschermd wonen is beoogd in {met}, een andere gemeente dan de "
            f"verantwoordelijke. De overlegbepaling verplicht tot overleg met {met}; de "
            f"verantwoordelijkheid blijft bij {verantwoordelijk}. Taak: overleg vereist met "
            f"{code}."
        )
    return outcome


# --- art. 1.2.1a lid 1 onder a: earlier beschermd wonen ------------------------------------


@dataclass(frozen=True)
class _Stand:
    """One reading of a placement on the day of the request."""

    plaatsing: BeschermdWonenPlaatsing
    toestand: str  # "voor" (not begun yet), "loopt" or "geeindigd"
    label: str


_STAND_LABELS = {
    "voor": "als {} pas op of na de melding begon",
    "loopt": "als {} bij de melding nog liep",
    "geeindigd": "als {} vóór de melding eindigde",
}


def _op_dag(p: BeschermdWonenPlaatsing, dag: date) -> PlaatsingOpDag:
    einde = None if p.einde is None else (p.einde.earliest, p.einde.latest)
    return op_dag((p.begin.earliest, p.begin.latest), einde, dag)


def _standen(p: BeschermdWonenPlaatsing, dag: date) -> list[_Stand]:
    """Every state the placement may be in on ``dag``, given its (partial) dates (the
    declared states, wpb.law.wmo.spans.STANDEN)."""
    return [_Stand(p, toestand, _STAND_LABELS[toestand].format(p.bron))
            for toestand in standen(_op_dag(p, dag))]


def _eerder_beschermd_wonen(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    trace: Trace,
    inwerkingtreding: date,
) -> Outcome:
    """Which earlier beschermd wonen there was on the day of the request, in every reading."""
    dag = case.melddatum
    facts = wmo_facts(case, inwerkingtreding)
    route, tried = first_route(EERDER_ROUTES, facts)
    if route.gevolg == "lopende_indicatie":
        # A running indication that is not a current client's (that case returned earlier).
        assert case.indicatie is not None
        trace.say(f"Art. 1.2.1a lid 1 onder a: {tried_text(tried)}")
        return _lopende_indicatie(case, register, src, trace, case.indicatie, inwerkingtreding)
    per_placement = [_standen(p, dag) for p in case.eerder_beschermd_wonen]
    for states in per_placement:
        if len(states) == 1 and states[0].toestand == "voor":
            trace.say(
                f"{states[0].plaatsing.bron} begon niet vóór de melding en is geen eerder "
                "beschermd wonen."
            )
    if any(len(states) > 1 for states in per_placement):
        trace.say(
            "Door een onvolledige datum is niet zeker hoe het eerdere beschermd wonen er bij "
            "de melding voor stond; elke mogelijkheid wordt getoetst."
        )
    readings: list[tuple[str, Callable[[Trace], Outcome]]] = []
    for combo in itertools.product(*per_placement):
        assumed = _join(*(
            state.label for state, options in zip(combo, per_placement, strict=True)
            if len(options) > 1
        ))
        running = [s.plaatsing for s in combo if s.toestand == "loopt"]
        ended = [s.plaatsing for s in combo if s.toestand == "geeindigd"]
        if running:
            readings.append((
                assumed or "lopend beschermd wonen",
                partial(_eerder_reading, case, register, src, facts, inwerkingtreding,
                        running, None, ended),
            ))
            continue
        for label, last in _laatste_plaatsing(ended, dag):
            readings.append((
                _join(assumed, label) or "eerder beschermd wonen",
                partial(_eerder_reading, case, register, src, facts, inwerkingtreding,
                        [], last, ended),
            ))
    return combine(readings, trace, ReviewReden.ONVOLLEDIGE_DATUM)


def _eerder_reading(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    facts: WmoFacts,
    inwerkingtreding: date,
    running: list[BeschermdWonenPlaatsing],
    last: BeschermdWonenPlaatsing | None,
    ended: list[BeschermdWonenPlaatsing],
    trace: Trace,
) -> Outcome:
    """One reading of the earlier beschermd wonen, led by EERDER_ROUTES."""
    route, tried = first_route(EERDER_ROUTES, replace(
        facts, lopend_beschermd_wonen=bool(running), eerder_binnen_twaalf_maanden=last is not None,
    ))
    trace.say(f"Art. 1.2.1a lid 1 onder a: {tried_text(tried)}")
    if route.gevolg == "lopend_beschermd_wonen":
        return _lopend(case, register, src, running, inwerkingtreding, trace)
    if route.gevolg == "uitzondering_a":
        assert last is not None
        return uitzondering_a(case, register, src, trace, last)
    assert route.gevolg == "woonadres"
    return _geen_uitzondering_a(case, register, src, ended, trace)


def _laatste_plaatsing(
    ended: list[BeschermdWonenPlaatsing], dag: date
) -> list[tuple[str, BeschermdWonenPlaatsing | None]]:
    """Readings of "the last placement, if it ended less than twelve months ago".

    ``None`` stands for "exception a does not apply". A placement can be the last one when it
    may have ended no earlier than every other; it is within twelve months in every reading
    when even its earliest possible end is, in some readings when only its latest is.
    """
    if not ended:
        return [("", None)]
    options: list[tuple[str, BeschermdWonenPlaatsing | None]] = []
    # Declared in wpb.law.wmo.spans (LAATST_GEEINDIGD): a placement is left out when another
    # certainly ended later. In this reading each ended before ``dag`` (even its earliest end
    # is before it), so a latest end on or after ``dag`` compares as the day before would.
    for p, certainly_last in laatste(LAATST_GEEINDIGD, ended, lambda p: _op_dag(p, dag)):
        last = "" if certainly_last else f"als {p.bron} het laatst eindigde"
        # Declared in wpb.law.wmo.spans; its latest end read as it is, not as the day before
        # ``dag`` when later, gives the same answer (twelve months after any day from the day
        # before ``dag`` on are after ``dag``).
        fact = _op_dag(p, dag)
        if holds(ZEKER_BINNEN_TWAALF_MAANDEN, fact):  # even its earliest end is recent enough
            options.append((last, p))
        elif holds(MOGELIJK_BINNEN_TWAALF_MAANDEN, fact):
            recent = f"als {p.bron} minder dan twaalf maanden geleden eindigde"
            long_ago = f"als {p.bron} twaalf maanden of langer geleden eindigde"
            options.append((_join(last, recent), p))
            options.append((_join(last, long_ago), None))
        else:
            options.append((last, None))
    return options


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _geen_uitzondering_a(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    ended: list[BeschermdWonenPlaatsing],
    trace: Trace,
) -> Outcome:
    """Exception a does not apply in this reading: why, then the woonadres."""
    dag = case.melddatum
    if not ended:
        trace.say(
            "Aan de cliënt is niet eerder beschermd wonen verstrekt: uitzondering a is niet "
            "van toepassing."
        )
    else:
        latest = max(ended, key=lambda p: p.einde.latest if p.einde else dag)
        assert latest.einde is not None
        trace.use(latest.bron, "laatste eerdere beschermd wonen", **_plaatsing_details(latest))
        trace.say(
            f"Het laatste eerdere beschermd wonen ({latest.bron}) eindigde op "
            f"{latest.einde.isoformat()}; op {dag.isoformat()} zijn twaalf maanden of meer "
            "verstreken, dus uitzondering a is niet van toepassing."
        )
    return woonadres(case, register, src, trace)


def uitzondering_a(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    trace: Trace,
    last: BeschermdWonenPlaatsing,
) -> Outcome:
    """Art. 1.2.1a lid 1 onder a: "door het college van de gemeente dat laatstelijk beschermd
    wonen heeft verstrekt", when "minder dan twaalf maanden zijn verstreken sinds het eindigen
    van dat beschermd wonen"."""
    assert last.einde is not None
    dag = case.melddatum
    trace.use(last.bron, "laatste eerdere beschermd wonen", **_plaatsing_details(last))
    grens = twaalf_maanden_na(last.einde.earliest).isoformat()
    if not last.einde.is_exact:
        grens = f"{grens} of later"
    trace.say(
        f"Het laatste eerdere beschermd wonen ({last.bron}) werd verstrekt door "
        f"{gemeente_label(register, last.gemeente_code)} en eindigde op "
        f"{last.einde.isoformat()}; op de dag van de melding ({dag.isoformat()}) zijn minder dan "
        f"twaalf maanden verstreken (die zijn verstreken op {grens}). Uitzondering a is van "
        "toepassing."
    )
    return resolve_gemeente(
        register, last.gemeente_code, case.peildatum, src.uitzondering_a, trace,
        wat="de gemeente die laatstelijk beschermd wonen verstrekte",
    )


def _lopend(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    running: list[BeschermdWonenPlaatsing],
    inwerkingtreding: date,
    trace: Trace,
) -> Outcome:
    for p in running:
        trace.use(p.bron, "lopend beschermd wonen bij de melding", **_plaatsing_details(p))
    names = ", ".join(f"{p.bron} ({gemeente_label(register, p.gemeente_code)})" for p in running)
    hint = ""
    if any(p.begin.earliest < inwerkingtreding for p in running):
        # Likely a current client whose indication the case does not give.
        hint = (
            " Het begon vóór de inwerkingtreding: heeft de cliënt een indicatie van vóór de "
            "inwerkingtreding, geef die dan op (indicatie); dan geldt het overgangsrecht."
        )
    raise_question(
        trace, open_vragen.LOPEND_BESCHERMD_WONEN,
        f"Bij de melding ({case.melddatum.isoformat()}) loopt nog beschermd wonen: {names}.{hint}",
    )
    return Outcome.review(
        REDEN_OPEN_RECHTSVRAAG,
        src.uitzondering_a,
        _merge(
            _current(register, case.peildatum, [
                (p.gemeente_code, f"verstrekt het lopende beschermd wonen ({p.bron})")
                for p in running
            ]),
            _woonadres_candidates(case, register, src),
        ),
    )


def _lopende_indicatie(
    case: WmoBwCase,
    register: GemeenteRegister,
    src: Bronnen,
    trace: Trace,
    ind: Indicatie,
    inwerkingtreding: date,
) -> Outcome:
    trace.use(ind.bron, "lopende indicatie bij de melding", **_indicatie_details(ind))
    when = "vóór" if ind.begin < inwerkingtreding else "na"
    raise_question(
        trace, open_vragen.LOPEND_BESCHERMD_WONEN,
        f"Bij de melding ({case.melddatum.isoformat()}) loopt een indicatie voor beschermd wonen "
        f"van {when} de inwerkingtreding (sinds {ind.begin.isoformat()}, verstrekt door "
        f"{gemeente_label(register, ind.centrumgemeente)}).",
    )
    return Outcome.review(
        REDEN_OPEN_RECHTSVRAAG,
        src.uitzondering_a,
        _merge(
            _current(register, case.peildatum,
                     [(ind.centrumgemeente, "verstrekt de lopende indicatie")]),
            _woonadres_candidates(case, register, src),
        ),
    )


# --- art. 1.2.1 onder b (new): the woonadres ------------------------------------------------


def woonadres(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen, trace: Trace
) -> Outcome:
    """Art. 1.2.1 onder b: "door het college van de gemeente waar hij zijn woonadres heeft"."""
    dag = case.melddatum
    readings = readings_between(case.client, dag, dag)
    if len(readings) > 1:
        trace.say(
            f"Door een onvolledige datum is niet zeker welke inschrijving op {dag.isoformat()} "
            "gold; elke mogelijkheid wordt getoetst."
        )
    return combine_readings(
        register, readings, lambda r: partial(_from_reading, case, register, src, r),
        trace, ReviewReden.ONVOLLEDIGE_DATUM,
    )


def _from_reading(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen, reading: Reading, trace: Trace
) -> Outcome:
    """One reading of the BRP on the day of the request, led by WOONADRES_ROUTES."""
    dag = case.melddatum.isoformat()
    use_record(trace, reading, "woonadres op de dag van de melding", register)
    record = reading.record
    facts = reading_facts(reading)
    if record is not None and record.bron in case.briefadressen:
        facts = replace(facts, briefadres=True)  # the case marks it (functieAdres B)
    route, tried = first_route(WOONADRES_ROUTES, facts)
    where = f"{describe_record(register, record)} ({record.bron})" if record else ""
    if record is None:
        situatie = f"Op {dag} was de cliënt niet in de BRP ingeschreven."
    elif record.is_woonadres and record.bron in case.briefadressen:
        situatie = (
            f"Op {dag} stond de cliënt ingeschreven op een briefadres in "
            f"{gemeente_label(register, record.gemeente_code)} ({record.bron}); een briefadres "
            "is geen woonadres."
        )
    else:
        situatie = f"Op {dag} had de cliënt {where}."
    getoetst = f"Art. 1.2.1 onder b (woonadres): {tried_text(tried)}"
    if route.gevolg == "vangnet":
        trace.say(getoetst)
        return _vangnet(case, register, src, trace, situatie)
    assert record is not None and record.gemeente_code is not None
    if route.gevolg == "aantekening":
        trace.say(getoetst)
        raise_question(
            trace, open_vragen.WOONADRES_AANTEKENING,
            f"Op {dag} had de cliënt {where}, maar bij dat woonadres staat een aantekening als "
            "bedoeld in art. 2.26 Wet BRP.",
        )
        return Outcome.review(
            ReviewReden(route.reden),
            src.woonadres,
            _current(register, case.peildatum,
                     [(record.gemeente_code, "gemeente van het woonadres met aantekening")]),
        )
    assert route.gevolg == "woonadres"
    trace.say(situatie)
    trace.say(getoetst)
    return resolve_gemeente(
        register, record.gemeente_code, case.peildatum, src.woonadres, trace, wat="het woonadres"
    )


def _vangnet(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen, trace: Trace, situatie: str
) -> Outcome:
    """The rule cannot place the client: the vangnet applies, and its content is open."""
    raise_question(
        trace, open_vragen.VANGNET,
        f"{situatie} Het woonplaatsbeginsel kan de cliënt niet plaatsen.",
    )
    code = case.aanmelding.gemeente_code
    return Outcome.review(
        REDEN_OPEN_RECHTSVRAAG,
        src.woonadres,
        _current(register, case.peildatum, [
            (code, "gemeente waar de cliënt zich meldde; of de vangnetregeling die "
                   "aanwijst, is open")
        ]),
    )


# --- candidates for a review ---------------------------------------------------------------


def _settled_candidates(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen
) -> list[tuple[str, str]]:
    """What exception a and the woonadres rule give, measured on the day of the request."""
    scratch = Trace()
    ended = [
        s.plaatsing
        for p in case.eerder_beschermd_wonen
        for s in _standen(p, case.melddatum)
        if s.toestand == "geeindigd"
    ]
    options = _laatste_plaatsing(ended, case.melddatum)
    found: list[tuple[str, str]] = []
    for _, last in options:
        if last is None:
            found = _merge(found, _woonadres_candidates(case, register, src))
        else:
            outcome = uitzondering_a(case, register, src, scratch, last)
            found = _merge(found, _candidates_of(
                outcome, "volgens art. 1.2.1a lid 1 onder a (eerder beschermd wonen)"
            ))
    return found


def _woonadres_candidates(
    case: WmoBwCase, register: GemeenteRegister, src: Bronnen
) -> list[tuple[str, str]]:
    outcome = woonadres(case, register, src, Trace())
    return _candidates_of(outcome, "volgens art. 1.2.1 onder b (woonadres)")


def _candidates_of(outcome: Outcome, why: str) -> list[tuple[str, str]]:
    if outcome.status is Status.BEPAALD and outcome.gemeente is not None:
        return [(outcome.gemeente, why)]
    return list(outcome.kandidaten)


def _current(
    register: GemeenteRegister, day: date, items: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Candidates by the municipality that carries each code on ``day`` (all, after a split)."""
    return [(c, why) for code, why in items for c in register.successors(code, day).codes]


def _merge(*lists: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for items in lists:
        for code, why in items:
            if code not in (c for c, _ in merged):
                merged.append((code, why))
    return merged


# --- details for gebruikteGegevens ---------------------------------------------------------


def _plaatsing_details(p: BeschermdWonenPlaatsing) -> dict:
    return {
        "gemeente": p.gemeente_code,
        "locatie": p.locatie_gemeente,
        "begin": p.begin.isoformat(),
        "einde": p.einde.isoformat() if p.einde else None,
    }


def _indicatie_details(ind: Indicatie) -> dict:
    return {
        "centrumgemeente": ind.centrumgemeente,
        "begin": ind.begin.isoformat(),
        "einde": ind.einde.isoformat() if ind.einde else None,
    }


__all__ = [
    "INWERKINGTREDING",
    "OVERGANG_TOT",
    "WET",
    "bronnen",
    "decide_wmo_bw",
    "onderdeel_code",
]
