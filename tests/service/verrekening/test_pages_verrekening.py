"""The settlement pages (issue 6), through HTTP as a browser uses them.

What the issue asks of them, under the transfer service's tenant rules: claims to receive
and to pay with the youths by pseudonym only (the BSN behind one shown to a party after
confirmation, and audited); acknowledge, dispute and confirm payment; recompute; netting
runs (create, accept, confirm payments) with their payments; statements as XLSX and PDF;
vangnet; compensatie; disputes that escalate regioadviseur → Geschillencommissie Sociaal
Domein → Jeugdautoriteit → rechter and are resolved. Another gemeente's claim is a 404.
Without ``WPB_PSEUDONIEM_SLEUTEL`` the pages say so in Dutch instead of failing.

The worked example is that of test_verrekening_service.py: Utrecht (A) paid Q1 2022 for a
youth transferred in time to Amersfoort (B) under the 1-november-maatregel, so Utrecht
holds a claim of € 9.000,00 on Amersfoort. The rules themselves are tested there.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.verrekening import claims, facturen, saldering
from wpb.service.components.verrekening.models import (
    Geschil,
    VerrekeningBetaling,
    VerrekeningClaim,
    VerrekeningFactuur,
)
from wpb.service.db import transaction

from ..berichten.test_pages_berichten import Browser
from ..helpers import SettableClock, bsn_like
from ..overdrachten.test_pages import field_errors_of, summary_of, urls_of
from .test_verrekening_service import (
    AMERSFOORT,
    BSN,
    KEY,
    OTHER,
    UTRECHT,
    ZEIST,
    _abroad,
    _decision,
    csv_file,
    invoice,
    transfer,
)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2022, 6, 1, 10, 0, tzinfo=UTC))


@pytest.fixture
def ctx(settings, clock):
    from ..helpers import make_context

    return make_context(settings.with_(pseudoniem_sleutel=KEY), clock)


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings.with_(pseudoniem_sleutel=KEY), clock=clock, engine=sqlite_engine)


@pytest.fixture
def f(sqlite_factory):
    return sqlite_factory


@pytest.fixture
def t(sqlite_tenants):
    return sqlite_tenants


def run(f, fn, *args, **kwargs):
    with transaction(f) as session:
        return fn(session, *args, **kwargs)


@pytest.fixture
def claim(f, t, ctx) -> str:
    """Utrecht's claim of € 9.000,00 on Amersfoort (Q1 2022)."""
    transfer(f)
    run(f, facturen.import_facturen, t.a, ctx, csv_file(invoice()), "betaald.csv")
    (made,) = run(f, claims.recompute_claims, t.coordinator, ctx)["nieuw"]
    return made["id"]


def claim_row(f, claim_id: str) -> VerrekeningClaim:
    with transaction(f) as session:
        return session.get(VerrekeningClaim, claim_id)


def section(html: str, element_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, re.S)
    assert match, f"no section {element_id}"
    return match.group(0)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def audit_of(f, actie: str) -> list[tuple[str, str | None]]:
    with transaction(f) as session:
        return [(r.gebruikersnaam, r.bsn) for r in session.scalars(
            select(AuditRegel).where(AuditRegel.actie == actie).order_by(AuditRegel.id))]


PAGES = ("/verrekening", "/verrekening/salderingen", "/verrekening/overzicht",
         "/verrekening/vangnet", "/verrekening/compensatie", "/verrekening/geschillen",
         "/verrekening/declaraties")


# --- without the key ----------------------------------------------------------------------------


def test_without_the_key_every_page_says_in_dutch_what_is_missing(settings, clock, sqlite_engine,
                                                                  sqlite_tenants):
    app = create_app(settings, clock=clock, engine=sqlite_engine)  # no WPB_PSEUDONIEM_SLEUTEL
    browser = Browser(app, "user-a")
    for path in PAGES:
        page = browser.get(path)
        assert page.status_code == 503, path
        assert "De verrekening is nog niet ingesteld" in page.text
        assert "WPB_PSEUDONIEM_SLEUTEL" in page.text
    assert browser.post("/verrekening/herberekenen").status_code == 503
    # A provider has no settlement at all: not found, key or not.
    assert Browser(app, "user-p").get("/verrekening").status_code == 404


