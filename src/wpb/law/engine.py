"""The single-case engine: pick the law version in force on the peildatum and decide.

Three time axes are kept apart: the rule version in force is chosen by the peildatum;
the facts it governs are dated records; municipality codes are resolved to their
successors on the peildatum.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import Any

import wpb
from wpb.law.dates import PartialDate
from wpb.law.decision import Decision, Kandidaat, Receipt, ReviewReden, Status
from wpb.law.facts import Case
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.jeugdwet import woonplaats_2015, woonplaats_2022
from wpb.law.jeugdwet.common import gemeente_label
from wpb.law.outcome import Outcome
from wpb.law.trace import Trace

ENGINE = wpb.__engine__  # version + hash of the law sources (wpb.engine_id)
JEUGDWET = "jeugdwet"
JEUGDWET_IN_FORCE = woonplaats_2015.GELDIG_VANAF


def decide(case: Case, register: GemeenteRegister) -> Decision:
    """Who is responsible for ``case.jeugdige`` on ``case.peildatum`` under the Jeugdwet, and why."""
    if case.peildatum >= woonplaats_2022.GELDIG_VANAF:
        outcome, trace = woonplaats_2022.decide(case, register)
        regelversie = woonplaats_2022.REGELVERSIE
    elif case.peildatum >= JEUGDWET_IN_FORCE:
        outcome, trace = woonplaats_2015.decide(case, register)
        regelversie = woonplaats_2015.REGELVERSIE
    else:
        trace = Trace()
        trace.say(
            f"Op {case.peildatum.isoformat()} gold de Jeugdwet nog niet (in werking vanaf "
            f"{JEUGDWET_IN_FORCE.isoformat()}); de Wet op de jeugdzorg valt buiten deze engine."
        )
        outcome = Outcome.review(ReviewReden.WET_NIET_VAN_TOEPASSING, None)
        regelversie = "geen"
    return build_decision(JEUGDWET, case, register, outcome, trace, regelversie)


def build_decision(
    wet: str,
    case: object,
    register: GemeenteRegister,
    outcome: Outcome,
    trace: Trace,
    regelversie: str,
    extra: dict | None = None,
) -> Decision:
    """Turn a rule's outcome and trace into the decision users see, with its receipt."""
    peildatum: date = case.peildatum  # type: ignore[attr-defined]
    if outcome.status is Status.BEPAALD:
        assert outcome.gemeente is not None
        gemeente = (outcome.gemeente, register.naam(outcome.gemeente))
        citation = outcome.grondslag.citation if outcome.grondslag else wet
        trace.say(f"Verantwoordelijk: {gemeente_label(register, outcome.gemeente)} ({citation}).")
    else:
        gemeente = None
        assert outcome.reden is not None
        trace.say(f"Beoordeling nodig: {outcome.reden.omschrijving}.")
    kandidaten = tuple(
        Kandidaat(code, register.naam(code) if code in register else code, why)
        for code, why in outcome.kandidaten
    )
    receipt = Receipt(
        engine=ENGINE,
        regelversie=regelversie,
        referentiedata=register.versie,
        invoer_hash=input_hash(case),
    )
    return Decision(
        wet=wet,
        peildatum=peildatum,
        status=outcome.status,
        gemeente=gemeente,
        grondslag=outcome.grondslag,
        toelichting=trace.toelichting,
        gebruikte_gegevens=tuple(trace.used.values()),
        ontbrekend=tuple(trace.missing.values()),
        kandidaten=kandidaten,
        reden=outcome.reden,
        receipt=receipt,
        extra=extra or {},
    )


def input_hash(case: object) -> str:
    """SHA-256 of the case's canonical JSON form: the same facts give the same hash.

    The canonical form is ``json.dumps(_plain(case), sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)``; :func:`canonical_json` writes that same text in one pass, without
    building the intermediate dicts (``tests/law/test_canonical_json.py``).
    """
    return "sha256:" + hashlib.sha256(canonical_json(case).encode("utf-8")).hexdigest()


