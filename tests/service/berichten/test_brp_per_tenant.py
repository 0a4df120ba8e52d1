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

from ijw_builders import BSN, jw315
from wpb.service.components.berichten import views, voorstel
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
    assert view["voorstel"]["brp"]["bron"] == f"overdracht:{oid}"
    assert view["voorstel"]["producten"][0]["soort"] == "toewijzing"


def test_a_document_replaced_by_the_other_gemeente_is_no_longer_its_own(
    factory, tenants, provider, ctx
):
    from datetime import datetime

    from wpb.service.components.overdrachten.models import Gebeurtenis

    oid = _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, attached_by=AMERSFOORT)
    later = datetime(2026, 3, 2, 9)
    with transaction(factory) as session:
        session.add(Gebeurtenis(overdracht_id=oid, tijdstip=later, datum=later.date(), soort="brp",
                                organisatie=f"gemeente:{UTRECHT}", toelichting="vervangen"))
    view = _proposal(factory, tenants, provider, ctx)
    assert view["voorstel"]["brp"]["bron"] is None


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
    assert found is None


def test_the_lookup_never_crosses_bsns(factory):
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT, bsn="999900006", attached_by=AMERSFOORT)
    with transaction(factory) as session:
        assert voorstel.brp_van_gemeente(session, AMERSFOORT, BSN, date(2026, 4, 1)) is None
