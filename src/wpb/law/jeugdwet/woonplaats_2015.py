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
- From 18 to 23 nobody has gezag; guidance for this rule (VNG) has the municipality of
  the youth's actual stay pay, as for voogdij: "bij voogdij of in de periode 18 tot 23
  jaar" the gemeente where the youth actually stays (where residential care is given).
"""

from __future__ import annotations

from datetime import date
from functools import partial

from wpb.law.dates import age_on
from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.facts import Case, GezagSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet.common import (
    MEERDERJARIG,
    check_jeugdige,
    describe_record,
    episode_in_words,
    gemeente_label,
    has_contradictory,
    reading_label,
    record_in_words,
    resolve_gemeente,
    stay_series_on,
    use_record,
    werkelijke_verblijfplaats,
    woonplaats_clause,
)
from wpb.law.outcome import Outcome, combine
from wpb.law.registration import (
    Reading,
    ambiguity_reason,
    ambiguity_sentence,
    readings_between,
)
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

    birth = case.jeugdige.geboortedatum
    if birth is not None and age_on(birth.latest, case.peildatum) >= MEERDERJARIG:
        # BW 1:12 derives a minor's woonplaats from whoever has gezag; from 18 nobody has it,
        # so the woonplaats "bedoeld onder 1° en 2°" is unknown and 3° applies.
        trace.say(
            "Vanaf 18 jaar is er geen gezag meer en dus geen afgeleide woonplaats (BW boek 1, "
            "art. 12): de woonplaats bedoeld onder 1° en 2° is onbekend, dus onderdeel 3° is van "
            "toepassing (de plaats van het werkelijke verblijf)."
        )
        return _actual_stay(case, register, SUB_3, trace), trace
    if birth is not None and age_on(birth.earliest, case.peildatum) >= MEERDERJARIG:
        trace.say("Door de onvolledige geboortedatum is niet zeker of de jeugdige al 18 jaar is.")
        return Outcome.review(ReviewReden.ONVOLLEDIGE_DATUM, SUB_1), trace

    gezag = case.gezag
    if gezag is None:
        trace.miss(
            "gezag",
            "de regel van vóór 2022 volgt de woonplaats van de gezagsdrager: geef "
            '{"soort": "ouders", "ouder": {...}} of {"soort": "voogdij"}',
        )
        trace.say("Wie het gezag had, is niet opgegeven.")
        return Outcome.review(ReviewReden.GEZAG_ONTBREEKT, SUB_1), trace
    trace.use(gezag.bron, "gezag", soort=gezag.soort.value)

    if gezag.soort is GezagSoort.VOOGDIJ:
        trace.say("De voogdij berust bij een (gecertificeerde) instelling: onderdeel 2°.")
        return _actual_stay(case, register, SUB_2, trace), trace

    ouder = gezag.ouder
    if ouder is None or not ouder.historie:
        trace.miss(
            "gezag.ouder.verblijfplaatshistorie",
            "nodig voor onderdeel 1°: de woonplaats van de ouder met gezag op de peildatum",
        )
        trace.say("De adresgegevens van de ouder met gezag zijn niet opgegeven.")
        return Outcome.review(ReviewReden.GEZAG_ONTBREEKT, SUB_1), trace

    day = case.peildatum
    readings = readings_between(ouder, day, day)
    if len(readings) > 1:
        trace.say(ambiguity_sentence(readings, day.isoformat()))
    outcome = combine(
        [(reading_label(register, r), partial(_parent_reading, case, register, r)) for r in readings],
        trace,
        ambiguity_reason(readings),
    )
    return outcome, trace


def _parent_reading(case: Case, register: GemeenteRegister, reading: Reading, trace: Trace) -> Outcome:
    use_record(trace, reading, "woonadres ouder met gezag op de peildatum", register)
    record = reading.record
    if record is None or not record.is_woonadres:
        where = describe_record(register, record)
        trace.say(
            f"De ouder met gezag had op de peildatum {where}"
            + (f" (BRP: {record_in_words(register, record)})" if record else "")
            + ": de woonplaats is onbekend of ligt buiten Nederland."
        )
        return _actual_stay(case, register, SUB_3, trace)
    trace.say(
        "De ouder met gezag woonde op de peildatum in "
        f"{gemeente_label(register, record.gemeente_code)} (BRP: {record_in_words(register, record)}); "
        "de jeugdige volgt "
        "die woonplaats (BW boek 1, art. 12)."
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
    if series is not None:
        current = [e for e in series.episodes if e.covers(case.peildatum) and e.gemeente_code]
        # Places are compared as the municipalities they belong to on the peildatum: stays
        # recorded in Haren (0017) and Groningen (0014) in 2020 are one place.
        by_successor: dict[tuple[str, ...], list[str]] = {}
        for e in current:
            assert e.gemeente_code is not None
            key = register.successors(e.gemeente_code, case.peildatum).codes
            by_successor.setdefault(key, []).append(e.gemeente_code)
        if len(by_successor) == 1:
            episode = current[0]
            trace.use(episode.bron, "plaats van het verblijf", gemeente=episode.gemeente_code)
            trace.say(
                "De jeugdige verblijft op de peildatum in "
                f"{gemeente_label(register, episode.gemeente_code)} ({episode_in_words(episode)})."
            )
            return resolve_gemeente(
                register, episode.gemeente_code, case.peildatum, grondslag, trace,
                wat="de plaats van verblijf",
            )
        if len(by_successor) > 1:
            locations = sorted(
                {c for key, raw in by_successor.items() for c in (key or tuple(raw))}
            )
            trace.say("De jeugdige verblijft op de peildatum op plaatsen in meerdere gemeenten.")
            return Outcome.review(
                ReviewReden.TEGENSTRIJDIGE_JEUGDHULP,
                grondslag,
                [(c, "plaats van verblijf") for c in locations],
            )
    return werkelijke_verblijfplaats(case, register, grondslag, trace)


__all__ = ["CLAUSES", "GELDIG_TOT", "GELDIG_VANAF", "REGELVERSIE", "decide"]
