"""The woonplaatscheck of a caseload in the service and its signalen (issue 20, item 4).

The expectations come from art. 1.1 Jeugdwet (2022): for a youth in ambulant care the
woonplaats is the gemeente where the youth is registered in the BRP, so a youth of Utrecht's
caseload who moved to Zeist is Zeist's from the day the move began; a youth whose BRP data
is missing needs a person (review)."""

from __future__ import annotations

from datetime import date

import pytest

from wpb.service.components.brp import store
from wpb.service.components.clientenbestand import invoer, signalen
from wpb.service.components.clientenbestand.models import Signaal
from wpb.service.db import transaction
from wpb.service.errors import Conflict, InvalidRequest, NotFound

from ..brp.documents import adres, document
from ..helpers import count, valid_bsns
from .files import export, regel

PEILDATUM = date(2026, 12, 7)


@pytest.fixture
def youths(factory, tenants, ctx):
    """Utrecht's (tenants.a) caseload: one moved to Zeist, one stayed, one without BRP data."""
    moved, stayed, unknown = valid_bsns(3)
    content = export(regel(moved, nummer="1"), regel(stayed, nummer="2"), regel(unknown, nummer="3"))
    with transaction(factory) as session:
        check = invoer.check_import(session, tenants.a, content, "c.csv", ctx.register)
        invoer.store_import(session, tenants.a, content, "c.csv", check.controle, ctx.register,
                            ctx.now())
    _attach(factory, tenants.a, ctx, moved, "2026-02-01")
    _attach(factory, tenants.a, ctx, stayed, None)
    return moved, stayed, unknown


def _attach(factory, who, ctx, bsn, moved_on, to="0355"):
    history = [adres("0344", "2012-03-04")] if moved_on is None else [
        adres("0344", "2012-03-04", moved_on), adres(to, moved_on)]
    with transaction(factory) as session:
        store.save_document(session, who, ctx.register, bsn, document(bsn, "2012-03-04", *history),
                            bron="upload", now=ctx.now())


def _run(factory, who, ctx):
    with transaction(factory) as session:
        return signalen.run_check(session, who, ctx, PEILDATUM)


def _signals(factory, who):
    with transaction(factory) as session:
        rows, total, per_soort = signalen.list_signals(session, who)
        return [(r.bsn, r.soort, r.verantwoordelijke_gemeente, r.vanaf) for r in rows], per_soort


def test_the_check_raises_a_signal_per_fact_to_act_on(factory, tenants, ctx, youths):
    moved, stayed, unknown = youths
    run = _run(factory, tenants.a, ctx)
    assert (run.beslist, run.nieuw, run.niet_opgehaald) == (3, 2, 1)
    found, per_soort = _signals(factory, tenants.a)
    assert sorted(found) == sorted([
        (moved, "andere_gemeente", "0355", date(2026, 2, 1)),
        (unknown, "review", None, None),
    ])
    assert per_soort["andere_gemeente"] == 1 and per_soort["review"] == 1
    with transaction(factory) as session:
        rows, _, _ = signalen.list_signals(session, tenants.a, soort="andere_gemeente")
        (row,) = rows
        decision = signalen.decision_of(row)
        assert decision["status"] == "bepaald" and decision["gemeente"]["code"] == "0355"
        assert decision["grondslag"] and decision["receipt"]
        upload = signalen.transfer_rows(row)
    assert [(r["bsn"], r["ontvangende_gemeente"], r["vanaf"]) for r in upload] == [
        (moved, "0355", "2026-02-01")]


