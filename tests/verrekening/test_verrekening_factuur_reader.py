"""Importing invoices, transfers and decisions for the settlement (wpb.verrekening).

All-or-nothing: every bad row reported with line, column and reason; nothing returned
from a file with any problem. No reason repeats a BSN.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from wpb.errors import InvalidInput
from wpb.verrekening.beslissingen import beslissingen_uit_json, read_beslissingen
from wpb.verrekening.factuur_reader import (
    KOLOMMEN,
    Jw323ImportFout,
    facturen_uit_jw323,
    read_facturen,
    read_facturen_csv,
)
from wpb.verrekening.overdrachten import read_overdrachten, read_overdrachten_csv
from wpb.verrekening.tabel import ImportFout

VOORBEELD = Path(__file__).resolve().parents[2] / "src" / "wpb" / "data" / "verrekening" / "voorbeeld"
HEADER = ",".join(KOLOMMEN)
GOED = "F-1,999990019,0599,41123456,45A48,2022-02-01,2022-02-28,280001,2022-03-15"


def test_reads_a_good_csv():
    (f,) = read_facturen_csv(f"{HEADER}\n{GOED}\n")
    assert (f.referentie, f.bsn, f.betaler, f.aanbieder, f.product) == (
        "F-1", "999990019", "0599", "41123456", "45A48",
    )
    assert (f.begin, f.einde, f.bedrag, f.betaaldatum) == (
        date(2022, 2, 1), date(2022, 2, 28), 280001, date(2022, 3, 15),
    )


def test_semicolons_bom_dutch_dates_and_any_column_order():
    cols = list(reversed(KOLOMMEN))
    values = list(reversed(GOED.split(",")))
    values[cols.index("begindatum")] = "01-02-2022"
    text = "\ufeff" + ";".join(cols) + "\n" + ";".join(values) + "\n"
    (f,) = read_facturen_csv(text)
    assert f.begin == date(2022, 2, 1) and f.bedrag == 280001


def test_every_bad_row_is_reported_and_nothing_is_imported():
    text = "\n".join([
        HEADER,
        GOED,
        "F-2,123456789,599,4112,45A48,2022-02-01,2022-02-28,100,2022-03-15",  # bsn, agb
        "F-3,999990020,0599,41123456,,2022-02-30,2022-02-28,123,45,2022-03-15",  # too many fields
        "F-4,999990020,0599,41123456,45A48,2022-02-10,2022-02-01,12345.67,",  # order, euros, empty
        "F-5,999990020,0599,41123456,45A48,2022-02-01,2022-02-28,0,2022-03-15",  # zero
        GOED,  # duplicate of line 2
        "",
    ])
    with pytest.raises(ImportFout) as exc:
        read_facturen_csv(text)
    got = {(f.regel, f.kolom) for f in exc.value.fouten}
    assert (3, "bsn") in got and (3, "aanbieder_agb") in got
    assert (4, None) in got  # shape of the row
    assert {(5, "bedrag_eurocent"), (5, "betaaldatum")} <= got
    assert (6, "bedrag_eurocent") in got
    assert (7, "factuurreferentie") in got
    assert not any(f.regel == 2 for f in exc.value.fouten)  # the good row has no problem
    assert "123456789" not in str(exc.value)
    assert "999990019" not in str(exc.value)
    assert "lijkt een bedrag in euro" in str(exc.value)


def test_a_bsn_typed_into_another_column_never_comes_back_in_a_problem():
    """Finding F8: bad values are quoted to help the uploader, except what could be a BSN."""
    text = "\n".join([
        HEADER,
        "F-1,999990019,0599,41123456,45A48,999990020,2022-02-28,280001,2022-03-15",  # BSN as a date
        "F-2,999990019,0599,41123456,45A48,2022-02-01,2022-02-28,9.99,2022-03-15",  # euros: quoted
        "F-3,999990019,0599,41123456,45A48,2022-02-01,2022-02-28,x999990020,2022-03-15",
    ])
    with pytest.raises(ImportFout) as exc:
        read_facturen_csv(text)
    message = str(exc.value)
    assert "999990020" not in message
    assert "regel 2, kolom begindatum: de waarde is geen datum" in message
    assert "'9.99' lijkt een bedrag in euro" in message
    assert "regel 4, kolom bedrag_eurocent: de waarde is geen geheel aantal eurocent" in message


def test_a_period_ending_before_it_starts_is_named():
    text = f"{HEADER}\nF-4,999990020,0599,41123456,45A48,2022-02-10,2022-02-01,100,2022-03-01\n"
    with pytest.raises(ImportFout) as exc:
        read_facturen_csv(text)
    assert [(f.regel, f.kolom) for f in exc.value.fouten] == [(2, "einddatum")]


def test_header_problems():
    with pytest.raises(ImportFout, match="ontbreken: bedrag_eurocent"):
        read_facturen_csv(HEADER.replace("bedrag_eurocent", "bedrag") + "\n")
    with pytest.raises(ImportFout, match="leeg bestand"):
        read_facturen_csv("")


def test_unicode_text_from_excel_is_read(tmp_path):
    # Excel's "Unicode-tekst": UTF-16 little-endian with a byte order mark, tab separated.
    path = tmp_path / "facturen.csv"
    path.write_bytes(b"\xff\xfe" + ("\t".join(KOLOMMEN) + "\r\n").encode("utf-16-le"))
    assert read_facturen(path) == ()


def test_unreadable_files(tmp_path):
    bad = tmp_path / "f.csv"
    # 0x81 is a byte neither UTF-8 nor Windows-1252 gives a meaning (wpb.tabular's policy).
    bad.write_bytes(HEADER.encode() + b"\nx\x81\n")
    with pytest.raises(ImportFout, match="regel 2: geen UTF-8- of Windows-1252-tekst"):
        read_facturen(bad)
    other = tmp_path / "f.json"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(ImportFout, match="bestandstype"):
        read_facturen(other)
    with pytest.raises(ImportFout, match="niet gevonden"):
        read_facturen(tmp_path / "missing.csv")
    fake = tmp_path / "f.xlsx"
    fake.write_bytes(b"no workbook")
    with pytest.raises(ImportFout, match="XLSX"):
        read_facturen(fake)


def _xlsx(tmp_path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    path = tmp_path / "facturen.xlsx"
    wb.save(path)
    return path


def test_xlsx_with_numbers_and_date_cells(tmp_path):
    path = _xlsx(tmp_path, [
        list(KOLOMMEN),
        ["F-1", 999990019, 599, 41123456, "45A48", datetime(2022, 2, 1), datetime(2022, 2, 28), 280001,
         datetime(2022, 3, 15)],
    ])
    (f,) = read_facturen(path)
    assert (f.bsn, f.betaler, f.begin, f.bedrag) == ("999990019", "0599", date(2022, 2, 1), 280001)


def test_xlsx_errors_name_the_sheet_row(tmp_path):
    path = _xlsx(tmp_path, [
        list(KOLOMMEN),
        ["F-1", 999990019, 599, 41123456, "45A48", datetime(2022, 2, 1), datetime(2022, 2, 28), 2.5,
         datetime(2022, 3, 15, 10, 30)],
    ])
    with pytest.raises(ImportFout) as exc:
        read_facturen(path)
    assert {(f.regel, f.kolom) for f in exc.value.fouten} == {(2, "bedrag_eurocent"), (2, "betaaldatum")}


def test_bundled_example_reads():
    assert len(read_facturen(VOORBEELD / "facturen.csv")) == 7
    assert len(read_overdrachten(VOORBEELD / "overdrachten.csv")) == 5
    assert len(read_beslissingen(VOORBEELD / "beslissingen.json")) == 1


# --- transfers ----------------------------------------------------------------------------

T_HEADER = "id,bsn,latende_gemeente,ontvangende_gemeente,aanleverdatum,afwijzingsdatum,afgerond_datum"


def test_transfers_with_bsn(register):
    ((bsn, o),) = read_overdrachten_csv(f"{T_HEADER}\nT1,999990019,0599,0518,2021-11-10,,2022-02-15\n",
                                        register=register)
    assert bsn == "999990019" and o.afgerond_datum == date(2022, 2, 15)


def test_transfer_problems_all_reported(register):
    text = "\n".join([
        T_HEADER,
        "T1,123456789,0599,0518,2021-11-10,,",  # bsn
        "T2,999990019,0599,0599,2021-11-10,,",  # same gemeente
        "T3,999990019,0599,9998,2021-11-10,2021-11-12,2021-11-12",  # unknown code, afgerond not after the rejection
        "T1,999990019,0599,0518,2021-11-10,,",  # duplicate id
        "",
    ])
    with pytest.raises(ImportFout) as exc:
        read_overdrachten_csv(text, register=register)
    got = {(f.regel, f.kolom) for f in exc.value.fouten}
    assert {(2, "bsn"), (3, "ontvangende_gemeente"), (4, "afgerond_datum"), (5, "id")} <= got
    assert "123456789" not in str(exc.value)


# --- decisions ----------------------------------------------------------------------------


def test_decisions_direct_and_wrapped():
    doc = [
        {"id": "W1", "bsn": "999990019", "gemeente": "0363", "ingang": "2022-03-01",
         "vastgesteldOp": "2022-06-01", "invoerHash": "sha256:a"},
        {"id": "W2", "bsn": "999990020", "vastgesteldOp": "2022-06-02",
         "beslissing": {"status": "bepaald", "peildatum": "2022-04-01",
                        "gemeente": {"code": "0518", "naam": "'s-Gravenhage"},
                        "receipt": {"invoerHash": "sha256:b"}}},
    ]
    w1, w2 = beslissingen_uit_json(doc)
    assert (w1.gemeente, w1.ingang, w1.tot) == ("0363", date(2022, 3, 1), None)
    assert (w2.gemeente, w2.ingang, w2.invoer_hash) == ("0518", date(2022, 4, 1), "sha256:b")


def test_decision_problems_all_reported_with_path():
    doc = [
        {"id": "W1", "bsn": "123456789", "gemeente": "0363", "ingang": "2022-13-01",
         "vastgesteldOp": "2022-06-01", "invoerHash": "sha256:a"},
        {"id": "W2", "bsn": "999990020", "vastgesteldOp": "2022-06-02",
         "beslissing": {"status": "review", "peildatum": "2022-04-01", "gemeente": None,
                        "receipt": {"invoerHash": "sha256:b"}}},
        "not an object",
    ]
    with pytest.raises(InvalidInput) as exc:
        beslissingen_uit_json(doc)
    paden = {e.pad for e in exc.value.errors}
    assert {"[0].ingang", "[1].beslissing.status", "[1].gemeente", "[2]"} <= paden
    # The bsn of [0] is checked once its dates hold; here the date problem comes first.
    doc[0]["ingang"] = "2022-03-01"
    with pytest.raises(InvalidInput) as exc:
        beslissingen_uit_json(doc[:1])
    assert [e.pad for e in exc.value.errors] == ["[0].bsn"]
    assert "123456789" not in str(exc.value)


def test_decisions_file_not_json(tmp_path):
    p = tmp_path / "d.json"
    p.write_text("{", encoding="utf-8")
    with pytest.raises(InvalidInput, match="JSON"):
        read_beslissingen(p)


# --- JW323 ----------------------------------------------------------------------------------


def _jw323(prestaties, *, identificatie="DEC000000001", nummer="DN001", bsn="999990019"):
    from wpb.ijw import models as m

    total = sum(p.ingediend_bedrag if p.debet_credit == "D" else -p.ingediend_bedrag for p in prestaties)
    return m.JW323(
        header=m.Header.nieuw(m.BerichtType.JW323, afzender="41123456", ontvanger="0599",
                              identificatie=identificatie, dagtekening=date(2022, 3, 5)),
        declaratie=m.Declaratie(
            declaratie_nummer=nummer,
            declaratie_periode=m.GeslotenPeriode(begindatum=date(2022, 2, 1), einddatum=date(2022, 2, 28)),
            declaratie_dagtekening=date(2022, 3, 5),
            totaal_ingediend_bedrag=abs(total),
            totaal_debet_credit="D" if total >= 0 else "C",
            clienten=(m.ClientDeclaratie(bsn=bsn, prestaties=tuple(prestaties)),),
        ),
    )


def _prestatie(ref, bedrag, dc="D", vorig=None):
    from wpb.ijw import models as m

    return m.Prestatie(
        referentie_nummer=ref, vorig_referentie_nummer=vorig, toewijzing_nummer=1001,
        product_categorie="45", product_code="45A48",
        product_periode=m.GeslotenPeriode(begindatum=date(2022, 2, 1), einddatum=date(2022, 2, 28)),
        geleverd_volume=28, eenheid="14", product_tarief=bedrag // 28 if bedrag % 28 == 0 else None,
        ingediend_bedrag=bedrag, debet_credit=dc,
    )


def test_jw323_mapping():
    (f,) = facturen_uit_jw323([_jw323([_prestatie("RN1", 280000)])], date(2022, 3, 20))
    assert (f.referentie, f.bsn, f.betaler, f.aanbieder, f.product) == (
        "RN1", "999990019", "0599", "41123456", "45/45A48",
    )
    assert (f.begin, f.einde, f.bedrag, f.betaaldatum) == (
        date(2022, 2, 1), date(2022, 2, 28), 280000, date(2022, 3, 20),
    )


def test_jw323_credit_in_a_later_message_is_netted():
    debit = _jw323([_prestatie("RN1", 280000), _prestatie("RN2", 56000)])
    credit = _jw323([_prestatie("RN3", 280000, "C", "RN1"), _prestatie("RN4", 28000, "C", "RN2")],
                    identificatie="DEC000000002", nummer="DN002")
    result = facturen_uit_jw323([debit, credit], {"DN001": date(2022, 3, 20), "DN002": date(2022, 4, 20)})
    assert [(f.referentie, f.bedrag) for f in result] == [("RN2", 28000)]  # RN1 credited in full


def test_jw323_problems_all_raised():
    orphan = _jw323([_prestatie("RN9", 100, "C", "RN0")], identificatie="DEC000000003", nummer="DN003")
    too_much = _jw323([_prestatie("RN5", 200, "C", "RN1")], identificatie="DEC000000004", nummer="DN004")
    with pytest.raises(Jw323ImportFout) as exc:
        facturen_uit_jw323([_jw323([_prestatie("RN1", 100)]), orphan, too_much], date(2022, 3, 20))
    assert len(exc.value.fouten) == 2
    with pytest.raises(Jw323ImportFout, match="betaaldatum"):
        facturen_uit_jw323([_jw323([_prestatie("RN1", 100)])], {})


def test_jw323_xml_round_trip_into_invoices():
    from wpb.ijw.xml_read import read_bericht
    from wpb.ijw.xml_write import write_bericht

    data = write_bericht(_jw323([_prestatie("RN1", 280000)]))
    bericht = read_bericht(data)
    (f,) = facturen_uit_jw323([bericht], date(2022, 3, 20))
    assert (f.bsn, f.bedrag, f.betaler) == ("999990019", 280000, "0599")


def test_csv_text_is_read_from_bytes_like_a_file(tmp_path):
    p = tmp_path / "f.csv"
    p.write_bytes(("\ufeff" + HEADER + "\r\n" + GOED + "\r\n").encode("utf-8"))
    assert len(read_facturen(p)) == 1
