"""The upload of youths to transfer: every rejection reason, all-or-nothing, aanleverdatum.

The file format is the one the issue sets: one row per youth per provider/product with
BSN, geboortedatum, ontvangende gemeente, aanbieder (AGB, 8 digits), product, current
toewijzing end date and PGB ja/nee. The upload date in these tests is 2021-10-15 unless a
test moves the clock.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from wpb.service.audit import trail as audit
from wpb.service.audit.models import AuditRegel
from wpb.service.components.overdrachten import upload_check, upload_file, upload_store
from wpb.service.components.overdrachten.models import Aanlevering, Overdracht, OverdrachtRegel
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, PayloadTooLarge

from ..helpers import HEADER, by_public_id, count, csv_bytes, deliver, make_context, row, valid_bsns

BSN = "999990019"
OTHER = "999990020"


def check(factory, principal, ctx, content: bytes, name: str = "levering.csv"):
    with transaction(factory) as session:
        return upload_check.check_upload(
            session, principal, content, name, register=ctx.register, limits=ctx.limits,
            now=ctx.now(),
        )


def reasons(result, regel: int | None = None) -> list[tuple[int, str | None, str]]:
    return [(e.regel, e.kolom, e.reden) for e in result.afgewezen if regel in (None, e.regel)]


# --- a good file ---------------------------------------------------------------------------


def test_valid_rows_are_reported_and_nothing_is_stored_by_the_check(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([row(), row(OTHER, agb="99000022", pgb="ja")]))
    assert result.afgewezen == ()
    assert [r.regel for r in result.geldig] == [2, 3]
    assert result.geldig[1].pgb is True
    assert result.aanleverdatum == date(2021, 10, 15)
    assert count(f, Overdracht) == 0 and count(f, OverdrachtRegel) == 0 and count(f, Aanlevering) == 0


def test_confirmed_upload_stores_transfers_with_the_aanleverdatum(f, t, ctx):
    stored = deliver(f, t.a, ctx, [row(), row(agb="99000022"), row(OTHER, ontvangende="0355")])
    assert len(stored.nieuwe_overdrachten) == 2
    with transaction(f) as session:
        transfers = session.query(Overdracht).order_by(Overdracht.id).all()
        assert [(o.bsn, o.ontvangende_gemeente, o.status, o.aanleverdatum) for o in transfers] == [
            (BSN, "0307", "aangeleverd", date(2021, 10, 15)),
            (OTHER, "0355", "aangeleverd", date(2021, 10, 15)),
        ]
        assert sorted(r.aanbieder_agb for r in transfers[0].regels) == ["99000011", "99000022"]
        assert transfers[0].latende_gemeente == "0344"


# --- every rejection reason ----------------------------------------------------------------


@pytest.mark.parametrize("column", upload_file.REQUIRED_CELLS)
def test_missing_field(f, t, ctx, column):
    values = row()
    values[upload_file.COLUMNS.index(column)] = "  "
    result = check(f, t.a, ctx, csv_bytes([values]))
    assert reasons(result) == [(2, column, "ontbreekt")]


def test_every_missing_field_of_a_row_is_reported_at_once(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([["", "", "", "", "Pleegzorg", "", ""]]))
    assert [(e.kolom, e.reden) for e in result.afgewezen] == [
        ("bsn", "ontbreekt"), ("geboortedatum", "ontbreekt"),
        ("ontvangende_gemeente", "ontbreekt"), ("aanbieder_agb", "ontbreekt"),
    ]


def test_blank_lines_are_no_rows(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([row(), ["", "", "", "", "", "", ""], row(OTHER)]))
    assert result.afgewezen == () and [r.regel for r in result.geldig] == [2, 4]


@pytest.mark.parametrize(
    ("bsn", "reason"),
    [
        ("999990018", "11-proef"),  # one digit off
        ("123456789", "11-proef"),
        ("12345678", "9 cijfers"),
        ("99999001A", "9 cijfers"),
        ("000000000", "11-proef"),
    ],
)
def test_invalid_bsn(f, t, ctx, bsn, reason):
    result = check(f, t.a, ctx, csv_bytes([row(bsn)]))
    [(regel, kolom, text)] = reasons(result)
    assert (regel, kolom) == (2, "bsn") and reason in text
    assert bsn not in text  # a mistyped BSN may be someone else's: never echoed


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("9999", "onbekende gemeentecode"),
        ("1999", "onbekende gemeentecode"),  # RNI is no municipality
        ("0000", "onbekende gemeentecode"),
        ("307", "4 cijfers"),
        ("0003", "bestaat niet meer sinds 1 januari 2021"),  # Appingedam, merged into Eemsdelta
        ("1980", "bestond nog niet op 15 oktober 2021"),  # Dijk en Waard, from 2022-01-01
        ("0344", "eigen (latende) gemeente"),
    ],
)
def test_gemeentecode_must_exist_on_the_upload_date(f, t, ctx, code, reason):
    result = check(f, t.a, ctx, csv_bytes([row(ontvangende=code)]))
    [(regel, kolom, text)] = reasons(result)
    assert (regel, kolom) == (2, "ontvangende_gemeente") and reason in text


def test_ended_municipality_names_its_successors(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([row(ontvangende="0003")]))
    assert "1979" in result.afgewezen[0].reden  # Eemsdelta


def test_the_municipality_is_checked_on_the_upload_date(f, t, ctx, clock):
    clock.set(2022, 1, 3)
    result = check(f, t.a, ctx, csv_bytes([row(ontvangende="1980")]))
    assert result.afgewezen == ()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("aanbieder_agb", "9900001", "AGB-code van 8 cijfers"),
        ("aanbieder_agb", "9900001X", "AGB-code van 8 cijfers"),
        ("geboortedatum", "2010-02-30", "geen geldige datum"),
        ("geboortedatum", "gisteren", "geen geldige datum"),
        ("geboortedatum", "2021-10-16", "ligt na de aanleverdatum"),
        ("toewijzing_einddatum", "31-13-2021", "geen geldige datum"),
        ("pgb", "misschien", "'ja' of 'nee'"),
        ("product", "x" * 101, "langer dan 100"),
    ],
)
def test_malformed_values(f, t, ctx, column, value, reason):
    values = row()
    values[upload_file.COLUMNS.index(column)] = value
    [(regel, kolom, text)] = reasons(check(f, t.a, ctx, csv_bytes([values])))
    assert (regel, kolom) == (2, column) and reason in text


def test_dutch_dates_and_pgb_spellings_are_read(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([row(geboortedatum="1-5-2010", einde="31-12-2021", pgb="JA")]))
    assert result.afgewezen == ()
    assert result.geldig[0].geboortedatum == date(2010, 5, 1)
    assert result.geldig[0].toewijzing_einddatum == date(2021, 12, 31)
    assert result.geldig[0].pgb is True


def test_duplicate_within_the_file(f, t, ctx):
    result = check(f, t.a, ctx, csv_bytes([row(), row(OTHER), row()]))
    assert reasons(result) == [
        (4, "bsn", "dubbel: dezelfde jeugdige, aanbieder en product staan al op regel 2")
    ]
    assert [r.regel for r in result.geldig] == [2, 3]


def test_contradicting_rows_for_one_youth(f, t, ctx):
    result = check(
        f, t.a, ctx,
        csv_bytes([
            row(),
            row(agb="99000022", geboortedatum="2011-01-01"),
            row(agb="99000033", ontvangende="0355"),
        ]),
    )
    assert reasons(result) == [
        (3, "geboortedatum", "wijkt af van regel 2 voor dezelfde jeugdige"),
        (4, "ontvangende_gemeente", "wijkt af van regel 2 voor dezelfde jeugdige"),
    ]


def test_already_present_is_rejected(f, t, ctx, clock):
    deliver(f, t.a, ctx, [row()])
    clock.set(2021, 10, 20)
    result = check(f, t.a, ctx, csv_bytes([row()]))
    [(regel, kolom, text)] = reasons(result)
    assert (regel, kolom) == (2, "bsn")
    assert text.startswith("al aangeleverd op 15 oktober 2021 (overdracht ")


def test_youth_already_delivered_to_another_municipality(f, t, ctx):
    deliver(f, t.a, ctx, [row(ontvangende="0307")])
    result = check(f, t.a, ctx, csv_bytes([row(agb="99000022", ontvangende="0355")]))
    [(_, kolom, text)] = reasons(result)
    assert kolom == "ontvangende_gemeente" and "al aangeleverd bij gemeente 0307" in text


def test_another_latende_gemeente_may_deliver_the_same_youth(f, t, ctx):
    """Duplicates are per latende gemeente: B knows nothing of A's transfers."""
    deliver(f, t.a, ctx, [row(ontvangende="0355")])
    result = check(f, t.b, ctx, csv_bytes([row(ontvangende="0355")]))
    assert result.afgewezen == () and result.geldig[0].bestaande_overdracht_id is None


