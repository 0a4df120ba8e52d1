"""Explaining facts and resolving municipalities: shared by every law in the engine.

Each helper writes what it used into the trace, so that every decision can show the dated
records and herindelingen it relied on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from wpb.law.dates import PartialDate, Precision
from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.facts import Jeugdhulp, JeugdhulpVorm, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.outcome import Outcome, combine
from wpb.law.registration import Reading
from wpb.law.trace import Trace


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
        if record.soort is not VerblijfplaatsSoort.BUITENLAND:
            return "een inschrijving in de RNI (niet-ingezetene, buiten Nederland)"
        return f"een verblijfplaats in het buitenland ({land_label(register, record)})"
    if record.briefadres and record.gemeente_code:
        return f"een briefadres (geen woonadres) in {gemeente_label(register, record.gemeente_code)}"
    if record.gemeente_code is None or not record.is_woonadres:
        return "een adres zonder bekende gemeente"
    return f"een woonadres in {gemeente_label(register, record.gemeente_code)}"


def land_label(register: GemeenteRegister, record: Verblijfplaats) -> str:
    """A country as a reader names it: "België (landcode 5010)", the name from BRP Tabel 34.

    A code the table does not know keeps the name the input gave, else the bare code.
    """
    code = record.land_code
    naam = (register.land_naam(code) if code else None) or record.land_omschrijving
    if naam and code:
        return f"{naam} (landcode {code})"
    if naam:
        return naam
    return f"landcode {code}" if code else "land onbekend"


_MAANDEN = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)


def date_in_words(day: date | PartialDate) -> str:
    """"1 februari 2022"; a partial BRP date as far as it is known ("februari 2022")."""
    if isinstance(day, date):
        return f"{day.day} {_MAANDEN[day.month - 1]} {day.year}"
    if day.precision is Precision.DAY:
        return date_in_words(day.earliest)
    if day.precision is Precision.MONTH:
        return f"{_MAANDEN[day.earliest.month - 1]} {day.earliest.year}"
    if day.precision is Precision.YEAR:
        return str(day.earliest.year)
    return "een onbekende datum"


def record_in_words(register: GemeenteRegister, record: Verblijfplaats) -> str:
    """A BRP record as a reader names it: "adres Zwolle (0193), 1 februari 2022 tot 2 juni 2022".

    The machine path (``jeugdige.verblijfplaatshistorie[1]``) stays in ``bron`` of
    ``gebruikteGegevens``; the toelichting uses these words.
    """
    if record.soort is VerblijfplaatsSoort.ONBEKEND:
        what = "verblijfplaats onbekend"
    elif record.soort is VerblijfplaatsSoort.BUITENLAND:
        what = f"buitenland {land_label(register, record)}"
    else:
        kind = "briefadres" if record.briefadres else (
            "locatie" if record.soort is VerblijfplaatsSoort.LOCATIE else "adres")
        where = gemeente_label(register, record.gemeente_code) if record.gemeente_code else "gemeente onbekend"
        what = f"{kind} {where}"
    periode = record.periode
    if periode.tot is None:
        return f"{what}, vanaf {date_in_words(periode.van)}"
    return f"{what}, {date_in_words(periode.van)} tot {date_in_words(periode.tot)}"


def episode_in_words(episode: Jeugdhulp) -> str:
    """A care episode as a reader names it: "jeugdhulp in een JJI, 1 maart 2023 tot en met ..."."""
    kind = "jeugdreclassering" if episode.vorm is JeugdhulpVorm.JEUGDRECLASSERING else (
        f"jeugdhulp {episode.vorm.omschrijving}" if episode.vorm else "jeugdhulp")
    if episode.einde is None:
        return f"{kind}, vanaf {date_in_words(episode.begin)}"
    return f"{kind}, {date_in_words(episode.begin)} tot en met {date_in_words(episode.einde)}"


def reading_label(register: GemeenteRegister, reading: Reading) -> str:
    what = describe_record(register, reading.record)
    if reading.record is None:
        return "als er nog geen inschrijving was"
    mark = " met aantekening" if reading.aantekening else ""
    return f"als het {what.removeprefix('een ')}{mark} gold ({record_in_words(register, reading.record)})"


def combine_readings(
    register: GemeenteRegister,
    readings: list[Reading],
    evaluate: Callable[[Reading], Callable[[Trace], Outcome]],
    trace: Trace,
    reden: ReviewReden,
) -> Outcome:
    """:func:`~wpb.law.outcome.combine` over ``readings``, each labelled by
    :func:`reading_label`. A single reading is evaluated as ``combine`` evaluates it, without
    writing the label it would not read (the common case: one record on the day)."""
    if len(readings) == 1:
        return evaluate(readings[0])(trace)
    return combine([(reading_label(register, r), evaluate(r)) for r in readings], trace, reden)


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


def use_record(
    trace: Trace, reading: Reading, rol: str, register: GemeenteRegister | None = None
) -> None:
    """List the record under ``gebruikteGegevens``; with ``register``, flag a gemeente that had ended."""
    record = reading.record
    if record is None:
        return
    details = record_details(record)
    if reading.aantekening:
        details["aantekening"] = True
    if register is not None:
        error = ended_gemeente_error(register, record)
        if error is not None:
            details["waarschijnlijkeGegevensfout"] = error
            trace.say(_ended_gemeente_sentence(register, record, error))
    trace.use(record.bron, rol, **details)


def ended_gemeente_error(register: GemeenteRegister, record: Verblijfplaats) -> dict | None:
    """A record that begins after its gemeente ceased to exist: most likely a data error.

    At a herindeling the BRP moves every address to the new gemeente, so a registration that
    begins on or after the end date should carry a successor's code (the public Haal Centraal
    test data has 2023 addresses in 0800, dissolved in 1997). The rules still follow the
    successor; this only says so.
    """
    code = record.gemeente_code
    if code is None or code not in register:
        return None
    einde = register.get(code).einde
    if einde is None or record.periode.van.earliest < einde:
        return None
    opvolgers = register.successors(code, record.periode.van.earliest).codes
    return {
        "gemeente": code,
        "opgeheven": einde.isoformat(),
        "recordVanaf": record.periode.van.isoformat(),
        "opvolgers": list(opvolgers),
        "reden": "het record begint nadat de gemeente was opgeheven",
    }


def _ended_gemeente_sentence(register: GemeenteRegister, record: Verblijfplaats, error: dict) -> str:
    opvolgers = [gemeente_label(register, c) for c in error["opvolgers"]]
    if len(opvolgers) == 1:
        gebruikt = f"gebruikt is de opvolger {opvolgers[0]}"
    elif opvolgers:
        gebruikt = f"de opvolgers zijn {', '.join(opvolgers)}"
    else:
        gebruikt = "er is geen Nederlandse opvolger"
    return (
        f"Waarschijnlijk een gegevensfout: het BRP-record {record_in_words(register, record)} "
        f"noemt {gemeente_label(register, error['gemeente'])}, maar die gemeente is op "
        f"{error['opgeheven']} opgeheven; {gebruikt}."
    )
