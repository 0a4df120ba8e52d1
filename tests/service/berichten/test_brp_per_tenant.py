"""S1 (issue 19): BRP data reaches a JW315 proposal only from the receiving gemeente's own
tenant. Wet BRP gives each gemeente its own access for its own tasks; a document another
gemeente fetched or attached (or made up) never steers, nor leaks into, this proposal.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import delete

from ijw_builders import BSN, jw315
from wpb.service.components.berichten import views, voorstel
from wpb.service.components.brp import store
from wpb.service.components.brp.models import BrpDocument
from wpb.service.components.overdrachten import woonplaats
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import SettableClock
from .test_berichten import (
    AMERSFOORT,
    LIVES_IN_AMERSFOORT,
    LIVES_IN_UTRECHT,
    RECEIPT,
    UTRECHT,
    _transfer_with_brp,
    submit,
)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)

ZEIST = "0355"


def _proposal(factory, tenants, provider, ctx, **kwargs) -> dict:
    result = submit(factory, provider, ctx, jw315(**kwargs))
    with transaction(factory) as session:
        return views.read_bericht_view(session, tenants.b, ctx, result.bericht_id)


def test_a_document_another_gemeente_attached_to_its_own_transfer_is_not_used(
    factory, tenants, provider, ctx
):
    # Utrecht hands the youth to Zeist and attaches a BRP document; Amersfoort is no party.
    oid = _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, latende=UTRECHT, ontvangende=ZEIST,
                             attached_by=UTRECHT)
    view = _proposal(factory, tenants, provider, ctx)
    assert view["voorstel"]["brp"]["bron"] is None
    (product,) = view["voorstel"]["producten"]
    assert product["soort"] == "in_onderzoek"  # no BRP data of its own: a person decides
    text = json.dumps(view)
    assert f"overdracht:{oid}" not in text and "Langestraat" not in text


def test_a_made_up_document_on_a_transfer_to_the_receiving_gemeente_does_not_steer_it(
    factory, tenants, provider, ctx
):
    # Utrecht attaches a made-up history ("lives in Utrecht") on its transfer to Amersfoort:
    # used, it would make Amersfoort reject with reden 8. It must not be used.
    _transfer_with_brp(factory, LIVES_IN_UTRECHT, attached_by=UTRECHT)
    view = _proposal(factory, tenants, provider, ctx)
    (product,) = view["voorstel"]["producten"]
    assert product["soort"] == "in_onderzoek"
    assert view["voorstel"]["brp"]["bron"] is None


def test_the_receiving_gemeentes_own_document_is_used(factory, tenants, provider, ctx):
    oid = _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, attached_by=AMERSFOORT)
    view = _proposal(factory, tenants, provider, ctx)
    assert view["voorstel"]["brp"]["bron"] == "brp-opslag:upload"
    assert f"overdracht:{oid}" not in json.dumps(view)  # a transfer id is not the provider's business
    assert view["voorstel"]["producten"][0]["soort"] == "toewijzing"


def test_a_document_the_other_gemeente_attaches_later_does_not_replace_its_own(
    factory, tenants, provider, ctx
):
    # Amersfoort attached its own document; Utrecht later attaches "lives in Utrecht" to the
    # same transfer. That lands in Utrecht's store: Amersfoort's proposal keeps its own data.
    oid = _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, attached_by=AMERSFOORT)
    with transaction(factory) as session:
        woonplaats.attach_brp_document(session, tenants.a, ctx, oid, LIVES_IN_UTRECHT)
    view = _proposal(factory, tenants, provider, ctx)
    assert view["voorstel"]["brp"]["bron"] == "brp-opslag:upload"
    assert view["voorstel"]["producten"][0]["soort"] == "toewijzing"


def test_attaching_to_a_transfer_keeps_the_document_in_the_attachers_store_only(
    factory, tenants, provider, ctx
):
    # The real path: Utrecht attaches to its transfer to Amersfoort; then Amersfoort does.
    oid = _transfer_with_brp(factory, LIVES_IN_UTRECHT, attached_by=None)
    with transaction(factory) as session:
        woonplaats.attach_brp_document(session, tenants.a, ctx, oid, LIVES_IN_UTRECHT)
    with transaction(factory) as session:
        assert voorstel.brp_van_gemeente(session, AMERSFOORT, BSN, date(2026, 4, 1)) is None
        assert voorstel.brp_van_gemeente(session, UTRECHT, BSN, date(2026, 4, 1)) is not None
    with transaction(factory) as session:
        woonplaats.attach_brp_document(session, tenants.b, ctx, oid, LIVES_IN_AMERSFOORT)
    view = _proposal(factory, tenants, provider, ctx)
    assert view["voorstel"]["brp"]["bron"] == "brp-opslag:upload"
    assert view["voorstel"]["producten"][0]["soort"] == "toewijzing"


@hsettings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(owner=st.sampled_from(["a", "c", "p", "coordinator"]), bsn=st.sampled_from([BSN, "999900006"]))
def test_another_tenants_stored_document_is_never_used(factory, tenants, ctx, owner, bsn):
    """Whoever else keeps a document of this youth in the BRP store (another gemeente, a
    provider, the coordinator): the receiving gemeente's lookup never returns it."""
    with transaction(factory) as session:
        store.save_document(session, getattr(tenants, owner), ctx.register, bsn,
                            {"jeugdige": LIVES_IN_UTRECHT["jeugdige"] | {"burgerservicenummer": bsn}},
                            bron="upload", now=RECEIPT)
    with transaction(factory) as session:
        found = voorstel.brp_van_gemeente(session, AMERSFOORT, bsn, date(2026, 4, 1))
        session.execute(delete(BrpDocument))
    assert found is None


def test_a_copied_document_without_an_attach_event_is_not_used(factory, tenants, provider, ctx):
    # A forwarded transfer carries the old document without a brp event of its own.
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, attached_by=None)
    assert _proposal(factory, tenants, provider, ctx)["voorstel"]["brp"]["bron"] is None


@hsettings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bsn=st.from_regex(r"[0-9]{9}", fullmatch=True),
    latende=st.sampled_from([UTRECHT, AMERSFOORT, ZEIST]),
    ontvangende=st.sampled_from([UTRECHT, AMERSFOORT, ZEIST]),
    attacher=st.sampled_from([UTRECHT, ZEIST]),
)
def test_no_document_attached_by_another_tenant_ever_reaches_the_lookup(
    factory, bsn, latende, ontvangende, attacher
):
    """Whatever the BSN and the transfer's parties: a document attached by another gemeente
    is never the receiving gemeente's BRP data."""
    oid = _transfer_with_brp(factory, LIVES_IN_UTRECHT, bsn=bsn, latende=latende,
                             ontvangende=ontvangende, attached_by=attacher)
    with transaction(factory) as session:
        found = voorstel.brp_van_gemeente(session, AMERSFOORT, bsn, date(2026, 4, 1))
        session.delete(session.get(Overdracht, oid))  # one open transfer per youth and gemeente
        session.execute(delete(BrpDocument))  # one stored document per youth and tenant
    assert found is None


def test_the_lookup_never_crosses_bsns(factory):
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, bsn="999900006", attached_by=AMERSFOORT)
    with transaction(factory) as session:
        assert voorstel.brp_van_gemeente(session, AMERSFOORT, BSN, date(2026, 4, 1)) is None
