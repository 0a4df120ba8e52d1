"""The claim register as a file: the CLI's stand-in for the service's claim table.

``claims.json`` holds every claim in every state (withdrawn ones too, so their ids are
never reused), pseudonymised: the BSN is not in the file. A claim read back therefore has
``bsn`` None; recomputation and netting do not need it (they match on the invoice key,
the parties, the period and the amount).

The file is written to a temporary name and renamed, so an interrupted write never
leaves half a register.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from wpb.errors import FieldError, InvalidInput
from wpb.law.verrekening.claims import Claim, ClaimSoort, ClaimStatus
from wpb.law.verrekening.tijdlijn import Grondslag, GrondslagSoort

FORMAT = "wpb-verrekening-claims"
VERSIE = 1


def register_json(claims: Sequence[Claim]) -> dict:
    return {
        "formaat": FORMAT,
        "versie": VERSIE,
        "claims": [c.to_json() for c in sorted(claims, key=lambda c: c.id)],
    }


def write_register(path: Path, claims: Sequence[Claim]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(register_json(claims), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_register(path: Path) -> tuple[Claim, ...]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput([FieldError("", "bestand niet gevonden")], bron=path.name) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput([FieldError("", f"geen geldige JSON: {exc}")], bron=path.name) from None
    return claims_uit_json(doc, bron=path.name)


def claims_uit_json(doc: object, bron: str = "claims") -> tuple[Claim, ...]:
    if not isinstance(doc, dict) or doc.get("formaat") != FORMAT:
        raise InvalidInput([FieldError("formaat", f"verwacht {FORMAT!r}")], bron=bron)
    if doc.get("versie") != VERSIE:
        raise InvalidInput([FieldError("versie", f"{doc.get('versie')!r}; verwacht {VERSIE}")], bron=bron)
    items = doc.get("claims")
    if not isinstance(items, list):
        raise InvalidInput([FieldError("claims", "verwacht een lijst")], bron=bron)
    errors: list[FieldError] = []
    result: list[Claim] = []
    ids: set[str] = set()
    for i, item in enumerate(items):
        try:
            claim = _claim(item)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            errors.append(FieldError(f"claims[{i}]", f"geen geldige claim: {exc}"))
            continue
        if claim.id in ids:
            errors.append(FieldError(f"claims[{i}].id", f"{claim.id!r} staat dubbel"))
        ids.add(claim.id)
        result.append(claim)
    if errors:
        raise InvalidInput(errors, bron=bron)
    return tuple(result)


def _claim(item: dict) -> Claim:
    last = date.fromisoformat(item["totEnMet"])
    return Claim(
        id=str(item["id"]),
        soort=ClaimSoort(item["soort"]),
        factuur=str(item["factuur"]),
        aanbieder=str(item["aanbieder"]),
        product=str(item["product"]),
        jeugdige=str(item["jeugdige"]),
        schuldeiser=str(item["schuldeiser"]),
        schuldenaar=str(item["schuldenaar"]),
        van=date.fromisoformat(item["van"]),
        tot=date.fromordinal(last.toordinal() + 1),
        bedrag=item["bedrag"],
        grondslagen=tuple(
            Grondslag(GrondslagSoort(g["soort"]), str(g["referentie"]), str(g["omschrijving"]))
            for g in item["grondslagen"]
        ),
        ontstaan=date.fromisoformat(item["ontstaan"]),
        status=ClaimStatus(item["status"]),
        status_sinds=date.fromisoformat(item["statusSinds"]) if item.get("statusSinds") else None,
        corrigeert=tuple(str(x) for x in item.get("corrigeert", [])),
        toelichting=str(item.get("toelichting", "")),
        factuur_begin=_optional_date(item.get("factuurBegin")),
        factuur_einde=_optional_date(item.get("factuurEinde")),
        betaaldatum=_optional_date(item.get("betaaldatum")),
    )


def _optional_date(value: object) -> date | None:
    """A date written by ``Claim.to_json``, or None (registers written before it was)."""
    return date.fromisoformat(str(value)) if value else None
