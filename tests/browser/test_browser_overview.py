"""The overview's charts, the upload template, phones and an accessibility check, in chromium
(issue 16, items 7, 8 and 10).

No axe-core is bundled or installed here (no Python package ships its script, and the tests
load nothing from a CDN), so the accessibility check is written with Playwright's ARIA
snapshot and the DOM: every image, link, button and form field has an accessible name,
ids are unique, the page has a language, one h1 and headings in order, and every data table
has a caption. That is a subset of axe's rules, not a replacement for it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    Page = expect = None

from .accessibility import axe_violations
from .test_browser import log_in

PHONE_WIDTH = 390
# Roles that must have a name (WCAG 1.1.1, 2.4.4, 4.1.2).
NAMED_ROLES = ("img", "link", "button", "textbox", "combobox", "checkbox", "radio", "table", "region")

_DOM_CHECKS = """() => {
  const problems = [];
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id ${id} ${n} keer`);
  if (!document.documentElement.lang) problems.push('geen lang op html');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`${h1} h1-koppen`);
  let last = 0;
  for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4')) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) problems.push(`kop ${h.tagName} na h${last}: ${h.textContent.trim()}`);
    last = level;
  }
  for (const t of document.querySelectorAll('table')) {
    if (!t.querySelector('caption') && !t.getAttribute('aria-label') && !t.getAttribute('aria-labelledby'))
      problems.push('tabel zonder bijschrift');
  }
  for (const i of document.querySelectorAll('img')) if (!i.hasAttribute('alt')) problems.push('img zonder alt');
  for (const s of document.querySelectorAll('svg[role="img"]')) {
    if (!s.querySelector('title') || !s.querySelector('desc')) problems.push('svg zonder title/desc');
  }
  for (const el of document.querySelectorAll('[aria-hidden="true"] a[href], [aria-hidden="true"] button'))
    problems.push('bedienbaar element in aria-hidden');
  return problems;
}"""


def accessibility_problems(page: Page) -> list[str]:
    problems: list[str] = page.evaluate(_DOM_CHECKS)
    snapshot = page.locator("body").aria_snapshot()
    for line in snapshot.splitlines():
        match = re.match(r"\s*- (\w+)(.*)$", line)
        if match and match.group(1) in NAMED_ROLES:
            rest = match.group(2).strip()
            if not rest.startswith('"') and not rest.startswith("/"):
                problems.append(f"{match.group(1)} zonder naam: {line.strip()}")
    return problems


def test_overview_charts_drill_down_to_the_filtered_list(page: Page, shot):
    log_in(page, "coordinator")
    page.goto("/overzicht")
    flows = page.get_by_role("img", name="Overdrachten van gemeente naar gemeente")
    expect(flows).to_be_visible()
    months = page.get_by_role("img", name="Overdrachten per maand van aanlevering, naar status")
    expect(months).to_be_visible()
    shot(page, "40-overzicht-grafieken")
    assert accessibility_problems(page) == []
    # A flow leads to the list of exactly that flow: as many transfers as the flow counts.
    first = page.get_by_role("table", name="Stromen tussen gemeenten (tabel bij de grafiek)").locator("a").first
    count = int(re.match(r"\s*(\d+)", first.inner_text()).group(1))
    page.locator("#grafiek-stromen a").first.click()
    expect(page).to_have_url(re.compile(r"/overdrachten\?latende=\d{4}&ontvangende=\d{4}(&status=\w+)+$"))
    expect(page.locator("#resultaten p").first).to_have_text(
        re.compile(rf"^{count} overdracht(en)?[.,]"))
    expect(page.locator("table.tabel tbody tr")).to_have_count(min(count, 50))
    expect(page.get_by_label("Van latende gemeente")).not_to_have_value("")
    assert axe_violations(page) == []
    # A block of the months chart leads to that month and status.
    page.goto("/overzicht")
    page.locator("#grafiek-statussen a").first.click()
    expect(page).to_have_url(re.compile(r"/overdrachten\?status=\w+&van=\d{4}-\d\d-01&tot=\d{4}-\d\d-\d\d$"))
    expect(page.locator("table.tabel tbody tr").first).to_be_visible()


def test_a_gemeente_overview_drills_down_to_its_own_lists(page: Page):
    log_in(page, "utrecht")
    page.goto("/overzicht")
    expect(page.get_by_role("img", name="Overdrachten van gemeente naar gemeente")).to_be_visible()
    assert "voor alle gemeenten" not in page.content()
    page.locator("#grafiek-stromen a").first.click()
    expect(page).to_have_url(re.compile(r"/overdrachten/(inkomend|uitgaand)\?gemeente=\d{4}(&status=\w+)+$"))


def test_upload_template_download(page: Page, tmp_path: Path):
    log_in(page, "utrecht")
    page.goto("/aanleveren")
    assert accessibility_problems(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="sjabloon als CSV-bestand").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "sjabloon-aanlevering.csv"
    header = target.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == [
        "bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
        "toewijzing_einddatum", "pgb", "wet", "vanaf",
    ]
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="sjabloon als Excel-bestand (XLSX)").click()
    assert xlsx.value.suggested_filename == "sjabloon-aanlevering.xlsx"


@pytest.mark.parametrize("path", [
    "/overdrachten/inkomend", "/overdrachten/uitgaand", "/taken?welke=alle", "/overzicht",
    "/aanleveren", "/overdrachten/1",
])
def test_pages_fit_a_phone_without_sideways_scrolling(browser, server, path, shot):
    context = browser.new_context(
        base_url=server, locale="nl-NL", timezone_id="Europe/Amsterdam",
        viewport={"width": PHONE_WIDTH, "height": 844}, device_scale_factor=1,
    )
    page = context.new_page()
    try:
        log_in(page, "utrecht")
        page.goto(path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{path}: {width}px breed"
        shot(page, "41-telefoon" + re.sub(r"[^a-z0-9]+", "-", path))
    finally:
        context.close()
