"""Adapter: the conformance cases for a woonplaats executor, and how to check one answer.

The cases live in ``tests/conformance/jeugdwet_woonplaats.yaml`` (see the README beside it):
each has an ``id``, a ``titel``, the ``grondslag`` it tests, a ``casus`` in the case JSON format
and the expected answer under ``verwacht``. Every executor (the single-case engine, the batch
executor) is run on the same file and must give the same status, gemeente, onderdeel and reden.

YAML is read with two changes to YAML 1.1 so that a lawyer's unquoted value cannot silently
change meaning: dates stay text (the case format wants ISO strings) and a number with a
leading zero stays text (``0344`` is a gemeentecode, not the octal number 228).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wpb.law.decision import ReviewReden

STATUSES = ("bepaald", "review")
_VERWACHT_KEYS = {"status", "gemeente", "onderdeel", "reden", "kandidaten"}
_CASE_KEYS = {"id", "titel", "grondslag", "casus", "verwacht"}
# Optional: the installation setting a case is decided under (the Wmo bill's entry into force).
_OPTIONAL_KEYS = {"instelling"}
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"[0-9]{4}")


class ConformanceFormatError(ValueError):
    """The conformance file itself is malformed; names the case and the field."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.problems = list(problems)
        super().__init__(f"{path}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class ConformanceCase:
    id: str
    titel: str
    grondslag: str
    casus: dict
    verwacht: dict
    instelling: dict = field(default_factory=dict)


class YamlLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps and without octal/leading-zero integers."""


YamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


def default_path(root: Path | None = None) -> Path:
    """The Jeugdwet woonplaats cases under ``root`` (default: this source checkout's root)."""
    base = root if root is not None else Path(__file__).resolve().parents[2]
    return base / "tests" / "conformance" / "jeugdwet_woonplaats.yaml"


def load_cases(path: Path | str) -> list[ConformanceCase]:
    """Read and validate the conformance file; every problem is reported at once."""
    path = Path(path)
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)
    if not isinstance(raw, list):
        raise ConformanceFormatError(path, ["verwacht een lijst van casussen"])
    problems: list[str] = []
    cases: list[ConformanceCase] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        where = f"[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: verwacht een casus-object")
            continue
        case_id = entry.get("id")
        if isinstance(case_id, str):
            where = case_id
        before = len(problems)
        missing = _CASE_KEYS - entry.keys()
        extra = entry.keys() - _CASE_KEYS - _OPTIONAL_KEYS
        if missing:
            problems.append(f"{where}: ontbreekt {', '.join(sorted(missing))}")
        if extra:
            problems.append(f"{where}: onbekende velden {', '.join(sorted(map(str, extra)))}")
        if not isinstance(case_id, str) or not _ID.fullmatch(case_id):
            problems.append(f"{where}.id: {case_id!r} is geen id (kleine letters, cijfers, '-')")
        elif case_id in seen:
            problems.append(f"{where}.id: komt twee keer voor")
        else:
            seen.add(case_id)
        for key in ("titel", "grondslag"):
            if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
                problems.append(f"{where}.{key}: verwacht een tekst")
        if "casus" in entry and not isinstance(entry["casus"], dict):
            problems.append(f"{where}.casus: verwacht een casus-object")
        if "verwacht" in entry:
            problems += [f"{where}.verwacht{p}" for p in _verwacht_problems(entry["verwacht"])]
        if len(problems) == before:
            cases.append(
                ConformanceCase(
                    id=case_id,
                    titel=entry["titel"],
                    grondslag=entry["grondslag"],
                    casus=entry["casus"],
                    verwacht=entry["verwacht"],
                    instelling=entry.get("instelling") or {},
                )
            )
    if problems:
        raise ConformanceFormatError(path, problems)
    return cases


