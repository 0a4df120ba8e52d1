"""Invariant of the per-tenant store (hypothesis): whatever any tenants save, in any order,
each reads back exactly its own newest document per youth, and nothing of another tenant."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from wpb.service.components.brp import store
from wpb.service.components.brp.models import BrpDocument
from wpb.service.db import transaction

from ..helpers import valid_bsns
from .documents import adres, document

BSNS = valid_bsns(3)
GEMEENTEN = ("0344", "0307", "0355", "0363")
saves = st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(BSNS),
                           st.sampled_from(GEMEENTEN)), max_size=12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=saves)
def test_each_tenant_reads_only_its_own_newest_documents(sqlite_factory, sqlite_tenants, ctx, steps):
    with transaction(sqlite_factory) as session:
        session.execute(delete(BrpDocument))
    expected: dict[tuple[str, str], dict] = {}
    for who, bsn, code in steps:
        doc = document(bsn, "2010-05-01", adres(code, "2010-05-01"))
        with transaction(sqlite_factory) as session:
            store.save_document(session, getattr(sqlite_tenants, who), ctx.register, bsn, doc,
                                bron="upload", now=ctx.now())
        expected[who, bsn] = doc
    with transaction(sqlite_factory) as session:
        for who in "abc":
            principal = getattr(sqlite_tenants, who)
            read = {b: d for b, (d, _) in store.documents_for(session, principal, BSNS, doel="t").items()}
            assert read == {b: d for (w, b), d in expected.items() if w == who}
            for bsn in BSNS:
                one = store.brp_document_for(session, principal, bsn)
                assert (one[0] if one else None) == expected.get((who, bsn))