def test_row_with_more_fields_than_the_header(f, t, ctx):
    content = csv_bytes([row() + ["extra"]])
    [(regel, kolom, text)] = reasons(check(f, t.a, ctx, content))
    assert (regel, kolom) == (2, None) and "meer velden" in text


def test_every_rejected_row_is_reported_with_its_line(f, t, ctx):
    rows = [row(), row("123456789"), row(OTHER, ontvangende="9999"), row(OTHER, agb="1")]
    result = check(f, t.a, ctx, csv_bytes(rows))
    assert result.afgewezen_regels == (3, 4, 5)
    assert [r.regel for r in result.geldig] == [2]


# --- the header ----------------------------------------------------------------------------


def test_missing_columns_are_all_named(f, t, ctx):
    header = ["bsn", "geboortedatum", "product"]
    with pytest.raises(InvalidRequest) as info:
        check(f, t.a, ctx, csv_bytes([["999990019", "2010-01-01", "x"]], header=header))
    named = [name for name, _ in info.value.invalid_params]
    assert named == ["ontvangende_gemeente", "aanbieder_agb", "toewijzing_einddatum"]


def test_header_variants_and_extra_columns(f, t, ctx):
    header = ["BSN", "Geboortedatum", "Ontvangende gemeente", "AGB-code aanbieder", "Product",
              "Einddatum toewijzing", "PGB", "Opmerking"]
    result = check(f, t.a, ctx, csv_bytes([row() + ["vrije tekst"]], header=header, delimiter=","))
    assert result.afgewezen == ()
    assert result.genegeerde_kolommen == ("Opmerking",)


