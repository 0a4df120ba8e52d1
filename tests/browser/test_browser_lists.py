"""The transfer list for real volumes and the confirmation step, in a real browser (issue 16
items 5 and 6): sorting by a column header, the BSN filter sent by POST and never in an
address, the page size and page numbers, a confirmation that can be cancelled, and axe-core
at 0 violations on the list page (axe-core from ``tests/browser/axe``, no CDN)."""

from __future__ import annotations

import re

from wpb.service.sample_data import synthetic_bsns

from .accessibility import axe_violations
from .test_browser import log_in

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    Page = expect = None

INCOMING = "/overdrachten/inkomend"


def column(page: Page, name: str) -> list[str]:
    headers = page.locator("#overdrachten-tabel thead th").all_inner_texts()
    index = next(i for i, h in enumerate(headers, 1) if h.strip().startswith(name))
    return page.locator(f"#overdrachten-tabel tbody td:nth-child({index})").all_inner_texts()


def test_sorting_by_a_column_header(page: Page, shot):
    log_in(page, "amersfoort")
    page.goto(INCOMING)
    header = page.locator("#overdrachten-tabel thead th", has_text="Aanleverdatum")
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ids = [t.split()[-1] for t in column(page, "Overdracht")]
    assert len(ids) > 1 and all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)  # public ids
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert "volgorde=aflopend" in page.url
    # The default order is the nearest answer deadline first, empty deadlines last.
    page.goto(INCOMING + "?status=aangeleverd&status=geaccepteerd&per=200")
    deadlines = column(page, "Antwoord uiterlijk")
    filled = [d for d in deadlines if d != "—"]
    assert deadlines[: len(filled)] == filled  # no empty one before a filled one
    shot(page, "20-inkomend-gesorteerd")


def test_the_bsn_filter_is_posted_and_never_in_an_address(page: Page, shot):
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    log_in(page, "amersfoort")
    page.goto(INCOMING + "?per=25")
    bsn = column(page, "BSN")[0].strip()
    page.get_by_label("BSN", exact=True).fill(bsn)
    page.get_by_role("button", name="Filter op BSN").click()
    expect(page.get_by_text("alleen de overdrachten van het BSN")).to_be_visible()
    assert set(column(page, "BSN")) == {bsn}
    assert "zoek=" in page.url and "per=25" in page.url
    assert visited and all(bsn not in url for url in visited)
    page.get_by_role("link", name="BSN-filter wissen").click()
    assert len(set(column(page, "BSN"))) > 1
    shot(page, "21-bsn-filter")


def test_page_size_and_page_numbers(page: Page, shot):
    log_in(page, "utrecht")
    bsns = synthetic_bsns(999983000)
    content = "bsn;geboortedatum;ontvangende_gemeente;aanbieder_agb;product;toewijzing_einddatum;vanaf\n" + "".join(
        f"{next(bsns)};2012-03-04;0355;99000011;Ambulante jeugdhulp;;2026-11-02\n" for _ in range(30))
    page.get_by_role("link", name="Aanleveren", exact=True).click()
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(
        {"name": "dertig.csv", "mimeType": "text/csv", "buffer": content.encode()})
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("button", name=re.compile("opslaan")).click()
    page.goto("/overdrachten/uitgaand")
    page.get_by_label("Overdrachten per pagina").select_option("25")
    page.get_by_role("button", name="Filter toepassen").click()
    first = column(page, "Overdracht")
    assert len(first) == 25
    nav = page.get_by_role("navigation", name="Paginering")
    nav.get_by_role("link", name="Pagina 2", exact=True).click()
    current = page.get_by_role("navigation", name="Paginering").locator("[aria-current=page]")
    expect(current).to_have_accessible_name("Pagina 2")
    expect(current).to_have_text("2")
    assert not set(column(page, "Overdracht")) & set(first)
    shot(page, "22-pagina-2")


def test_a_confirmation_names_what_happens_and_can_be_cancelled(page: Page, shot):
    log_in(page, "amersfoort")
    page.goto(INCOMING + "?status=aangeleverd")
    page.locator("#overdrachten-tabel tbody a").first.click()
    path = page.url
    page.get_by_role("button", name="Overdracht accepteren").click()
    expect(page.get_by_role("heading", name=re.compile("accepteren\\?"))).to_be_visible()
    expect(page.locator("#gevolgen")).to_contain_text("ziet dat in haar uitgaande lijst")
    expect(page.locator("#gevolgen")).to_contain_text("JW301")
    assert axe_violations(page) == []
    shot(page, "23-bevestigen")
    page.get_by_role("link", name="Annuleren").click()
    assert page.url.split("?")[0] == path.split("?")[0]
    expect(page.locator("h1")).to_contain_text("Aangeleverd")


def test_the_list_page_has_no_axe_violations(page: Page):
    log_in(page, "amersfoort")
    page.goto(INCOMING + "?per=25&sorteer=aanleverdatum")
    assert axe_violations(page) == []
    page.goto(INCOMING + "?tekst=999999999")  # the refusal of a BSN as free text, with errors
    assert axe_violations(page) == []
