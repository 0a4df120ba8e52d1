"""Fact-finding shared by the versions of the Jeugdwet woonplaats rule.

These helpers read the facts (age, stays, registrations, municipalities) and write
what they used into the trace. The clauses themselves live in the version modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wpb.law.dates import age_on, day_after
from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.facts import Case, Jeugdhulp, Persoon, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.outcome import Outcome
from wpb.law.registration import Reading
from wpb.law.trace import Trace

JEUGDIGE_MAX_LEEFTIJD = 23  # art. 1.1 "jeugdige": until the age of 23 at the latest
MEERDERJARIG = 18


def gemeente_label(register: GemeenteRegister, code: str) -> str:
    return f"{register.naam(code)} ({code})" if code in register else code


def record_details(record: Verblijfplaats) -> dict:
    """The dated facts of a BRP record, as listed under ``gebruikteGegevens``."""
    periode = record.periode
    details: dict = {
        "type": record.soort.value,
        "datumVan": periode.van.isoformat(),
        "datumTot": periode.tot.isoformat() if periode.tot else None,
    }
    if record.gemeente_code:
        details["gemeenteVanInschrijving"] = {
            "code": record.gemeente_code,
            "omschrijving": record.gemeente_omschrijving,
        }
    if record.land_code or record.land_omschrijving:
        details["land"] = {"code": record.land_code, "omschrijving": record.land_omschrijving}
    if record.briefadres:
        details["functieAdres"] = "B"
    if record.in_onderzoek:
        details["inOnderzoek"] = True
    if record.vastgesteld_niet_op_adres or record.niet_op_adres_vanaf:
        details["verblijftNietOpAdres"] = (
            record.niet_op_adres_vanaf.isoformat() if record.niet_op_adres_vanaf else True
        )
    return details


def episode_details(episode: Jeugdhulp) -> dict:
    return {
        "begin": episode.begin.isoformat(),
        "einde": episode.einde.isoformat() if episode.einde else None,
        "verblijf": episode.verblijf,
        "vorm": episode.vorm.value if episode.vorm else None,
    }


def describe_record(register: GemeenteRegister, record: Verblijfplaats | None) -> str:
    if record is None:
        return "geen inschrijving"
    if record.soort is VerblijfplaatsSoort.ONBEKEND:
        return "verblijfplaats onbekend"
    if record.is_buitenland:
        land = record.land_omschrijving or record.land_code or "onbekend land"
        return f"een verblijfplaats in het buitenland ({land})"
    if record.briefadres and record.gemeente_code:
        return f"een briefadres (geen woonadres) in {gemeente_label(register, record.gemeente_code)}"
    if record.gemeente_code is None or not record.is_woonadres:
        return "een adres zonder bekende gemeente"
    return f"een woonadres in {gemeente_label(register, record.gemeente_code)}"


def reading_label(register: GemeenteRegister, reading: Reading) -> str:
    what = describe_record(register, reading.record)
    if reading.record is None:
        return "als er nog geen inschrijving was"
    mark = " met aantekening" if reading.aantekening else ""
    return f"als het {what.removeprefix('een ')}{mark} gold ({reading.record.bron})"


# --- age ------------------------------------------------------------------------------


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
    if peildatum < birth.earliest:
        trace.say(f"De peildatum {peildatum} ligt vóór de geboorte ({birth.isoformat()}).")
        return Outcome.review(ReviewReden.GEEN_JEUGDIGE, grondslag)
    oldest = age_on(birth.earliest, peildatum)
    youngest = age_on(birth.latest, peildatum)
    if youngest >= JEUGDIGE_MAX_LEEFTIJD:
        trace.say(
            f"Op {peildatum} is de persoon {youngest} jaar of ouder; een jeugdige is jonger "
            f"dan {JEUGDIGE_MAX_LEEFTIJD} jaar."
        )
        return Outcome.review(ReviewReden.GEEN_JEUGDIGE, grondslag)
    if oldest >= JEUGDIGE_MAX_LEEFTIJD:
        trace.say(
            f"Door de onvolledige geboortedatum ({birth.isoformat()}) is niet zeker of de "
            f"persoon op {peildatum} jonger is dan {JEUGDIGE_MAX_LEEFTIJD} jaar."
        )
        return Outcome.review(ReviewReden.ONVOLLEDIGE_DATUM, grondslag)
    if youngest >= MEERDERJARIG:
        trace.say(
            f"De jeugdige is op {peildatum} {youngest} jaar: jeugdige in de zin van de wet "
            "alleen bij verlengde jeugdhulp (art. 1.1, jeugdige, onder b of c)."
        )
    return None


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

    Stays form one series when each begins no later than the day after the previous
    one ends ("een of meerdere aaneengesloten verblijfstrajecten"). A day without a
    stay in between interrupts the series.
    """
    stays = sorted(
        (
            e
            for e in episodes
            if e.begin <= day and (e.verblijf or (contradictory_as_stay and e.is_contradictory))
        ),
        key=lambda e: (e.begin, e.einde or date.max, e.bron),
    )
    series: list[Jeugdhulp] = []
    series_end: date | None = None  # last day covered; None = open-ended
    open_ended = False
    for e in stays:
        joins = series and (open_ended or (series_end is not None and e.begin <= day_after(series_end)))
        if not joins:
            series, series_end, open_ended = [], None, False
        series.append(e)
        if e.einde is None:
            open_ended = True
        elif series_end is None or e.einde > series_end:
            series_end = e.einde
    if not series:
        return None
    if open_ended or (series_end is not None and day <= series_end):
        return StaySeries(series[0].begin, tuple(series))
    return None


