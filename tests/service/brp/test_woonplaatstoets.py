"""The woonplaatstoets of a transfer takes the BRP data from the caller's own store, never
from another tenant's (issue 19 S1, issue 20 item 3)."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from wpb.service.clock import utc_naive
from wpb.service.components.brp import store
from wpb.service.components.overdrachten import woonplaats
from wpb.service.db import transaction
from wpb.service.errors import NotConfigured

from ..helpers import deliver, make_context, row
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


def test_the_fallback_fetch_is_kept_in_the_store_and_the_next_check_reads_it(factory, tenants, settings, clock):
    """No stored document: the woonplaatstoets fetches the historie from Haal Centraal. What
    it fetched goes into the caller's own store with its fetch time and SHA-256, so the next
    check reads the store and the BRP is not asked again; the other party's store stays
    empty (it asks the BRP itself)."""
    historie = {"verblijfplaatsen": [adres("0344", "2010-05-01", "2021-06-01"),
                                     adres("0307", "2021-06-01")]}
    asked = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(json.loads(request.content)["burgerservicenummer"])
        return httpx.Response(200, json=historie)

    ctx = make_context(settings.with_(brp_base_url="https://brp.test/api"), clock,
                       brp_transport=httpx.MockTransport(handler))
    transfer = deliver(factory, tenants.a, ctx, [row(bsn=BSN)]).nieuwe_overdrachten[0]
    with transaction(factory) as session:
        assert store.brp_document_for(session, tenants.a, BSN) is None

    woonplaats.fetch_brp(factory, tenants.a, ctx, transfer, ctx.today())
    assert asked == [BSN]
    with transaction(factory) as session:
        doc, kept = store.brp_document_for(session, tenants.a, BSN, now=ctx.now())
        assert store.brp_document_for(session, tenants.b, BSN) is None
    assert (kept.bron, kept.bron_detail) == ("haal-centraal", "https://brp.test/api")
    assert kept.opgehaald_op == utc_naive(ctx.now())
    assert kept.sha256 == store.checksum(store.canonical(doc))
    (receipt,) = kept.herkomst
    assert receipt["sha256"] == store.checksum(store.canonical(historie))
    assert receipt["bron"].startswith("https://brp.test/api")
    assert doc["jeugdige"]["verblijfplaatshistorie"] == historie["verblijfplaatsen"]

    again = woonplaats.fetch_brp(factory, tenants.a, ctx, transfer, ctx.today())
    assert asked == [BSN] and again["bron"] == "haal-centraal"
    with transaction(factory) as session:
        decision = woonplaats.decide_woonplaats(session, tenants.a, ctx, transfer,
                                                peildatum=date(2022, 6, 1), jeugdhulp=[])
    assert decision["gemeente"]["code"] == "0307"

    woonplaats.fetch_brp(factory, tenants.b, ctx, transfer, ctx.today())
    assert asked == [BSN, BSN]
