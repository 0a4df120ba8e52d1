"""The iJw message and settlement pages in a real browser (chromium via Playwright).

A server of its own for this module: ``wpb serve`` on the bundled sample data plus the
extra demo messages and invoices of :mod:`wpb.service.sample_data_extra`, with
``WPB_PSEUDONIEM_SLEUTEL`` set so the settlement works. The module's ``server`` fixture
overrides the session one of conftest.py for these tests only, so the fixtures ``page``
and ``shot`` from conftest.py drive this server.

The flow the issues describe: a gemeente opens its incoming requests, sees the proposed
answer with the responsible gemeente and the deadline (one overdue), approves and sends
it; it acknowledges a claim it owes; the coordinator runs a netting, accepts it for all
and confirms the payments. Users find fields by label and buttons by their text.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import time
from datetime import date

import httpx
import pytest

from ijw_builders import jw315
from service.helpers import bsn_like
from wpb.ijw import models as m
from wpb.ijw.xml_write import write_bericht

from .conftest import SERVER_START_TIMEOUT, _free_port
from .test_browser import log_in, log_out

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the fixtures skip (or fail in CI) with the reason
    Page = expect = None

KEY = "browsertest-pseudoniem-sleutel"

_SERVE = """
from wpb.cli import service as cli_service
from wpb.service import sample_data_extra
from wpb.service.db import make_engine, make_sessionmaker, transaction
from wpb.service.settings import Settings

settings = Settings.from_env()
engine = make_engine(settings.database_url)
cli_service.prepare_database(settings, engine)
with transaction(make_sessionmaker(engine)) as session:
    if not sample_data_extra.is_seeded(session):
        sample_data_extra.seed(session, settings)
