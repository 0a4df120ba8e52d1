"""One case through the columnar executor: a national run of one person.

``decide_case`` puts one parsed case into one-row tables, runs the batch engine on them and
returns a :class:`~wpb.law.decision.Decision` of the same shape as the reference engine's
(status, gemeente, grondslag with its onderdeel and text, reden, kandidaten). Anyone can so
check both executors on any case. The columnar executor carries no sentences and no list of
facts used: the toelichting says which executor answered, and ``gebruikteGegevens`` stays
empty. A person the executor hands back to the reference engine (``via_referentie``) gets
the reference's decision, and the toelichting says so.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from datetime import date
from typing import Any

import polars as pl

from wpb import refdata
from wpb.batch.engine import REGEL_2015, REGEL_2022, decide_population, regel_for
from wpb.law.decision import Decision, Kandidaat, LegalSource, Receipt, ReviewReden, Status
from wpb.law.engine import ENGINE, JEUGDWET, decide, input_hash
from wpb.law.explain import gemeente_label
from wpb.law.facts import Case
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet import woonplaats_2015, woonplaats_2022
from wpb.law.jeugdwet.jeugdige import jeugdige_bron
from wpb.population.schema import cases_to_population

EXECUTOR = "kolom"
WMO_BW = "wmo-bw"
_VERSIONS = {REGEL_2022: woonplaats_2022, REGEL_2015: woonplaats_2015}


def decide_case(
    case: object,
    peildatum: date | None = None,
    wet: str = JEUGDWET,
    *,
    register: GemeenteRegister | None = None,
    inwerkingtreding: date | None = None,
) -> Decision:
    """Decide ``case`` on ``peildatum`` (default: the case's own) with the columnar executor."""
    if register is None:
        register = refdata.gemeente_register()
    if peildatum is not None and peildatum != case.peildatum:  # type: ignore[attr-defined]
        case = dataclasses.replace(case, peildatum=peildatum)  # type: ignore[type-var]
    if wet == JEUGDWET:
        assert isinstance(case, Case)
        return _jeugdwet(case, register)
    if wet == WMO_BW:
        return _wmo_bw(case, register, inwerkingtreding)
    raise ValueError(f"de kolomsgewijze uitvoering kent de wet {wet!r} niet (wel: jeugdwet, wmo-bw)")


def _jeugdwet(case: Case, register: GemeenteRegister) -> Decision:
    return decide_cases([case], register)[0]


def decide_cases(cases: Sequence[Case], register: GemeenteRegister, *,
                 hash_input: bool = True) -> list[Decision]:
    """Jeugdwet cases sharing one peildatum, decided together by the columnar executor.

    Each answer is what :func:`decide_case` gives for that case alone; the tables are built and
    the engine run once for all of them (a caseload's clients, say). ``hash_input=False``
    leaves the receipt's ``invoer_hash`` empty for a caller that decides some of the cases
    again and hashes only the answers it keeps (:func:`with_input_hash`): hashing a case
    costs about as much as deciding it.
    """
    if not cases:
        return []
    peildatum = cases[0].peildatum
    if any(c.peildatum != peildatum for c in cases):
        raise ValueError("decide_cases: alle casussen moeten dezelfde peildatum hebben")
    population, pids = cases_to_population(cases)
    result = decide_population(population, peildatum, register, split_code=True,
                               persoon_ids=pl.Series(pids))
    version = regel_for(peildatum, "auto")
    module = _VERSIONS.get(version) if version else None
    if hash_input:
        rows = {row["persoon_id"]: row for row in result.iter_rows(named=True)}
        return [_from_row(case, rows[pid], register, module, hash_input)
                for case, pid in zip(cases, pids, strict=True)]
    # Without the input hash a decision depends on the case only through the peildatum, which
    # all share, and on the row's answer: one (frozen) decision per distinct answer, shared by
    # the cases that have it. A case handed back to the reference engine gets its own.
    answers = {row[0]: row[1:] for row in result.select("persoon_id", *_ANSWER_COLUMNS).iter_rows()}
    shared: dict[tuple, Decision] = {}
    decisions = []
    for case, pid in zip(cases, pids, strict=True):
        answer = answers[pid]
        found = shared.get(answer)
        if found is None:
            found = _from_row(case, dict(zip(_ANSWER_COLUMNS, answer, strict=True)), register,
                              module, hash_input)
            if not answer[0]:  # (via_referentie)
                shared[answer] = found
        decisions.append(found)
    return decisions


# Every column of a row that _from_row reads (via_referentie first).
_ANSWER_COLUMNS = ("via_referentie", "status", "gemeente", "onderdeel", "reden", "gesplitste_code")


def _from_row(case: Case, row: dict, register: GemeenteRegister, module, hash_input: bool) -> Decision:
    if row["via_referentie"]:
        reference = decide(case, register)
        note = (
            "De kolomsgewijze uitvoering kan deze lezingen niet vergelijken en geeft de casus "
            "terug aan de referentie-engine; dit is het antwoord van de referentie-engine. "
        )
        return dataclasses.replace(reference, toelichting=note + reference.toelichting)
    grondslag = _grondslag(module, row["onderdeel"], row["reden"])
    kandidaten: tuple[Kandidaat, ...] = ()
    if row["gesplitste_code"]:
        split = row["gesplitste_code"]
        kandidaten = tuple(
            Kandidaat(c, register.naam(c), f"opvolger van {gemeente_label(register, split)}")
            for c in register.successors(split, case.peildatum).codes
        )
    return _decision(
        JEUGDWET, case, register, row, grondslag, kandidaten,
        module.REGELVERSIE if module else "geen", hash_input=hash_input,
    )


def with_input_hash(decision: Decision, case: Case) -> Decision:
    """``decision`` with its receipt's ``invoer_hash`` set (when it was left empty)."""
    if decision.receipt.invoer_hash:
        return decision
    receipt = with_field(decision.receipt, "invoer_hash", input_hash(case))
    return with_field(decision, "receipt", receipt)


def with_field(value: Any, name: str, new: object) -> Any:
    """``dataclasses.replace(value, **{name: new})``, for a dataclass without
    ``__post_init__`` or ``__slots__`` (Decision, Receipt) at a third of the cost: done for
    every kept answer of a caseload (``tests/batch/test_with_input_hash.py``). Anything kept
    beside the fields (a cached property, derived from the old value) sends it to ``replace``
    too, so nothing stale is copied."""
    cls = type(value)
    state = getattr(value, "__dict__", None)
    if hasattr(cls, "__post_init__") or state is None or name not in state \
            or len(state) != len(_fields(cls)):
        return dataclasses.replace(value, **{name: new})
    copy = object.__new__(cls)
    object.__setattr__(copy, "__dict__", {**state, name: new})
    return copy


@functools.cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _grondslag(module, onderdeel: int | None, reden: str | None) -> LegalSource | None:
    """The clause a row's onderdeel names: of "woonplaats" in the rule applied, or, for a
    review ``geen_jeugdige``, of the definition "jeugdige" (None: the definition itself). A
    review ``onvolledige_datum`` without an onderdeel comes only from the age check (every
    route and reading of the woonplaats texts carries its onderdeel): it cites the definition
    too, as the reference does (``common._review``)."""
    if module is None:
        return None
    if reden == ReviewReden.GEEN_JEUGDIGE.value:
        return jeugdige_bron(onderdeel)
    if reden == ReviewReden.ONVOLLEDIGE_DATUM.value and onderdeel is None:
        return jeugdige_bron(None)
    for clause in module.CLAUSES:
        if clause.onderdeel == onderdeel:
            return clause
    return None


def _decision(
    wet: str,
    case: object,
    register: GemeenteRegister,
    row: dict,
    grondslag: LegalSource | None,
    kandidaten: tuple[Kandidaat, ...],
    regelversie: str,
    extra: dict | None = None,
    *,
    hash_input: bool = True,
) -> Decision:
    status = Status(row["status"])
    code = row["gemeente"]
    reden = ReviewReden(row["reden"]) if row["reden"] else None
    if status is Status.BEPAALD:
        citation = grondslag.citation if grondslag else wet
        toelichting = (
            f"Kolomsgewijze uitvoering (wpb.batch): verantwoordelijk is "
            f"{gemeente_label(register, code)} ({citation})."
        )
    else:
        assert reden is not None
        toelichting = f"Kolomsgewijze uitvoering (wpb.batch): beoordeling nodig: {reden.omschrijving}."
    return Decision(
        wet=wet,
        peildatum=case.peildatum,  # type: ignore[attr-defined]
        status=status,
        gemeente=(code, register.naam(code)) if code else None,
        grondslag=grondslag,
        toelichting=toelichting,
        gebruikte_gegevens=(),
        ontbrekend=(),
        kandidaten=kandidaten,
        reden=reden,
        receipt=Receipt(
            engine=f"{ENGINE} ({EXECUTOR})",
            regelversie=regelversie,
            referentiedata=register.versie,
            invoer_hash=input_hash(case) if hash_input else "",
        ),
        extra=extra or {},
    )


def _wmo_bw(case: object, register: GemeenteRegister, inwerkingtreding: date | None) -> Decision:
    """The Wmo beschermd-wonen executor (wpb.batch.wmo) on one case.

    ``inwerkingtreding`` is the installation's setting (None: bill 36 288 not in force), as for
    the reference engine; the rule and the setting are named in the answer the same way.
    """
    from wpb.batch.wmo import decide_wmo_population
    from wpb.law.predicates import first_route
    from wpb.law.wmo import decide_wmo_bw
    from wpb.law.wmo.beschermd_wonen import (
        REGEL_AANMELDGEMEENTE,
        REGEL_GEEN,
        REGEL_ROUTES,
        REGEL_VAN,
        WET,
        aanmeldgemeente_bron,
        bronnen,
        onderdeel_code,
        regelversie,
        wmo_facts,
    )
    from wpb.population.wmo_schema import wmo_cases_to_population

    population, (pid,) = wmo_cases_to_population([case])  # type: ignore[list-item]
    peildatum = case.peildatum  # type: ignore[attr-defined]
    row = decide_wmo_population(
        population, peildatum, register, inwerkingtreding=inwerkingtreding
    ).row(0, named=True)
    assert row["persoon_id"] == pid
    if row["via_referentie"]:
        reference = decide_wmo_bw(case, register, inwerkingtreding=inwerkingtreding)  # type: ignore[arg-type]
        note = "De kolomsgewijze uitvoering geeft deze casus terug aan de referentie-engine. "
        return dataclasses.replace(reference, toelichting=note + reference.toelichting)
    # Which rule applies follows from the setting and the dates alone (REGEL_ROUTES).
    regel = REGEL_VAN[first_route(REGEL_ROUTES, wmo_facts(case, inwerkingtreding))[0].gevolg]  # type: ignore[arg-type]
    if regel == REGEL_GEEN:
        sources = ()
    elif regel == REGEL_AANMELDGEMEENTE:
        sources = (aanmeldgemeente_bron(inwerkingtreding),)
    else:
        assert inwerkingtreding is not None
        src = bronnen(inwerkingtreding)
        sources = (src.aanmeldgemeente, src.woonadres, src.uitzondering_a, src.overgang)
    by_code = {onderdeel_code(s): s for s in sources}
    grondslag = by_code.get(row["onderdeel"]) if row["onderdeel"] else None
    extra = {
        "regel": regel,
        "inwerkingtreding": inwerkingtreding.isoformat() if inwerkingtreding else None,
    }
    if row["nieuwe_client"] is not None:
        extra["nieuweClient"] = row["nieuwe_client"]
    return _decision(
        WET, case, register, row, grondslag, (), regelversie(regel, inwerkingtreding), extra
    )


__all__ = ["EXECUTOR", "WMO_BW", "decide_case", "decide_cases", "with_input_hash"]
