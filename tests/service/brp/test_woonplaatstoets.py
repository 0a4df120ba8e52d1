"""The woonplaatstoets of a transfer takes the BRP data from the caller's own store, never
from another tenant's (issue 19 S1, issue 20 item 3)."""

from __future__ import annotations

from datetime import date

import pytest

from wpb.service.components.brp import store
from wpb.service.components.overdrachten import woonplaats
from wpb.service.db import transaction
from wpb.service.errors import NotConfigured

from ..helpers import deliver, row
from .documents import adres, document

BSN = "999990019"  # the helpers' default row: born 2010-05-01, Utrecht (A) to Amersfoort (B)


@pytest.fixture
def transfer(factory, tenants, ctx) -> int:
    return deliver(factory, tenants.a, ctx, [row(bsn=BSN)]).nieuwe_overdrachten[0]


def test_the_stored_document_is_attached_and_decided_without_an_upload(factory, tenants, ctx, transfer):
    """No BRP endpoint is configured here: the store alone answers. The youth moved from
    Utrecht to Amersfoort in 2021; for ambulant care art. 1.1 (2022) takes the gemeente of
    registration, so Amersfoort (0307) on 2022-06-01."""
    doc = document(BSN, "2010-05-01", adres("0344", "2010-05-01", "2021-06-01"),
                   adres("0307", "2021-06-01"))
    with transaction(factory) as session:
        store.save_document(session, tenants.a, ctx.register, BSN, doc, bron="haal-centraal",
                            now=ctx.now())
    attached = woonplaats.fetch_brp(factory, tenants.a, ctx, transfer, ctx.today())
    assert attached["aanwezig"] and attached["bron"] == "haal-centraal"
    assert attached["aantalVerblijfplaatsen"] == 2
    with transaction(factory) as session:
        decision = woonplaats.decide_woonplaats(session, tenants.a, ctx, transfer,
                                                peildatum=date(2022, 6, 1), jeugdhulp=[])
    assert decision["gemeente"]["code"] == "0307"


def test_another_tenants_document_is_never_used(factory, tenants, ctx, transfer):
    """Amersfoort (B, the receiving gemeente) has no document of its own; Utrecht's (A) is
    not used for it: with no BRP configured, B is told to fetch or attach its own."""
    doc = document(BSN, "2010-05-01", adres("0344", "2010-05-01"))
    with transaction(factory) as session:
        store.save_document(session, tenants.a, ctx.register, BSN, doc, bron="upload", now=ctx.now())
    with pytest.raises(NotConfigured):
        woonplaats.fetch_brp(factory, tenants.b, ctx, transfer, ctx.today())