engine.dispose()
cli_service.serve(host="127.0.0.1", port={port})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium_path) -> str:
    """Base URL of a ``wpb serve`` with the sample data, the extra demo data and the key."""
    home = tmp_path_factory.mktemp("wpb-server-berichten")
    port = _free_port()
    env = {
        **os.environ,
        "WPB_DATA_DIR": str(home / "data"),
        "WPB_SECRET_KEY": "browsertest-geheime-sleutel",
        "WPB_SAMPLE_DATA": "auto",
        "WPB_PSEUDONIEM_SLEUTEL": KEY,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("WPB_DATABASE_URL", None)
    log_path = home / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVE.format(port=port)], env=env, stdout=log,
            stderr=subprocess.STDOUT, cwd=home,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"wpb serve stopte met code {process.returncode}:\n"
                            + log_path.read_text(errors="replace")[-3000:])
            try:
                if httpx.get(f"{base}/inloggen", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"wpb serve was na {SERVER_START_TIMEOUT:.0f} s niet bereikbaar:\n"
                            + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_approve_a_proposed_answer_acknowledge_a_claim_and_net(page: Page, shot):
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))

    log_in(page, "utrecht")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    expect(page.get_by_role("heading", name="Berichten (iJw)")).to_be_visible()
    requests = page.locator("#verzoeken tbody tr")
    expect(requests).to_have_count(3)
    proposals = page.locator("#verzoeken").inner_text()
    for answer in ("Toewijzing (JW301)", "Afwijzing: woonplaatsbeginsel (JW319, reden 8)",
                   "Aanvraag in onderzoek (JW319)"):
        assert answer in proposals
    # The request of two weeks ago: rejection naming Zeist, its 5-werkdagen deadline passed.
    overdue = page.locator("#verzoeken tr.rij-te-laat")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("Zeist (0355)")
    expect(overdue).to_contain_text("te laat")
    shot(page, "20-berichten")

    overdue.get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Verzoek om toewijzing (JW315)")
    voorstel = page.locator("#voorstel")
    expect(voorstel).to_contain_text("Afwijzing: woonplaatsbeginsel")
    expect(voorstel).to_contain_text("Zeist (0355)")
    expect(voorstel).to_contain_text("onderdeel 1")  # the grondslag of the woonplaats decision
    expect(page.locator("#termijnen")).to_contain_text("OP274")
    expect(page.locator("#termijnen tr.rij-te-laat")).to_contain_text("Te laat")
    shot(page, "21-bericht-voorstel")

    # Reden 8 waits for Zeist (issue 18 item 12): Utrecht asks, Zeist agrees.
    message_url = page.url
    page.get_by_role("button", name="Instemming vragen").click()
    expect(page.get_by_role("status")).to_contain_text("om instemming gevraagd")
    expect(page.locator("#instemmingen")).to_contain_text("Gevraagd")
    log_out(page)
    log_in(page, "zeist")
    page.goto("/instemmingen")
    page.get_by_label("Akkoord: wij zijn verantwoordelijk").check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("U heeft ingestemd")
    log_out(page)
    log_in(page, "utrecht")
    page.goto(message_url.split("?")[0])

    page.get_by_role("button", name="Antwoord goedkeuren en versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Het antwoord is goedgekeurd en verstuurd")
    expect(page.locator("h1")).to_contain_text("Beantwoord")
    expect(page.locator("#verzonden")).to_contain_text("JW319")
    page.locator("#verzonden tr", has_text="JW319").get_by_role("link").first.click()  # not the JW316 retourbericht
    expect(page.locator("main")).to_contain_text("Verzoek afgewezen")
    expect(page.locator("main")).to_contain_text("Zeist (0355)")

    # Settlement: Utrecht owes Amersfoort and Zeist for 2022 (1-november-maatregel).
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verrekening").click()
    expect(page.get_by_role("heading", name="Verrekening: claims")).to_be_visible()
    to_pay = page.locator("#schuldenaar tbody tr")
    expect(to_pay).to_have_count(2)
    assert re.search(r"J-[A-Z2-7]{4}-", to_pay.first.inner_text())  # a pseudonym, no BSN
    to_pay.first.get_by_role("button", name=re.compile("^Erkennen")).click()
    expect(page.get_by_role("status")).to_contain_text("De claim is erkend.")
    expect(page.locator("#schuldenaar")).to_contain_text("Erkend")
    shot(page, "22-verrekening-claims")
    log_out(page)

    log_in(page, "coordinator")
    page.goto("/verrekening/salderingen")
    page.get_by_role("button", name="Saldering maken").click()
    expect(page.get_by_role("status")).to_contain_text("De saldering is gemaakt")
    payments = page.locator("#betalingen tbody tr")
    expect(payments.first).to_be_visible()
    assert 1 <= payments.count() <= 4  # at most n - 1 for the five gemeenten
    page.get_by_role("button", name="Accepteren namens alle gemeenten").click()
    expect(page.locator("h1")).to_contain_text("Geaccepteerd")
    page.get_by_role("button", name="Betalingen bevestigen").click()
    expect(page.get_by_role("status")).to_contain_text("De betalingen van de saldering zijn bevestigd")
    expect(page.locator("h1")).to_contain_text("Betaald")
    shot(page, "23-saldering-betaald")

    assert visited
    assert not [u for u in visited if bsn_like(u)], visited


def test_upload_of_an_invalid_message_names_element_and_value(page: Page, shot):
    log_in(page, "voorbeeldhoeve")
    page.goto("/berichten/indienen")
    valid = write_bericht(dataclasses.replace(jw315(), header=m.Header.nieuw(
        m.BerichtType.JW315, afzender="99000011", ontvanger="0344", identificatie="BRWS00000001",
        dagtekening=date(2026, 4, 1))))
    xml = valid.replace(b"<ijw:Dagtekening>2026-04-01<", b"<ijw:Dagtekening>2027-06-31<")
    assert xml != valid
    page.get_by_label("Bericht (XML-bestand)").set_input_files(
        {"name": "jw315.xml", "mimeType": "application/xml", "buffer": xml}
    )
    page.get_by_role("button", name="Bericht controleren en indienen").click()
    summary = page.locator(".foutsamenvatting")
    expect(summary).to_contain_text("Er is een probleem")
    expect(summary).to_contain_text("Element /Bericht/Header/BerichtIdentificatie/Dagtekening")
    expect(summary).to_contain_text("'2027-06-31' is geen bestaande datum")
    expect(summary).to_contain_text("controle XSD")
    shot(page, "24-bericht-fout")
