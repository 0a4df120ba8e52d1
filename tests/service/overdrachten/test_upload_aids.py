"""Upload aids and exports (issue 16, item 7): the template of the upload format to download,
the rejected value beside each rejection (a BSN only by its last three digits), the
rejected rows as a download, a big file's check summarised with its errors first, and XLSX
exports a person can filter right away (real dates, names beside codes, autofilter,
frozen header).

The columns come from docs/overgang.md ("The upload format of the transfer service").
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from wpb.service.app import create_app
from wpb.service.components.overdrachten import pages as transfer_pages
from wpb.service.components.overdrachten.downloads import mask_bsn
from wpb.service.components.overdrachten.models import Overdracht

from ..helpers import count, csv_bytes, deliver, row, valid_bsns
from .test_pages import BSN, INVALID_BSN, Browser

# docs/overgang.md, the upload format, in its order.
DOCUMENTED_COLUMNS = [
    "bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
    "toewijzing_einddatum", "pgb", "wet", "vanaf",
]


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _check(browser: Browser, content: bytes, name: str = "levering.csv"):
    return browser.post("/aanleveren", files={"bestand": (name, content, "text/csv")})


def test_the_upload_page_links_both_templates(app):
    page = Browser(app, "user-a").get("/aanleveren").text
    assert 'href="/aanleveren/sjabloon.xlsx"' in page and 'href="/aanleveren/sjabloon.csv"' in page
    assert "<code>wet</code>" in page and "<code>vanaf</code>" in page


def test_csv_template_has_the_documented_columns_and_a_filled_copy_is_accepted(app, f):
    browser = Browser(app, "user-a")
    response = browser.get("/aanleveren/sjabloon.csv")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    (header,) = _csv_rows(response.content)
    assert header == DOCUMENTED_COLUMNS
    filled = response.content + ";".join(
        [BSN, "01-05-2010", "0307", "99000011", "Ambulant", "", "nee", "jeugdwet", "2026-03-01"]
    ).encode() + b"\r\n"
    check = _check(browser, filled)
    assert check.status_code == 200 and "nieuwe overdracht" in check.text, check.text


def test_xlsx_template_formats_codes_as_text_and_reads_back(app, f):
    browser = Browser(app, "user-a")
    response = browser.get("/aanleveren/sjabloon.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["aanlevering"]
    assert [c.value for c in sheet[1]] == DOCUMENTED_COLUMNS
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].number_format == "@" and sheet["C2"].number_format == "@"  # bsn, gemeente
    assert sheet["B2"].is_date or sheet["B2"].number_format == "d-m-yyyy"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["G2"] == '"ja,nee"' and lists["H2"] == '"jeugdwet,wmo-bw"'
    assert [r[0] for r in workbook["toelichting"].iter_rows(min_row=2, values_only=True)] == DOCUMENTED_COLUMNS
    # Filled in as a person would (a real date cell), it is accepted.
    sheet["A2"], sheet["B2"], sheet["C2"] = BSN, datetime(2010, 5, 1), "0307"
    sheet["D2"], sheet["E2"] = "99000011", "Ambulant"
    buffer = io.BytesIO()
    workbook.save(buffer)
    check = browser.post("/aanleveren", files={"bestand": ("sjabloon.xlsx", buffer.getvalue(), "application/octet-stream")})
    assert check.status_code == 200 and "nieuwe overdracht" in check.text, check.text


def test_templates_are_for_gemeenten_only(app):
    assert Browser(app, "user-p").get("/aanleveren/sjabloon.csv").status_code == 404
    assert Browser(app, "user-a").get("/aanleveren/sjabloon.pdf").status_code == 404


def test_a_rejected_value_is_shown_with_the_bsn_masked(app):
    browser = Browser(app, "user-a")
    check = _check(browser, csv_bytes([row(INVALID_BSN), row(valid_bsns(1)[0], ontvangende="12x4")]))
    assert check.status_code == 200
    assert INVALID_BSN not in check.text
    cells = re.findall(r"<tr><td>(\d+)</td><td>([a-z_]*)</td><td>(.*?)</td><td>(.*?)</td></tr>", check.text)
    assert [(r, k, v) for r, k, v, _ in cells] == [
        ("2", "bsn", "<code>******789</code>"), ("3", "ontvangende_gemeente", "<code>12x4</code>"),
    ]
    assert mask_bsn("999990019") == "******019"


def test_the_rejected_rows_download_holds_the_lines_as_delivered_with_their_reason(app, f):
    browser = Browser(app, "user-a")
    good = valid_bsns(1)[0]
    check = _check(browser, csv_bytes([row(good), row(INVALID_BSN, product="=HYPERLINK(1)")]))
    key = re.search(r'name="afgewezen" value="([^"]+)"', check.text).group(1)
    # Only by POST with the key (no BSN, no key in any URL), and only for the uploader.
    assert Browser(app, "user-b").post("/aanleveren/afgewezen", {"afgewezen": key}).status_code == 404
    download = browser.post("/aanleveren/afgewezen", {"afgewezen": key})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "afgewezen-regels-levering.csv" in download.headers["content-disposition"]
    header, *rows = _csv_rows(download.content)
    assert header == ["regel", "reden", *DOCUMENTED_COLUMNS]
    assert len(rows) == 1
    assert rows[0][0] == "3" and rows[0][1].startswith("bsn: geen geldig BSN")
    assert rows[0][2] == INVALID_BSN  # the uploader's own line, to correct it
    assert rows[0][6] == "'=HYPERLINK(1)"  # no formula runs when it is opened
    # The download key does not confirm the upload, and the confirmation stores the valid row only.
    refused = browser.post("/aanleveren/bevestigen", {"aanlevering": key, "controle": ""})
    assert refused.status_code == 409 and count(f, Overdracht) == 0


def test_a_big_check_shows_the_kinds_of_error_first_and_a_bounded_list(app, monkeypatch):
    monkeypatch.setattr(transfer_pages, "MAX_SHOWN_ERRORS", 5)
    monkeypatch.setattr(transfer_pages, "MAX_SHOWN_VALID", 2)
    bsns = valid_bsns(40)
    rows = [row(b, ontvangende="9999") for b in bsns[:30]]
    rows += [row(b, geboortedatum="31-02-2010") for b in bsns[30:34]]
    rows += [row(b) for b in bsns[34:]]
    check = _check(Browser(app, "user-a"), csv_bytes(rows)).text
    summary = check.index("Soorten fouten")
    assert summary < check.index("Afgewezen regels met de afgekeurde waarde") < check.index("Geldige regels")
    kinds = re.findall(r"<tr><td>([a-z_]+)</td><td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td></tr>", check)
    assert kinds[:2] == [
        ("ontvangende_gemeente", "onbekende gemeentecode", "30", "2"),
        ("geboortedatum", "geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)", "4", "32"),
    ]
    assert "de eerste 5 van 34" in check and "Nog 29 fouten" in check
    assert "De eerste 2 van 6 geldige regels" in check


def test_xlsx_export_has_date_cells_names_beside_codes_autofilter_and_frozen_header(app, f, t, ctx):
    deliver(f, t.a, ctx, [row(BSN, ontvangende="0307")])
    response = Browser(app, "user-a").get("/overdrachten/download?lijst=uitgaand&formaat=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[header.index("latende_gemeente") + 1] == "latende_gemeente_naam"
    assert header[header.index("ontvangende_gemeente") + 1] == "ontvangende_gemeente_naam"
    values = dict(zip(header, (c for c in sheet[2]), strict=True))
    assert values["latende_gemeente"].value == "0344" and values["latende_gemeente_naam"].value == "Utrecht"
    assert values["ontvangende_gemeente_naam"].value == "Amersfoort"
    assert values["geboortedatum"].is_date and values["geboortedatum"].value.date() == date(2010, 5, 1)
    assert values["aanleverdatum"].is_date and values["aanleverdatum"].number_format == "d-m-yyyy"
    assert values["bsn"].value == BSN  # text: no number, leading zeros would stay
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"


def test_xlsx_export_of_nothing_still_has_header_and_filter():
    from wpb.service.exports import to_xlsx

    sheet = load_workbook(io.BytesIO(to_xlsx(["a", "b"], []))).active
    assert [c.value for c in sheet[1]] == ["a", "b"] and sheet.auto_filter.ref == "A1:B1"
