"""Jeugdwet art. 1.1 "woonplaats", in force from 2022-01-01.

Source: Jeugdwet (BWBR0034925), artikel 1.1, begripsbepaling "woonplaats", as amended
by the Wet wijziging woonplaatsbeginsel (Stb. 2020, 78; Kamerstukken 35 219), art. I,
onderdeel A. Each clause below has its own function with the article text beside it.

Interpretations where the text leaves room (see docs/interpretations.md):
- A series of uninterrupted stays counts as one stay: the address before the first
  stay decides (implementation FAQ: "een of meerdere aaneengesloten
  verblijfstrajecten"). A stay that begins the day after another ends continues it.
- A stay that began at birth has no address "immediately before": sub 2° cannot be
  established, so sub 3° applies.
- An address abroad immediately before a stay (or an RNI registration) makes the
  woonplaats one "buiten Nederland": sub 4°.
- An aantekening (art. 2.26 Wet BRP) on the address that 1° or 2° would use sends the
  decision to sub 3°.
- A briefadres is not a woonadres (Wet BRP art. 1.1 onder o): 1° and 2° cannot use it, so
  sub 3° applies; a mother with a briefadres at the birth was still registered as
  ingezetene.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.facts import Case, Jeugdhulp, Verblijfplaats
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet.common import (
    StaySeries,
    check_jeugdige,
    combine_readings,
    describe_record,
    episode_details,
    episode_in_words,
    gemeente_label,
    has_contradictory,
    record_in_words,
    resolve_gemeente,
    set_aside,
    stay_series_on,
    use_record,
    werkelijke_verblijfplaats,
    woonplaats_clause,
)
from wpb.law.outcome import Outcome, combine
from wpb.law.predicates import (
    AANTEKENING,
    BUITENLAND,
    GEBOORTEDATUM_BEKEND,
    INGESCHREVEN,
    JJI_HULP_OP_PEILDATUM,
    MOEDER_HISTORIE,
    MOEDER_INGEZETENE,
    VERBLIJF_OP_PEILDATUM,
    VERBLIJF_VANAF_GEBOORTE,
    VERBLIJF_VANAF_GEBOORTE_MOGELIJK,
    VERBLIJF_VANAF_GEBOORTE_ZEKER,
    WOONADRES,
    Field,
    MoederFacts,
    ReadingFacts,
    Route,
    StayBeginFacts,
    StayFacts,
    first_route,
    holds,
    tried_text,
)
from wpb.law.registration import (
    Reading,
    ambiguity_reason,
    ambiguity_sentence,
    reading_facts,
    readings_between,
)
from wpb.law.spans import (
    AANTEKENING_NA_DAG,
    AANTEKENINGEN,
    DAG_VOOR_VERBLIJF,
    JJI_VERBLIJF_MEEST_RECENT,
    begonnen_op,
    laatste,
    laatste_dag,
    on_day,
)
from wpb.law.trace import Trace

REGELVERSIE = "jeugdwet-art1.1-woonplaats@2022-01-01"
GELDIG_VANAF = date(2022, 1, 1)

def _source(onderdeel: int, tekst: str) -> LegalSource:
    return woonplaats_clause(onderdeel, tekst, geldig_vanaf=GELDIG_VANAF)


# 1°.
SUB_1 = _source(
    1,
    "1°. de gemeente waar de jeugdige zijn woonadres, bedoeld in artikel 1.1, onder o, "
    "van de Wet basisregistratie personen, heeft;",
)

# 2°.
SUB_2 = _source(
    2,
    "2°. ingeval een jeugdige verblijft bij een jeugdhulpaanbieder, pleegouder, in een "
    "instelling voor opvang of beschermd wonen als bedoeld in de Wet maatschappelijke "
    "ondersteuning 2015 of in een justitiële jeugdinrichting als bedoeld in artikel 3a van "
    "de Beginselenwet justitiële jeugdinrichtingen, of ingeval van jeugdhulp of "
    "jeugdreclassering in verband met het verblijf in een justitiële jeugdinrichting: de "
    "gemeente waar de jeugdige onmiddellijk voorafgaand aan zijn verblijf zijn woonadres, "
    "bedoeld in artikel 1.1, onder o, van de Wet basisregistratie personen, had;",
)

# 3°.
SUB_3 = _source(
    3,
    "3°. ingeval de woonplaats niet op grond van de onderdelen 1° en 2° kan worden "
    "vastgesteld of ingeval bij het in de basisregistratie personen opgenomen woonadres "
    "een aantekening is geplaatst als bedoeld in artikel 2.26 van de Wet basisregistratie "
    "personen: de gemeente waar de moeder van de jeugdige ten tijde van diens geboorte als "
    "ingezetene was ingeschreven in de basisregistratie personen, of, indien dit niet kan "
    "worden vastgesteld, de gemeente waar de jeugdige werkelijk verblijft op het moment van "
    "de hulpvraag;",
)

# 4°.
SUB_4 = _source(
    4,
    "4°. ingeval de woonplaats buiten Nederland is: de gemeente waar de jeugdige werkelijk "
    "verblijft op het moment van de hulpvraag.",
)

CLAUSES = (SUB_1, SUB_2, SUB_3, SUB_4)

# 3°: "de gemeente waar de moeder van de jeugdige ten tijde van diens geboorte als ingezetene
# was ingeschreven in de basisregistratie personen, of, indien dit niet kan worden vastgesteld,
# de gemeente waar de jeugdige werkelijk verblijft op het moment van de hulpvraag". In these
# two tables a route leads to the mother's registration (onderdeel None: her gemeente decides)
# or to the last part of 3° (onderdeel 3: the werkelijke verblijfplaats). Compiled the same
# way by the national executor (wpb.batch.jeugdwet.woonplaats_2022._sub3_mother).
#
# Whether the mother's registration at the birth can be read at all:
MOEDER_ROUTES = (
    Route(~GEBOORTEDATUM_BEKEND, 3, "geboortedatum van de jeugdige onbekend"),
    Route(~MOEDER_HISTORIE, 3, "inschrijving van de moeder niet opgegeven"),
    Route(GEBOORTEDATUM_BEKEND & MOEDER_HISTORIE, None,
          "inschrijving van de moeder ten tijde van de geboorte opgegeven"),
)
# What each reading of her registration at the birth leads to:
MOEDER_INSCHRIJVING_ROUTES = (
    Route(~MOEDER_INGEZETENE, 3,
          "moeder niet als ingezetene ingeschreven (niet ingeschreven, buitenland, RNI of onbekend)"),
    Route(MOEDER_INGEZETENE, None, "moeder als ingezetene ingeschreven (ook met een briefadres)"),
)

# Which onderdeel applies first, tried in this order (compiled the same way by the national
# executor). Two routes lead to 2°; their ``gevolg`` says which stay's day before is read.
GEVOLG_VERBLIJF = "verblijf"  # 2°, first limb: the series of stays on the peildatum
GEVOLG_JJI_VERBLIJF = "jji_verblijf"  # 2°, second limb: the most recent JJI stay
CLAUSE_ROUTES = (
    # 1°: without a stay (and without care tied to a JJI stay) the youth's own woonadres on
    # the peildatum.
    Route(~VERBLIJF_OP_PEILDATUM & ~JJI_HULP_OP_PEILDATUM, 1,
          "geen verblijf en geen jeugdhulp of jeugdreclassering in verband met een JJI-verblijf"),
    # 3°: a stay since birth has no woonadres "onmiddellijk voorafgaand aan zijn verblijf",
    # so 2° cannot establish the woonplaats.
    Route(VERBLIJF_VANAF_GEBOORTE, 3, "verblijf sinds de geboorte"),
    # 2°: "ingeval een jeugdige verblijft bij een jeugdhulpaanbieder, pleegouder, ...".
    Route(VERBLIJF_OP_PEILDATUM, 2, "verblijf op de peildatum", gevolg=GEVOLG_VERBLIJF),
    # 2°, second limb: "of ingeval van jeugdhulp of jeugdreclassering in verband met het
    # verblijf in een justitiële jeugdinrichting": the woonadres before that JJI stay.
    Route(JJI_HULP_OP_PEILDATUM, 2,
          "jeugdhulp of jeugdreclassering in verband met het verblijf in een JJI",
          gevolg=GEVOLG_JJI_VERBLIJF),
)

# 2°, second limb: the JJI stay whose day before is read is chosen by the declared
# spans.JJI_VERBLIJF_MEEST_RECENT (the most recent begun by the peildatum; its tie rule), read
# up to spans.laatste_dag; without one, what 2° needs is missing (compiled the same way by the
# national executor, wpb.batch.jeugdwet.woonplaats_2022).
JJI_VERBLIJF_GEKOZEN = Field("jji_verblijf_gekozen")
JJI_VERBLIJF_ROUTES = (
    Route(~JJI_VERBLIJF_GEKOZEN, 2, "verblijf in de justitiële jeugdinrichting niet opgegeven",
          reden=ReviewReden.JJI_VERBLIJF_ONTBREEKT.value,
          ontbreekt=("jeugdhulp[] met vorm jji en verblijf: true",
                     "nodig voor onderdeel 2°: het verblijf in de justitiële jeugdinrichting, want "
                     "het woonadres onmiddellijk daarvoor bepaalt de woonplaats")),
    Route(JJI_VERBLIJF_GEKOZEN, 2, "het meest recente verblijf in een justitiële jeugdinrichting"),
)


@dataclass(frozen=True)
class JjiFacts:
    """The field of JJI_VERBLIJF_ROUTES: whether a JJI stay was chosen."""

    jji_verblijf_gekozen: bool


# 1° and 2° both read the woonadres on one day: the peildatum (1°), or the day immediately
# before the stay (2°, spans.DAG_VOOR_VERBLIJF). What the registration on that day leads to,
# tried in this order (predicates declared once in wpb.law.predicates and wpb.law.spans; the
# national executor compiles this same table, wpb.batch.compile). The two routes to the
# clause itself carry a ``gevolg``: the woonadres decides, or it is read both ways.
GEVOLG_WOONADRES = "woonadres"  # the gemeente of the woonadres (1° or 2°)
GEVOLG_AANTEKENING_NA_DAG = "aantekening_na_dag"  # an open question: 2° and 3° both tried
WOONADRES_ROUTES = (
    # 3°: "ingeval de woonplaats niet op grond van de onderdelen 1° en 2° kan worden
    # vastgesteld": without a registration there is no woonadres.
    Route(~INGESCHREVEN, 3, "niet in de BRP ingeschreven"),
    # 4°: "ingeval de woonplaats buiten Nederland is" (an RNI registration is abroad).
    Route(BUITENLAND, 4, "verblijfplaats buiten Nederland"),
    # 3°: a briefadres, verblijfplaats onbekend or a code without a real gemeente is no
    # woonadres (Wet BRP art. 1.1 onder o), so 1° and 2° cannot establish it.
    Route(~WOONADRES, 3, "geen woonadres"),
    # 3°: "ingeval bij het (...) opgenomen woonadres een aantekening is geplaatst als
    # bedoeld in artikel 2.26 van de Wet basisregistratie personen".
    Route(AANTEKENING, 3, "aantekening art. 2.26 Wet BRP bij het woonadres"),
    # An aantekening (possibly) placed at this woonadres after the day read, by the
    # peildatum (spans.AANTEKENING_NA_DAG). It arises only under 2° (the day before the stay):
    # under 1° the day read is the peildatum itself. Whether 3° reads the aantekening as it
    # stood on that day or as it stands when deciding is an open question
    # (docs/open-questions.md): both readings are tried (_aantekening_after_stay_began).
    Route(AANTEKENING_NA_DAG, None,
          "aantekening art. 2.26 Wet BRP na deze dag geplaatst, uiterlijk op de peildatum",
          gevolg=GEVOLG_AANTEKENING_NA_DAG),
    # 1° or 2° itself: the gemeente of the woonadres.
    Route(WOONADRES, None, "woonadres in een Nederlandse gemeente", gevolg=GEVOLG_WOONADRES),
)


@dataclass(frozen=True)
class WoonadresFacts(ReadingFacts):
    """The fields of WOONADRES_ROUTES: a reading (ReadingFacts), the first day its record
    possibly carries an aantekening (``spans.aantekening_from``; None: none), the day read and
    the peildatum (the fields of spans.AANTEKENING_NA_DAG)."""

    aantekening_mogelijk_vanaf: date | None = None
    dag: date | None = None
    peildatum: date | None = None


def woonadres_facts(reading: Reading, day: date | None, peildatum: date) -> WoonadresFacts:
    """The fields of WOONADRES_ROUTES for ``reading`` on ``day``."""
    f = reading_facts(reading)
    record = reading.record
    return WoonadresFacts(
        f.ingeschreven, f.aantekening, f.soort, f.gemeente_code, f.briefadres,
        aantekening_mogelijk_vanaf=record.aantekening_vanaf[1] if record is not None else None,
        dag=day, peildatum=peildatum,
    )


def decide(
    case: Case, register: GemeenteRegister, trace: Trace | None = None
) -> tuple[Outcome, Trace]:
    """Apply art. 1.1 "woonplaats" (2022) to ``case`` on its peildatum.

    ``trace``: where the explanation goes (a new one by default); with a
    :class:`~wpb.law.trace.QuietTrace` only the outcome is asked, and what would only be
    written into the trace is not composed. The outcome is the same either way.
    """
    if trace is None:
        trace = Trace()
    if not trace.quiet:
        trace.say(
            f"Peildatum {case.peildatum.isoformat()}: Jeugdwet art. 1.1 (woonplaats) zoals "
            f"geldend vanaf {GELDIG_VANAF.isoformat()}."
        )
    not_jeugdige = check_jeugdige(case, None, trace)
    if not_jeugdige is not None:
        return not_jeugdige, trace

    if not has_contradictory(case.jeugdhulp, case.peildatum):
        outcome = _in_or_out_of_stay(case, register, trace, contradictory_as_stay=False)
        if not trace.quiet:
            set_aside(case, register, trace)
        return outcome, trace

    contradictory = [e for e in case.jeugdhulp if e.is_contradictory and begonnen_op(e, case.peildatum)]
    for e in contradictory:
        trace.use(e.bron, "tegenstrijdige jeugdhulp", **episode_details(e))
    names = "; ".join(episode_in_words(e) for e in contradictory)
    trace.say(
        f"{names}: als ambulant opgegeven, maar de vorm is altijd verblijf. Beide lezingen "
        "worden getoetst."
    )
    outcome = combine(
        [
            (f"als {names} verblijf is", partial(
                _in_or_out_of_stay, case, register, contradictory_as_stay=True)),
            (f"als {names} geen verblijf is", partial(
                _in_or_out_of_stay, case, register, contradictory_as_stay=False)),
        ],
        trace,
        ReviewReden.TEGENSTRIJDIGE_JEUGDHULP,
    )
    set_aside(case, register, trace)
    return outcome, trace


def _in_or_out_of_stay(
    case: Case, register: GemeenteRegister, trace: Trace, *, contradictory_as_stay: bool
) -> Outcome:
    series = stay_series_on(
        case.jeugdhulp, case.peildatum, contradictory_as_stay=contradictory_as_stay
    )
    jji_care = [e for e in case.jeugdhulp if e.is_jji_gerelateerd and e.covers(case.peildatum)]
    route, tried = first_route(CLAUSE_ROUTES, StayFacts(
        verblijf_op_peildatum=series is not None,
        verblijf_vanaf_geboorte=holds(VERBLIJF_VANAF_GEBOORTE_ZEKER, _stay_begin_facts(
            case, series.begin if series is not None else None)),
        jji_hulp_op_peildatum=bool(jji_care),
    ))
    if series is None:
        if not trace.quiet:
            trace.say("Op de peildatum verblijft de jeugdige niet (jeugdhulp zonder verblijf of geen jeugdhulp).")
            trace.say(f"Onderdelen: {tried_text(tried)}")
        if route.gevolg == GEVOLG_JJI_VERBLIJF:
            return _jji_limb(case, register, trace, jji_care)
        return sub_1(case, register, trace)
    if not trace.quiet:
        _explain_stay(series, tried, trace)
    if route.onderdeel == 3:
        return _stay_from_birth(case, register, trace)
    return sub_2(case, register, trace, series.begin)


def _explain_stay(series: StaySeries, tried: list, trace: Trace) -> None:
    """The stay on the peildatum and the onderdelen tried, in the trace."""
    for e in series.episodes:
        trace.use(e.bron, "verblijf", **episode_details(e))
    waar = [e.vorm.omschrijving for e in series.episodes if e.vorm]
    waar_text = " en ".join(dict.fromkeys(waar)) or "met verblijf"
    if len(series.episodes) > 1:
        trace.say(
            f"Op de peildatum verblijft de jeugdige {waar_text}: een reeks van "
            f"{len(series.episodes)} aaneengesloten verblijven, begonnen op "
            f"{series.begin.isoformat()}; de reeks telt als één verblijf."
        )
    else:
        trace.say(
            f"Op de peildatum verblijft de jeugdige {waar_text}, sinds {series.begin.isoformat()}."
        )
    trace.say(f"Onderdelen: {tried_text(tried)}")


def sub_1(case: Case, register: GemeenteRegister, trace: Trace) -> Outcome:
    """1°. de gemeente waar de jeugdige zijn woonadres (...) heeft."""
    day = case.peildatum
    return _woonadres_on(case, register, trace, day, SUB_1, "woonadres op de peildatum")


def sub_2(case: Case, register: GemeenteRegister, trace: Trace, stay_begin: date) -> Outcome:
    """2°. bij verblijf: de gemeente van het woonadres onmiddellijk voorafgaand aan het verblijf
    (read on the declared DAG_VOOR_VERBLIJF; None: a stay from 0001-01-01 has no day before)."""
    day = DAG_VOOR_VERBLIJF.on(stay_begin)
    birth = case.jeugdige.geboortedatum
    if birth is not None and holds(VERBLIJF_VANAF_GEBOORTE_MOGELIJK, _stay_begin_facts(case, stay_begin)):
        # A partial birth date: the stay may have begun at birth, or after it.
        trace.say(
            f"Door de onvolledige geboortedatum ({birth.isoformat()}) is niet zeker of het "
            "verblijf bij de geboorte begon."
        )
        return combine(
            [
                ("als het verblijf bij de geboorte begon", partial(_stay_from_birth, case, register)),
                ("als de jeugdige vóór het verblijf geboren was", partial(
                    _woonadres_on, case, register, day=day, grondslag=SUB_2,
                    rol="woonadres onmiddellijk voorafgaand aan het verblijf")),
            ],
            trace,
            ReviewReden.ONVOLLEDIGE_DATUM,
        )
    return _woonadres_on(
        case, register, trace, day, SUB_2, "woonadres onmiddellijk voorafgaand aan het verblijf"
    )


def _stay_begin_facts(case: Case, begin: date | None) -> StayBeginFacts:
    """The birth range and the first day of the stay, as the declared predicates name them."""
    birth = case.jeugdige.geboortedatum
    return StayBeginFacts(
        geboorte_vroegst=birth.earliest if birth else None,
        geboorte_laatst=birth.latest if birth else None,
        verblijf_begin=begin,
    )


def _jji_limb(
    case: Case, register: GemeenteRegister, trace: Trace, jji_care: list[Jeugdhulp]
) -> Outcome:
    """2°, second limb: care tied to a JJI stay reads the woonadres before that stay."""
    for e in jji_care:
        trace.use(e.bron, "jeugdhulp of jeugdreclassering in verband met een JJI-verblijf",
                  **episode_details(e))
    names = "; ".join(episode_in_words(e) for e in jji_care)
    trace.say(
        f"Op de peildatum loopt jeugdhulp of jeugdreclassering in verband met het verblijf in "
        f"een justitiële jeugdinrichting ({names}); de jeugdige verblijft daar niet meer."
    )
    # The most recent JJI stay (declared: spans.JJI_VERBLIJF_MEEST_RECENT, with its tie rule).
    chosen = laatste(JJI_VERBLIJF_MEEST_RECENT, case.jeugdhulp, lambda e: on_day(e, case.peildatum))
    route, _ = first_route(JJI_VERBLIJF_ROUTES, JjiFacts(jji_verblijf_gekozen=bool(chosen)))
    if route.reden is not None:
        if route.ontbreekt is not None:
            trace.miss(*route.ontbreekt)
        trace.say("Het verblijf in de justitiële jeugdinrichting zelf is niet opgegeven.")
        return Outcome.review(ReviewReden(route.reden), SUB_2)
    stay = chosen[0][0]
    # With stays joined to it, the series it belongs to on its last day up to the peildatum.
    last_day = laatste_dag(stay.einde, case.peildatum)
    series = stay_series_on(case.jeugdhulp, last_day, contradictory_as_stay=False)
    begin = series.begin if series is not None else stay.begin
    for e in series.episodes if series is not None else (stay,):
        trace.use(e.bron, "verblijf in de justitiële jeugdinrichting (of de reeks ervan)",
                  **episode_details(e))
    trace.say(
        f"Dat verblijf ({episode_in_words(stay)}) begon op {stay.begin.isoformat()}"
        + (f"; de reeks aaneengesloten verblijven begon op {begin.isoformat()}."
           if begin != stay.begin else ".")
    )
    return sub_2(case, register, trace, begin)


def _stay_from_birth(case: Case, register: GemeenteRegister, trace: Trace) -> Outcome:
    trace.say(
        "Het verblijf begon bij de geboorte: er is geen woonadres onmiddellijk "
        "voorafgaand aan het verblijf."
    )
    return sub_3(case, register, trace, "de woonplaats kan niet op grond van 2° worden vastgesteld")


def _woonadres_on(
    case: Case,
    register: GemeenteRegister,
    trace: Trace,
    day: date | None,
    grondslag: LegalSource,
    rol: str,
) -> Outcome:
    # No day (DAG_VOOR_VERBLIJF before 0001-01-01): nothing is registered on it.
    readings = (readings_between(case.jeugdige, day, day) if day is not None
                else [Reading(None, aantekening=False, certain=True)])
    if len(readings) > 1:
        trace.say(ambiguity_sentence(readings, _day_in_words(day)))
    return combine_readings(
        register, readings,
        lambda r: partial(_from_reading, case, register, r, day, grondslag, rol),
        trace, ambiguity_reason(readings),
    )


def _from_reading(
    case: Case,
    register: GemeenteRegister,
    reading: Reading,
    day: date | None,
    grondslag: LegalSource,
    rol: str,
    trace: Trace,
) -> Outcome:
    record = reading.record
    route, tried = first_route(WOONADRES_ROUTES, woonadres_facts(reading, day, case.peildatum))
    if not trace.quiet:
        _explain_reading(register, reading, day, grondslag, rol, tried, trace)
    if route.onderdeel == 3:
        return sub_3(case, register, trace, route.toets)
    if route.onderdeel == 4:
        return sub_4(case, register, trace)
    assert record is not None and record.gemeente_code is not None and day is not None
    if route.gevolg == GEVOLG_AANTEKENING_NA_DAG:
        return _aantekening_after_stay_began(case, register, record, day, grondslag, trace)
    assert route.gevolg == GEVOLG_WOONADRES
    return resolve_gemeente(
        register, record.gemeente_code, case.peildatum, grondslag, trace, wat="het woonadres"
    )


def _day_in_words(day: date | None) -> str:
    return day.isoformat() if day is not None else "de dag vóór 0001-01-01"


def _explain_reading(register: GemeenteRegister, reading: Reading, day: date | None,
                     grondslag: LegalSource, rol: str, tried: list, trace: Trace) -> None:
    """The record read on ``day`` and the routes tried, in the trace."""
    use_record(trace, reading, rol, register)
    record = reading.record
    when = _day_in_words(day)
    if record is None:
        trace.say(f"Op {when} was de jeugdige niet in de BRP ingeschreven.")
    else:
        mark = (
            ", met een aantekening als bedoeld in art. 2.26 Wet BRP"
            if reading.aantekening and record.is_woonadres else ""
        )
        trace.say(
            f"Op {when} had de jeugdige {describe_record(register, record)} "
            f"(BRP: {record_in_words(register, record)}){mark}."
        )
    trace.say(f"{grondslag.onderdeel}° ({rol}): {tried_text(tried)}")


def _aantekening_after_stay_began(
    case: Case, register: GemeenteRegister, record: Verblijfplaats, day: date,
    grondslag: LegalSource, trace: Trace,
) -> Outcome:
    """3°: "ingeval bij het (...) opgenomen woonadres een aantekening is geplaatst".

    An open question (docs/open-questions.md): is the aantekening read on the day before the
    stay, or at the moment of deciding? The text does not say; both readings are tried and,
    as they differ at least in onderdeel, the answer is a review naming both candidates.
    """
    vanaf = [
        f"{kind.omschrijving} vanaf {d.isoformat()}" if d is not None else kind.omschrijving
        for kind in AANTEKENINGEN
        if holds(kind.geplaatst, record)
        for d in (getattr(record, kind.vanaf.name),)
    ]
    trace.use(record.bron, "aantekening geplaatst na het begin van het verblijf",
              aantekening=vanaf)
    trace.say(
        f"Bij dit woonadres is na het begin van het verblijf een aantekening als bedoeld in "
        f"art. 2.26 Wet BRP geplaatst ({'; '.join(vanaf)}); op {day.isoformat()} stond die er "
        "nog niet. Of onderdeel 3° de aantekening leest op de dag vóór het verblijf of op het "
        "moment van beslissen, zegt de wet niet (open rechtsvraag); beide lezingen worden getoetst."
    )
    assert record.gemeente_code is not None
    return combine(
        [
            ("als de aantekening telt zoals die er op de dag vóór het verblijf stond (2°)",
             partial(resolve_gemeente, register, record.gemeente_code, case.peildatum, grondslag,
                     wat="het woonadres")),
            ("als de aantekening telt zoals die er op het moment van beslissen staat (3°)",
             partial(_sub_3_from, case, register,
                     "bij het woonadres van vóór het verblijf staat nu een aantekening")),
        ],
        trace,
        ReviewReden.OPEN_RECHTSVRAAG,
    )


def _sub_3_from(case: Case, register: GemeenteRegister, aanleiding: str, trace: Trace) -> Outcome:
    return sub_3(case, register, trace, aanleiding)


def sub_3(case: Case, register: GemeenteRegister, trace: Trace, aanleiding: str) -> Outcome:
    """3°. moeder bij de geboorte als ingezetene ingeschreven; anders werkelijke verblijfplaats."""
    trace.say(f"Onderdeel 3° is van toepassing: {aanleiding}.")
    birth = case.jeugdige.geboortedatum
    moeder = case.moeder
    route, _ = first_route(MOEDER_ROUTES, MoederFacts(
        geboortedatum_bekend=birth is not None,
        moeder_historie=moeder is not None and bool(moeder.historie),
    ))
    if route.onderdeel == 3 and birth is None:
        trace.say("Zonder geboortedatum is de inschrijving van de moeder bij de geboorte niet vast te stellen.")
        return werkelijke_verblijfplaats(case, register, SUB_3, trace)
    if route.onderdeel == 3:
        trace.miss(
            "moeder.verblijfplaatshistorie",
            "nodig voor onderdeel 3°: waar de moeder bij de geboorte als ingezetene was ingeschreven",
        )
        trace.say("De inschrijving van de moeder bij de geboorte is niet opgegeven.")
        return werkelijke_verblijfplaats(case, register, SUB_3, trace)
    assert birth is not None and moeder is not None
    readings = readings_between(moeder, birth.earliest, birth.latest)
    if len(readings) > 1:
        trace.say(ambiguity_sentence(
            readings, f"de geboortedatum ({birth.isoformat()})", one_day=birth.is_exact))
    return combine_readings(
        register, readings, lambda r: partial(_mother_at_birth, case, register, r),
        trace, ambiguity_reason(readings, one_day=birth.is_exact),
    )


def _mother_at_birth(case: Case, register: GemeenteRegister, reading: Reading, trace: Trace) -> Outcome:
    use_record(trace, reading, "inschrijving moeder bij de geboorte", register)
    record = reading.record
    birth = case.jeugdige.geboortedatum
    assert birth is not None
    route, tried = first_route(MOEDER_INSCHRIJVING_ROUTES, reading_facts(reading))
    if route.onderdeel == 3:
        trace.say(
            f"Bij de geboorte ({birth.isoformat()}) was de moeder niet als ingezetene "
            f"ingeschreven: {describe_record(register, record)}"
            + (f" (BRP: {record_in_words(register, record)})." if record else ".")
        )
        trace.say(f"3° (moeder bij de geboorte): {tried_text(tried)}")
        return werkelijke_verblijfplaats(case, register, SUB_3, trace)
    assert record is not None and record.gemeente_code is not None
    trace.say(
        f"Bij de geboorte ({birth.isoformat()}) was de moeder als ingezetene ingeschreven in "
        f"{gemeente_label(register, record.gemeente_code)} (BRP: {record_in_words(register, record)})."
    )
    trace.say(f"3° (moeder bij de geboorte): {tried_text(tried)}")
    return resolve_gemeente(
        register, record.gemeente_code, case.peildatum, SUB_3, trace,
        wat="de inschrijving van de moeder",
    )


def sub_4(case: Case, register: GemeenteRegister, trace: Trace) -> Outcome:
    """4°. woonplaats buiten Nederland: de gemeente van het werkelijk verblijf bij de hulpvraag."""
    trace.say("De woonplaats ligt buiten Nederland: onderdeel 4° is van toepassing.")
    return werkelijke_verblijfplaats(case, register, SUB_4, trace)


__all__ = [
    "CLAUSES", "GELDIG_VANAF", "GEVOLG_AANTEKENING_NA_DAG", "GEVOLG_JJI_VERBLIJF",
    "GEVOLG_VERBLIJF", "GEVOLG_WOONADRES", "REGELVERSIE", "WoonadresFacts", "woonadres_facts",
    "CLAUSE_ROUTES", "JJI_VERBLIJF_GEKOZEN", "JJI_VERBLIJF_ROUTES", "JjiFacts",
    "MOEDER_INSCHRIJVING_ROUTES",
    "MOEDER_ROUTES", "WOONADRES_ROUTES", "decide", "gemeente_label",
]
