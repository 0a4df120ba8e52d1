"""The caseload and signalen pages in a real browser against ``wpb serve`` with the sample
data (issue 20, "done when"): a demo gemeente logs in, sees its caseload and its signalen,
opens a transfer and runs the woonplaatstoets without uploading anything: the BRP data
come from the local BRP proefomgeving that ``wpb serve`` mounts for the demo."""

from __future__ import annotations

import re

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    Page = expect = None

from service.helpers import bsn_like

from .test_browser import log_in


def test_caseload_signalen_and_a_woonplaatstoets_without_upload(page: Page, shot):
    log_in(page, "utrecht")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Cliëntenbestand").click()
    expect(page.get_by_role("heading", name="Cliëntenbestand", exact=True)).to_be_visible()
    expect(page.locator("#aantal-clienten")).to_have_text("7")
    expect(page.locator("#aantal-met-brp")).to_have_text("6")
    shot(page, "30-clientenbestand")

    menu.get_by_role("link", name="Signalen").click()
    expect(page.locator("#open-andere_gemeente")).to_have_text("2")
    expect(page.locator("#open-einde_jeugdige")).to_have_text("1")
    expect(page.locator("#open-wijziging_gepland")).to_have_text("1")
    shot(page, "31-signalen")
    page.get_by_role("link", name="Andere gemeente verantwoordelijk").click()
    page.locator("#signalen").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="De beslissing")).to_be_visible()
    expect(page.locator("#signaal-vanaf")).not_to_be_empty()
    shot(page, "32-signaal")

    menu.get_by_role("link", name="Uitgaand").click()
    # A sample transfer (BSN 99999xxxx): the proefomgeving knows the sample youths only, not
    # those another browser test uploads.
    sample = page.locator("table.tabel tbody tr", has_text=re.compile(r"\b99999\d{4}\b"))
    sample.first.get_by_role("link").first.click()
    page.get_by_role("button", name="BRP-gegevens ophalen").click()
    expect(page.get_by_text(re.compile("BRP-gegevens gekoppeld \\(opgehaald bij de BRP\\)"))).to_be_visible()
    page.get_by_role("button", name="Woonplaatstoets uitvoeren").click()
    expect(page.get_by_role("heading", name="Vastgelegde woonplaatsbeslissing")).to_be_visible()
    shot(page, "33-woonplaatstoets-zonder-upload")
    assert not bsn_like(page.url)


def test_a_signal_becomes_a_prefilled_transfer(page: Page, shot):
    """Runs last in the session (it adds a transfer to the demo data): an andere_gemeente
    signal of the demo becomes a transfer, shown prefilled before it is stored."""
    log_in(page, "utrecht")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    page.get_by_role("link", name="Andere gemeente verantwoordelijk").click()
    page.locator("#signalen").get_by_role("link").first.click()
    page.get_by_role("link", name="Overdracht maken").click()
    expect(page.get_by_role("heading", name=re.compile("Overdracht uit signaal"))).to_be_visible()
    expect(page.locator("#concept-vanaf")).not_to_be_empty()
    expect(page.locator("#concept-regels tbody tr")).not_to_have_count(0)
    shot(page, "34-signaal-overdracht-concept")
    page.get_by_role("button", name="Overdracht aanleveren").click()
    expect(page).to_have_url(re.compile(r"/overdrachten/[0-9a-f-]{36}$"))
    page.go_back()
    page.go_back()
    page.reload()
    expect(page.locator("#afhandeling")).to_contain_text("Overdracht gemaakt")
    expect(page.locator("#signaal-overdracht")).to_be_visible()
    shot(page, "35-signaal-afgehandeld")
