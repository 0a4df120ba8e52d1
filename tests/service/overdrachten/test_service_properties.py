"""Invariants of the upload check and the state machine, over generated inputs (hypothesis)."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpb.domain import overdracht
from wpb.domain.overdracht import TRANSITIONS, Actie, Status
from wpb.service.components.overdrachten import upload_check
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound

from ..helpers import by_public_id, csv_bytes, deliver, row, valid_bsns
from .test_transfers import act

_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

cells = st.one_of(
    st.sampled_from(["", " ", "0307", "0344", "9999", "99000011", "999990019", "123456789",
                     "2010-05-01", "31-12-2021", "2030-01-01", "ja", "nee", "x"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


@_SETTINGS
@given(st.lists(st.lists(cells, min_size=7, max_size=7), min_size=1, max_size=12))
def test_every_line_is_either_valid_or_rejected_with_a_reason(sqlite_factory, sqlite_tenants, ctx, rows):
    content = csv_bytes(rows)
    try:
        with transaction(sqlite_factory) as session:
            result = upload_check.check_upload(
                session, sqlite_tenants.a, content, "x.csv", register=ctx.register,
                limits=ctx.limits, now=ctx.now(), record_audit=False,
            )
    except InvalidRequest:
        return  # e.g. text that breaks the CSV framing: a clear error, nothing else
    valid = {r.regel for r in result.geldig}
    rejected = set(result.afgewezen_regels)
    assert not valid & rejected
    assert len(valid | rejected) == result.regels_totaal
    assert all(e.reden for e in result.afgewezen)
    digits = {v for r in rows for v in r if re.fullmatch(r"[0-9]{9}", v.strip())}
    assert not any(d in e.reden for e in result.afgewezen for d in digits)


_counter = itertools.count()
_BSNS = valid_bsns(2000)
_ACTORS = ["a", "b", "c", "p", "coordinator"]


def _model(status: Status, actie: Actie, who: str) -> Status | type[Exception]:
    visible = who != "c"
    if not visible:
        return NotFound
    t = TRANSITIONS[actie]
    role = {"a": overdracht.Rol.LATENDE, "b": overdracht.Rol.ONTVANGENDE, "p": overdracht.Rol.AANBIEDER,
            "coordinator": overdracht.Rol.COORDINATOR}[who]
    if role not in t.door:
        return Forbidden
    if status not in t.van:
        return Conflict
    return t.naar_vanuit(status)


@_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(list(Actie)), st.sampled_from(_ACTORS)), max_size=8))
def test_any_sequence_of_actions_follows_the_table(sqlite_factory, sqlite_tenants, ctx, steps):
    t = sqlite_tenants
    bsn = _BSNS[next(_counter)]  # a fresh youth for every example
    [oid] = deliver(sqlite_factory, t.a, ctx, [row(bsn)]).nieuwe_overdrachten
    status, versie = Status.AANGELEVERD, 1
    for actie, who in steps:
        principal = getattr(t, who)
        expected = _model(status, actie, who)
        try:
            act(sqlite_factory, principal, ctx, actie, oid)
            outcome: object = None
        except (Conflict, Forbidden, NotFound) as exc:
            outcome = type(exc)
        if isinstance(expected, Status):
            assert outcome is None, (status, actie, who, outcome)
            status, versie = expected, versie + 1
        else:
            assert outcome is expected, (status, actie, who, outcome)
        with transaction(sqlite_factory) as session:
            o = by_public_id(session, Overdracht, oid)
            assert (o.status, o.versie) == (status.value, versie)
