"""A caseload from JW301 messages, and what a re-import changes."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from caseload.helpers import proef_bsns
from ijw_builders import AANBIEDER, BSN, jw301, toegewezen
from wpb.caseload.diff import verschil
from wpb.caseload.jw301 import read_berichten
from wpb.caseload.model import Toewijzing
from wpb.ijw import models as m
from wpb.ijw.xml_write import write_bericht

AMBULANT = m.Product(categorie="45", code="45A01")
VERBLIJF = m.Product(categorie="43", code="43A01")
CRISIS = m.Product(categorie="46", code="46A01")


def _write(folder, name, bericht):
    path = folder / name
    path.write_bytes(write_bericht(bericht))
    return path


def test_a_later_jw301_that_ends_a_product_ends_it(tmp_path):
    first = jw301(toegewezen(1001, ingang=date(2026, 1, 1), eind=None, product=VERBLIJF),
                  toegewezen(1002, ingang=date(2026, 1, 1), eind=None, product=AMBULANT),
                  identificatie="TW1", dagtekening=date(2026, 1, 1))
    ended = dataclasses.replace(
        toegewezen(1001, ingang=date(2026, 1, 1), eind=date(2026, 5, 31), product=VERBLIJF,
                   reden="01"),
        toewijzingsdatum=date(2026, 5, 20), toewijzingstijd=time(8, 0),
    )
    second = jw301(ended, identificatie="TW2", dagtekening=date(2026, 5, 20))
    # The file names sort the other way round: the dates, not the order, decide.
    _write(tmp_path, "a-later.xml", second)
    _write(tmp_path, "b-earlier.xml", first)
    result = read_berichten(tmp_path.glob("*.xml"), gemeente="0307")
    assert result.fouten == ()
    by_nr = {t.toewijzingnummer: t for t in result.toewijzingen}
    assert by_nr["1001"].einddatum == date(2026, 5, 31) and by_nr["1001"].verblijf is True
    assert by_nr["1002"].einddatum is None and by_nr["1002"].verblijf is False
    assert by_nr["1001"].bsn == BSN and by_nr["1001"].aanbieder_agb == AANBIEDER


def test_a_product_whose_category_does_not_say_is_named_and_others_kept(tmp_path):
    _write(tmp_path, "x.xml", jw301(toegewezen(7, product=CRISIS), toegewezen(8, product=AMBULANT)))
    result = read_berichten(tmp_path.glob("*.xml"))
    assert [t.toewijzingnummer for t in result.toewijzingen] == ["8"]
    (fout,) = result.fouten
    assert "toewijzing 7" in fout.kolom and "verblijf" in fout.reden
    assert BSN not in str(fout)


def test_messages_of_another_gemeente_and_broken_files_are_named(tmp_path):
    _write(tmp_path, "ander.xml", jw301(gemeente="0344"))
    (tmp_path / "kapot.xml").write_bytes(b"<nee")
    result = read_berichten(tmp_path.glob("*.xml"), gemeente="0307")
    assert result.toewijzingen == ()
    assert {f.kolom for f in result.fouten} == {"ander.xml", "kapot.xml"}


def _t(bsn, begin, einde=None, nummer=None, agb="12345678", code="45A") -> Toewijzing:
    return Toewijzing(bron="regel 2", bsn=bsn, geboortedatum=date(2012, 1, 1), aanbieder_agb=agb,
                      productcategorie="45", productcode=code, begindatum=begin, einddatum=einde,
                      verblijf=False, verblijf_uit_categorie=True, toewijzingnummer=nummer)


def test_reimport_reports_new_ended_and_changed():
    a, b, c, d = proef_bsns(4)
    old = [_t(a, date(2026, 1, 1)), _t(b, date(2026, 1, 1)), _t(c, date(2026, 1, 1), nummer="9"),
           _t(d, date(2026, 1, 1))]
    new = [
        dataclasses.replace(old[0], bron="regel 7"),  # same, another row: unchanged
        dataclasses.replace(old[1], einddatum=date(2026, 6, 30)),  # given an end: ended
        dataclasses.replace(old[2], aanbieder_agb="87654321"),  # same number, new provider
        _t(a, date(2026, 3, 1), code="45B"),  # new
    ]  # d is gone: ended
    diff = verschil(old, new)
    assert [t.begindatum for t in diff.nieuw] == [date(2026, 3, 1)]
    assert {w.oud.bsn for w in diff.beeindigd} == {b, d}
    assert [(w.oud.bsn, w.velden) for w in diff.gewijzigd] == [(c, ("aanbieder_agb",))]
    assert diff.ongewijzigd == 1
    # Without a toewijzingnummer another provider is another toewijzing.
    moved = verschil([old[0]], [dataclasses.replace(old[0], aanbieder_agb="87654321")])
    assert (len(moved.nieuw), len(moved.beeindigd), len(moved.gewijzigd)) == (1, 1, 0)


def test_reimporting_the_same_caseload_changes_nothing():
    rows = [_t(b, date(2026, 1, 1)) for b in proef_bsns(5)]
    assert verschil(rows, list(reversed(rows))).counts() == {
        "nieuw": 0, "beeindigd": 0, "gewijzigd": 0, "ongewijzigd": 5}