def _verwacht_problems(verwacht: Any) -> list[str]:
    if not isinstance(verwacht, dict):
        return [": verwacht een object met status"]
    problems = []
    extra = verwacht.keys() - _VERWACHT_KEYS
    if extra:
        problems.append(f": onbekende velden {', '.join(sorted(map(str, extra)))}")
    status = verwacht.get("status")
    if status not in STATUSES:
        problems.append(f".status: {status!r}, verwacht bepaald of review")
    onderdeel = verwacht.get("onderdeel")
    # A number for "1°".."4°"; a letter for a clause cited as "onder a" (as in the Wmo).
    is_clause = (isinstance(onderdeel, int) and not isinstance(onderdeel, bool)) or (
        isinstance(onderdeel, str) and onderdeel.strip() != ""
    )
    if onderdeel is not None and not is_clause:
        problems.append(f".onderdeel: {onderdeel!r} is geen onderdeel (nummer of letter)")
    if status == "bepaald":
        gemeente = verwacht.get("gemeente")
        if not isinstance(gemeente, str) or not _CODE.fullmatch(gemeente):
            problems.append(f".gemeente: {gemeente!r} is geen gemeentecode van 4 cijfers")
        if "onderdeel" not in verwacht:
            # null is allowed: a basis outside the numbered clauses (e.g. 18-23 before 2022).
            problems.append(".onderdeel: verplicht bij bepaald (null als geen onderdeel geldt)")
        for key in ("reden", "kandidaten"):
            if key in verwacht:
                problems.append(f".{key}: hoort niet bij bepaald")
    elif status == "review":
        if "gemeente" in verwacht:
            problems.append(".gemeente: een review heeft geen gemeente")
        reden = verwacht.get("reden")
        if reden not in {r.value for r in ReviewReden}:
            problems.append(f".reden: {reden!r} is geen ReviewReden-code")
        kandidaten = verwacht.get("kandidaten", [])
        if not isinstance(kandidaten, list) or not all(
            isinstance(c, str) and _CODE.fullmatch(c) for c in kandidaten
        ):
            problems.append(".kandidaten: verwacht een lijst gemeentecodes")
    return problems


@dataclass(frozen=True)
class _Observed:
    status: str
    gemeente: str | None
    onderdeel: int | None
    reden: str | None
    kandidaten: tuple[str, ...]


def _observe(decision: Any) -> _Observed:
    """The comparable parts of a Decision, or of its JSON form (``Decision.to_json()``)."""
    if isinstance(decision, Mapping):
        gemeente = decision.get("gemeente")
        grondslag = decision.get("grondslag")
        reden = decision.get("reden")
        return _Observed(
            status=decision.get("status"),
            gemeente=gemeente.get("code") if isinstance(gemeente, Mapping) else gemeente,
            onderdeel=grondslag.get("onderdeel") if isinstance(grondslag, Mapping) else None,
            reden=reden.get("code") if isinstance(reden, Mapping) else reden,
            kandidaten=tuple(
                k.get("code") if isinstance(k, Mapping) else k
                for k in decision.get("kandidaten") or ()
            ),
        )
    return _Observed(
        status=decision.status.value,
        gemeente=decision.gemeente_code,
        onderdeel=decision.onderdeel,
        reden=decision.reden.value if decision.reden else None,
        kandidaten=tuple(k.code for k in decision.kandidaten),
    )


def check(case: ConformanceCase, decision: Any) -> list[str]:
    """How ``decision`` differs from what ``case`` expects; an empty list means it conforms.

    ``decision`` is a :class:`wpb.law.decision.Decision` or its JSON form. ``onderdeel`` is
    compared only when the case states it (a review whose readings apply different clauses
    leaves it out); ``kandidaten`` must all be among the decision's candidates.
    """
    verwacht = case.verwacht
    got = _observe(decision)
    differences: list[str] = []

    def differ(field: str, expected: object, actual: object) -> None:
        differences.append(f"{field}: verwacht {expected!r}, gekregen {actual!r}")

    if got.status != verwacht["status"]:
        differ("status", verwacht["status"], got.status)
    if verwacht["status"] == "bepaald":
        if got.gemeente != verwacht["gemeente"]:
            differ("gemeente", verwacht["gemeente"], got.gemeente)
    elif got.gemeente is not None:
        differ("gemeente", None, got.gemeente)
    if "onderdeel" in verwacht and got.onderdeel != verwacht["onderdeel"]:
        differ("onderdeel", verwacht["onderdeel"], got.onderdeel)
    expected_reden = verwacht.get("reden")
    if got.reden != expected_reden:
        differ("reden", expected_reden, got.reden)
    missing = [c for c in verwacht.get("kandidaten", []) if c not in got.kandidaten]
    if missing:
        differences.append(
            f"kandidaten: {', '.join(missing)} ontbreken (gekregen: {', '.join(got.kandidaten) or 'geen'})"
        )
    return differences


__all__ = [
    "ConformanceCase",
    "ConformanceFormatError",
    "check",
    "default_path",
    "load_cases",
]
