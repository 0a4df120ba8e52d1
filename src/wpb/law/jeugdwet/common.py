"""Fact-finding shared by the versions of the Jeugdwet woonplaats rule.

These helpers read the facts (age, stays, the werkelijke verblijfplaats) and write what
they used into the trace. Helpers shared with other laws (municipality resolution, record
descriptions) live in :mod:`wpb.law.explain`. The clauses themselves live in the version
modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wpb.law.dates import age_on
from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.explain import (  # noqa: F401  (re-exported for the version modules)
    combine_readings,
    describe_record,
    episode_details,
    episode_in_words,
    gemeente_label,
    reading_label,
    record_details,
    record_in_words,
    resolve_gemeente,
    use_record,
)
from wpb.law.facts import Case, Jeugdhulp
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet.jeugdige import HALF_JAAR_MAANDEN, jeugdige_bron
from wpb.law.outcome import Outcome
from wpb.law.predicates import (  # noqa: F401  (MEERDERJARIG re-exported)
    JEUGDHULP,
    JEUGDHULP_SINDS_VOOR_18,
    JEUGDIGE_MAX_LEEFTIJD,
    JONGER_DAN_18,
    MEERDERJARIG,
    MEERDERJARIG_MOGELIJK,
    MEERDERJARIG_ZEKER,
    PEILDATUM_VOOR_GEBOORTE_MOGELIJK,
    PEILDATUM_VOOR_GEBOORTE_ZEKER,
    STRAFRECHTELIJK,
    STRAFRECHTELIJK_OP_PEILDATUM,
    TE_OUD_MOGELIJK,
    TE_OUD_ZEKER,
    AgeFacts,
    Field,
    JeugdigeFacts,
    Route,
    first_route,
    holds,
    tried_text,
)
from wpb.law.spans import MonthsAfter, Series, series_on, stay_series
from wpb.law.trace import Trace


def woonplaats_clause(
    onderdeel: int, tekst: str, *, geldig_vanaf: date, geldig_tot: date | None = None
) -> LegalSource:
    """An onderdeel of the definition "woonplaats" in Jeugdwet (BWBR0034925) art. 1.1."""
    return LegalSource(
        wet="Jeugdwet",
        bwb="BWBR0034925",
        artikel="1.1",
        begrip="woonplaats",
        onderdeel=onderdeel,
        tekst=tekst,
        geldig_vanaf=geldig_vanaf,
        geldig_tot=geldig_tot,
    )


# --- age ------------------------------------------------------------------------------


def age_facts(case: Case) -> AgeFacts:
    """The birth range and the peildatum, as the declared age predicates name them."""
    birth = case.jeugdige.geboortedatum
    return AgeFacts(
        geboorte_vroegst=birth.earliest if birth else None,
        geboorte_laatst=birth.latest if birth else None,
        peildatum=case.peildatum,
    )


# Jeugdwet art. 1.1 "jeugdige" (its text and limits: wpb.law.jeugdwet.jeugdige) by age: a person
# not yet born on the peildatum is none; from 23 none; from 18 only by 2° or 3°
# (:data:`JEUGDIGE_ROUTES` per possible birth day, :func:`check_adult`); under 18 one by 1°.
# With a partial birth date a bound that is possibly but not certainly passed leaves it open
# (onvolledige_datum). A route with a reden ends in that review under its onderdeel of the
# definition: ``geen_jeugdige`` cites it (:func:`_review`). Tried in this order over the age
# facts (``AgeFacts``) by :func:`check_jeugdige`, compiled the same way by the national
# executor (``wpb.batch.jeugdwet.jeugdige.check_jeugdige``).
GEVOLG_VANAF_18 = "vanaf_18"
JEUGDIGE_LEEFTIJD_ROUTES = (
    # "persoon die": not yet born, no onderdeel reached.
    Route(PEILDATUM_VOOR_GEBOORTE_ZEKER, None, "peildatum zeker vóór de geboorte",
          reden=ReviewReden.GEEN_JEUGDIGE.value),
    Route(PEILDATUM_VOOR_GEBOORTE_MOGELIJK, None, "peildatum mogelijk vóór de geboorte",
          reden=ReviewReden.ONVOLLEDIGE_DATUM.value),
    # 3°: "doch niet de leeftijd van drieëntwintig jaar" (wpb applies it to 2° too:
    # docs/open-questions.md).
    Route(TE_OUD_ZEKER, 3, f"zeker {JEUGDIGE_MAX_LEEFTIJD} jaar of ouder",
          reden=ReviewReden.GEEN_JEUGDIGE.value),
    Route(TE_OUD_MOGELIJK, None, f"mogelijk {JEUGDIGE_MAX_LEEFTIJD} jaar of ouder",
          reden=ReviewReden.ONVOLLEDIGE_DATUM.value),
    Route(MEERDERJARIG_MOGELIJK, None,
          "(mogelijk) 18 jaar of ouder: per mogelijke geboortedag 1°, 2° of 3°",
          gevolg=GEVOLG_VANAF_18),
    # 1°, at every possible birth day (JEUGDIGE_ROUTES' first route at each of them).
    Route(~MEERDERJARIG_MOGELIJK, 1, "jonger dan 18 jaar"),
)


def _review(route: Route, grondslag: LegalSource | None) -> Outcome:
    """The review of a route with a reden of the age check (``geen_jeugdige``, or
    ``onvolledige_datum`` where a possibly passed bound leaves it open): it cites the onderdeel
    of the definition "jeugdige" the route tested (None: the definition as a whole), since
    that definition is what could not be applied. ``grondslag`` is kept for other reviews."""
    reden = ReviewReden(route.reden)
    if reden in (ReviewReden.GEEN_JEUGDIGE, ReviewReden.ONVOLLEDIGE_DATUM):
        assert route.onderdeel is None or isinstance(route.onderdeel, int)
        return Outcome.review(reden, jeugdige_bron(route.onderdeel))
    return Outcome.review(reden, grondslag)


def check_jeugdige(case: Case, grondslag: LegalSource | None, trace: Trace) -> Outcome | None:
    """Review when the person is not (or may not be) a jeugdige on the peildatum."""
    birth = case.jeugdige.geboortedatum
    peildatum = case.peildatum
    if birth is None:
        trace.miss(
            "jeugdige.geboorte.datum",
            "geboortedatum ontbreekt: de leeftijdsgrens van 23 jaar is niet gecontroleerd "
            "en onderdeel 3° (moeder bij de geboorte) kan niet worden toegepast",
        )
        return None
    trace.use(f"{case.jeugdige.bron}.geboorte", "geboortedatum", datum=birth.isoformat())
    age = age_facts(case)
    route, _ = first_route(JEUGDIGE_LEEFTIJD_ROUTES, age)
    youngest = age_on(birth.latest, peildatum)
    if route.wanneer is PEILDATUM_VOOR_GEBOORTE_ZEKER:
        trace.say(f"De peildatum {peildatum} ligt vóór de geboorte ({birth.isoformat()}).")
    elif route.wanneer is PEILDATUM_VOOR_GEBOORTE_MOGELIJK:
        trace.say(
            f"Door de onvolledige geboortedatum ({birth.isoformat()}) is niet zeker of de "
            f"jeugdige op {peildatum} al geboren is."
        )
    elif route.wanneer is TE_OUD_ZEKER:
        trace.say(
            f"Op {peildatum} is de persoon {youngest} jaar of ouder; een jeugdige is jonger "
            f"dan {JEUGDIGE_MAX_LEEFTIJD} jaar."
        )
    elif route.wanneer is TE_OUD_MOGELIJK:
        trace.say(
            f"Door de onvolledige geboortedatum ({birth.isoformat()}) is niet zeker of de "
            f"persoon op {peildatum} jonger is dan {JEUGDIGE_MAX_LEEFTIJD} jaar."
        )
    if route.reden is not None:
        return _review(route, grondslag)
    if route.gevolg != GEVOLG_VANAF_18:
        return None  # under 18: a jeugdige (1°)
    if holds(MEERDERJARIG_ZEKER, age):
        trace.say(
            f"De persoon is op {peildatum} {youngest} jaar: jeugdige in de zin van de wet "
            "alleen volgens onderdeel 2° of 3° van de begripsbepaling (art. 1.1, jeugdige)."
        )
    return check_adult(case, grondslag, trace)


# --- who is a jeugdige per possible birth day (art. 1.1 "jeugdige", 1° to 3°) ---------

# The definition, its text, its sources and its limits (18, 23, the half year
# HALF_JAAR_MAANDEN): wpb.law.jeugdwet.jeugdige. A decision before 18 that jeugdhulp is needed
# (3°) is a fact the case format does not carry.

# 3°: the jeugdhulp that "voortgezet" or "binnen een half jaar hervat" is: a chain of
# jeugdhulp (not criminal-law care), each episode beginning at most half a year after the
# care before it ended (compiled the same way by wpb.batch.jeugdwet.jeugdige.adult_facts).
JEUGDHULPKETEN = Series(
    "jeugdhulpketen",
    JEUGDHULP,
    MonthsAfter(HALF_JAAR_MAANDEN),
    "jeugdhulp die doorloopt of telkens binnen een half jaar na het einde wordt hervat",
    "Jeugdwet art. 1.1, jeugdige, 3°",
)

# Which part of the definition makes a person a jeugdige at one possible birth day, tried in this
# order by :func:`check_adult` (compiled the same way by the national executor,
# wpb.batch.jeugdwet.jeugdige.check_adult):
JEUGDIGE_ROUTES = (
    # 1°: "de leeftijd van achttien jaar nog niet heeft bereikt".
    Route(JONGER_DAN_18, 1, "jonger dan 18 jaar"),
    # 2°: jeugdreclassering or a JJI stay (or care tied to it) on the peildatum.
    Route(STRAFRECHTELIJK_OP_PEILDATUM, 2,
          "jeugdreclassering of een strafrechtelijke beslissing (JJI) op de peildatum"),
    # 3°: "voortzetting" or "hervatting binnen een half jaar" of jeugdhulp begun before 18.
    Route(JEUGDHULP_SINDS_VOOR_18, 3,
          "jeugdhulp begonnen vóór de 18e verjaardag, voortgezet of binnen een half jaar "
          "hervat tot de peildatum"),
    # None of them: not a jeugdige (as far as the case shows).
    Route(~JONGER_DAN_18 & ~STRAFRECHTELIJK_OP_PEILDATUM & ~JEUGDHULP_SINDS_VOOR_18, None,
          "geen van drieën: geen jeugdige"),
)


# With a partial birth date each end is tried by JEUGDIGE_ROUTES (the later the birth, the more
# care began before 18). How the ends combine, tried in this order by :func:`check_adult`
# (compiled the same way by the national executor, ``wpb.batch.jeugdwet.jeugdige.check_adult``);
# at no end a jeugdige: ``geen_jeugdige`` under 3°, the onderdeel that reaches from 18 to 23
# (2° was tried too; the toelichting names both):
ALLE_EINDEN_JEUGDIGE = Field("alle_einden_jeugdige")  # a jeugdige at every end of the birth date
EEN_EINDE_JEUGDIGE = Field("een_einde_jeugdige")  # a jeugdige at some end of it
JEUGDIGE_EINDEN_ROUTES = (
    Route(ALLE_EINDEN_JEUGDIGE, None, "bij elke mogelijke geboortedag een jeugdige"),
    Route(EEN_EINDE_JEUGDIGE, None, "alleen bij sommige mogelijke geboortedagen een jeugdige",
          reden=ReviewReden.ONVOLLEDIGE_DATUM.value),
    Route(~EEN_EINDE_JEUGDIGE, 3, "bij geen mogelijke geboortedag een jeugdige",
          reden=ReviewReden.GEEN_JEUGDIGE.value),
)


@dataclass(frozen=True)
class EindenFacts:
    """The fields of JEUGDIGE_EINDEN_ROUTES."""

    alle_einden_jeugdige: bool
    een_einde_jeugdige: bool


def care_since_before_18(
    episodes: tuple[Jeugdhulp, ...], birth: date, peildatum: date
) -> tuple[Jeugdhulp, ...]:
    """The chain of jeugdhulp running on the peildatum, if it began before the 18th birthday.

    Episodes (JEUGDHULP, begun on or before the peildatum) form one chain when each begins
    no later than half a year after the end of the care before it (:data:`JEUGDHULPKETEN`);
    the last chain counts when it covers the peildatum. Empty when there is no such chain.
    """
    chain = series_on(JEUGDHULPKETEN, episodes, peildatum)
    if not chain:
        return ()
    if holds(MEERDERJARIG_ZEKER, AgeFacts(birth, birth, chain[0].begin)):  # began at 18 or later
        return ()
    return chain


def jeugdige_facts(case: Case, birth: date) -> JeugdigeFacts:
    """The facts of JEUGDIGE_ROUTES for a person born on ``birth``."""
    return JeugdigeFacts(
        geboorte=birth,
        peildatum=case.peildatum,
        strafrechtelijk_op_peildatum=any(
            holds(STRAFRECHTELIJK, e) and e.covers(case.peildatum) for e in case.jeugdhulp
        ),
        jeugdhulp_sinds_voor_18=bool(care_since_before_18(case.jeugdhulp, birth, case.peildatum)),
    )


def check_adult(case: Case, grondslag: LegalSource | None, trace: Trace) -> Outcome | None:
    """Review when a person who may be 18 or older is (or may be) no jeugdige.

    Called by :func:`check_jeugdige` once the person may be 18 or older (the definition
    "jeugdige" is the same under the texts of 2015 and 2022). With a partial birth date both
    ends are tried by JEUGDIGE_ROUTES (1°, 2°, 3°): the later the birth, the more care began
    before 18.
    """
    birth = case.jeugdige.geboortedatum
    peildatum = case.peildatum
    if birth is None or not holds(MEERDERJARIG_MOGELIJK, age_facts(case)):
        return None
    ends = [birth.earliest] + (
        [birth.latest] if birth.latest != birth.earliest else []
    )
    answers = []
    for b in ends:
        route, tried = first_route(JEUGDIGE_ROUTES, jeugdige_facts(case, b))
        answers.append(route.onderdeel is not None)
        if b == birth.earliest:
            trace.say(f"Jeugdige (art. 1.1, jeugdige): {tried_text(tried)}")
            for e in care_since_before_18(case.jeugdhulp, b, peildatum):
                trace.use(e.bron, "jeugdhulp begonnen vóór 18, voortgezet of hervat",
                          **episode_details(e))
    route, _ = first_route(JEUGDIGE_EINDEN_ROUTES, EindenFacts(all(answers), any(answers)))
    if route.reden is None:
        return None
    if route.reden == ReviewReden.ONVOLLEDIGE_DATUM.value:
        trace.say(
            f"Door de onvolledige geboortedatum ({birth.isoformat()}) is niet zeker of de "
            "persoon op de peildatum een jeugdige is."
        )
        return _review(route, grondslag)
    trace.miss(
        "jeugdhulp[] begonnen vóór de 18e verjaardag",
        "nodig om iemand van 18 jaar of ouder als jeugdige aan te merken (art. 1.1, jeugdige, "
        "3°): jeugdhulp die vóór 18 begon en doorloopt of binnen een half jaar is hervat, of "
        "een besluit van vóór 18 dat jeugdhulp nodig is; of jeugdreclassering op de peildatum (2°)",
    )
    trace.say(
        f"Op {peildatum} is de persoon 18 jaar of ouder en blijkt uit de gegevens geen "
        "jeugdhulp die vóór de 18e verjaardag begon en doorliep of binnen een half jaar werd "
        "hervat, en geen jeugdreclassering: geen jeugdige in de zin van de wet."
    )
    return _review(route, grondslag)


# --- stays ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaySeries:
    """Uninterrupted stays around the peildatum; ``begin`` is the first day of the first."""

    begin: date
    episodes: tuple[Jeugdhulp, ...]


def stay_series_on(
    episodes: tuple[Jeugdhulp, ...], day: date, *, contradictory_as_stay: bool
) -> StaySeries | None:
    """The series of uninterrupted stays that includes ``day``, if any.

    The series is declared once (:data:`wpb.law.spans.VERBLIJFSREEKS`): stays form one
    series when each begins no later than the day after the previous one ends ("een of
    meerdere aaneengesloten verblijfstrajecten"); a day without a stay in between
    interrupts it. The national executor compiles the same declaration.
    """
    series = series_on(stay_series(contradictory_as_stay), episodes, day)
    if not series:
        return None
    return StaySeries(series[0].begin, series)


def has_contradictory(episodes: tuple[Jeugdhulp, ...], day: date) -> bool:
    return any(e.is_contradictory and e.begin <= day for e in episodes)


# --- what was weighed and set aside ----------------------------------------------------


def set_aside(case: Case, register: GemeenteRegister, trace: Trace) -> None:
    """Name the facts that could have mattered but did not decide (issue 17 item 12).

    A jurist reading the toelichting should see them weighed, not wonder whether they were
    seen: an earlier stay cut off before the peildatum, an aantekening on an address the
    clause did not use, a werkelijke verblijfplaats the applied onderdeel does not refer to.
    """
    used = {f.bron for f in trace.used.values()}
    notes: list[str] = []
    ended = sorted((e for e in case.jeugdhulp if e.verblijf and e.einde is not None
                    and e.einde < case.peildatum and e.bron not in used), key=lambda e: e.begin)
    for e in ended:
        notes.append(
            f"het verblijf ({episode_in_words(e)}) eindigde vóór de peildatum, zonder "
            "aaneengesloten verblijf tot de peildatum, en telt dus niet voor onderdeel 2°"
        )
    for record in case.jeugdige.historie:
        flagged = record.in_onderzoek or record.vastgesteld_niet_op_adres or record.niet_op_adres_vanaf
        if flagged and record.bron not in used:
            notes.append(
                f"de aantekening (art. 2.26 Wet BRP) bij {record_in_words(register, record)}: "
                "onderdeel 3° kijkt alleen naar het woonadres dat onderdeel 1° of 2° gebruikt"
            )
    wvp = case.werkelijke_verblijfplaats
    if wvp is not None and wvp.bron not in used:
        notes.append(
            f"de opgegeven werkelijke verblijfplaats ({gemeente_label(register, wvp.gemeente_code)}): "
            "alleen de onderdelen 3° (als de moeder bij de geboorte niet vaststaat) en 4° "
            "verwijzen ernaar"
        )
    if notes:
        trace.say("Gewogen en niet beslissend: " + "; ".join(notes) + ".")


# --- municipalities -------------------------------------------------------------------


def werkelijke_verblijfplaats(
    case: Case, register: GemeenteRegister, grondslag: LegalSource, trace: Trace
) -> Outcome:
    """Where the youth actually stays at the help request (sub 3° last part, sub 4°)."""
    wvp = case.werkelijke_verblijfplaats
    if wvp is None:
        trace.miss(
            "werkelijkeVerblijfplaats",
            "nodig voor onderdeel "
            f"{grondslag.onderdeel}°: de gemeente waar de jeugdige werkelijk verblijft "
            "op het moment van de hulpvraag",
        )
        trace.say("De werkelijke verblijfplaats op het moment van de hulpvraag is niet opgegeven.")
        return Outcome.review(ReviewReden.WERKELIJKE_VERBLIJFPLAATS_ONTBREEKT, grondslag)
    trace.use(
        wvp.bron,
        "werkelijke verblijfplaats bij de hulpvraag",
        gemeente=wvp.gemeente_code,
        datum=wvp.datum.isoformat() if wvp.datum else None,
    )
    trace.say(
        "De jeugdige verblijft op het moment van de hulpvraag werkelijk in "
        f"{gemeente_label(register, wvp.gemeente_code)}."
    )
    return resolve_gemeente(
        register, wvp.gemeente_code, case.peildatum, grondslag, trace,
        wat="de werkelijke verblijfplaats",
    )


