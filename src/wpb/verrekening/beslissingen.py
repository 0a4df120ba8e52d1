"""Import woonplaats decisions that correct the responsibility timeline (JSON).

The file is a JSON list. Each item is one of two forms:

1. Stated directly::

     {"id": "B-1", "bsn": "...", "gemeente": "0363", "ingang": "2022-03-01",
      "tot": null, "vastgesteldOp": "2022-06-01", "invoerHash": "sha256:..."}

2. Wrapping a decision as ``wpb woonplaats --format json`` (or the service) writes it::

     {"id": "B-2", "bsn": "...", "vastgesteldOp": "2022-06-01",
      "ingang": "2022-03-01",            # optional; default: the decision's peildatum
      "tot": null,                         # optional
      "beslissing": {"status": "bepaald", "peildatum": "...",
                     "gemeente": {"code": "0363", ...}, "receipt": {"invoerHash": "..."}}}

   Only a decision with status ``bepaald`` can correct a timeline: a ``review`` names no
   gemeente.

All-or-nothing: every problem is reported with its path (``[2].gemeente``) and
:class:`~wpb.errors.InvalidInput` is raised; a problem never repeats a BSN.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from wpb.errors import FieldError, InvalidInput
from wpb.law.verrekening.tijdlijn import OngeldigeBeslissing, WoonplaatsBeslissing

_FIELD_KEYS = {
    "id": "id",
    "bsn": "bsn",
    "gemeente": "gemeente",
    "ingang": "ingang",
    "tot": "tot",
    "vastgesteld_op": "vastgesteldOp",
    "invoer_hash": "invoerHash",
}


def read_beslissingen(path: Path) -> tuple[WoonplaatsBeslissing, ...]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput([FieldError("", "bestand niet gevonden")], bron=path.name) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput([FieldError("", f"geen geldige JSON: {exc}")], bron=path.name) from None
    return beslissingen_uit_json(doc, bron=path.name)


def beslissingen_uit_json(doc: object, bron: str = "beslissingen") -> tuple[WoonplaatsBeslissing, ...]:
    if not isinstance(doc, list):
        raise InvalidInput([FieldError("", "verwacht een lijst van beslissingen")], bron=bron)
    errors: list[FieldError] = []
    result: list[WoonplaatsBeslissing] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(doc):
        pad = f"[{i}]"
        if not isinstance(item, dict):
            errors.append(FieldError(pad, "verwacht een object"))
            continue
        item_errors, beslissing = _item(pad, item)
        if beslissing is not None:
            first = seen.setdefault(beslissing.id, i)
            if first != i:
                item_errors.append(FieldError(f"{pad}.id", f"{beslissing.id!r} staat ook op [{first}]"))
        if item_errors:
            errors += item_errors
        elif beslissing is not None:
            result.append(beslissing)
    if errors:
        raise InvalidInput(errors, bron=bron)
    return tuple(result)


def _item(pad: str, item: dict) -> tuple[list[FieldError], WoonplaatsBeslissing | None]:
    errors: list[FieldError] = []
    values: dict[str, object] = {
        "id": item.get("id"),
        "bsn": item.get("bsn"),
        "gemeente": item.get("gemeente"),
        "invoer_hash": item.get("invoerHash"),
    }
    ingang_raw = item.get("ingang")
    inner = item.get("beslissing")
    if inner is not None:
        if not isinstance(inner, dict):
            return [FieldError(f"{pad}.beslissing", "verwacht een object")], None
        if inner.get("status") != "bepaald":
            errors.append(FieldError(f"{pad}.beslissing.status",
                                     f"{inner.get('status')!r}: alleen een beslissing met status "
                                     "'bepaald' wijst een gemeente aan"))
        gemeente = inner.get("gemeente")
        if values["gemeente"] is None:
            values["gemeente"] = gemeente.get("code") if isinstance(gemeente, dict) else None
        receipt = inner.get("receipt")
        if values["invoer_hash"] is None:
            values["invoer_hash"] = receipt.get("invoerHash") if isinstance(receipt, dict) else None
        if ingang_raw is None:
            ingang_raw = inner.get("peildatum")
    for veld, raw, required in (
        ("ingang", ingang_raw, True),
        ("tot", item.get("tot"), False),
        ("vastgesteld_op", item.get("vastgesteldOp"), True),
    ):
        if raw is None:
            if required:
                errors.append(FieldError(f"{pad}.{_FIELD_KEYS[veld]}", "ontbreekt"))
            values[veld] = None
            continue
        values[veld] = _iso_date(raw)
        if values[veld] is None:
            errors.append(FieldError(f"{pad}.{_FIELD_KEYS[veld]}", f"{raw!r} is geen datum (JJJJ-MM-DD)"))
    for veld in ("id", "bsn", "gemeente", "invoer_hash"):
        if values[veld] is None:
            errors.append(FieldError(f"{pad}.{_FIELD_KEYS[veld]}", "ontbreekt"))
    if errors:
        return errors, None
    try:
        return [], WoonplaatsBeslissing(**values)  # type: ignore[arg-type]
    except OngeldigeBeslissing as exc:
        return [FieldError(f"{pad}.{_FIELD_KEYS.get(f.veld, f.veld)}", f.probleem) for f in exc.fouten], None


def _iso_date(raw: object) -> date | None:
    """A JSON date: exactly JJJJ-MM-DD (fromisoformat alone also takes 20220301)."""
    if not isinstance(raw, str) or len(raw) != 10:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
