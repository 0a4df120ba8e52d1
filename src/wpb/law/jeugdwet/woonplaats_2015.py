"""Jeugdwet art. 1.1 "woonplaats", in force 2015-01-01 up to and including 2021-12-31.

Source: Jeugdwet (BWBR0034925), artikel 1.1, begripsbepaling "woonplaats", text of
Stb. 2014, 105, before the Wet wijziging woonplaatsbeginsel (Stb. 2020, 78). The
minor's woonplaats follows the one who exercises gezag (Burgerlijk Wetboek boek 1,
art. 12 lid 1: "Een minderjarige volgt de woonplaats van hem die het gezag over hem
uitoefent").

Interpretations (docs/interpretations.md):
- Gezag is not in the BRP address history, so the case must say who had it
  (``gezag``); without it the answer is ``review``, never the 2022 rule in disguise.
- Under gezag of parents, the parent's BRP woonadres on the peildatum stands for his
  woonplaats (BW 1:10: woonstede).
- From 18 to 23 nobody has gezag (BW 1:12 gives an adult no derived woonplaats), so the
  woonplaats "bedoeld onder 1° en 2°" is unknown and 3° applies.
- 3° reads the place of actual stay "op het moment van de hulpvraag": the supplied
  ``werkelijkeVerblijfplaats``, not a stay on the peildatum; only 2° (voogdij) has no time
  qualifier and takes the place of the stay on the peildatum (issue 17 item 4).
- An aantekening (art. 2.26 Wet BRP) on the parent's address: the address does not
  establish the parent's woonstede, so 3° applies (issue 17 item 5).

The clauses are declared as routes (``CLAUSE_ROUTES``, ``OUDER_ROUTES``) that the
reference below walks and the national executor compiles (wpb.batch.compile).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.facts import Case, GezagSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet.common import (
    age_facts,
    check_jeugdige,
    combine_readings,
    describe_record,
    episode_in_words,
    gemeente_label,
    has_contradictory,
    record_in_words,
    resolve_gemeente,
    stay_series_on,
    use_record,
    werkelijke_verblijfplaats,
    woonplaats_clause,
)
from wpb.law.outcome import Outcome, combine
from wpb.law.predicates import (
    AANTAL_PLAATSEN,
    AANTEKENING,
    BUITENLAND,
    GEZAG_SOORT,
    INGESCHREVEN,
    MEERDERJARIG_MOGELIJK,
    MEERDERJARIG_ZEKER,
    OUDER_HISTORIE,
    WOONADRES,
    GezagFacts,
    PlaatsFacts,
    Route,
    first_route,
    tried_text,
)
from wpb.law.registration import (
    Reading,
    ambiguity_reason,
    ambiguity_sentence,
    reading_facts,
    readings_between,
)
from wpb.law.spans import PLAATSEN_VAN_VERBLIJF, places_on
from wpb.law.trace import Trace

REGELVERSIE = "jeugdwet-art1.1-woonplaats@2015-01-01"
GELDIG_VANAF = date(2015, 1, 1)
GELDIG_TOT = date(2022, 1, 1)


def _source(onderdeel: int, tekst: str) -> LegalSource:
    return woonplaats_clause(onderdeel, tekst, geldig_vanaf=GELDIG_VANAF, geldig_tot=GELDIG_TOT)


# 1°.
SUB_1 = _source(1, "1°. woonplaats als bedoeld in artikel 12 van Boek 1 van het Burgerlijk Wetboek;")

# 2°.
SUB_2 = _source(
    2,
    "2°. ingeval de voogdij over de jeugdige berust bij een instelling als bedoeld in "
    "artikel 302 van Boek 1 van het Burgerlijk Wetboek: de plaats van het werkelijke verblijf "
    "van de jeugdige;",
)

# 3°.
SUB_3 = _source(
    3,
    "3°. ingeval de woonplaats, bedoeld onder 1° en 2°, onbekend is dan wel buiten Nederland "
    "is: de plaats van het werkelijke verblijf van de jeugdige op het moment van de hulpvraag.",
)

CLAUSES = (SUB_1, SUB_2, SUB_3)

# Which onderdeel applies first, tried in this order (the national executor compiles this
# same table, wpb.batch.compile). A route with a ``reden`` ends in a review under its
# onderdeel: the facts that onderdeel needs are missing or uncertain.
CLAUSE_ROUTES = (
    # 3°: BW 1:12 derives a minor's woonplaats from whoever has gezag; from 18 nobody has
    # it, so "de woonplaats, bedoeld onder 1° en 2°, onbekend is".
    Route(MEERDERJARIG_ZEKER, 3,
          "18 jaar of ouder: geen gezag, dus geen woonplaats bedoeld onder 1° en 2° (BW 1:12)"),
    Route(MEERDERJARIG_MOGELIJK, 1, "door de onvolledige geboortedatum mogelijk 18 jaar of ouder",
          reden=ReviewReden.ONVOLLEDIGE_DATUM.value),
    # Gezag is not in the BRP address history: the case must say who had it.
    Route(~GEZAG_SOORT.is_present(), 1, "gezag niet opgegeven",
          reden=ReviewReden.GEZAG_ONTBREEKT.value,
          ontbreekt=("gezag", "de regel van vóór 2022 volgt de woonplaats van de gezagsdrager: "
                     'geef {"soort": "ouders", "ouder": {...}} of {"soort": "voogdij"}')),
    # 2°: "ingeval de voogdij over de jeugdige berust bij een instelling".
    Route(GEZAG_SOORT.eq(GezagSoort.VOOGDIJ.value), 2, "voogdij bij een instelling"),
    Route(~OUDER_HISTORIE, 1, "adresgegevens van de ouder met gezag niet opgegeven",
          reden=ReviewReden.GEZAG_ONTBREEKT.value,
          ontbreekt=("gezag.ouder.verblijfplaatshistorie",
                     "nodig voor onderdeel 1°: de woonplaats van de ouder met gezag op de peildatum")),
    # 1°: "woonplaats als bedoeld in artikel 12 van Boek 1 van het Burgerlijk Wetboek".
    Route(GEZAG_SOORT.eq(GezagSoort.OUDERS.value), 1, "gezag bij een ouder"),
)

# 1° reads the woonplaats of the parent with gezag from his BRP registration on the
# peildatum (BW 1:10: the woonstede). What that registration leads to, tried in this order:
OUDER_ROUTES = (
    # 3°: "ingeval de woonplaats, bedoeld onder 1° en 2°, onbekend is": no registration.
    Route(~INGESCHREVEN, 3, "ouder met gezag niet in de BRP ingeschreven"),
    # 3°: "... dan wel buiten Nederland is" (an RNI registration is abroad).
    Route(BUITENLAND, 3, "ouder met gezag buiten Nederland"),
    # 3°: a briefadres or verblijfplaats onbekend shows no woonstede: the woonplaats is
    # unknown.
    Route(~WOONADRES, 3, "ouder met gezag zonder woonadres"),
    # 3°: an aantekening (art. 2.26 Wet BRP) that the parent does not live at the address, or
    # that the address is being investigated: the address does not establish the woonstede
    # (BW 1:10), so the woonplaats is unknown (issue 17 item 5; docs/interpretations.md).
    Route(AANTEKENING, 3, "aantekening art. 2.26 Wet BRP bij het adres van de ouder met gezag"),
    # 1° itself: the gemeente of the parent's woonadres.
    Route(WOONADRES, None, "woonadres van de ouder met gezag in een Nederlandse gemeente"),
)

# 2° reads "de plaats van het werkelijke verblijf van de jeugdige" on the peildatum: the places
# of the stays then (wpb.law.spans.PLAATSEN_VAN_VERBLIJF). What their number leads to, tried in
# this order, under 2° itself:
WERKELIJKE_VERBLIJFPLAATS = "werkelijke_verblijfplaats"  # the gevolg: as supplied, as under 3°
PLAATS_ROUTES = (
    # One place: its gemeente.
    Route(AANTAL_PLAATSEN.eq(1), None, "verblijf op de peildatum in één gemeente"),
    # No stay that names its place: the werkelijke verblijfplaats the case supplies.
    Route(AANTAL_PLAATSEN.eq(0), None, "geen verblijf met een plaats op de peildatum",
          gevolg=WERKELIJKE_VERBLIJFPLAATS),
    # Stays in several gemeenten at once: which one is the place of the actual stay, the
    # facts do not say.
    Route(~AANTAL_PLAATSEN.isin(0, 1), None, "verblijf op de peildatum in meer gemeenten",
          reden=ReviewReden.TEGENSTRIJDIGE_JEUGDHULP.value),
)


def gezag_facts(case: Case) -> GezagFacts:
    """The facts CLAUSE_ROUTES name."""
    age = age_facts(case)
    gezag = case.gezag
    ouder = gezag.ouder if gezag else None
    return GezagFacts(
        geboorte_vroegst=age.geboorte_vroegst,
        geboorte_laatst=age.geboorte_laatst,
        peildatum=age.peildatum,
        gezag_soort=gezag.soort.value if gezag else None,
        ouder_historie=bool(ouder and ouder.historie),
    )


def decide(case: Case, register: GemeenteRegister) -> tuple[Outcome, Trace]:
    """Apply art. 1.1 "woonplaats" as in force 2015–2021 to ``case``."""
    trace = Trace()
    trace.say(
        f"Peildatum {case.peildatum.isoformat()}: Jeugdwet art. 1.1 (woonplaats) zoals geldend "
        f"van {GELDIG_VANAF.isoformat()} tot {GELDIG_TOT.isoformat()}: de woonplaats volgt die "
        "van degene die het gezag uitoefent."
    )
    not_jeugdige = check_jeugdige(case, None, trace)
    if not_jeugdige is not None:
        return not_jeugdige, trace

    route, tried = first_route(CLAUSE_ROUTES, gezag_facts(case))
    trace.say(f"Onderdelen: {tried_text(tried)}")
    gezag = case.gezag
    if gezag is not None and route.onderdeel != 3:
        trace.use(gezag.bron, "gezag", soort=gezag.soort.value)
    if route.reden is not None:
        if route.ontbreekt is not None:
            trace.miss(*route.ontbreekt)
        return Outcome.review(ReviewReden(route.reden), CLAUSES[route.onderdeel - 1]), trace
    if route.onderdeel == 3:
        return sub_3(case, register, trace, route.toets), trace
    if route.onderdeel == 2:
        return sub_2(case, register, trace), trace
    return sub_1(case, register, trace), trace


def sub_1(case: Case, register: GemeenteRegister, trace: Trace) -> Outcome:
    """1°. de woonplaats van de ouder met gezag (BW 1:12), uit diens BRP-woonadres."""
    assert case.gezag is not None and case.gezag.ouder is not None
    day = case.peildatum
    readings = readings_between(case.gezag.ouder, day, day)
    if len(readings) > 1:
        trace.say(ambiguity_sentence(readings, day.isoformat()))
    return combine_readings(
        register, readings, lambda r: partial(_parent_reading, case, register, r),
        trace, ambiguity_reason(readings),
    )


def sub_2(case: Case, register: GemeenteRegister, trace: Trace) -> Outcome:
    """2°. voogdij bij een instelling: de plaats van het werkelijke verblijf (zonder tijdstip)."""
    trace.say("De voogdij berust bij een (gecertificeerde) instelling: onderdeel 2°.")
    return _actual_stay(case, register, SUB_2, trace)


def sub_3(case: Case, register: GemeenteRegister, trace: Trace, aanleiding: str) -> Outcome:
    """3°. de plaats van het werkelijke verblijf op het moment van de hulpvraag.

    Not the place of a stay on the peildatum: unlike 2°, 3° names its moment (issue 17
    item 4). The case supplies it as ``werkelijkeVerblijfplaats``; without it, review.
    """
    trace.say(
        f"Onderdeel 3° is van toepassing: {aanleiding}. Het vraagt de plaats van het "
        "werkelijke verblijf op het moment van de hulpvraag."
    )
    series = stay_series_on(case.jeugdhulp, case.peildatum, contradictory_as_stay=False)
    if series is not None:
        places = "; ".join(episode_in_words(e) for e in series.episodes)
        trace.say(
            f"Gewogen en niet beslissend: het verblijf op de peildatum ({places}); onderdeel 3° "
            "kijkt naar het moment van de hulpvraag, niet naar de peildatum."
        )
    return werkelijke_verblijfplaats(case, register, SUB_3, trace)


def _parent_reading(case: Case, register: GemeenteRegister, reading: Reading, trace: Trace) -> Outcome:
    use_record(trace, reading, "woonadres ouder met gezag op de peildatum", register)
    record = reading.record
    route, tried = first_route(OUDER_ROUTES, reading_facts(reading))
    if record is None:
        trace.say("De ouder met gezag was op de peildatum niet in de BRP ingeschreven.")
    else:
        mark = (
            ", met een aantekening als bedoeld in art. 2.26 Wet BRP"
            if reading.aantekening and record.is_woonadres else ""
        )
        trace.say(
            f"De ouder met gezag had op de peildatum {describe_record(register, record)} "
            f"(BRP: {record_in_words(register, record)}){mark}."
        )
    trace.say(f"1° (woonadres van de ouder met gezag): {tried_text(tried)}")
    if route.onderdeel == 3:
        return sub_3(case, register, trace, route.toets)
    assert record is not None and record.gemeente_code is not None
    trace.say(
        f"De jeugdige volgt de woonplaats van de ouder met gezag, "
        f"{gemeente_label(register, record.gemeente_code)} (BW boek 1, art. 12)."
    )
    return resolve_gemeente(
        register, record.gemeente_code, case.peildatum, SUB_1, trace,
        wat="het adres van de ouder met gezag",
    )


def _actual_stay(case: Case, register: GemeenteRegister, grondslag: LegalSource, trace: Trace) -> Outcome:
    """The place of actual stay: where residential care is given, else the werkelijke verblijfplaats.

    An episode recorded as ambulant but of a form that is always a stay is tried both ways,
    as under the 2022 rule.
    """
    if not has_contradictory(case.jeugdhulp, case.peildatum):
        return _actual_stay_reading(case, register, grondslag, trace, contradictory_as_stay=False)
    names = "; ".join(
        episode_in_words(e) for e in case.jeugdhulp if e.is_contradictory and e.begin <= case.peildatum
    )
    trace.say(f"{names}: als ambulant opgegeven, maar de vorm is altijd verblijf.")
    return combine(
        [
            (f"als {names} verblijf is", partial(
                _actual_stay_reading, case, register, grondslag, contradictory_as_stay=True)),
            (f"als {names} geen verblijf is", partial(
                _actual_stay_reading, case, register, grondslag, contradictory_as_stay=False)),
        ],
        trace,
        ReviewReden.TEGENSTRIJDIGE_JEUGDHULP,
    )


def _actual_stay_reading(
    case: Case,
    register: GemeenteRegister,
    grondslag: LegalSource,
    trace: Trace,
    *,
    contradictory_as_stay: bool,
) -> Outcome:
    series = stay_series_on(case.jeugdhulp, case.peildatum, contradictory_as_stay=contradictory_as_stay)
    # Places are compared as the municipalities they belong to on the peildatum.
    places = places_on(
        PLAATSEN_VAN_VERBLIJF, series.episodes if series is not None else (), case.peildatum,
        lambda code: register.successors(code, case.peildatum).codes,
    )
    route, _ = first_route(PLAATS_ROUTES, PlaatsFacts(len(places)))
    if route.reden is not None:
        locations = sorted(
            {c for key, episodes in places.items()
             for c in (key or tuple(e.gemeente_code for e in episodes if e.gemeente_code))}
        )
        trace.say("De jeugdige verblijft op de peildatum op plaatsen in meerdere gemeenten.")
        return Outcome.review(
            ReviewReden(route.reden), grondslag, [(c, "plaats van verblijf") for c in locations]
        )
    if route.gevolg is None:
        episode = next(iter(places.values()))[0]
        assert episode.gemeente_code is not None
        trace.use(episode.bron, "plaats van het verblijf", gemeente=episode.gemeente_code)
        trace.say(
            "De jeugdige verblijft op de peildatum in "
            f"{gemeente_label(register, episode.gemeente_code)} ({episode_in_words(episode)})."
        )
        return resolve_gemeente(
            register, episode.gemeente_code, case.peildatum, grondslag, trace,
            wat="de plaats van verblijf",
        )
    assert route.gevolg == WERKELIJKE_VERBLIJFPLAATS
    return werkelijke_verblijfplaats(case, register, grondslag, trace)


__all__ = [
    "CLAUSES", "CLAUSE_ROUTES", "GELDIG_TOT", "GELDIG_VANAF", "OUDER_ROUTES", "PLAATS_ROUTES",
    "REGELVERSIE", "WERKELIJKE_VERBLIJFPLAATS",
    "decide", "gezag_facts",
]
