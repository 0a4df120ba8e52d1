"""The per-tenant BRP store (issue 19, item 1): a document is read only by the organisation
that fetched or attached it, every read and write is audited, and nothing unreadable is kept."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlalchemy import select

from wpb.brp import proefomgeving
from wpb.brp.bronnen import BrpGegevens, read_document
from wpb.errors import InvalidInput
from wpb.service.audit.models import AuditRegel
from wpb.service.components.brp import store
from wpb.service.components.brp.bron import OpslagBron, fetch_into_store
from wpb.service.components.brp.models import BrpDocument
from wpb.service.db import transaction

from ..helpers import count, make_context, valid_bsns
from .documents import adres, document, hc_persoon


@pytest.fixture
def bsn() -> str:
    return valid_bsns(1)[0]


def _save(factory, principal, ctx, bsn, doc, bron="upload"):
    with transaction(factory) as session:
        return store.save_document(session, principal, ctx.register, bsn, doc, bron=bron,
                                   now=ctx.now())


def test_a_document_is_read_back_only_by_its_owner(factory, tenants, ctx, bsn):
    doc_a = document(bsn, "2010-05-01", adres("0344", "2010-05-01"))
    prov = _save(factory, tenants.a, ctx, bsn, doc_a)
    with transaction(factory) as session:
        found = store.brp_document_for(session, tenants.a, bsn, now=ctx.now())
        assert found is not None and found[0] == doc_a
        assert found[1].sha256 == prov.sha256 == store.checksum(store.canonical(doc_a))
        assert found[1].bron == "upload" and found[1].opgehaald_door == tenants.a.gebruiker_id
        # Another gemeente, a provider and the coordinator: nothing, not even "it exists".
        for other in (tenants.b, tenants.p, tenants.coordinator):
            assert store.brp_document_for(session, other, bsn) is None
            assert store.documents_for(session, other, [bsn], doel="test") == {}


def test_two_tenants_keep_their_own_document_of_the_same_youth(factory, tenants, ctx, bsn):
    """S1: B's (perhaps made-up) document never steers what A reads."""
    doc_a = document(bsn, "2010-05-01", adres("0344", "2010-05-01"))
    doc_b = document(bsn, "2010-05-01", adres("0307", "2010-05-01"))
    _save(factory, tenants.a, ctx, bsn, doc_a)
    _save(factory, tenants.b, ctx, bsn, doc_b)
    with transaction(factory) as session:
        assert store.brp_document_for(session, tenants.a, bsn)[0] == doc_a
        assert store.brp_document_for(session, tenants.b, bsn)[0] == doc_b
        assert store.documents_for(session, tenants.a, [bsn], doel="test")[bsn][0] == doc_a
    assert count(factory, BrpDocument) == 2


def test_a_new_document_replaces_the_owners_earlier_one(factory, tenants, ctx, bsn):
    _save(factory, tenants.a, ctx, bsn, document(bsn, "2010-05-01", adres("0344", "2010-05-01")))
    newer = document(bsn, "2010-05-01", adres("0344", "2010-05-01", "2026-01-01"),
                     adres("0355", "2026-01-01"))
    _save(factory, tenants.a, ctx, bsn, newer, bron="haal-centraal")
    with transaction(factory) as session:
        doc, prov = store.brp_document_for(session, tenants.a, bsn)
    assert doc == newer and prov.bron == "haal-centraal"
    assert count(factory, BrpDocument) == 1


def test_reads_and_writes_are_audited_without_the_bsn_in_the_details(factory, tenants, ctx, bsn):
    _save(factory, tenants.a, ctx, bsn, document(bsn, "2010-05-01", adres("0344", "2010-05-01")))
    with transaction(factory) as session:
        store.brp_document_for(session, tenants.a, bsn, now=ctx.now())
        store.documents_for(session, tenants.a, [bsn, valid_bsns(2)[1]], doel="woonplaatscheck")
    with transaction(factory) as session:
        rows = session.scalars(select(AuditRegel).order_by(AuditRegel.id)).all()
    acties = [(r.actie, r.organisatie, r.bsn) for r in rows]
    assert acties == [("brp.opslaan", "gemeente:0344", bsn), ("brp.lezen", "gemeente:0344", bsn),
                      ("brp.lezen", "gemeente:0344", None)]
    assert all(bsn not in (r.details or "") for r in rows)
    assert '"gevonden":1' in rows[2].details.replace(" ", "")