def canonical_json(value: object) -> str:
    """The canonical JSON text of ``value``: equal to :func:`_reference_json` for every value."""
    encode = _ENCODERS.get(type(value))
    if encode is None:
        encode = _ENCODERS[type(value)] = _encoder_for(type(value))
    return encode(value)


def _reference_json(value: object) -> str:
    """The definition of the canonical form, kept for the types without a fast encoder."""
    return _dumps(_plain(value))


def _dumps(plain: object) -> str:
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_encode_str = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
_ENCODERS: dict[type, Callable[[Any], str]] = {
    str: _encode_str,
    bool: lambda v: "true" if v else "false",
    int: int.__repr__,
    type(None): lambda v: "null",
}


def _encoder_for(cls: type) -> Callable[[Any], str]:
    # The same order of tests as _plain: a dataclass first, then containers, enums, dates.
    names = _field_names(cls)
    if names is not None:
        encode = _dataclass_encoder(cls, names)
        return _by_identity(encode) if cls in _SHARED_VALUES else encode
    if issubclass(cls, list | tuple) and not issubclass(cls, dict):
        return lambda value: "[" + ",".join(map(canonical_json, value)) + "]"
    if issubclass(cls, Enum):  # _plain gives the member's value as it is
        texts = {member: _dumps(member.value) for member in cls}  # type: ignore[var-annotated]
        return lambda value: texts.get(value) or _dumps(value.value)  # (a Flag's combination)
    if cls is date:  # hashable and repeated across a caseload: each day's text written once
        return _by_value(lambda value: _encode_str(value.isoformat()))
    if issubclass(cls, date):
        return lambda value: _encode_str(value.isoformat())
    return _reference_json  # dicts (json.dumps sorts their keys its own way), floats, others


# Frozen values that the readers share between records (``PartialDate.exact`` gives one
# object per day): their text is kept per object, so a caseload writes each day once.
_SHARED_VALUES = frozenset({PartialDate})
_MEMO_LIMIT = 100_000


def _by_identity(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    memo: dict[int, tuple[object, str]] = {}

    def encode_shared(value: Any) -> str:
        found = memo.get(id(value))
        if found is not None and found[0] is value:  # the object itself is kept: its id is not reused
            return found[1]
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        text = encode(value)
        memo[id(value)] = (value, text)
        return text

    return encode_shared


def _by_value(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    memo: dict[Any, str] = {}

    def encode_memo(value: Any) -> str:
        text = memo.get(value)
        if text is None:
            if len(memo) > _MEMO_LIMIT:
                memo.clear()
            text = memo[value] = encode(value)
        return text

    return encode_memo


def _dataclass_encoder(cls: type, names: tuple[str, ...]) -> Callable[[Any], str]:
    """One function per dataclass that writes its fields in sorted order, each through its
    type's encoder (generated, as ``dataclasses`` generates ``__init__``: no loop per field)."""
    # None, a plain str and a bool (most optional fields, codes, sources, flags) are written
    # without the look-up: the same text as their entries in _ENCODERS.
    pieces = [
        f"{(',' if i else '{') + _encode_str(name) + ':'!r}, "
        f"('null' if (x := v.{name}) is None else _str(x) if type(x) is str "
        f"else 'false' if x is False else 'true' if x is True else (_get(type(x)) or _any)(x))"
        for i, name in enumerate(sorted(names))
    ]
    body = "''.join((" + ", ".join(pieces) + ", '}'))" if pieces else "'{}'"
    source = f"def encode(v):\n    return {body}\n"
    namespace: dict[str, Any] = {"_get": _ENCODERS.get, "_any": canonical_json,
                                 "_str": _encode_str}
    exec(compile(source, f"<canonical_json {cls.__qualname__}>", "exec"), namespace)  # noqa: S102
    return namespace["encode"]


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: object) -> object:
    # A dataclass's fields are read directly: dataclasses.asdict deep-copies every value
    # first, which was most of the cost of a decision. The JSON form is the same.
    names = None if isinstance(value, type) else _field_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value