def test_duplicate_column_is_an_error(f, t, ctx):
    with pytest.raises(InvalidRequest) as info:
        check(f, t.a, ctx, csv_bytes([row() + ["999990019"]], header=HEADER + ["BSN"]))
    assert info.value.invalid_params[0][0] == "bsn"


def test_windows_1252_csv_is_read(f, t, ctx):
    content = csv_bytes([row(product="Crisisopvang café")]).decode().encode("cp1252")
    result = check(f, t.a, ctx, content)
    assert result.geldig[0].product == "Crisisopvang café"


def test_empty_file(f, t, ctx):
    with pytest.raises(InvalidRequest):
        check(f, t.a, ctx, b"")
    with pytest.raises(InvalidRequest):
        check(f, t.a, ctx, b"\n\n")


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for values in rows:
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_excel_types(f, t, ctx):
    content = xlsx_bytes([
        # Excel turns codes into numbers (losing leading zeros) and dates into datetimes.
        [999990019, datetime(2010, 5, 1), 307, 99000011, "Pleegzorg", datetime(2021, 12, 31), "nee"],
        ["999990020", "2010-05-01", "0355", "99000022", "Pleegzorg", "2021-12-31", True],
    ])
    result = check(f, t.a, ctx, content, name="levering.xlsx")
    assert result.afgewezen == ()
    first, second = result.geldig
    assert (first.bsn, first.ontvangende_gemeente, first.geboortedatum) == (
        "999990019", "0307", date(2010, 5, 1)
    )
    assert second.pgb is True


