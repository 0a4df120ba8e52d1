"""Explaining facts and resolving municipalities: shared by every law in the engine.

Each helper writes what it used into the trace, so that every decision can show the dated
records and herindelingen it relied on.
"""

from __future__ import annotations

from datetime import date

from wpb.law.decision import LegalSource, ReviewReden
from wpb.law.facts import Jeugdhulp, Verblijfplaats, VerblijfplaatsSoort
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.outcome import Outcome
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
        land = record.land_omschrijving or record.land_code or "land onbekend"
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


def use_record(trace: Trace, reading: Reading, rol: str) -> None:
    if reading.record is not None:
        details = record_details(reading.record)
        if reading.aantekening:
            details["aantekening"] = True
        trace.use(reading.record.bron, rol, **details)