def has_contradictory(episodes: tuple[Jeugdhulp, ...], day: date) -> bool:
    return any(e.is_contradictory and e.begin <= day for e in episodes)


# --- municipalities -------------------------------------------------------------------


def resolve_gemeente(
    register: GemeenteRegister,
    code: str,
    peildatum: date,
    grondslag: LegalSource,
    trace: Trace,
    *,
    wat: str,
) -> Outcome:
    """The gemeente that carries ``code`` on the peildatum; review when it was split."""
    successors = register.successors(code, peildatum)
    for step in successors.path:
        opvolgers = ", ".join(gemeente_label(register, c) for c in step.opvolgers)
        verb = "is gesplitst over" if step.soort.value == "splitsing" else "is opgegaan in"
        trace.say(
            f"{gemeente_label(register, step.code)} {verb} {opvolgers} op {step.datum.isoformat()}."
        )
        trace.use(
            f"gemeentetabel:{step.code}",
            "herindeling",
            datum=step.datum.isoformat(),
            soort=step.soort.value,
            opvolgers=list(step.opvolgers),
            herkomst=step.bron or None,
        )
    if successors.is_unique:
        return Outcome.bepaald(successors.code, grondslag)
    if not successors.codes:
        trace.say(
            f"{gemeente_label(register, code)} is opgeheven zonder Nederlandse opvolger "
            f"(einde {register.get(code).einde})."
        )
        return Outcome.review(ReviewReden.GEMEENTE_ZONDER_OPVOLGER, grondslag)
    trace.say(
        f"Voor {wat} is alleen de gemeentecode {code} bekend; welke opvolger het adres nu "
        "heeft, volgt uit het adres zelf en niet uit de code."
    )
    return Outcome.review(
        ReviewReden.GESPLITSTE_GEMEENTE,
        grondslag,
        [(c, f"opvolger van {gemeente_label(register, code)}") for c in successors.codes],
    )


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


def use_record(trace: Trace, reading: Reading, rol: str) -> None:
    if reading.record is not None:
        details = record_details(reading.record)
        if reading.aantekening:
            details["aantekening"] = True
        trace.use(reading.record.bron, rol, **details)


def person_history_missing(persoon: Persoon | None) -> bool:
    return persoon is None or not persoon.historie