def test_xlsx_rows_are_checked_like_csv_rows(f, t, ctx):
    content = xlsx_bytes([[None, "2010-05-01", "0307", "99000011", "x", "2021-12-31", "nee"]])
    assert reasons(check(f, t.a, ctx, content, "a.xlsx")) == [(2, "bsn", "ontbreekt")]


def test_damaged_xlsx(f, t, ctx):
    with pytest.raises(InvalidRequest):
        check(f, t.a, ctx, b"PK\x03\x04 this is no workbook", "kapot.xlsx")
    with pytest.raises(InvalidRequest):
        check(f, t.a, ctx, csv_bytes([row()]), "geen-zip.xlsx")


# --- limits --------------------------------------------------------------------------------


def test_too_large_file(f, t, ctx):
    content = csv_bytes([row()]) + b"#" * ctx.settings.max_upload_bytes
    with pytest.raises(PayloadTooLarge):
        check(f, t.a, ctx, content)


def test_too_many_rows(f, t, ctx):
    rows = [row(bsn) for bsn in valid_bsns(ctx.settings.max_upload_rows + 1)]
    with pytest.raises(PayloadTooLarge, match=str(ctx.settings.max_upload_rows)):
        check(f, t.a, ctx, csv_bytes(rows))
    # At the limit it is fine.
    assert len(check(f, t.a, ctx, csv_bytes(rows[:-1])).geldig) == ctx.settings.max_upload_rows


def test_only_a_gemeente_uploads(f, t, ctx):
    for principal in (t.p, t.coordinator):
        with pytest.raises(Forbidden):
            check(f, principal, ctx, csv_bytes([row()]))


# --- storing: all or nothing, confirmation, aanleverdatum ----------------------------------


def test_only_the_valid_rows_are_stored(f, t, ctx):
    stored = deliver(f, t.a, ctx, [row(), row("123456789"), row(OTHER)])
    assert stored.check.afgewezen_regels == (3,)
    assert count(f, Overdracht) == 2 and count(f, OverdrachtRegel) == 2
    with transaction(f) as session:
        upload = by_public_id(session, Aanlevering, stored.aanlevering_id)
        assert (upload.regels_totaal, upload.regels_opgeslagen, upload.regels_afgewezen) == (3, 2, 1)


def test_store_needs_the_controle_of_this_file(f, t, ctx):
    content = csv_bytes([row()])
    result = check(f, t.a, ctx, content)
    other = csv_bytes([row(OTHER)])
    for wrong_content, controle in ((other, result.controle), (content, ""), (content, "0" * 64)):
        with pytest.raises(Conflict), transaction(f) as session:
            upload_store.store_upload(
                session, t.a, wrong_content, "x.csv", controle,
                register=ctx.register, limits=ctx.limits, now=ctx.now(),
            )
    assert count(f, Overdracht) == 0


def test_store_refuses_when_the_valid_rows_changed_since_the_check(f, t, ctx):
    content = csv_bytes([row(), row(OTHER)])
    result = check(f, t.a, ctx, content)
    deliver(f, t.a, ctx, [row(OTHER)])  # someone else stored one of the youths meanwhile
    with pytest.raises(Conflict), transaction(f) as session:
        upload_store.store_upload(
            session, t.a, content, "x.csv", result.controle,
            register=ctx.register, limits=ctx.limits, now=ctx.now(),
        )
    assert count(f, Overdracht) == 1


