"""The lists built from fixed statements (wpb.service.components.overdrachten.queries) answer exactly
what the ORM query of the same filter answers, for every caller, direction, status filter
and page, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pytest

from wpb.domain.overdracht import Status
from wpb.service.components.overdrachten import filters, listing, transitions, views
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.db import transaction
from wpb.service.errors import InvalidRequest

from ..helpers import by_public_id, deliver, row, valid_bsns

ROLES = ("a", "b", "c", "p", "q", "coordinator")


@pytest.fixture
def spread(factory, tenants, ctx):
    """Transfers in both directions between A, B and C, for P and Q, in several states."""
    bsns = iter(valid_bsns(13))
    ids = []
    for sender, to, agb in [(tenants.a, "0307", "99000011"), (tenants.a, "0355", "99000022"),
                            (tenants.b, "0344", "99000011"), (tenants.c, "0307", "99000022")]:
        rows = [row(bsn=next(bsns), ontvangende=to, agb=agb) for _ in range(3)]
        ids += deliver(factory, sender, ctx, rows).nieuwe_overdrachten
    # One youth with a line of each provider, only Q's by pgb: each sees its own line only.
    both = next(bsns)
    ids += deliver(factory, tenants.a, ctx, [
        row(bsn=both, agb="99000011"), row(bsn=both, agb="99000022", product="Pleegzorg", pgb="ja"),
    ]).nieuwe_overdrachten
    with transaction(factory) as session:
        transitions.accept(session, tenants.b, ctx, ids[0])
        transitions.reject(session, tenants.c, ctx, ids[3], onderbouwing="Woonde in Zeist niet.")
        transitions.accept(session, tenants.a, ctx, ids[6])
    return ids


def _generic(session, principal, ctx, richting, statuses, pagina, grootte):
    query = listing.visible_query(principal, richting, statuses)
    return listing.page_of(session, principal, ctx, query, pagina, grootte).to_json()


@pytest.mark.parametrize("role", ROLES)
def test_fixed_statements_list_what_the_orm_query_lists(factory, tenants, ctx, spread, role):
    principal = getattr(tenants, role)
    richtingen = [None, Richting.INKOMEND, Richting.UITGAAND] if principal.is_gemeente else [None]
    filters = [[], [Status.AANGELEVERD], [Status.GEACCEPTEERD, Status.AFGEWEZEN]]
    seen_any = False
    for richting, statuses, (pagina, grootte) in itertools.product(
        richtingen, filters, [(1, 50), (1, 2), (2, 2), (9, 2)]
    ):
        with transaction(factory) as session:
            fast = listing.list_transfers(
                session, principal, ctx, richting=richting, status=statuses,
                pagina=pagina, pagina_grootte=grootte, sort="id", descending=True,
            ).to_json()
            generic = _generic(session, principal, ctx, richting, statuses, pagina, grootte)
        assert fast == generic, (richting, statuses, pagina, grootte)
        seen_any |= bool(fast["overdrachten"])
    assert seen_any  # every caller here is party to some transfer


def test_a_provider_lists_only_its_transfers_and_lines(factory, tenants, ctx, spread):
    with transaction(factory) as session:
        page = listing.list_transfers(session, tenants.q, ctx, pagina_grootte=200).to_json()
    assert page["totaal"] == 7
    assert {o["aantalRegels"] for o in page["overdrachten"]} == {1}
    assert [o["pgb"] for o in page["overdrachten"]].count(True) == 1


def test_search_finds_only_visible_transfers(factory, tenants, ctx, spread):
    with transaction(factory) as session:
        first = listing.read_transfer(session, tenants.a, ctx, spread[0])
        bsn = first["bsn"]
        found = {role: [o["id"] for o in listing.search_by_bsn(session, getattr(tenants, role), ctx, bsn)]
                 for role in ROLES}
    assert found == {"a": [spread[0]], "b": [spread[0]], "c": [], "p": [spread[0]], "q": [],
                     "coordinator": [spread[0]]}


def test_direction_is_for_gemeenten_only(factory, tenants, ctx):
    with transaction(factory) as session, pytest.raises(InvalidRequest):
        listing.list_transfers(session, tenants.p, ctx, richting=Richting.INKOMEND)


@pytest.mark.parametrize("role", ROLES)
def test_search_shows_each_transfer_as_the_orm_view_does(factory, tenants, ctx, spread, role):
    principal = getattr(tenants, role)
    with transaction(factory) as session:
        for oid in spread:
            bsn = by_public_id(session, transitions.Overdracht, oid).bsn
            found = listing.search_by_bsn(session, principal, ctx, bsn)
            expected = views.summaries_of(session, principal, ctx, list(session.scalars(
                listing.visible_query(principal, None, None)
                .where(transitions.Overdracht.bsn == bsn).order_by(transitions.Overdracht.id.desc()))))
            assert found == expected


FLOW_AND_TEXT = [
    {"latende": "0344", "ontvangende": "0307"},
    {"latende": "0344"},
    {"ontvangende": "0307", "statussen": (Status.AANGELEVERD,)},
    {"tekst": "pleegzorg"},
    {"tekst": "zeist", "latende": "0344"},
    {"gemeente": "0355"},
]


@pytest.mark.parametrize("role", ROLES)
def test_the_flow_filter_and_the_download_on_both_databases(factory, tenants, ctx, spread, role):
    """The exact latende/ontvangende filter keeps just that pair; the download of any filter
    holds the transfers of all the list's pages (SQLite and PostgreSQL)."""
    principal = getattr(tenants, role)
    with transaction(factory) as session:
        everything = filters.list_filtered(session, principal, ctx, filters.TransferFilter(
            pagina_grootte=200)).items
    for given in FLOW_AND_TEXT:
        f = filters.TransferFilter(pagina_grootte=200, **given)
        with transaction(factory) as session:
            listed = filters.list_filtered(session, principal, ctx, f).items
            rows = filters.export_filtered(session, principal, ctx, f)
        assert {r["overdracht_id"] for r in rows} == {o["id"] for o in listed}, given
        if "tekst" in given or "gemeente" in given:
            continue
        expected = {o["id"] for o in everything
                    if o["latendeGemeente"]["code"] == given.get("latende", o["latendeGemeente"]["code"])
                    and o["ontvangendeGemeente"]["code"] == given.get("ontvangende", o["ontvangendeGemeente"]["code"])
                    and o["status"] in [s.value for s in given.get("statussen", Status)]}
        assert {o["id"] for o in listed} == expected, given
