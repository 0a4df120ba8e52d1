"""The caseload and signalen pages through HTTP, as a browser uses them: check and confirm
an upload, fetch the BRP data with progress, run the check, see and handle the signalen;
another gemeente and a provider get a 404."""

from __future__ import annotations

import re
import time

import pytest

from wpb.service.app import create_app

from ..berichten.test_pages_berichten import Browser, text_of
from ..helpers import valid_bsns
from .files import export, proefomgeving_voor, regel


@pytest.fixture
def youths():
    return valid_bsns(3)


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants, youths):
    moved, stayed, _ = youths
    clock.set(2026, 12, 7)
    app = proefomgeving_voor(create_app(settings.with_(brp_base_url="http://proef"), clock=clock,
                                        engine=sqlite_engine), moved, stayed)
    return app


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, name
    return match.group(1)


def test_upload_fetch_check_and_handle_a_signal(app, youths):
    moved, stayed, unknown = youths
    a = Browser(app, "user-a")
    content = export(regel(moved, nummer="1"), regel(stayed, nummer="2"), regel(unknown, nummer="3"),
                     regel(unknown[:8] + "0", nummer="4"))
    checked = a.post("/clientenbestand/controleren",
                     files={"bestand": ("clienten.csv", content, "text/csv")})
    assert checked.status_code == 200
    page = text_of(checked.text)
    assert "3 geldig" in page and "1 met fouten" in page and "5 bsn" in page
    assert unknown[:8] + "0" not in checked.text  # the bad BSN only masked
    assert "3 nieuw, 0 beëindigd" in page
    stored = a.post("/clientenbestand/opslaan", {"sleutel": _field(checked.text, "sleutel"),
                                                 "controle": _field(checked.text, "controle")})
    assert stored.status_code == 303
    overview = a.get("/clientenbestand").text
    assert re.search(r'id="aantal-clienten">3<', overview)

    assert a.post("/clientenbestand/brp-ophalen").status_code == 303
    for _ in range(100):
        progress = a.get("/clientenbestand/brp-ophalen").text
        if "ophalen-klaar" in progress:
            break
        time.sleep(0.05)
    assert "2 van 3 cliënten opgehaald" in text_of(progress) and unknown in progress

    assert a.post("/clientenbestand/woonplaatscheck", {"peildatum": "2026-12-07"}).status_code == 303
    listing = a.get("/signalen?open=ja").text
    assert re.search(r'id="open-andere_gemeente">1<', listing)
    assert re.search(r'id="open-review">1<', listing)
    signal_id = re.search(r'href="/signalen/([0-9a-f-]{36})">Signaal [0-9a-f-]{36}</a></td><td>' + moved, listing).group(1)

    detail = a.get(f"/signalen/{signal_id}").text
    assert "1 februari 2026" in text_of(detail) and "Zeist" in detail
    csv = a.get(f"/signalen/{signal_id}/aanlevering.csv").text
    assert "vanaf" in csv.splitlines()[0] and "2026-02-01" in csv

    refused = a.post(f"/signalen/{signal_id}/afhandeling", {"afhandeling": "afgewezen", "toelichting": ""})
    assert refused.status_code == 400 and "toelichting" in refused.text
    done = a.post(f"/signalen/{signal_id}/afhandeling",
                  {"afhandeling": "gecontroleerd", "toelichting": "gebeld met Zeist"})
    assert done.status_code == 303
    assert "gebeld met Zeist" in a.get(f"/signalen/{signal_id}").text
    assert re.search(r'id="open-andere_gemeente">0<', a.get("/signalen").text)

    b = Browser(app, "user-b")
    assert b.get(f"/signalen/{signal_id}").status_code == 404
    assert b.get(f"/signalen/{signal_id}/aanlevering.csv").status_code == 404
    assert moved not in b.get("/signalen?open=alle").text
    assert moved not in b.get("/clientenbestand").text
    p = Browser(app, "user-p")
    assert p.get("/clientenbestand").status_code == 404
    assert p.get("/signalen").status_code == 404