# --- claims -------------------------------------------------------------------------------------


def test_claims_to_receive_and_to_pay_show_the_youth_by_pseudonym_only(app, claim):
    utrecht = Browser(app, "user-a").get("/verrekening")
    assert utrecht.status_code == 200
    te_ontvangen = text_of(section(utrecht.text, "schuldeiser"))
    assert claim in te_ontvangen and "€ 9.000,00" in te_ontvangen
    assert "Amersfoort (0307)" in te_ontvangen and "1 januari 2022" in te_ontvangen
    assert re.search(r"J-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", te_ontvangen)
    assert claim not in section(utrecht.text, "schuldenaar")
    assert "Erkennen" not in te_ontvangen  # the schuldeiser does not acknowledge its own claim

    amersfoort = Browser(app, "user-b").get("/verrekening")
    te_betalen = section(amersfoort.text, "schuldenaar")
    assert claim in te_betalen and ">Erkennen<" in te_betalen
    for html in (utrecht.text, amersfoort.text):
        assert BSN not in html


def test_acknowledging_from_the_list_and_who_may(app, f, claim):
    refused = Browser(app, "user-a").post(
        f"/verrekening/claims/{claim}/status", {"naar": "erkend", "versie": "1", "terug": "lijst"})
    assert refused.status_code == 403
    assert summary_of(refused.text) == ["U mag deze claim niet naar erkend zetten."]
    assert claim_row(f, claim).status == "open"

    amersfoort = Browser(app, "user-b")
    response = amersfoort.post(f"/verrekening/claims/{claim}/status",
                               {"naar": "erkend", "versie": "1", "terug": "lijst"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/verrekening?melding=claim-erkend#claim-{claim}"
    assert claim_row(f, claim).status == "erkend"
    assert "De claim is erkend." in amersfoort.get("/verrekening?melding=claim-erkend").text
    assert audit_of(f, "claim.status") == [("user-b", BSN)]
    # Read again with the old version: refused, nothing changes.
    stale = amersfoort.post(f"/verrekening/claims/{claim}/status", {"naar": "erkend", "versie": "1"})
    assert stale.status_code == 409 and claim_row(f, claim).versie == 2


def test_disputing_with_an_explanation_and_paying_on_the_claim_page(app, f, claim):
    amersfoort = Browser(app, "user-b")
    page = amersfoort.get(f"/verrekening/claims/{claim}")
    assert "Overdracht" in page.text and "Geschiedenis" in page.text
    response = amersfoort.post(f"/verrekening/claims/{claim}/status", {
        "naar": "betwist", "versie": "1", "toelichting": "Toewijzing pas per 1 februari over."})
    assert response.status_code == 303
    page = amersfoort.get(response.headers["location"])
    assert "zij blijft buiten de saldering" in page.text
    assert "Toewijzing pas per 1 februari over." in page.text  # in the history
    assert claim_row(f, claim).status == "betwist"
    # Utrecht cannot mark a disputed claim paid: named, nothing changes.
    refused = Browser(app, "user-a").post(f"/verrekening/claims/{claim}/status",
                                          {"naar": "betaald", "versie": "2"})
    assert refused.status_code == 409
    assert "betwist naar betaald" in summary_of(refused.text)[0]


def test_other_gemeenten_and_providers_get_404(app, claim):
    zeist = Browser(app, "user-c")
    assert zeist.get(f"/verrekening/claims/{claim}").status_code == 404
    assert zeist.post(f"/verrekening/claims/{claim}/status",
                      {"naar": "erkend", "versie": "1"}).status_code == 404
    assert claim not in zeist.get("/verrekening").text
    provider = Browser(app, "user-p")
    for path in ("/verrekening", "/verrekening/salderingen", "/verrekening/vangnet",
                 f"/verrekening/claims/{claim}"):
        assert provider.get(path).status_code == 404, path
    assert Browser(app, "user-a").get("/verrekening/claims/VC-0000000000000000").status_code == 404


def test_herleiden_shows_the_bsn_only_after_confirmation_and_audits_it(app, f, claim):
    pseudonym = claim_row(f, claim).jeugdige
    browser = Browser(app, "user-b")
    ask = browser.post("/verrekening/herleiden", {"jeugdige": pseudonym})
    assert ask.status_code == 200
    assert "Ja, toon het BSN" in ask.text and BSN not in ask.text
    assert audit_of(f, "jeugdige.herleiden") == []
    shown = browser.post("/verrekening/herleiden", {"jeugdige": pseudonym, "bevestigd": "ja"})
    assert shown.status_code == 200
    assert re.search(rf'id="herleid-bsn">{BSN}<', shown.text)
    assert "no-store" in shown.headers["cache-control"]
    assert audit_of(f, "jeugdige.herleiden") == [("user-b", BSN)]
    # Not a party: the same 404 as for a pseudonym that does not exist; nothing shown.
    other = Browser(app, "user-c").post("/verrekening/herleiden",
                                        {"jeugdige": pseudonym, "bevestigd": "ja"})
    assert other.status_code == 404 and BSN not in other.text
    assert browser.post("/verrekening/herleiden", {"jeugdige": "geen-pseudoniem",
                                                   "bevestigd": "ja"}).status_code == 404


# --- invoices and recomputing ----------------------------------------------------------------


def test_importing_invoices_and_recomputing_through_the_pages(app, f):
    transfer(f)
    utrecht = Browser(app, "user-a")
    bad = utrecht.post("/verrekening/declaraties", files={"bestand": ("betaald.csv", csv_file(
        invoice("F-1"), invoice("F-2", bsn="123456789")), "text/csv")})
    assert bad.status_code == 400
    assert [line for line in summary_of(bad.text) if line.startswith("regel 3, kolom bsn")]
    assert "niets ingelezen" in bad.text
    assert field_errors_of(bad.text)["bestand"].startswith("regel 3, kolom bsn")
    with transaction(f) as session:
        assert session.scalars(select(VerrekeningFactuur)).all() == []

    good = utrecht.post("/verrekening/declaraties", files={
        "bestand": ("betaald.csv", csv_file(invoice("F-1")), "text/csv")})
    assert good.status_code == 200
    assert "1 declaratie ingelezen, samen € 9.000,00" in text_of(good.text)
    assert BSN not in good.text  # the list shows the pseudonym

    result = utrecht.post("/verrekening/herberekenen")
    assert result.status_code == 200
    assert "Claims herberekend" in result.text
    with transaction(f) as session:
        (made,) = session.scalars(select(VerrekeningClaim)).all()
    assert made.id in result.text and "€ 9.000,00" in result.text
    again = text_of(utrecht.post("/verrekening/herberekenen").text)
    assert "0 nieuwe claims" in again and "1 ongewijzigd" in again
    assert utrecht.post("/verrekening/herberekenen", token="").status_code == 403


# --- netting -----------------------------------------------------------------------------------


def test_netting_create_accept_by_each_party_and_confirm_payments(app, f, t, ctx, claim):
    # A second claim: Amersfoort paid Q1 2022 for a youth transferred to Zeist.
    transfer(f, bsn=OTHER, latende=AMERSFOORT, ontvangende=ZEIST)
    run(f, facturen.import_facturen, t.b, ctx, csv_file(
        invoice("F-9", bsn=OTHER, betaler=AMERSFOORT, bedrag="450000")), "a.csv")
    run(f, claims.recompute_claims, t.coordinator, ctx)

    assert Browser(app, "user-a").post("/verrekening/salderingen").status_code == 403
    coordinator = Browser(app, "user-coordinator")
    made = coordinator.post("/verrekening/salderingen")
    assert made.status_code == 303
    path = made.headers["location"].split("?")[0]
    page = coordinator.get(made.headers["location"])
    assert "De saldering is gemaakt." in page.text
    with transaction(f) as session:
        payments = session.scalars(select(VerrekeningBetaling)).all()
    # Balances: Utrecht +9.000, Amersfoort -9.000 + 4.500, Zeist -4.500: two payments to Utrecht.
    assert sorted((p.van, p.aan, int(p.bedrag)) for p in payments) == [
        (AMERSFOORT, UTRECHT, 450000), (ZEIST, UTRECHT, 450000)]
    table = text_of(re.search(r'<table class="tabel" id="betalingen">.*?</table>', page.text,
                              re.S).group(0))
    assert table.count("€ 4.500,00") == 2 and "Zeist (0355) Utrecht (0344)" in table

    zeist = Browser(app, "user-c")
    own = zeist.get(path)
    assert "Saldering accepteren" in own.text and "Amersfoort (0307) Utrecht" not in text_of(own.text)
    for browser in (zeist, Browser(app, "user-a")):
        versie = re.search(r'name="versie" value="(\d+)"', browser.get(path).text).group(1)
        assert browser.post(f"{path}/accepteren", {"versie": versie}).status_code == 303
    assert "Voorstel" in coordinator.get(path).text
    amersfoort = Browser(app, "user-b")
    versie = re.search(r'name="versie" value="(\d+)"', amersfoort.get(path).text).group(1)
    accepted = amersfoort.get(amersfoort.post(f"{path}/accepteren", {"versie": versie})
                              .headers["location"])
    assert "Geaccepteerd" in accepted.text
    assert claim_row(f, claim).status == "erkend"

    versie = re.search(r'name="versie" value="(\d+)"', coordinator.get(path).text).group(1)
    paid = coordinator.get(coordinator.post(f"{path}/betaald", {"versie": versie})
                           .headers["location"])
    assert "de claims zijn betaald" in paid.text and "Betalingen bevestigen" not in paid.text
    assert claim_row(f, claim).status == "betaald"
    listing = coordinator.get("/verrekening/salderingen")
    assert f'href="{path}"' in listing.text and "Betaald" in listing.text


def test_a_netting_that_went_stale_is_refused_with_a_message(app, f, claim):
    coordinator = Browser(app, "user-coordinator")
    path = coordinator.post("/verrekening/salderingen").headers["location"].split("?")[0]
    Browser(app, "user-b").post(f"/verrekening/claims/{claim}/status",
                                {"naar": "betwist", "versie": "1"})
    response = coordinator.post(f"{path}/accepteren", {"versie": "1"})
    assert response.status_code == 409
    assert "maak een nieuwe saldering" in summary_of(response.text)[0]


# --- statements, vangnet, compensatie ------------------------------------------------------------


def test_statement_on_the_page_and_as_xlsx_and_pdf_without_bsn(app, claim):
    utrecht = Browser(app, "user-a")
    page = utrecht.get("/verrekening/overzicht")
    body = text_of(page.text)
    assert "€ 9.000,00 te ontvangen" in body and "Amersfoort (0307)" in body
    xlsx = utrecht.get("/verrekening/overzicht/download?formaat=xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    cells = [str(c) for ws in load_workbook(io.BytesIO(xlsx.content)).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert claim in cells and BSN not in " ".join(cells)
    pdf = utrecht.get("/verrekening/overzicht/download?formaat=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert utrecht.get("/verrekening/overzicht/download?formaat=doc").status_code == 404
    # A gemeente gets its own statement whatever it asks for; the coordinator chooses.
    zeist = Browser(app, "user-c").get("/verrekening/overzicht?gemeente=0344")
    assert claim not in zeist.text
    coordinator = Browser(app, "user-coordinator")
    assert '<option value="0344"' in coordinator.get("/verrekening/overzicht").text
    assert claim in coordinator.get("/verrekening/overzicht?gemeente=0344").text


def test_vangnet_lists_disputed_and_too_long_open_claims_with_totals(app, f, claim, clock):
    utrecht = Browser(app, "user-a")
    assert "Er zijn geen vangnetclaims." in utrecht.get("/verrekening/vangnet").text
    clock.set(2022, 12, 1)  # six months after the claim arose
    page = text_of(utrecht.get("/verrekening/vangnet").text)
    assert "Te lang open" in page and "€ 9.000,00" in page
    assert "Utrecht (0344) € 9.000,00 (1) € 0,00 (0)" in page  # per gemeente: to receive, to pay


def test_compensatie_lists_youths_without_traceable_woonplaats(app, f, t, ctx, register):
    four = _decision(register, _abroad("2020-02-01"), "2021-06-01")  # onderdeel 4, Zeist
    transfer(f, beslissing=four)
    run(f, facturen.import_facturen, t.c, ctx, csv_file(invoice(
        "Z-1", betaler=ZEIST, begin="2021-12-01", einde="2022-01-31", bedrag="620000")), "z.csv")
    page = text_of(Browser(app, "user-c").get("/verrekening/compensatie").text)
    assert "Zeist (0355): 1 jeugdige, € 3.100,00" in page  # 31 of 62 days fall in 2022
    assert "Onderdeel 4" in page and BSN not in page
    assert "Er zijn geen jeugdigen" in Browser(app, "user-a").get("/verrekening/compensatie").text


# --- disputes -----------------------------------------------------------------------------------


def test_dispute_registered_on_a_claim_escalates_up_only_and_is_resolved(app, f, claim):
    amersfoort = Browser(app, "user-b")
    empty = amersfoort.post("/verrekening/geschillen", {
        "onderwerp": "claim", "claimId": claim, "terug": "claim", "omschrijving": ""})
    assert empty.status_code == 400
    assert summary_of(empty.text) == ["Beschrijf waar het geschil over gaat"]
    made = amersfoort.post("/verrekening/geschillen", {
        "onderwerp": "claim", "claimId": claim, "terug": "claim",
        "omschrijving": "Volgens ons ging de zorg pas in februari over."})
    assert made.status_code == 303
    path = made.headers["location"].split("?")[0]
    assert claim_row(f, claim).status == "betwist"
    page = amersfoort.get(path)
    assert "Regioadviseur" in page.text and "Utrecht (0344), Amersfoort (0307)" in text_of(page.text) \
        or "Amersfoort (0307), Utrecht (0344)" in text_of(page.text)

    up = amersfoort.post(f"{path}/escaleren", {
        "naar": "geschillencommissie_sociaal_domein", "versie": "1", "toelichting": "Geen akkoord."})
    assert up.status_code == 303
    page = text_of(amersfoort.get(up.headers["location"]).text)
    assert "Regioadviseur → Geschillencommissie Sociaal Domein" in page
    # Down is refused and said; only higher levels are offered.
    down = amersfoort.post(f"{path}/escaleren", {"naar": "regioadviseur", "versie": "2"})
    assert down.status_code == 409
    assert "escaleren gaat alleen omhoog" in summary_of(down.text)[0]
    offered = re.findall(r'<option value="([a-z_]+)"', amersfoort.get(path).text)
    assert offered == ["jeugdautoriteit", "rechter"]

    assert Browser(app, "user-a").post(f"{path}/oplossen", {
        "uitkomst": "x", "claim": "erkend", "versie": "2"}).status_code == 403
    coordinator = Browser(app, "user-coordinator")
    missing = coordinator.post(f"{path}/oplossen", {"uitkomst": "Claim blijft.", "versie": "2"})
    assert missing.status_code == 400
    assert summary_of(missing.text) == ["Wat er met de claim gebeurt: erkend of ingetrokken"]
    solved = coordinator.post(f"{path}/oplossen", {
        "uitkomst": "De claim blijft staan.", "claim": "erkend", "versie": "2"})
    assert solved.status_code == 303
    assert claim_row(f, claim).status == "erkend"
    assert "De claim blijft staan." in coordinator.get(path).text
    assert Browser(app, "user-c").get(path).status_code == 404  # not a party


def test_a_dispute_about_a_youth_takes_the_bsn_in_the_body_only(app, f):
    utrecht = Browser(app, "user-a")
    form = utrecht.get("/verrekening/geschillen")
    assert form.status_code == 200 and 'name="bsn"' in form.text
    bad = utrecht.post("/verrekening/geschillen", {
        "onderwerp": "jeugdige", "bsn": "123456789", "partij": ZEIST, "omschrijving": "Woonplaats?"})
    assert bad.status_code == 400
    assert field_errors_of(bad.text)["bsn"].startswith("BSN: ")
    assert "123456789" not in bad.text  # what was typed is not echoed back
    made = utrecht.post("/verrekening/geschillen", {
        "onderwerp": "jeugdige", "bsn": BSN, "partij": ZEIST, "omschrijving": "Woonplaats?"})
    assert made.status_code == 303 and BSN not in made.headers["location"]
    assert re.fullmatch(r"/verrekening/geschillen/[0-9a-f-]{36}\?melding=geschil-geregistreerd",
                        made.headers["location"])
    with transaction(f) as session:
        (g,) = session.scalars(select(Geschil)).all()
    assert g.bsn == BSN
    page = utrecht.get(made.headers["location"])
    assert BSN not in page.text and g.jeugdige in page.text
    assert "Zeist (0355)" in Browser(app, "user-c").get("/verrekening/geschillen").text
    # The one who registered it may withdraw it.
    versie = re.search(r'name="versie" value="(\d+)"', page.text).group(1)
    assert Browser(app, "user-c").post(f"/verrekening/geschillen/{g.publiek_id}/intrekken",
                                       {"versie": versie}).status_code == 403
    assert utrecht.get(f"/verrekening/geschillen/{g.id}").status_code == 404  # S10: the old address
    withdrawn = utrecht.post(f"/verrekening/geschillen/{g.publiek_id}/intrekken", {"versie": versie})
    assert withdrawn.status_code == 303
    assert "Ingetrokken" in utrecht.get(f"/verrekening/geschillen/{g.publiek_id}").text


def test_no_bsn_in_any_address_of_the_settlement_pages(app, claim):
    browser = Browser(app, "user-a")
    for path in (*PAGES, f"/verrekening/claims/{claim}"):
        html = browser.get(path).text
        assert not [u for u in urls_of(html) if bsn_like(u)], path


# --- payments out: the account and the payment files (issue 18, item 3) -----------------------


def test_a_gemeente_sets_its_account_and_downloads_its_payment_file(app, f, t, ctx, claim):
    utrecht, amersfoort = Browser(app, "user-a"), Browser(app, "user-b")
    assert "Er is nog geen rekening vastgelegd." in utrecht.get("/verrekening/rekening").text
    wrong = utrecht.post("/verrekening/rekening", {"iban": "NL92 ABNA 0417 1643 00"})
    assert wrong.status_code == 400
    assert "modulus 97" in field_errors_of(wrong.text)["iban"]
    assert 'value="NL92 ABNA 0417 1643 00"' in wrong.text  # what was typed is kept
    done = utrecht.post("/verrekening/rekening", {"iban": "nl91 abna 0417 1643 00"})
    assert done.status_code == 303
    page = utrecht.get(done.headers["location"])
    assert "De bankrekening van uw gemeente is vastgelegd." in page.text and "NL91ABNA0417164300" in page.text
    assert "NL91ABNA0417164300" not in amersfoort.get("/verrekening/rekening").text  # Utrecht's own
    assert amersfoort.post("/verrekening/rekening", {"iban": "NL20INGB0001234567"}).status_code == 303

    sid = run(f, saldering.create_saldering, t.coordinator, ctx)["id"]
    run(f, saldering.accept_saldering, t.coordinator, ctx, sid)
    page = amersfoort.get(f"/verrekening/salderingen/{sid}")
    assert "Betaalbestand voor de bank (pain.001)" in page.text  # Amersfoort pays Utrecht
    assert "pain.001" not in utrecht.get(f"/verrekening/salderingen/{sid}").text  # Utrecht pays nothing
    xml = amersfoort.get(f"/verrekening/salderingen/{sid}/betaalbestand?formaat=pain001")
    assert xml.status_code == 200 and b"NL91ABNA0417164300" in xml.content and b"9000.00" in xml.content
    csv_text = utrecht.get(f"/verrekening/salderingen/{sid}/betaalbestand?formaat=csv").text
    assert "900000" in csv_text and "NL20INGB0001234567" in csv_text
    assert utrecht.get(f"/verrekening/salderingen/{sid}/betaalbestand?formaat=pain001").status_code == 404
    assert Browser(app, "user-c").get(f"/verrekening/salderingen/{sid}/betaalbestand?formaat=csv").status_code == 404
