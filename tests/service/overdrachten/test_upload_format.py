"""The upload format of issue 20 item 5 and the findings S9 and S12 of issue 19.

The columns come from the issue: an optional ``vanaf`` (the day from which the receiving
gemeente is responsible, never before 2022-01-01 when Jeugdwet art. 1.1 took effect), an
empty ``toewijzing_einddatum`` for a toewijzing that runs on, an optional ``pgb`` (``nee``
when left out). The file is read by :mod:`wpb.tabular`, so Excel's "Unicode-tekst"
(UTF-16 with a byte order mark, tab separated) is read like CSV UTF-8.
"""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from wpb.service.audit.models import AuditRegel
from wpb.service.components.overdrachten import upload_check
from wpb.service.components.overdrachten.models import Aanlevering, Gebeurtenis, Overdracht
from wpb.service.db import transaction

from ..helpers import HEADER, csv_bytes, deliver, row

BSN = "999990019"
OTHER = "999990020"
FORMAT = ["bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
          "toewijzing_einddatum", "wet", "vanaf"]


def check(factory, principal, ctx, content: bytes, name: str = "levering.csv"):
    with transaction(factory) as session:
        return upload_check.check_upload(
            session, principal, content, name, register=ctx.register, limits=ctx.limits,
            now=ctx.now(),
        )


def reasons(result) -> list[tuple[int, str | None, str]]:
    return [(e.regel, e.kolom, e.reden) for e in result.afgewezen]


def today_row(bsn=BSN, einde="", vanaf="2026-11-02", product="Ambulante jeugdhulp", wet=""):
    return [bsn, "2010-05-01", "0307", "99000011", product, einde, wet, vanaf]


# --- the format -------------------------------------------------------------------------


def test_vanaf_a_running_toewijzing_and_no_pgb_column(f, t, ctx, clock):
    clock.set(2026, 12, 7)
    result = check(f, t.a, ctx, csv_bytes([today_row(), today_row(OTHER, einde="2027-06-30", vanaf="")],
                                          header=FORMAT))
    assert reasons(result) == []
    first, second = result.geldig
    assert (first.vanaf, first.toewijzing_einddatum, first.pgb) == (date(2026, 11, 2), None, False)
    assert (second.vanaf, second.toewijzing_einddatum) == (None, date(2027, 6, 30))


def test_the_woonplaatscheck_file_is_accepted_as_written(f, t, ctx, clock):
    """aanlevering.csv of `wpb woonplaatscheck` has these columns in this order."""
    from wpb.woonplaatscheck.uitvoer import AANLEVERING_KOLOMMEN

    clock.set(2026, 12, 7)
    header = list(AANLEVERING_KOLOMMEN)
    values = {"bsn": BSN, "geboortedatum": "2010-05-01", "ontvangende_gemeente": "0307",
              "aanbieder_agb": "99000011", "product": "45A48", "toewijzing_einddatum": "",
              "pgb": "nee", "wet": "jeugdwet", "vanaf": "2026-10-01"}
    result = check(f, t.a, ctx, csv_bytes([[values[c] for c in header]], header=header))
    assert reasons(result) == [] and result.geldig[0].vanaf == date(2026, 10, 1)


def test_vanaf_and_running_toewijzing_are_stored(f, t, ctx, clock):
    clock.set(2026, 12, 7)
    content = csv_bytes([today_row()], header=FORMAT)
    with transaction(f) as session:
        checked = upload_check.check_upload(session, t.a, content, "x.csv", register=ctx.register,
                                            limits=ctx.limits, now=ctx.now())
    from wpb.service.components.overdrachten import upload_store

    with transaction(f) as session:
        upload_store.store_upload(session, t.a, content, "x.csv", checked.controle,
                                  register=ctx.register, limits=ctx.limits, now=ctx.now())
    with transaction(f) as session:
        o = session.query(Overdracht).one()
        assert o.vanaf == date(2026, 11, 2)
        assert [r.toewijzing_einddatum for r in o.regels] == [None]
        assert [r.pgb for r in o.regels] == [False]


@pytest.mark.parametrize(
    ("vanaf", "reason"),
    [("2021-12-31", "ligt voor 1 januari 2022"), ("2009-01-01", "ligt voor de geboortedatum"),
     ("morgen", "geen geldige datum")],
)
def test_a_wrong_vanaf_is_refused_naming_the_column(f, t, ctx, clock, vanaf, reason):
    clock.set(2026, 12, 7)
    [(regel, kolom, text)] = reasons(check(f, t.a, ctx, csv_bytes([today_row(vanaf=vanaf)], header=FORMAT))
                                     )[:1]
    assert (regel, kolom) == (2, "vanaf") and reason in text


