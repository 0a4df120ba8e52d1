"""The plain-row read of one transfer must say exactly what the ORM says.

The snapshot (wpb.service.components.overdrachten.snapshot) replaces the ORM load on the hot paths: a
transfer's page, accepting and rejecting. Each test compares it with the ORM object of the
same row, on SQLite and PostgreSQL, for every kind of caller.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, datetime

import pytest
from sqlalchemy import select

from wpb.domain.overdracht import Status
from wpb.service.components.overdrachten import access, views
from wpb.service.components.overdrachten import snapshot as snapshots
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction
from wpb.service.errors import NotFound

from ..helpers import by_public_id, deliver, row

ROLES = ("a", "b", "c", "p", "q", "coordinator")


@pytest.fixture
def two_transfers(factory, tenants, ctx):
    """One transfer with BRP data and lines for P and Q; one without BRP data, P only."""
    stored = deliver(factory, tenants.a, ctx, [
        row(bsn="999990019", agb="99000011"),
        row(bsn="999990019", agb="99000022", product="Pleegzorg", pgb="ja"),
        row(bsn="999990020", agb="99000011"),
    ])
    first, second = stored.nieuwe_overdrachten
    with transaction(factory) as session:
        by_public_id(session, Overdracht, first).brp_document = json.dumps({"personen": []})
    return first, second


def _orm(factory, principal, oid):
    with transaction(factory) as session:
        try:
            o = access.get_visible(session, principal, oid)
        except NotFound:
            return None
        return (
            {f.name: getattr(o, f.name) for f in fields(snapshots.TransferSnapshot)
             if f.name not in ("regels", "gebeurtenissen", "brp_aanwezig")}
            | {"brp_aanwezig": o.brp_document is not None},
            [(r.id, r.aanbieder_agb, r.product, r.toewijzing_einddatum, r.pgb, r.aanleverdatum,
              r.aanlevering_id, r.publiek_id) for r in o.regels],
            [tuple(getattr(g, name) for name in snapshots.EVENT_FIELDS) for g in o.gebeurtenissen],
        )


def _snapshot(factory, principal, oid):
    with transaction(factory) as session:
        s = snapshots.load_visible(session, principal, oid)
        if s is None:
            return None
        return (
            {f.name: getattr(s, f.name) for f in fields(s) if f.name not in ("regels", "gebeurtenissen")},
            [tuple(getattr(r, f.name) for f in fields(r)) for r in s.regels],
            [tuple(getattr(e, f.name) for f in fields(e)) for e in s.gebeurtenissen],
        )


@pytest.mark.parametrize("role", ROLES)
def test_snapshot_equals_orm_for_every_caller(factory, tenants, two_transfers, role):
    principal = getattr(tenants, role)
    for oid in two_transfers:
        assert _snapshot(factory, principal, oid) == _orm(factory, principal, oid)


def test_visibility_follows_the_parties(factory, tenants, two_transfers):
    first, second = two_transfers
    seen = {role: [_snapshot(factory, getattr(tenants, role), oid) is not None for oid in two_transfers]
            for role in ROLES}
    # A and B are the parties, C is not; Q has a line on the first transfer only.
    assert seen == {"a": [True, True], "b": [True, True], "c": [False, False],
                    "p": [True, True], "q": [True, False], "coordinator": [True, True]}
    assert _snapshot(factory, tenants.a, second[::-1]) is None
    first_view = _snapshot(factory, tenants.a, first)
    assert first_view[0]["brp_aanwezig"] is True
    assert _snapshot(factory, tenants.a, second)[0]["brp_aanwezig"] is False


@pytest.mark.parametrize("role", ROLES)
def test_detail_view_is_the_same_from_either_read(factory, tenants, ctx, two_transfers, role):
    principal = getattr(tenants, role)
    for oid in two_transfers:
        with transaction(factory) as session:
            try:
                orm_view = views.detail_view(
                    session, access.get_visible(session, principal, oid), principal, ctx)
            except NotFound:
                continue
            snap_view = views.detail_view(
                session, access.read_visible(session, principal, oid), principal, ctx)
        assert snap_view == orm_view


def test_update_matches_only_the_version_and_state_read(factory, tenants, two_transfers):
    oid = two_transfers[0]
    van = [Status.AANGELEVERD.value]
    stamp = datetime(2021, 10, 20, 9, 30)
    with transaction(factory) as session:
        stale = snapshots.load_visible(session, tenants.b, oid)
        stale.versie += 1  # as if read before somebody else's change
        assert not snapshots.update_if_unchanged(session, stale, van, {"status": "geaccepteerd"})
    with transaction(factory) as session:
        current = snapshots.load_visible(session, tenants.b, oid)
        assert not snapshots.update_if_unchanged(session, current, ["afgewezen"], {"status": "geaccepteerd"})
        assert current.status == Status.AANGELEVERD.value and current.versie == 1
        changed = {"status": "geaccepteerd", "geaccepteerd_op": date(2021, 10, 20), "gewijzigd_op": stamp}
        assert snapshots.update_if_unchanged(session, current, van, changed)
        snapshots.add_event(session, current, {
            "tijdstip": stamp, "datum": date(2021, 10, 20), "soort": "accepteren",
            "van_status": "aangeleverd", "naar_status": "geaccepteerd",
            "organisatie": tenants.b.label, "gebruiker_id": tenants.b.gebruiker_id,
            "toelichting": "overdracht geaccepteerd",
        })
    in_memory = _as_tuple(current)
    assert (current.versie, current.status) == (2, "geaccepteerd")
    assert _snapshot(factory, tenants.b, oid) == in_memory
    with transaction(factory) as session:
        assert session.scalar(select(Overdracht.versie).where(Overdracht.publiek_id == oid)) == 2


def _as_tuple(s):
    return (
        {f.name: getattr(s, f.name) for f in fields(s) if f.name not in ("regels", "gebeurtenissen")},
        [tuple(getattr(r, f.name) for f in fields(r)) for r in s.regels],
        [tuple(getattr(e, f.name) for f in fields(e)) for e in s.gebeurtenissen],
    )
