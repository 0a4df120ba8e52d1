"""Whether the client counts as a *nieuwe cliënt* for beschermd wonen.

Definition (seed 004, see docs/open-questions.md): a nieuwe cliënt has, in the 365 days
before he reports, neither applied for nor used a beschermd-wonen facility in the region
where he reports. wpb reads it as follows:

- "the 365 days before he reports": the days melddatum − 365 up to and including
  melddatum − 1 (:func:`wpb.law.wmo.termijnen.venster_nieuwe_client`).
- "used a facility": a placement (``eerderBeschermdWonen``) with at least one day in that
  window, counted where the facility is (``locatie``), not where the providing college sits.
- "applied for": an application (``eerdereAanvragen``) dated in that window, counted at the
  gemeente applied to.
- "the region where he reports": the region of the aanmeldgemeente. A gemeente is always in
  its own region; for any other gemeente the case must list the region
  (``aanmelding.regio.gemeenten``), since the regions are not reference data in wpb.

The answer is true, false or unknown (None): unknown when a date, a location, the region or
the list of applications leaves it open. It matters under the transitional rule of the bill
(to the end of 2031): the woonplaatsbeginsel applies to a nieuwe cliënt, and a client who is
not one stays with the centrumgemeente (:func:`wpb.law.wmo.beschermd_wonen.geen_nieuwe_client`).

Its parts are declared once for both executors: the window and whether a placement or an
application falls in it (:mod:`wpb.law.wmo.spans`), whether a gemeente lies in the region
(:data:`IN_REGIO_ROUTES`, its facts :data:`IN_REGIO_FEITEN`: the core's comparisons of the
successors of gemeentecodes, ``wpb.law.predicates.Opvolgers``), whether each counts certainly or possibly
(:data:`ACTIVITEIT_ROUTES`) and the answer (:data:`NIEUWE_CLIENT_ROUTES`); the national
executor compiles them (wpb.batch.wmo.nieuwe_client).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import wpb.law.wmo.open_vragen as open_vragen
from wpb.law.explain import gemeente_label
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.predicates import (
    Field,
    OpvolgerGedeeld,
    Opvolgers,
    OpvolgersBinnen,
    Route,
    Term,
    first_route,
    holds,
)
from wpb.law.trace import Trace
from wpb.law.wmo.facts import WmoBwCase
from wpb.law.wmo.predicates import MELDDATUM
from wpb.law.wmo.spans import (
    AANVRAAG_MOGELIJK_IN_VENSTER,
    AANVRAAG_ZEKER_IN_VENSTER,
    GEBRUIK_MOGELIJK_IN_VENSTER,
    GEBRUIK_ZEKER_IN_VENSTER,
    AanvraagOpDag,
    op_dag,
)
from wpb.law.wmo.termijnen import DAGEN_NIEUWE_CLIENT, venster_nieuwe_client

# --- the step per placement or application: does it count, certainly or possibly ----------

IN_REGIO = Field("in_regio")  # it counts in the region: true, false, None (not known)
ZEKER_IN_VENSTER = Field("zeker_in_venster")  # certainly in the window (else possibly)


@dataclass(frozen=True)
class ActiviteitFacts:
    """What one placement or application that may fall in the window says (_Activiteit)."""

    in_regio: bool | None
    zeker_in_venster: bool


# Each placement or application that may fall in the 365 days, in this order: outside the
# region it does not count; in the region and certainly in the window it is "zeker"; any
# other (the region or the window not known) is "misschien" (ActiviteitenFacts).
ACTIVITEIT_ROUTES = (
    Route(IN_REGIO.eq(False), None, "buiten de regio waar hij zich meldt", gevolg="telt_niet"),
    Route(IN_REGIO.eq(True) & ZEKER_IN_VENSTER, None,
          f"in de regio en zeker in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding",
          gevolg="zeker"),
    Route(~IN_REGIO.eq(False), None, "mogelijk in de regio en in die dagen", gevolg="misschien"),
)

# --- how the placements and applications in the window reduce to one answer ----------------

ZEKER = Field("zeker")  # one certainly in the window and in the region
MISSCHIEN = Field("misschien")  # one possibly both (and none certainly)
AANVRAGEN_BEKEND = Field("aanvragen_bekend")  # the case lists the earlier applications


@dataclass(frozen=True)
class ActiviteitenFacts:
    """What the placements and applications of a client in the window say together."""

    zeker: bool
    misschien: bool
    aanvragen_bekend: bool


# The answer, in this order; each route's ``gevolg`` names it (NIEUWE_CLIENT_WAARDE).
NIEUWE_CLIENT_ROUTES = (
    Route(ZEKER, None,
          f"gebruik of aanvraag in de regio in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding",
          gevolg="nee"),
    Route(MISSCHIEN, None, "mogelijk gebruik of aanvraag in de regio in die dagen",
          gevolg="mogelijk"),
    Route(~AANVRAGEN_BEKEND, None, "eerdere aanvragen niet opgegeven",
          gevolg="aanvragen_onbekend"),
    Route(AANVRAGEN_BEKEND, None, "geen gebruik en geen aanvraag in de regio in die dagen",
          gevolg="ja"),
)
# true, false, None (the facts do not decide)
NIEUWE_CLIENT_WAARDE: dict[str, bool | None] = {
    "nee": False, "mogelijk": None, "aanvragen_onbekend": None, "ja": True,
}


@dataclass(frozen=True)
class NieuweClient:
    waarde: bool | None  # None: the facts do not decide
    toelichting: str


@dataclass(frozen=True)
class _Activiteit:
    bron: str
    wat: str  # "gebruik" or "aanvraag"
    gemeente: str | None  # where it counts for the region; None: not known
    in_venster: bool | None  # True certainly, None possibly (partial dates)


def bepaal(case: WmoBwCase, register: GemeenteRegister, trace: Trace) -> NieuweClient:
    """Apply the definition of the nieuwe cliënt to ``case`` on its melddatum."""
    melddatum = case.melddatum
    eerste, laatste = venster_nieuwe_client(melddatum)
    periode = " tot en met ".join(
        d.isoformat() if d is not None else "vóór 0001-01-01" for d in (eerste, laatste))
    activiteiten = _activiteiten(case)

    zeker: list[str] = []  # certainly in the window and in the region
    misschien: list[str] = []  # possibly both
    regio_nodig = False
    for act in activiteiten:
        in_regio = _in_regio(case, register, act.gemeente, melddatum)
        trace.use(
            act.bron,
            f"{act.wat} beschermd wonen in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding",
            gemeente=act.gemeente, inRegio=in_regio,
        )
        if act.gemeente is None:
            trace.miss(
                f"{act.bron}.locatie",
                "de gemeente waar de voorziening staat: nodig om te zien of het gebruik in de "
                "regio van de aanmelding lag (nieuwe cliënt)",
            )
        stap, _ = first_route(ACTIVITEIT_ROUTES, ActiviteitFacts(in_regio, act.in_venster is True))
        if stap.gevolg == "telt_niet":
            continue
        if in_regio is None and act.gemeente is not None and case.aanmelding.regio is None:
            regio_nodig = True
        where = gemeente_label(register, act.gemeente) if act.gemeente else "een onbekende gemeente"
        description = f"{act.wat} in {where} ({act.bron})"
        (zeker if stap.gevolg == "zeker" else misschien).append(description)

    route, _ = first_route(NIEUWE_CLIENT_ROUTES, ActiviteitenFacts(
        bool(zeker), bool(misschien), case.eerdere_aanvragen is not None))
    waarde = NIEUWE_CLIENT_WAARDE[str(route.gevolg)]
    if route.gevolg == "nee":
        return _result(
            trace, waarde,
            f"nee: in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding ({periode}) "
            f"was er {'; '.join(zeker)} in de regio waar hij zich meldt",
        )
    if regio_nodig:
        open_vragen.raise_question(
            trace, open_vragen.BW_REGIOS,
            "Of een eerdere plaatsing of aanvraag in de regio van de aanmeldgemeente lag, is "
            "zonder de regio-indeling niet vast te stellen.",
        )
    if route.gevolg == "mogelijk":
        return _result(
            trace, waarde,
            f"niet vast te stellen: mogelijk was er "
            f"{'; '.join(misschien)} in de regio in de {DAGEN_NIEUWE_CLIENT} dagen vóór de "
            f"melding ({periode})",
        )
    if route.gevolg == "aanvragen_onbekend":
        trace.miss(
            "eerdereAanvragen",
            "nodig om vast te stellen of de cliënt een nieuwe cliënt is (geen aanvraag in de "
            f"regio in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding); geef [] als er geen waren",
        )
        return _result(
            trace, waarde,
            "niet vast te stellen: er was geen gebruik van "
            f"beschermd wonen in de regio in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding "
            f"({periode}), maar eerdere aanvragen zijn niet opgegeven",
        )
    return _result(
        trace, waarde,
        f"ja: geen aanvraag voor en geen gebruik van beschermd wonen in de regio "
        f"in de {DAGEN_NIEUWE_CLIENT} dagen vóór de melding ({periode})",
    )


def _result(trace: Trace, waarde: bool | None, toelichting: str) -> NieuweClient:
    trace.say(f"Nieuwe cliënt: {toelichting}.")
    return NieuweClient(waarde, toelichting)


def _activiteiten(case: WmoBwCase) -> list[_Activiteit]:
    """Placements and applications that certainly or possibly fall in the window (the
    declared predicates of wpb.law.wmo.spans)."""
    found: list[_Activiteit] = []
    for p in case.eerder_beschermd_wonen:
        einde = None if p.einde is None else (p.einde.earliest, p.einde.latest)
        used = op_dag((p.begin.earliest, p.begin.latest), einde, case.melddatum)
        if not holds(GEBRUIK_MOGELIJK_IN_VENSTER, used):
            continue
        certain = holds(GEBRUIK_ZEKER_IN_VENSTER, used)
        found.append(_Activiteit(p.bron, "gebruik", p.locatie_gemeente, True if certain else None))
    for a in case.eerdere_aanvragen or ():
        applied = AanvraagOpDag(case.melddatum, a.datum.earliest, a.datum.latest)
        if not holds(AANVRAAG_MOGELIJK_IN_VENSTER, applied):
            continue
        certain = holds(AANVRAAG_ZEKER_IN_VENSTER, applied)
        found.append(_Activiteit(a.bron, "aanvraag", a.gemeente_code, True if certain else None))
    return found


# --- whether a gemeente lies in the region of the aanmeldgemeente --------------------------

GEMEENTE_BEKEND = Field("gemeente_bekend")  # the gemeente where it counts is known
IN_EIGEN_GEMEENTE = Field("in_eigen_gemeente")  # its successors are the aanmeldgemeente's
REGIO_BEKEND = Field("regio_bekend")  # the case lists the region's gemeenten
IN_REGIO_LEDEN = Field("in_regio_leden")  # its successors are all successors of members
BUITEN_REGIO = Field("buiten_regio")  # none of its successors is one of a member

# In this order; the value of each route's ``gevolg`` is in IN_REGIO_WAARDE. Its facts are
# declared in IN_REGIO_FEITEN.
IN_REGIO_ROUTES = (
    Route(~GEMEENTE_BEKEND, None, "gemeente onbekend", gevolg="gemeente_onbekend"),
    Route(IN_EIGEN_GEMEENTE, None, "de aanmeldgemeente zelf", gevolg="eigen_gemeente"),
    Route(~REGIO_BEKEND, None, "regio-indeling niet opgegeven", gevolg="regio_onbekend"),
    Route(IN_REGIO_LEDEN, None, "in de regio", gevolg="in_regio"),
    Route(BUITEN_REGIO, None, "buiten de regio", gevolg="buiten_regio"),
    Route(~BUITEN_REGIO, None, "deels in de regio (gesplitst over de grens)", gevolg="deels"),
)
IN_REGIO_WAARDE: dict[str, bool | None] = {
    "gemeente_onbekend": None, "eigen_gemeente": True, "regio_onbekend": None,
    "in_regio": True, "buiten_regio": False, "deels": None,
}

# The fields of RegioOpDag: the gemeente where a placement or application counts, the
# aanmeldgemeente, the region's gemeenten (the case's list; None: not given), the day of the
# request, and the register of herindelingen (INDELING).
GEMEENTE_CODE = Field("gemeente_code")
AANMELDGEMEENTE = Field("aanmeldgemeente")
REGIO_GEMEENTEN = Field("regio_gemeenten")
_OPVOLGERS_GEMEENTE = Opvolgers(GEMEENTE_CODE, MELDDATUM)
_OPVOLGERS_REGIO = Opvolgers(REGIO_GEMEENTEN, MELDDATUM)

# The facts of IN_REGIO_ROUTES, each a declared term over RegioOpDag. Codes are compared by
# their successors on the day of the request (a gemeente merged or split since counts where
# its responsibility went, Wet arhi): the gemeente lies in the aanmeldgemeente itself when
# every successor of its code is one of the aanmeldgemeente's; in the region when every one
# is a successor of a listed gemeente; outside it when none is.
IN_REGIO_FEITEN: dict[str, Term] = {
    GEMEENTE_BEKEND.name: GEMEENTE_CODE.is_present(),
    IN_EIGEN_GEMEENTE.name: OpvolgersBinnen(_OPVOLGERS_GEMEENTE,
                                            Opvolgers(AANMELDGEMEENTE, MELDDATUM)),
    REGIO_BEKEND.name: REGIO_GEMEENTEN.is_present(),
    IN_REGIO_LEDEN.name: OpvolgersBinnen(_OPVOLGERS_GEMEENTE, _OPVOLGERS_REGIO),
    BUITEN_REGIO.name: ~OpvolgerGedeeld(_OPVOLGERS_GEMEENTE, _OPVOLGERS_REGIO),
}


@dataclass(frozen=True)
class RegioOpDag:
    """The fact IN_REGIO_FEITEN is evaluated on: one gemeente and the region of the
    aanmeldgemeente on the day of the request."""

    gemeente_code: str | None
    aanmeldgemeente: str
    regio_gemeenten: tuple[str, ...] | None
    melddatum: date
    gemeentelijke_indeling: GemeenteRegister


class RegioFacts:
    """The facts of IN_REGIO_ROUTES, each its declared term (IN_REGIO_FEITEN) evaluated on
    ``fact`` when first read."""

    def __init__(self, fact: RegioOpDag) -> None:
        self._fact = fact

    def __getattr__(self, name: str) -> bool:
        if name not in IN_REGIO_FEITEN:
            raise AttributeError(name)
        return holds(IN_REGIO_FEITEN[name], self._fact)


def _in_regio(
    case: WmoBwCase, register: GemeenteRegister, code: str | None, on: date
) -> bool | None:
    """Whether gemeente ``code`` lies in the region of the aanmeldgemeente on ``on``."""
    regio = case.aanmelding.regio
    fact = RegioOpDag(code, case.aanmelding.gemeente_code,
                      None if regio is None else tuple(regio.gemeenten), on, register)
    route, _ = first_route(IN_REGIO_ROUTES, RegioFacts(fact))
    return IN_REGIO_WAARDE[str(route.gevolg)]