def test_two_rows_of_one_youth_must_name_the_same_vanaf(f, t, ctx, clock):
    clock.set(2026, 12, 7)
    rows = [today_row(), today_row(product="Pleegzorg", vanaf="2026-11-03")]
    assert reasons(check(f, t.a, ctx, csv_bytes(rows, header=FORMAT))) == [
        (3, "vanaf", "wijkt af van regel 2 voor dezelfde jeugdige")]


def test_a_later_row_must_keep_the_open_transfers_vanaf(f, t, ctx, clock):
    clock.set(2026, 12, 7)
    deliver(f, t.a, ctx, [row(einde="2027-01-31")])  # a transfer without vanaf
    result = check(f, t.a, ctx, csv_bytes([today_row(product="Pleegzorg")], header=FORMAT))
    [(_, kolom, text)] = reasons(result)
    assert kolom == "vanaf" and "wijkt af van de eerdere aanlevering" in text


def test_utf16_unicode_text_is_read(f, t, ctx):
    """Excel's "Unicode-tekst": UTF-16 LE with a byte order mark, tab separated (S12)."""
    lines = ["\t".join(HEADER), "\t".join(row(product="Crisisopvang café"))]
    content = codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")
    result = check(f, t.a, ctx, content, name="levering.txt")
    assert reasons(result) == []
    assert result.geldig[0].product == "Crisisopvang café" and result.geldig[0].bsn == BSN


# --- S12: text that is not text, dates before birth ------------------------------------


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\x1b", "\u200f"])
def test_control_and_bidi_characters_are_refused_naming_the_field(f, t, ctx, char):
    result = check(f, t.a, ctx, csv_bytes([row(product=f"Pleeg{char}zorg")]))
    [(regel, kolom, text)] = reasons(result)
    assert (regel, kolom) == (2, "product")
    assert f"U+{ord(char):04X}" in text and result.geldig == ()


def test_a_nul_character_is_refused_on_its_line(f, t, ctx):
    """A NUL byte in a UTF-8 file: the reader refuses the file, naming the line; in
    Unicode-tekst, where NUL is a character, the row checker names the field."""
    from wpb.service.errors import InvalidRequest

    with pytest.raises(InvalidRequest) as info:
        check(f, t.a, ctx, csv_bytes([row(product="Pleeg\x00zorg")]))
    assert info.value.invalid_params[0][0] == "regel 2"
    lines = ["\t".join(HEADER), "\t".join(row(product="Pleeg\x00zorg"))]
    content = codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le")
    [(regel, kolom, text)] = reasons(check(f, t.a, ctx, content, name="levering.txt"))
    assert (regel, kolom) == (2, "product") and "U+0000" in text


def test_a_bidi_override_in_a_code_column_is_named_there(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([row(agb="\u202e99000011")]))
    assert [(k, "U+202E" in r) for _, k, r in reasons(result)] == [("aanbieder_agb", True)]


@pytest.mark.parametrize("einde", ["0001-01-01", "2010-04-30"])
def test_an_einddatum_before_the_birth_date_is_refused(f, t, ctx, einde):
    result = check(f, t.a, ctx, csv_bytes([row(einde=einde)]))
    assert reasons(result) == [(2, "toewijzing_einddatum", "ligt voor de geboortedatum")]


def test_an_einddatum_on_the_birth_date_is_accepted(f, t, ctx):
    assert reasons(check(f, t.a, ctx, csv_bytes([row(einde="2010-05-01")]))) == []


# --- S9: the file name stays with the uploader -------------------------------------------


def test_the_file_name_is_not_stored_nor_shown_to_the_receiving_gemeente(f, t, ctx):
    name = f"{BSN} dossier.csv"
    stored = deliver(f, t.a, ctx, [row()], name=name)
    assert stored.check.bestandsnaam == name  # the uploader's own check page names it
    with transaction(f) as session:
        upload = session.query(Aanlevering).one()
        events = session.query(Gebeurtenis).all()
        audit_details = [a.details for a in session.query(AuditRegel).all()]
    assert BSN not in upload.bestandsnaam and upload.bestandsnaam == stored.check.label
    assert events and all(BSN not in e.toelichting for e in events)
    assert all(BSN not in (d or "") for d in map(str, audit_details))