def test_a_handled_signal_is_not_raised_again_until_its_facts_change(factory, tenants, ctx, youths):
    moved = youths[0]
    _run(factory, tenants.a, ctx)
    with transaction(factory) as session:
        (row,) = signalen.list_signals(session, tenants.a, soort="andere_gemeente")[0]
        signalen.handle_signal(session, tenants.a, row.publiek_id, "gecontroleerd", "klopt, gebeld",
                               ctx.now())
        signal_id = row.publiek_id
    again = _run(factory, tenants.a, ctx)
    assert (again.nieuw, again.al_afgehandeld, again.bijgewerkt) == (0, 1, 1)
    with transaction(factory) as session:
        assert signalen.list_signals(session, tenants.a, open_=True)[1] == 1
        with pytest.raises(Conflict):
            signalen.handle_signal(session, tenants.a, signal_id, "afgewezen", "nee", ctx.now())
    # The BRP now says the move began a month later: other facts, a new signal.
    _attach(factory, tenants.a, ctx, moved, "2026-03-01")
    third = _run(factory, tenants.a, ctx)
    assert third.nieuw == 1
    found, _ = _signals(factory, tenants.a)
    assert (moved, "andere_gemeente", "0355", date(2026, 3, 1)) in found
    assert count(factory, Signaal) == 3  # the handled one stays


def test_handling_needs_a_known_way_and_a_note(factory, tenants, ctx, youths):
    _run(factory, tenants.a, ctx)
    with transaction(factory) as session:
        rows, _, _ = signalen.list_signals(session, tenants.a)
        for wijze, note in (("afgewezen", ""), ("gecontroleerd", "  "), ("weg", "x")):
            with pytest.raises(InvalidRequest):
                signalen.handle_signal(session, tenants.a, rows[0].publiek_id, wijze, note, ctx.now())
        handled = signalen.handle_signal(session, tenants.a, rows[0].publiek_id, "overdracht", "",
                                         ctx.now())
        assert handled.afhandeling == "overdracht" and handled.afgehandeld_door == tenants.a.gebruiker_id


def test_another_tenant_neither_sees_nor_steers_the_signals(factory, tenants, ctx, youths):
    """Amersfoort (tenants.b) attaches its own document for Utrecht's youth without BRP data:
    Utrecht's check still lacks it, and B cannot read or handle A's signals."""
    unknown = youths[2]
    _attach(factory, tenants.b, ctx, unknown, "2020-01-01", to="0307")
    _run(factory, tenants.a, ctx)
    found, _ = _signals(factory, tenants.a)
    assert (unknown, "review", None, None) in found
    with transaction(factory) as session:
        rows, _, _ = signalen.list_signals(session, tenants.a)
        for row in rows:
            with pytest.raises(NotFound):
                signalen.get_signal(session, tenants.b, row.publiek_id)
            with pytest.raises(NotFound):
                signalen.handle_signal(session, tenants.b, row.publiek_id, "overdracht", "", ctx.now())
        assert signalen.list_signals(session, tenants.b)[1] == 0
    # B's own (empty) caseload gives B no signal about A's clients.
    assert _run(factory, tenants.b, ctx).beslist == 0


def test_the_check_in_worker_processes_raises_the_same_signals(factory, tenants, ctx, youths,
                                                               monkeypatch):
    """WPB_WOONPLAATSCHECK_WERKERS: the caseload checked in two worker processes gives the same
    signalen. They are spawned, as from the web process (which runs threads): the stored
    documents travel to them with the source."""
    import dataclasses

    from wpb.woonplaatscheck import check

    monkeypatch.setattr(check, "MIN_CLIENTEN_PER_WERKER", 1)
    monkeypatch.setattr(check, "startmethode", lambda: "spawn")
    twee = dataclasses.replace(ctx, settings=ctx.settings.with_(woonplaatscheck_werkers=2))
    run = _run(factory, tenants.a, twee)
    assert (run.beslist, run.nieuw, run.niet_opgehaald) == (3, 2, 1)
    found, _ = _signals(factory, tenants.a)
    moved, _, unknown = youths
    assert sorted(found) == sorted([
        (moved, "andere_gemeente", "0355", date(2026, 2, 1)),
        (unknown, "review", None, None),
    ])