def test_a_failure_while_storing_leaves_nothing(f, t, ctx, monkeypatch):
    content = csv_bytes([row(), row(OTHER)])
    result = check(f, t.a, ctx, content)

    def broken(*_args, **_kwargs):
        raise RuntimeError("verbinding weg")

    monkeypatch.setattr(audit, "record_many", broken)
    with pytest.raises(RuntimeError), transaction(f) as session:
        upload_store.store_upload(
            session, t.a, content, "x.csv", result.controle,
            register=ctx.register, limits=ctx.limits, now=ctx.now(),
        )
    assert count(f, Overdracht) == 0 and count(f, OverdrachtRegel) == 0 and count(f, Aanlevering) == 0


def test_same_file_twice_has_the_effect_of_once(f, t, ctx):
    deliver(f, t.a, ctx, [row(), row(OTHER)])
    second = check(f, t.a, ctx, csv_bytes([row(), row(OTHER)]))
    assert second.geldig == () and second.afgewezen_regels == (2, 3)
    with pytest.raises(InvalidRequest, match="geen geldige regels"):
        deliver(f, t.a, ctx, [row(), row(OTHER)])
    assert count(f, Overdracht) == 2 and count(f, OverdrachtRegel) == 2


def test_re_upload_does_not_move_the_aanleverdatum(f, t, ctx, clock):
    first = deliver(f, t.a, ctx, [row()])
    [overdracht_id] = first.nieuwe_overdrachten
    clock.set(2021, 11, 20)
    later = deliver(f, t.a, ctx, [row(agb="99000022", product="Pleegzorg")])
    assert later.nieuwe_overdrachten == () and later.aangevulde_overdrachten == (overdracht_id,)
    with transaction(f) as session:
        o = by_public_id(session, Overdracht, overdracht_id)
        assert o.aanleverdatum == date(2021, 10, 15)
        assert sorted((r.aanbieder_agb, r.aanleverdatum) for r in o.regels) == [
            ("99000011", date(2021, 10, 15)),
            ("99000022", date(2021, 11, 20)),
        ]
        assert [g.soort for g in o.gebeurtenissen] == ["aangeleverd", "aangevuld"]


def test_a_file_extending_more_transfers_than_one_query_reads_keeps_the_file_order(f, t, ctx, clock):
    # 501 open transfers extended at once: read back in chunks of 500, answered in file order.
    ctx = make_context(dataclasses.replace(ctx.settings, max_upload_rows=600), clock)
    bsns = valid_bsns(501)
    first = deliver(f, t.a, ctx, [row(b) for b in bsns])
    order = list(reversed(range(len(bsns))))
    later = deliver(f, t.a, ctx, [row(bsns[i], agb="99000022", product="Pleegzorg") for i in order])
    assert later.nieuwe_overdrachten == ()
    assert later.aangevulde_overdrachten == tuple(first.nieuwe_overdrachten[i] for i in order)
    assert count(f, OverdrachtRegel) == 2 * len(bsns)


def test_storing_is_audited_per_youth(f, t, ctx):
    deliver(f, t.a, ctx, [row(), row(agb="99000022"), row(OTHER)])
    with transaction(f) as session:
        entries = session.query(AuditRegel).order_by(AuditRegel.id).all()
        assert [(e.actie, e.bsn) for e in entries] == [
            ("aanlevering.controleren", None),
            ("aanlevering.opslaan", BSN),
            ("aanlevering.opslaan", OTHER),
        ]
        assert all(e.gebruikersnaam == "user-a" and e.organisatie == "gemeente:0344" for e in entries)


def test_storing_works_on_both_databases(factory, tenants, ctx):
    stored = deliver(factory, tenants.a, ctx, [row(), row(OTHER, pgb="ja")])
    assert len(stored.nieuwe_overdrachten) == 2
    assert count(factory, OverdrachtRegel, OverdrachtRegel.pgb) == 1
