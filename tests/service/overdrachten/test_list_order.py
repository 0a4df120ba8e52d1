"""The transfer lists sort and filter by what the law says (issue 16 item 5): the deadline
and "verantwoordelijk nu" of the list statement (``queries.derived_columns``) are those of
the rules themselves (:mod:`wpb.law.taken`, :mod:`wpb.law.overgang`, through
``views.summary_view``), for transfers of both regimes in every state, and every sort key
orders the whole list as sorting the rules' views would: ascending or descending, NULLs
last, ties in the order the transfers were made (the key ``id`` is that order too: a public
id is random, so sorting by it would say nothing); on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from wpb.service.components.overdrachten import changes, listing, queries, transitions
from wpb.service.components.overdrachten.filters import TransferFilter, list_filtered
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.db import transaction
from wpb.service.errors import InvalidRequest

from ..helpers import deliver, row, valid_bsns

FORMAT = ["bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
          "toewijzing_einddatum", "vanaf"]


@pytest.fixture
def mixed(factory, tenants, ctx, clock):
    """Transfers of the migratiegroep (2021) and of today (2026, with ``vanaf``), aangeleverd,
    geaccepteerd, afgewezen, afgerond, reconsidered, withdrawn."""
    bsns = iter(valid_bsns(16))
    clock.set(2021, 10, 15)
    old = deliver(factory, tenants.a, ctx, [row(bsn=next(bsns), agb=agb)
                                            for agb in ("99000011", "99000022", "99000011")]).nieuwe_overdrachten
    clock.set(2021, 11, 20)  # delivered late: onderdeel B
    late = deliver(factory, tenants.a, ctx, [row(bsn=next(bsns)) for _ in range(2)]).nieuwe_overdrachten
    new = []
    for day, vanaf in ((2, "2026-11-02"), (9, "2026-12-01"), (16, "2026-10-01"), (23, "2026-11-15"),
                       (23, "2026-11-20"), (25, "2026-12-24")):
        clock.set(2026, 11, day)
        new += deliver(factory, tenants.a, ctx, [[next(bsns), "2010-05-01", "0307", "99000022",
                                                  "45A48", "", vanaf]], header=FORMAT).nieuwe_overdrachten
    clock.set(2026, 11, 30)
    with transaction(factory) as s:
        transitions.accept(s, tenants.b, ctx, old[0])
        transitions.reject(s, tenants.b, ctx, old[1], onderbouwing="Woonde er niet.")
        transitions.accept(s, tenants.b, ctx, late[0])
        transitions.complete(s, tenants.b, ctx, late[0], toewijzing_ingangsdatum=date(2022, 1, 1),
                             toewijzing_referentie="T-1")
        transitions.accept(s, tenants.b, ctx, new[0])
        transitions.reject(s, tenants.b, ctx, new[1], onderbouwing="Woont hier niet.")
        transitions.reject(s, tenants.b, ctx, new[2], onderbouwing="Eerst niet.")
        changes.reconsider(s, tenants.b, ctx, new[2], toelichting="Na overleg toch wel.")
        changes.withdraw(s, tenants.a, ctx, new[3], reden="Verkeerde gemeente gekozen.")
    clock.set(2026, 12, 7)
    return [*old, *late, *new]


def _by_rules(session, principal, ctx):
    query = listing.visible_query(principal, None)
    return listing.page_of(session, principal, ctx, query, 1, 200).items


def _key(view: dict, sort: str, made: dict[str, int]):
    value = {
        "termijn": view["termijn"], "verantwoordelijk": view["verantwoordelijkNu"]["code"],
        "aanbieder": (view["aanbieder"] or {}).get("agb"), "regels": view["aantalRegels"],
        "id": made[view["id"]], "status": view["status"], "wet": view["wet"], "bsn": view["bsn"],
        "geboortedatum": view["geboortedatum"], "latende": view["latendeGemeente"]["code"],
        "ontvangende": view["ontvangendeGemeente"]["code"], "aanleverdatum": view["aanleverdatum"],
        "vanaf": view["vanaf"], "gewijzigd": view["gewijzigdOp"],
    }[sort]
    return value


def _sorted(views: list[dict], sort: str, descending: bool, made: dict[str, int]) -> list[str]:
    """The public ids of ``views`` in the order of ``sort``; ``made``: each transfer's place
    in the order they were made (the fixture's list)."""
    present = [v for v in views if _key(v, sort, made) is not None]
    missing = [v for v in views if _key(v, sort, made) is None]
    present.sort(key=lambda v: made[v["id"]])
    present.sort(key=lambda v: _key(v, sort, made), reverse=descending)  # stable: ties as made
    return [v["id"] for v in present + sorted(missing, key=lambda v: made[v["id"]])]


@pytest.mark.parametrize("role", ["a", "b", "p", "coordinator"])
def test_every_sort_key_orders_as_the_rules_views_do(factory, tenants, ctx, mixed, role):
    principal = getattr(tenants, role)
    made = {public: place for place, public in enumerate(mixed)}
    with transaction(factory) as session:
        reference = _by_rules(session, principal, ctx)
        assert any(v["termijn"] for v in reference) and any(not v["termijn"] for v in reference)
        for sort in queries.SORT_KEYS:
            for descending in (False, True):
                page = listing.list_transfers(session, principal, ctx, sort=sort,
                                              descending=descending, pagina_grootte=200)
                assert [o["id"] for o in page.items] == _sorted(reference, sort, descending, made), sort
                by_id = {v["id"]: v for v in reference}
                assert all(o == by_id[o["id"]] for o in page.items)


def test_the_deadline_and_responsibility_follow_the_law(factory, tenants, ctx, mixed):
    with transaction(factory) as session:
        views = {o["id"]: o for o in listing.list_transfers(session, tenants.b, ctx, pagina_grootte=200).items}
    old, late, new = mixed[:3], mixed[3:5], mixed[5:]
    # The measure, onderdeel A, still awaiting the answer: the day before the ingangsdatum.
    assert views[old[2]]["termijn"] == "2021-12-31"
    assert views[old[2]]["verantwoordelijkNu"]["code"] == "0307"
    # Onderdeel B, not afgerond: no answer deadline under the measure, the latende responsible.
    assert views[late[1]]["termijn"] is None and views[late[1]]["verantwoordelijkNu"]["code"] == "0344"
    # The law: two weeks after the aanlevering (Regeling Jeugdwet art. 1a.1).
    assert views[new[4]]["termijn"] == "2026-12-07"
    assert views[new[5]]["termijn"] == "2026-12-09"
    # Before vanaf the latende; a rejection that stands keeps the latende.
    assert views[new[5]]["verantwoordelijkNu"]["code"] == "0344"
    assert views[new[1]]["verantwoordelijkNu"]["code"] == "0344"
    assert views[new[0]]["verantwoordelijkNu"]["code"] == "0307"
    # The default order: the nearest deadline first, transfers without one after them.
    with transaction(factory) as session:
        first = listing.list_transfers(session, tenants.b, ctx, pagina_grootte=3).items
    assert [o["id"] for o in first] == [old[2], new[4], new[5]]


def test_filters_text_bsn_and_paging(factory, tenants, ctx, mixed):
    with transaction(factory) as session:
        views = {o["id"]: o for o in listing.list_transfers(session, tenants.a, ctx, pagina_grootte=200).items}
        by_text = list_filtered(session, tenants.a, ctx, TransferFilter(tekst="aanbieder q"))
        by_agb = list_filtered(session, tenants.a, ctx, TransferFilter(tekst="99000011"))
        by_name = list_filtered(session, tenants.a, ctx, TransferFilter(tekst="Amersfoort"))
        by_public_id = list_filtered(session, tenants.a, ctx, TransferFilter(tekst=mixed[4].upper()))
        bsn = views[mixed[6]]["bsn"]
        by_bsn = list_filtered(session, tenants.a, ctx, TransferFilter(bsn=bsn))
        second = list_filtered(session, tenants.a, ctx, TransferFilter(
            richting=Richting.UITGAAND, pagina=2, pagina_grootte=4, sorteer="aanleverdatum"))
    assert {o["id"] for o in by_text.items} == {
        i for i, v in views.items() if v["aanbieder"]["agb"] == "99000022"}
    assert {o["id"] for o in by_agb.items} == {
        i for i, v in views.items() if v["aanbieder"]["agb"] == "99000011"}
    assert by_name.totaal == len(views)  # every transfer goes to Amersfoort (0307)
    assert [o["id"] for o in by_public_id.items] == [mixed[4]]  # its public id, in any case
    assert [o["id"] for o in by_bsn.items] == [mixed[6]]
    assert second.totaal == len(views) and [o["id"] for o in second.items] == mixed[4:8]


@pytest.mark.parametrize("tekst", ["999900006", "9999 00006", "123.456.782"])
def test_free_text_refuses_a_bsn(factory, tenants, ctx, tekst):
    """A BSN typed as free text would end up in the page's address: it is refused."""
    with transaction(factory) as session, pytest.raises(InvalidRequest) as caught:
        list_filtered(session, tenants.a, ctx, TransferFilter(tekst=tekst))
    assert caught.value.invalid_params[0][0] == "tekst"


@pytest.mark.parametrize("sorteer", ["bsn; drop table overdrachten", "latende_gemeente", ""])
def test_an_unknown_sort_key_is_refused(factory, tenants, ctx, sorteer):
    with transaction(factory) as session, pytest.raises(InvalidRequest):
        list_filtered(session, tenants.a, ctx, TransferFilter(sorteer=sorteer))
