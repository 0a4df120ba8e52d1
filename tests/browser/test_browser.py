"""The web pages in a real browser: chromium, driven by Playwright, against ``wpb serve``.

The issue asks for browser tests of login, upload, accept, reject and afgerond. Each test
acts as a user does: it finds fields by their labels and buttons by their text, so a page
that loses a label or renames a button fails here. The server holds the bundled sample
data (Utrecht 0344, Amersfoort 0307, ...; demo passwords ``demo-<login>-wpb``); uploads
use test BSNs from another range (99998xxxx) than the sample data (99999xxxx).
"""

from __future__ import annotations

import re

from service.helpers import bsn_like
from wpb.service.sample_data import synthetic_bsns

from .accessibility import axe_violations

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    Page = expect = None

INVALID_BSN = "123456789"


def log_in(page: Page, user: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(user)
    page.get_by_label("Wachtwoord").fill(f"demo-{user}-wpb")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Ingelogd als")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="U bent uitgelogd")).to_be_visible()


def focused_class(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.className || ''")


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id || ''")


def test_login_with_the_keyboard_and_a_wrong_password_first(page: Page, shot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/inloggen"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    shot(page, "01-inloggen")

    page.get_by_label("Gebruikersnaam").fill("utrecht")
    page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    summary = page.locator(".foutsamenvatting")
    expect(summary).to_contain_text("De gebruikersnaam of het wachtwoord klopt niet.")
    assert "foutsamenvatting" in focused_class(page)  # announced first
    expect(page).to_have_title(re.compile(r"^Fout: "))
    shot(page, "02-inloggen-fout")

    # Keyboard only from here: the summary's link leads to the field, Tab to the next one.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    assert focused_id(page) == "gebruikersnaam"
    page.keyboard.press("Control+A")
    page.keyboard.type("utrecht")
    page.keyboard.press("Tab")
    assert focused_id(page) == "wachtwoord"
    page.keyboard.type("demo-utrecht-wpb")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/overdrachten/inkomend$"))
    expect(page.get_by_role("heading", name="Inkomende overdrachten")).to_be_visible()
    shot(page, "03-inkomend")


def test_skip_link_is_the_first_stop(page: Page):
    page.goto("/inloggen")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()


def test_filters_on_the_incoming_list(page: Page, shot):
    log_in(page, "amersfoort")
    page.get_by_label("Afgewezen", exact=True).check()
    page.get_by_role("button", name="Filter toepassen").click()
    rows = page.locator("table.tabel tbody tr")
    expect(rows.first).to_be_visible()
    headers = [h.split(",")[0].strip() for h in page.locator("table.tabel thead th").all_inner_texts()]
    status_column = headers.index("Status") + 1
    statuses = rows.locator(f"td:nth-child({status_column})").all_inner_texts()
    assert statuses and set(statuses) == {"Afgewezen"}
    assert "status=afgewezen" in page.url
    shot(page, "04-inkomend-gefilterd")


def test_upload_with_a_rejected_row_then_accept_and_afgerond(page: Page, shot):
    bsn = next(synthetic_bsns(999980000))
    content = (
        "bsn;geboortedatum;ontvangende_gemeente;aanbieder_agb;product;toewijzing_einddatum;pgb\n"
        f"{bsn};2012-03-04;0307;99000011;Jeugdhulp met verblijf;2027-06-30;nee\n"
        f"{INVALID_BSN};2011-01-01;0307;99000011;Pleegzorg;2027-06-30;ja\n"
    ).encode()

    log_in(page, "utrecht")
    page.get_by_role("link", name="Aanleveren", exact=True).click()
    shot(page, "05-aanleveren")
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(
        {"name": "levering.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Bestand controleren").click()

    expect(page.get_by_role("heading", name="Controle van het bestand")).to_be_visible()
    rejected = page.locator("table.tabel-fouten tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.first.locator("td").first).to_have_text("3")  # line 3 of the file
    expect(rejected.first).to_contain_text("geen geldig BSN")
    expect(page.get_by_text("Alleen de geldige regel wordt opgeslagen; de afgewezen regel niet.")).to_be_visible()
    shot(page, "06-controle")

    page.get_by_role("button", name="Alleen de geldige regels opslaan").click()
    expect(page.get_by_role("heading", name="Aanlevering opgeslagen")).to_be_visible()
    new_link = page.locator("main ul li a").first
    transfer_path = new_link.get_attribute("href")
    assert transfer_path and re.fullmatch(r"/overdrachten/[0-9a-f-]{36}", transfer_path)
    new_link.click()
    expect(page.locator("dl.gegevens")).to_contain_text(bsn)
    expect(page.locator("dl.gegevens")).to_contain_text("Amersfoort (0307)")
    log_out(page)

    # The ontvangende gemeente accepts ...
    log_in(page, "amersfoort")
    page.goto(transfer_path)
    expect(page.locator("h1")).to_contain_text("Aangeleverd")
    shot(page, "07-overdracht-aangeleverd")
    page.get_by_role("button", name="Overdracht accepteren").click()
    page.get_by_role("button", name="Ja, accepteren").click()
    expect(page.get_by_role("status")).to_contain_text("De overdracht is geaccepteerd.")
    expect(page.locator("h1")).to_contain_text("Geaccepteerd")

    # ... and reports it afgerond, after first forgetting the reference.
    page.get_by_label("Ingangsdatum nieuwe toewijzing").fill("2027-01-01")
    page.get_by_role("button", name="Afgerond melden").click()
    expect(page.locator(".foutsamenvatting")).to_contain_text(
        "Vul de referentie van de nieuwe toewijzing in"
    )
    expect(page.get_by_label("Ingangsdatum nieuwe toewijzing")).to_have_value("2027-01-01")
    page.get_by_label("Referentie nieuwe toewijzing").fill("TW-2027-0001")
    page.get_by_role("button", name="Afgerond melden").click()
    page.get_by_role("button", name="Ja, afronden").click()
    expect(page.get_by_role("status")).to_contain_text("De overdracht is afgerond gemeld.")
    expect(page.locator("h1")).to_contain_text("Afgerond")
    expect(page.locator("dl.gegevens")).to_contain_text("TW-2027-0001, met ingang van 1 januari 2027")
    timeline = page.locator("ol.tijdlijn")
    expect(timeline).to_contain_text("Geaccepteerd")
    expect(timeline).to_contain_text("Afgerond")
    shot(page, "08-overdracht-afgerond")


def test_reject_requires_an_onderbouwing(page: Page, shot):
    log_in(page, "amersfoort")
    page.goto("/overdrachten/inkomend?status=aangeleverd&gemeente=0344")
    ids = [
        h.rsplit("/", 1)[1]
        for h in page.locator("table.tabel tbody a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    ]
    assert ids, "the sample data has incoming transfers from Utrecht to Amersfoort"
    # The list is newest first: the last is a sample transfer, not one another test made.
    page.goto(f"/overdrachten/{ids[-1]}")

    page.get_by_role("button", name="Overdracht afwijzen").click()
    summary = page.locator(".foutsamenvatting")
    expect(summary).to_contain_text("Er is een probleem")
    expect(summary).to_contain_text("Geef een onderbouwing van de afwijzing")
    assert "foutsamenvatting" in focused_class(page)
    field = page.get_by_label("Onderbouwing van de afwijzing")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("h1")).to_contain_text("Aangeleverd")
    shot(page, "09-afwijzen-zonder-onderbouwing")

    summary.get_by_role("link").first.click()  # the summary leads to the field
    expect(field).to_be_focused()
    page.keyboard.type("Volgens de BRP woonde de jeugdige voor de opname in Zeist.")
    page.get_by_role("button", name="Overdracht afwijzen").click()
    page.get_by_role("button", name="Ja, afwijzen").click()
    expect(page.get_by_role("status")).to_contain_text("De overdracht is afgewezen")
    expect(page.locator("h1")).to_contain_text("Afgewezen")
    expect(page.locator("dl.gegevens")).to_contain_text("woonde de jeugdige voor de opname in Zeist")
    shot(page, "10-afgewezen")


def upload_one(page: Page, bsn: str) -> str:
    """Upload one youth from Utrecht to Amersfoort and open the new transfer; its path."""
    content = (
        "bsn;geboortedatum;ontvangende_gemeente;aanbieder_agb;product;toewijzing_einddatum;vanaf\n"
        f"{bsn};2012-03-04;0307;99000011;Ambulante jeugdhulp;;2026-11-02\n"
    ).encode()
    page.get_by_role("link", name="Aanleveren", exact=True).click()
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(
        {"name": "levering.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Bestand controleren").click()
    page.get_by_role("button", name=re.compile("opslaan")).click()
    link = page.locator("main ul li a").first
    path = link.get_attribute("href")
    link.click()
    return path


def test_bulk_accept_from_the_incoming_list(page: Page, shot):
    log_in(page, "utrecht")
    bsns = synthetic_bsns(999982000)
    paths = [upload_one(page, next(bsns)) for _ in range(2)]
    log_out(page)
    log_in(page, "amersfoort")
    page.goto("/overdrachten/inkomend?status=aangeleverd")
    for path in paths:
        page.locator(f"#kies-{path.rsplit('/', 1)[1]}").check()
    page.get_by_label("Accepteren", exact=True).check()
    page.get_by_role("button", name="Besluit uitvoeren").click()
    expect(page.locator("#gevolgen")).to_contain_text("wordt afzonderlijk geaccepteerd")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, 2 overdrachten accepteren").click()
    expect(page.get_by_role("status")).to_contain_text("2 overdrachten geaccepteerd")
    expect(page.get_by_role("table", name="Uitkomst per overdracht").locator("tbody tr")).to_have_count(2)
    shot(page, "13-bulk-geaccepteerd")
    assert axe_violations(page) == []


def test_correction_then_withdrawal(page: Page, shot):
    log_in(page, "utrecht")
    upload_one(page, next(synthetic_bsns(999981000)))
    expect(page.locator("#verantwoordelijk")).to_contain_text("het woonplaatsbeginsel van de Jeugdwet")
    expect(page.get_by_role("table", name=re.compile("Regels van overdracht"))).to_contain_text("loopt door")
    page.get_by_label("Nieuw product").fill("Pleegzorg")
    page.get_by_role("button", name="Correctie opslaan").click()
    page.get_by_role("button", name="Ja, correctie vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("De regel is gecorrigeerd")
    expect(page.locator("ol.tijdlijn")).to_contain_text("Ambulante jeugdhulp → Pleegzorg")
    page.get_by_label("Reden van de intrekking").fill("Verkeerde gemeente gekozen")
    page.get_by_role("button", name="Overdracht intrekken").click()
    page.get_by_role("button", name="Ja, intrekken").click()
    expect(page.locator("h1")).to_contain_text("Ingetrokken")
    shot(page, "14-ingetrokken")
    assert axe_violations(page) == []


def test_a_rejection_reconsidered_and_accepted_after_all(page: Page, shot):
    log_in(page, "utrecht")
    path = upload_one(page, next(synthetic_bsns(999984000)))
    log_out(page)
    log_in(page, "amersfoort")
    page.goto(path)
    page.get_by_label("Onderbouwing van de afwijzing").fill("Volgens de BRP woonde de jeugdige in Zeist.")
    page.get_by_role("button", name="Overdracht afwijzen").click()
    page.get_by_role("button", name="Ja, afwijzen").click()
    expect(page.locator("h1")).to_contain_text("Afgewezen")
    page.get_by_label("Toelichting (niet verplicht)").fill("Na overleg met Utrecht toch onze inwoner.")
    page.get_by_role("button", name="Alsnog accepteren").click()
    expect(page.get_by_role("heading", name=re.compile("heroverwegen\\?"))).to_be_visible()
    expect(page.locator("#gevolgen")).to_contain_text("De afwijzing blijft in de tijdlijn staan")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, toch accepteren").click()
    expect(page.locator("h1")).to_contain_text("Geaccepteerd")
    timeline = page.locator("ol.tijdlijn")
    expect(timeline).to_contain_text("Aangeleverd → Afgewezen door Amersfoort")
    expect(timeline).to_contain_text("Afgewezen → Geaccepteerd door Amersfoort")
    expect(timeline).to_contain_text("Na overleg met Utrecht toch onze inwoner.")
    shot(page, "15-heroverwogen")
    assert axe_violations(page) == []


def test_tasks_and_overview(page: Page, shot):
    log_in(page, "utrecht")
    page.get_by_role("link", name="Taken", exact=True).click()
    expect(page.get_by_role("heading", name="Taken", exact=True)).to_be_visible()
    overdue = page.locator("tr.rij-te-laat")
    expect(overdue.first).to_be_visible()
    expect(overdue.first).to_contain_text("Te laat")
    shot(page, "11-taken")
    page.get_by_role("link", name="Overzicht", exact=True).click()
    table = page.get_by_role("table", name="Overdrachten per gemeente")
    expect(table).to_contain_text("Utrecht (0344)")
    shot(page, "12-overzicht")


def test_no_bsn_in_any_address(page: Page):
    """Every address the browser visited during a session carries no BSN."""
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    log_in(page, "utrecht")
    page.goto("/overdrachten/uitgaand")
    page.locator("table.tabel tbody a").first.click()
    page.get_by_role("link", name="Zoeken op BSN").click()
    page.get_by_label("Burgerservicenummer (BSN)").fill("999990019")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_role("heading", name="Zoekresultaat")).to_be_visible()
    assert visited
    assert not [u for u in visited if bsn_like(u)], visited