@pytest.mark.parametrize("bad, pad", [
    ({"jeugdige": {"verblijfplaatshistorie": [{"type": "Adres"}]}}, "jeugdige"),
    ({"iets": 1}, "jeugdige"),
    ([], "$"),
])
def test_an_unreadable_document_is_refused_and_nothing_kept(factory, tenants, ctx, bsn, bad, pad):
    with pytest.raises(InvalidInput) as caught, transaction(factory) as session:
        store.save_document(session, tenants.a, ctx.register, bsn, bad, bron="upload",
                            now=ctx.now())
    assert any(e.pad.startswith(pad) for e in caught.value.errors)
    assert count(factory, BrpDocument) == 0


def test_a_document_of_another_youth_is_refused(factory, tenants, ctx):
    mine, other = valid_bsns(2)
    with pytest.raises(InvalidInput) as caught, transaction(factory) as session:
        store.save_document(session, tenants.a, ctx.register, mine,
                            document(other, "2010-05-01", adres("0344", "2010-05-01")),
                            bron="upload", now=ctx.now())
    assert caught.value.errors[0].pad == "jeugdige.burgerservicenummer"
    assert count(factory, BrpDocument) == 0


def test_fetch_in_bulk_keeps_each_answer_in_the_callers_store(sqlite_factory, sqlite_tenants,
                                                              settings, clock):
    """Through the Haal Centraal client against the local proefomgeving (in-process): two
    youths found, one unknown to the BRP, reported without its BSN."""
    moved, stays, unknown = valid_bsns(3)
    persons = {
        moved: hc_persoon(moved, "2012-03-04", adres("0344", "2012-03-04", "2026-02-01"),
                          adres("0355", "2026-02-01")),
        stays: hc_persoon(stays, "2009-07-08", adres("0307", "2009-07-08")),
    }
    app = proefomgeving.build_app(persons, haperingen=2)  # two 429/503 answers first
    ctx = make_context(settings.with_(brp_base_url="http://proef"), clock,
                       brp_async_transport=httpx.ASGITransport(app=app))
    seen = []
    report = fetch_into_store(sqlite_factory, sqlite_tenants.a, ctx, [moved, stays, unknown],
                              date(2026, 12, 7), voortgang=lambda d, t: seen.append((d, t)))
    assert (report.gevraagd, report.opgeslagen) == (3, 2)
    assert set(report.mislukt) == {unknown} and unknown not in report.mislukt[unknown]
    assert seen[-1] == (2, 2)
    with transaction(sqlite_factory) as session:
        docs = store.documents_for(session, sqlite_tenants.a, [moved, stays], doel="test")
        assert store.documents_for(session, sqlite_tenants.b, [moved, stays], doel="test") == {}
    jeugdige, _ = read_document(docs[moved][0], ctx.register, "test")
    assert sorted(v.gemeente_code for v in jeugdige.historie) == ["0344", "0355"]
    assert docs[moved][1].bron == "haal-centraal"
    bronnen = [h["bron"] for h in docs[moved][1].herkomst]
    assert bronnen == ["http://proef/personen", "http://proef/verblijfplaatshistorie"]


def test_the_store_as_a_source_answers_from_the_documents_it_was_given(factory, tenants, ctx, bsn):
    doc = document(bsn, "2010-05-01", adres("0344", "2010-05-01"))
    _save(factory, tenants.a, ctx, bsn, doc)
    with transaction(factory) as session:
        bron = OpslagBron(store.documents_for(session, tenants.a, [bsn], doel="t"), ctx.register)
    missing = valid_bsns(2)[1]
    result = bron.fetch([bsn, missing], date(2026, 1, 1))
    assert set(result.gegevens) == {bsn} and set(result.mislukt) == {missing}
    assert result.gegevens[bsn].herkomst[0].sha256 == store.checksum(store.canonical(doc))


def test_a_fetched_youth_written_back_reads_as_the_same_facts(ctx, bsn):
    doc = document(bsn, "2010-05-01", adres("0344", "2010-05-01", "2021-02-01"),
                   adres("0355", "2021-02-01"))
    jeugdige, _ = read_document(doc, ctx.register, "test")
    again = store.document_from_gegevens(BrpGegevens(bsn, jeugdige, None, ()))
    jeugdige2, moeder = read_document(again, ctx.register, "test")
    assert moeder is None
    assert [(v.gemeente_code, v.periode) for v in jeugdige2.historie] == [
        (v.gemeente_code, v.periode) for v in jeugdige.historie]
    assert jeugdige2.geboortedatum == jeugdige.geboortedatum
