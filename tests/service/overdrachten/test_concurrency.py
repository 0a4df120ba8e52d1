"""Two users acting on one transfer at once: exactly one wins, the other gets a conflict.

Real threads with their own sessions against a SQLite file and PostgreSQL. The second test
holds both transactions after they read the transfer, so both pass the status check and
the conditional ``UPDATE ... WHERE versie = :read`` alone must decide (PostgreSQL only:
SQLite's write transactions are exclusive from their start, so there the second request
waits and then reads the new state).
"""

from __future__ import annotations

import threading
from datetime import date

from wpb.service.audit import trail as audit
from wpb.service.components.overdrachten import access, transitions, upload_check, upload_store
from wpb.service.components.overdrachten.models import Gebeurtenis, Overdracht
from wpb.service.db import transaction
from wpb.service.errors import Conflict

from ..helpers import by_public_id, count, deliver, make_tenants, row, valid_bsns


def _race(factory, actions) -> list[object]:
    """Run the callables at the same moment in threads; return each result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(i, action):
        barrier.wait()
        try:
            with transaction(factory) as session:
                results[i] = action(session)
        except Exception as exc:  # collected and checked by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_accept_and_reject_at_once(factory, tenants, ctx):
    bsns = valid_bsns(6)
    stored = deliver(factory, tenants.a, ctx, [row(b) for b in bsns])
    for oid in stored.nieuwe_overdrachten:
        results = _race(
            factory,
            [
                lambda s, oid=oid: transitions.accept(s, tenants.b, ctx, oid),
                lambda s, oid=oid: transitions.reject(s, tenants.b, ctx, oid, onderbouwing="Niet onze inwoner."),
            ],
        )
        wins = [r for r in results if isinstance(r, dict)]
        conflicts = [r for r in results if isinstance(r, Conflict)]
        assert len(wins) == 1 and len(conflicts) == 1, results
        with transaction(factory) as session:
            o = by_public_id(session, Overdracht, oid)
            assert o.status == wins[0]["status"] and o.versie == 2
    # One timeline step per transfer for the winner, none for the loser.
    assert count(factory, Gebeurtenis) == 2 * len(bsns)
    with transaction(factory) as session:
        assert audit.verify_chain(session).intact


def test_conditional_update_decides_when_both_passed_the_check(postgres_factory, ctx, monkeypatch):
    factory = postgres_factory
    tenants = make_tenants(factory)
    [oid] = deliver(factory, tenants.a, ctx, [row()]).nieuwe_overdrachten
    both_read = threading.Barrier(2)
    original = access.read_visible
    waited = threading.local()

    def read_then_wait(session, principal, overdracht_id):
        o = original(session, principal, overdracht_id)
        if not getattr(waited, "done", False):  # the first read of each request
            waited.done = True
            both_read.wait(timeout=30)
        return o

    monkeypatch.setattr(transitions, "read_visible", read_then_wait)
    results = _race(
        factory,
        [
            lambda s: transitions.accept(s, tenants.b, ctx, oid),
            lambda s: transitions.reject(s, tenants.b, ctx, oid, onderbouwing="Niet onze inwoner."),
        ],
    )
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(conflicts) == 1, results
    assert "zojuist door iemand anders gewijzigd" in conflicts[0].detail
    assert sum(isinstance(r, dict) for r in results) == 1


def test_two_completions_with_different_references(factory, tenants, ctx):
    [oid] = deliver(factory, tenants.a, ctx, [row()]).nieuwe_overdrachten
    with transaction(factory) as session:
        transitions.accept(session, tenants.b, ctx, oid)
    results = _race(
        factory,
        [
            lambda s, ref=ref: transitions.complete(
                s, tenants.b, ctx, oid, toewijzing_ingangsdatum=date(2022, 1, 1), toewijzing_referentie=ref
            )
            for ref in ("TW-1", "TW-2", "TW-3")
        ],
    )
    wins = [r for r in results if isinstance(r, dict)]
    assert len(wins) == 1 and sum(isinstance(r, Conflict) for r in results) == 2
    with transaction(factory) as session:
        assert by_public_id(session, Overdracht, oid).toewijzing_referentie == wins[0]["afronding"]["toewijzingReferentie"]


def test_the_same_upload_confirmed_twice_at_once_stores_once(factory, tenants, ctx):

    from ..helpers import csv_bytes

    content = csv_bytes([row(b) for b in valid_bsns(3)])
    with transaction(factory) as session:
        checked = upload_check.check_upload(
            session, tenants.a, content, "x.csv", register=ctx.register, limits=ctx.limits, now=ctx.now()
        )
    results = _race(
        factory,
        [
            lambda s: upload_store.store_upload(
                s, tenants.a, content, "x.csv", checked.controle,
                register=ctx.register, limits=ctx.limits, now=ctx.now(),
            )
        ]
        * 2,
    )
    assert sum(isinstance(r, upload_store.StoredUpload) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert count(factory, Overdracht) == 3
