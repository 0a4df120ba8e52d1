"""Importing a gemeente's caseload in the service (issue 20, item 1): check first and store
nothing; every bad row named by row, column and reason with the BSN masked; store only on
confirmation; a re-import replaces the caseload and reports new, ended and changed."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from ijw_builders import BSN, jw301, toegewezen
from wpb.ijw import models as m
from wpb.ijw.xml_write import write_bericht
from wpb.service.components.brp import store
from wpb.service.components.brp.models import BrpDocument
from wpb.service.components.clientenbestand import invoer
from wpb.service.components.clientenbestand.models import ClientenbestandImport, ClientToewijzing
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest

from ..brp.documents import adres, document
from ..helpers import count, valid_bsns
from .files import KOP, export, regel


def _check(factory, who, ctx, content, naam="clienten.csv"):
    with transaction(factory) as session:
        return invoer.check_import(session, who, content, naam, ctx.register)


def _store(factory, who, ctx, content, naam="clienten.csv", controle=None):
    controle = controle or _check(factory, who, ctx, content, naam).controle
    with transaction(factory) as session:
        return invoer.store_import(session, who, content, naam, controle, ctx.register, ctx.now())


def test_the_check_names_every_bad_row_masks_the_bsn_and_stores_nothing(factory, tenants, ctx):
    good, bad_bsn = valid_bsns(2)
    wrong = bad_bsn[:-1] + str((int(bad_bsn[-1]) + 1) % 10)  # fails the 11-proef
    content = export(
        regel(good),
        regel(wrong),                                   # regel 3: bsn
        regel(good, begin="2026-13-01", nummer="x"),    # regel 4: begindatum
        regel(good, categorie="46", code="46A01"),      # regel 5: crisis says nothing of verblijf
        regel(good, einde="2025-01-01", nummer="y"),    # regel 6: einddatum before begindatum
    )
    check = _check(factory, tenants.a, ctx, content)
    body = check.to_json()
    assert (body["regels"], body["geldig"], body["ongeldig"]) == (5, 1, 4)
    where = {(f["regel"], f["kolom"]) for f in body["fouten"]}
    assert where == {(3, "bsn"), (4, "begindatum"), (5, "verblijf"), (6, "einddatum")}
    text = json.dumps(body)
    assert wrong not in text and good not in text and wrong[-3:] in text
    assert count(factory, ClientToewijzing) == 0


def test_confirming_stores_the_valid_rows_beyond_the_transfer_uploads_row_limit(factory, tenants, ctx):
    """The test settings allow 50 rows in a transfer upload; a caseload has its own limit."""
    bsns = valid_bsns(60)
    content = export(*(regel(b, nummer=str(i)) for i, b in enumerate(bsns)))
    assert ctx.limits.max_rows == 50
    result = _store(factory, tenants.a, ctx, content)
    assert (result.bewaard, len(result.verschil.nieuw)) == (60, 60)
    assert count(factory, ClientToewijzing) == 60
    with transaction(factory) as session:
        assert len(invoer.stored_caseload(session, tenants.a)) == 60
        assert invoer.stored_caseload(session, tenants.b) == []  # isolation


def test_a_wrong_controle_code_stores_nothing(factory, tenants, ctx):
    content = export(regel(valid_bsns(1)[0]))
    with pytest.raises(Conflict):
        _store(factory, tenants.a, ctx, content, controle="0" * 32)
    other = export(regel(valid_bsns(2)[1]))
    with pytest.raises(Conflict):  # the code of one file does not confirm another
        _store(factory, tenants.a, ctx, other, controle=_check(factory, tenants.a, ctx, content).controle)
    assert count(factory, ClientToewijzing) == 0 and count(factory, ClientenbestandImport) == 0


def test_an_unreadable_file_keeps_nothing_even_when_confirmed(factory, tenants, ctx):
    content = export(regel(valid_bsns(1)[0]), kop=KOP[:-3] + ["kleur"])
    check = _check(factory, tenants.a, ctx, content)
    assert check.inlezing.onleesbaar
    assert {f.kolom for f in check.inlezing.fouten} == {"einddatum", "kleur"}
    with pytest.raises(InvalidRequest):
        _store(factory, tenants.a, ctx, content, controle=check.controle)
    assert count(factory, ClientToewijzing) == 0


def test_a_reimport_replaces_the_caseload_and_reports_new_ended_changed(factory, tenants, ctx):
    a, b, c, d = valid_bsns(4)
    _store(factory, tenants.a, ctx, export(regel(a, nummer="1"), regel(b, nummer="2"),
                                           regel(c, nummer="3")))
    # 1 unchanged, 2 ended (einddatum given), 3 gone (ended), 4 new, and 1's twin changed
    second = export(regel(a, nummer="1"), regel(b, nummer="2", einde="2026-06-30"),
                    regel(d, nummer="4"), regel(a, nummer="5", agb="99000022"))
    first_counts = _check(factory, tenants.a, ctx, second).verschil.counts()
    result = _store(factory, tenants.a, ctx, second)
    assert result.verschil.counts() == first_counts == {
        "nieuw": 2, "beeindigd": 2, "gewijzigd": 0, "ongewijzigd": 1}
    with transaction(factory) as session:
        kept = invoer.stored_caseload(session, tenants.a)
    assert sorted(t.toewijzingnummer for t in kept) == ["1", "2", "4", "5"]
    third = export(regel(a, nummer="1", code="45A02"), regel(b, nummer="2", einde="2026-06-30"),
                   regel(d, nummer="4"), regel(a, nummer="5", agb="99000022"))
    assert _store(factory, tenants.a, ctx, third).verschil.counts()["gewijzigd"] == 1
    assert count(factory, ClientenbestandImport) == 3


def test_a_client_who_leaves_the_caseload_loses_the_tenants_brp_document(factory, tenants, ctx):
    """Retention (docs/architecture.md): the document goes with the client; another tenant's
    document of the same youth stays."""
    stays, leaves = valid_bsns(2)
    for who in (tenants.a, tenants.b):
        with transaction(factory) as session:
            store.save_document(session, who, ctx.register, leaves,
                                document(leaves, "2012-03-04", adres("0344", "2012-03-04")),
                                bron="upload", now=ctx.now())
    _store(factory, tenants.a, ctx, export(regel(stays, nummer="1"), regel(leaves, nummer="2")))
    _store(factory, tenants.a, ctx, export(regel(stays, nummer="1")))
    with transaction(factory) as session:
        assert store.brp_document_for(session, tenants.a, leaves) is None
        assert store.brp_document_for(session, tenants.b, leaves) is not None
    assert count(factory, BrpDocument) == 1


def test_only_a_gemeente_has_a_caseload(factory, tenants, ctx):
    for who in (tenants.p, tenants.coordinator):
        with pytest.raises(Forbidden), transaction(factory) as session:
            invoer.check_import(session, who, export(), "c.csv", ctx.register)


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_jw301_messages_in_a_zip_and_messages_of_another_gemeente_named(factory, tenants, ctx):
    """tenants.b is Amersfoort (0307), the sender of the builders' messages."""
    ambulant = m.Product(categorie="45", code="45A01")
    eigen = write_bericht(jw301(toegewezen(1001, ingang=date(2026, 1, 1), eind=None,
                                           product=ambulant)))
    ander = write_bericht(jw301(toegewezen(2002, product=ambulant), gemeente="0344"))
    content = _zip(**{"eigen.xml": eigen, "ander.xml": ander})
    check = _check(factory, tenants.b, ctx, content, "berichten.zip")
    assert [t.toewijzingnummer for t in check.inlezing.toewijzingen] == ["1001"]
    (fout,) = check.inlezing.fouten
    assert fout.kolom == "ander.xml" and "0344" in fout.reden
    result = _store(factory, tenants.b, ctx, content, "berichten.zip")
    assert result.bewaard == 1
    with transaction(factory) as session:
        (t,) = invoer.stored_caseload(session, tenants.b)
    assert (t.bsn, t.verblijf, t.einddatum) == (BSN, False, None)


def test_a_broken_archive_is_refused_as_a_whole(factory, tenants, ctx):
    check = _check(factory, tenants.b, ctx, b"PK\x03\x04kapot", "berichten.zip")
    assert check.inlezing.onleesbaar and "ZIP" in check.inlezing.fouten[0].reden


def test_an_xlsx_export_with_date_cells_is_read_like_the_csv(factory, tenants, ctx):
    from datetime import datetime

    from openpyxl import Workbook

    bsn = valid_bsns(1)[0]
    book = Workbook()
    sheet = book.active
    sheet.append(KOP)
    sheet.append([bsn, datetime(2012, 3, 4), "99000011", 43, "43A01", datetime(2026, 1, 1), None,
                  None, "T-1"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = _store(factory, tenants.a, ctx, buffer.getvalue(), "clienten.xlsx")
    assert result.bewaard == 1
    with transaction(factory) as session:
        (t,) = invoer.stored_caseload(session, tenants.a)
    # Category 43 is a stay (JZ020), read from a number cell.
    assert (t.bsn, t.geboortedatum, t.productcategorie, t.verblijf, t.einddatum) == (
        bsn, date(2012, 3, 4), "43", True, None)
