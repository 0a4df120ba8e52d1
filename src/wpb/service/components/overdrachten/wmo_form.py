"""The Wmo facts of the woonplaatstoets form of a wmo-bw transfer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from starlette.datastructures import FormData

from wpb.service.errors import (
    InvalidRequest,
)
from wpb.service.web.forms import parse_date, text_of

# --- the Wmo facts of the woonplaatstoets form -----------------------------------------------
#
# A wmo-bw transfer's woonplaatstoets needs the facts the BRP does not hold (the Wmo case JSON
# without its client part, see wpb.brp.wmo_case). The form asks for them field by field, the
# lists as JSON; the page turns them into the same dict the REST API passes to
# woonplaats.decide_woonplaats, and turns the service's field paths back into form fields.

WMO_FORM_FIELDS = (
    "aanmeldingGemeente", "aanmeldingDatum", "eerderBeschermdWonen", "eerdereAanvragen",
    "indicatieCentrumgemeente", "indicatieBegin", "indicatieEinde",
    "uitzonderingB", "uitzonderingC", "uitzonderingD", "beoogdeGemeente",
)
# Lists of at most this many items, as the REST API's request schema allows.
WMO_MAX_ITEMS = 100
WMO_MAX_CHARS = 100_000
_JA_NEE = {"ja": True, "nee": False, "": None}

# Service path prefix → (form field, noun of one list item). Longest prefixes first.
_WMO_PATHS = (
    ("aanmelding.gemeente", "aanmeldingGemeente", ""),
    ("aanmelding.datum", "aanmeldingDatum", ""),
    ("aanmelding", "aanmeldingGemeente", ""),
    ("eerderBeschermdWonen", "eerderBeschermdWonen", "plaatsing"),
    ("eerdereAanvragen", "eerdereAanvragen", "aanvraag"),
    ("indicatie.centrumgemeente", "indicatieCentrumgemeente", ""),
    ("indicatie.begin", "indicatieBegin", ""),
    ("indicatie.einde", "indicatieEinde", ""),
    ("indicatie", "indicatieCentrumgemeente", ""),
    ("uitzonderingen.b", "uitzonderingB", ""),
    ("uitzonderingen.c", "uitzonderingC", ""),
    ("uitzonderingen.d", "uitzonderingD", ""),
    ("uitzonderingen", "uitzonderingB", ""),
    ("beoogdeGemeente", "beoogdeGemeente", ""),
)


def _json_list(
    form: FormData, name: str, noun: str, problems: list[tuple[str, str]], *, required: bool
) -> list | None:
    text = text_of(form, name).strip()
    if not text:
        if required:
            problems.append((name, "verplicht"))
        return None
    if len(text) > WMO_MAX_CHARS:
        problems.append((name, f"te lang (ten hoogste {WMO_MAX_CHARS} tekens)"))
        return None
    try:
        value = json.loads(text)
    except ValueError:
        problems.append((name, "geen geldige JSON; verwacht een lijst tussen [ en ]"))
        return None
    if not isinstance(value, list):
        problems.append((name, "verwacht een JSON-lijst tussen [ en ]"))
        return None
    if len(value) > WMO_MAX_ITEMS:
        problems.append((name, f"ten hoogste {WMO_MAX_ITEMS} {noun}en"))
        return None
    return value


def wmo_facts_of(form: FormData, problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The Wmo facts of the form (keys of woonplaats.WMO_FACTS); what the page itself can tell
    is wrong (a date, JSON, a required field left empty) goes into ``problems``."""
    facts: dict[str, Any] = {}
    gemeente = text_of(form, "aanmeldingGemeente").strip()
    if not gemeente:
        problems.append(("aanmeldingGemeente", "verplicht"))
    datum = parse_date(text_of(form, "aanmeldingDatum"), "aanmeldingDatum", problems)
    facts["aanmelding"] = {
        **({"gemeente": gemeente} if gemeente else {}),
        **({"datum": datum.isoformat()} if datum else {}),
    }
    eerder = _json_list(form, "eerderBeschermdWonen", "plaatsing", problems, required=True)
    if eerder is not None:
        facts["eerderBeschermdWonen"] = eerder
    aanvragen = _json_list(form, "eerdereAanvragen", "aanvraag", problems, required=False)
    if aanvragen is not None:  # left empty: unknown, which is not the same as none
        facts["eerdereAanvragen"] = aanvragen
    centrum = text_of(form, "indicatieCentrumgemeente").strip()
    begin = parse_date(text_of(form, "indicatieBegin"), "indicatieBegin", problems)
    einde = parse_date(text_of(form, "indicatieEinde"), "indicatieEinde", problems)
    raw_dates = [text_of(form, n).strip() for n in ("indicatieBegin", "indicatieEinde")]
    if centrum or any(raw_dates):
        if not centrum:
            problems.append(("indicatieCentrumgemeente", "verplicht"))
        if not raw_dates[0]:
            problems.append(("indicatieBegin", "verplicht"))
        facts["indicatie"] = {
            **({"centrumgemeente": centrum} if centrum else {}),
            **({"begin": begin.isoformat()} if begin else {}),
            "einde": einde.isoformat() if einde else None,
        }
    uitzonderingen: dict[str, bool | None] = {}
    for letter in ("b", "c", "d"):
        name = f"uitzondering{letter.upper()}"
        raw = text_of(form, name).strip()
        if raw not in _JA_NEE:
            problems.append((name, "kies ja, nee of onbekend"))
        elif raw:
            uitzonderingen[letter] = _JA_NEE[raw]
    if uitzonderingen:  # none answered: every exception unknown, as when left out
        facts["uitzonderingen"] = uitzonderingen
    beoogd = text_of(form, "beoogdeGemeente").strip()
    if beoogd:
        facts["beoogdeGemeente"] = beoogd
    return facts


def wmo_form_params(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The service's field paths (``eerderBeschermdWonen[0].begin``) as form fields, with the
    item and sub-field in the reason (``plaatsing 1, begin: ...``); the BRP part is ``brp``."""
    result = []
    for name, reason in params:
        if name == "client" or name.startswith(("client.", "client[")):
            result.append(("brp", f"{name}: {reason}"))
            continue
        for prefix, field, noun in _WMO_PATHS:
            if name == prefix or name.startswith((prefix + ".", prefix + "[")):
                rest = name[len(prefix):]
                where = rest.lstrip(".")
                if noun and rest.startswith("["):
                    index, _, sub = rest[1:].partition("]")
                    number = int(index) + 1 if index.isdigit() else index
                    sub = sub.lstrip(".")
                    where = f"{noun} {number}" + (f", {sub}" if sub else "")
                elif where == "code":  # aanmelding.gemeente.code: the gemeente field itself
                    where = ""
                result.append((field, f"{where}: {reason}" if where else reason))
                break
        else:
            result.append((name, reason))
    return result


def decide_wmo_from_form(run: Callable[[], dict]) -> dict:
    """Run the woonplaatstoets; a refusal names the form's fields rather than JSON paths."""
    try:
        return run()
    except InvalidRequest as exc:
        raise InvalidRequest(exc.detail, wmo_form_params(exc.invalid_params)) from None


