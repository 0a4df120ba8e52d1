"""The iJw message pages (issue 5), through HTTP as a browser uses them.

What the issue asks of them: the addressed gemeente sees its incoming requests with the
proposed answer (a toewijzing; a rejection with reden 8 naming the responsible gemeente;
"in onderzoek"), the decision's explanation and the deadlines (date, working days left,
overdue marked), approves and sends the answer with a form that carries the CSRF token;
a message can be uploaded as XML, and an invalid one is refused with each problem naming
element and rule in Dutch; a provider sees its own messages and the answers sent to it;
anyone else gets a 404. The rules themselves are tested in test_berichten.py.

Facts: OP274 (answer a VOT within 5 werkdagen; Tweede Paasdag 2026-04-06 is a feestdag),
OP359 (a woonplaats rejection within 2 weeks), IV095/TR377 (reden 8 with
Woonplaatsbeginsel/Gemeente), TR056 (one identificatie processed once).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import pytest
from sqlalchemy import select

from ijw_builders import BSN, jw315
from wpb.ijw import models as m
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht
from wpb.service.app import create_app
from wpb.service.audit.models import AuditRegel
from wpb.service.auth import sessions
from wpb.service.auth.web_session import (
    COOKIE_NAME,
    SESSION_MAX_AGE,
    SessionCodec,
    WebSession,
    new_token,
)
from wpb.service.components.beheer.models import Gebruiker
from wpb.service.components.berichten import receive
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.db import transaction

from ..helpers import SettableClock, bsn_like
from ..overdrachten.test_pages import Browser as LoginBrowser
from ..overdrachten.test_pages import field_errors_of, summary_of, urls_of
from .test_berichten import (
    LIVES_IN_AMERSFOORT,
    LIVES_IN_UTRECHT,
    RECEIPT,
    _transfer_with_brp,
    agreed,
)

P, Q = "99000011", "99000022"  # providers of the tenants (tests/service/helpers.py)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)  # Thursday 2026-04-02


@pytest.fixture
def app(settings, clock, sqlite_engine, sqlite_tenants):
    return create_app(settings, clock=clock, engine=sqlite_engine)


@pytest.fixture
def f(sqlite_factory):
    return sqlite_factory


@pytest.fixture
def t(sqlite_tenants):
    return sqlite_tenants


class Browser(LoginBrowser):
    """A browser already logged in as ``user``: the signed session cookie is made here, as
    the login page makes it, without the (deliberately slow) password check each time. The
    login itself is tested in test_pages.py."""

    def __init__(self, app, user: str | None = None):
        super().__init__(app)
        if user is None:
            return
        with transaction(app.state.wpb.factory) as session:
            gebruiker_id = session.scalar(
                select(Gebruiker.id).where(Gebruiker.gebruikersnaam == user))
            assert gebruiker_id is not None, user
            secret = sessions.start(session, gebruiker_id, SESSION_MAX_AGE)
        codec = SessionCodec(app.state.wpb.settings.resolved_secret_key())
        self.token = new_token()
        self.client.cookies.set(COOKIE_NAME, codec.dump(WebSession(self.token, gebruiker_id, secret)))


def vot(gemeente: str = "0307", aanbieder: str = P, identificatie: str = "VOT000000001",
        bsn: str = BSN) -> m.JW315:
    """A JW315 from ``aanbieder`` to ``gemeente``, dated 2026-04-01 (the builders' shape)."""
    bericht = jw315(gemeente=gemeente, bsn=bsn)
    return dataclasses.replace(bericht, header=m.Header.nieuw(
        m.BerichtType.JW315, afzender=aanbieder, ontvanger=gemeente,
        identificatie=identificatie, dagtekening=date(2026, 4, 1)))


def submit(f, t, ctx, bericht: m.Bericht) -> int:
    sender = t.p if bericht.header.afzender == P else t.q
    return receive.receive_and_process(f, sender, ctx, write_bericht(bericht)).bericht_id


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, bericht_id: int) -> str:
    match = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*?href="/berichten/{bericht_id}".*?</tr>', html, re.S)
    assert match, f"no row for message {bericht_id}"
    return match.group(0)


def answers(f, request_id: str) -> list[IjwBericht]:
    with transaction(f) as session:
        internal = session.scalar(select(IjwBericht.id).where(IjwBericht.publiek_id == request_id))
        return session.scalars(
            select(IjwBericht).where(IjwBericht.antwoord_op_id == internal,
                                     IjwBericht.retour.is_(None))  # not the JW316
        ).all()


# --- the list: proposals and deadlines --------------------------------------------------------


def test_gemeente_sees_each_proposed_answer_with_responsible_gemeente_and_deadline(
    app, f, t, ctx, clock
):
    _transfer_with_brp(f, LIVES_IN_UTRECHT)  # BSN lives in Utrecht: Amersfoort rejects (8)
    # Utrecht's proposal uses Utrecht's own BRP document only (S1): it attached one as well.
    _transfer_with_brp(f, LIVES_IN_UTRECHT, latende="0307", ontvangende="0344", attached_by="0344")
    rejected = submit(f, t, ctx, vot())
    granted = submit(f, t, ctx, vot(gemeente="0344", identificatie="VOT000000002"))
    onderzoek = submit(f, t, ctx, vot(identificatie="VOT000000003", bsn="999900006"))

    page = Browser(app, "user-b").get("/berichten")  # Amersfoort
    assert page.status_code == 200
    row = text_of(row_of(page.text, rejected))
    assert "Afwijzing: woonplaatsbeginsel (JW319, reden 8)" in row
    assert "verantwoordelijk: Utrecht (0344)" in row
    # OP274 after Thursday 2026-04-02: Fri 3, Tue 7 (Tweede Paasdag), Wed 8, Thu 9, Fri 10.
    assert "10 april 2026" in row and "nog 5 werkdagen" in row
    assert "Aanvraag in onderzoek (JW319)" in text_of(row_of(page.text, onderzoek))
    assert f'href="/berichten/{granted}"' not in page.text  # addressed to Utrecht

    utrecht = Browser(app, "user-a").get("/berichten")
    assert "Toewijzing (JW301)" in text_of(row_of(utrecht.text, granted))
    assert f'href="/berichten/{rejected}"' not in utrecht.text

    clock.set(2026, 4, 14)  # Tuesday after the last day: overdue, and marked as such
    late = Browser(app, "user-b").get("/berichten")
    overdue = row_of(late.text, rejected)
    assert 'class="rij-te-laat"' in overdue
    assert "2 werkdagen te laat" in text_of(overdue)


def test_the_detail_shows_the_decision_its_grondslag_and_each_deadline(app, f, t, ctx):
    _transfer_with_brp(f, LIVES_IN_UTRECHT)
    rid = submit(f, t, ctx, vot())
    page = Browser(app, "user-b").get(f"/berichten/{rid}")
    assert page.status_code == 200
    body = text_of(page.text)
    assert "Verantwoordelijke gemeente Utrecht (0344)" in body
    assert "Jeugdwet, artikel 1.1, begrip woonplaats, onderdeel 1" in body
    assert "Utrecht" in body.split("Toelichting", 1)[1]  # the decision's own explanation
    assert "uit de eigen BRP-opslag van de gemeente (upload)" in body  # where the BRP data came from
    deadlines = text_of(re.search(r'<table class="tabel" id="termijnen">.*?</table>',
                                  page.text, re.S).group(0))
    assert "OP274" in deadlines and "10 april 2026" in deadlines
    assert "OP359" in deadlines and "16 april 2026" in deadlines  # two weeks after receipt
    assert "Antwoord goedkeuren en versturen" in page.text
    with transaction(f) as session:
        actions = session.scalars(select(AuditRegel.actie).where(AuditRegel.bsn == BSN)).all()
    assert "bericht.lezen" in actions


# --- approving and sending ----------------------------------------------------------------------


def test_approving_sends_jw319_with_reden_8_and_the_responsible_gemeente(app, f, t, ctx):
    _transfer_with_brp(f, LIVES_IN_UTRECHT)
    rid = submit(f, t, ctx, vot())
    browser = Browser(app, "user-b")
    # Issue 18 item 12: first Utrecht (user-a), named with reden 8, must agree.
    refused = browser.post(f"/berichten/{rid}/antwoord", {"versie": "1"})
    assert refused.status_code == 409 and "nog niet gevraagd" in refused.text
    page = browser.get(f"/berichten/{rid}")
    assert "Instemming vragen" in page.text and "Utrecht (0344)" in page.text
    asked = browser.post(f"/berichten/{rid}/instemming", {})
    assert asked.status_code == 303
    assert "is om instemming gevraagd" in browser.get(asked.headers["location"]).text
    utrecht = Browser(app, "user-a")
    listing = utrecht.get("/instemmingen")
    assert listing.status_code == 200 and "Amersfoort (0307)" in listing.text
    (iid,) = re.findall(r'action="/instemmingen/([0-9a-f-]{36})"', listing.text)
    decided = utrecht.post(f"/instemmingen/{iid}", {"besluit": "akkoord", "versie": "1"})
    assert decided.status_code == 303 and "ingestemd" in utrecht.get(decided.headers["location"]).text
    assert Browser(app, "user-c").get("/instemmingen").text.count('action="/instemmingen/') == 0
    response = browser.post(f"/berichten/{rid}/antwoord", {"versie": "1"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/berichten/{rid}?melding=antwoord-verzonden"
    (sent,) = answers(f, rid)
    jw319 = read_bericht(sent.xml.encode())
    assert isinstance(jw319, m.JW319)
    assert (jw319.antwoord.reden_afwijzing_verzoek, jw319.antwoord.woonplaatsbeginsel_gemeente) == (
        "8", "0344")
    after = browser.get(response.headers["location"])
    assert "Het antwoord is goedgekeurd en verstuurd naar de aanbieder." in after.text
    assert "Beantwoord" in after.text and "Antwoord goedkeuren en versturen" not in after.text
    assert f'href="/berichten/{sent.publiek_id}"' in after.text
    answer_page = browser.get(f"/berichten/{sent.publiek_id}")
    assert "Reden afwijzing" in answer_page.text and "Utrecht (0344)" in answer_page.text
    with transaction(f) as session:
        entry = session.scalars(
            select(AuditRegel).where(AuditRegel.actie == "bericht.antwoord")).one()
    assert (entry.gebruikersnaam, entry.bsn) == ("user-b", BSN)


def test_approving_without_the_csrf_token_sends_nothing(app, f, t, ctx):
    rid = submit(f, t, ctx, vot())
    browser = Browser(app, "user-b")
    assert browser.post(f"/berichten/{rid}/antwoord", {"versie": "1"}, token="").status_code == 403
    assert browser.post(f"/berichten/{rid}/antwoord", {"versie": "1"}, token="fout").status_code == 403
    assert answers(f, rid) == []


def test_a_stale_version_is_shown_as_an_error_and_sends_nothing(app, f, t, ctx):
    rid = submit(f, t, ctx, vot())
    response = Browser(app, "user-b").post(f"/berichten/{rid}/antwoord", {"versie": "7"})
    assert response.status_code == 409
    assert summary_of(response.text) == ["Het verzoek is intussen gewijzigd; bekijk het opnieuw."]
    assert answers(f, rid) == []


def test_a_toewijzing_without_an_address_names_what_is_missing(app, f, t, ctx):
    no_address = {"peildatum": "2026-04-01", "jeugdige": {
        "burgerservicenummer": BSN, "geboorte": {"datum": {"type": "Datum", "datum": "2012-03-04"}},
        "verblijfplaatshistorie": [{"type": "Adres", "gemeenteVanInschrijving": {"code": "0307"},
                                    "datumVan": {"type": "Datum", "datum": "2012-03-04"}}]}}
    _transfer_with_brp(f, no_address)
    rid = submit(f, t, ctx, vot())
    browser = Browser(app, "user-b")
    assert "De toewijzing kan nog niet worden verstuurd." in browser.get(f"/berichten/{rid}").text
    response = browser.post(f"/berichten/{rid}/antwoord", {"versie": "1"})
    assert response.status_code == 409
    assert any("TR061" in line for line in summary_of(response.text))
    assert answers(f, rid) == []


def test_a_new_proposal_with_an_uploaded_brp_document(app, f, t, ctx):
    import json

    rid = submit(f, t, ctx, vot())  # no BRP data: in onderzoek
    browser = Browser(app, "user-b")
    assert "Aanvraag in onderzoek" in browser.get(f"/berichten/{rid}").text
    bad = browser.post(f"/berichten/{rid}/voorstel",
                       files={"document": ("brp.json", b"{niet json", "application/json")})
    assert bad.status_code == 400
    assert field_errors_of(bad.text)["brp-document"] == "BRP-document: geen geldig JSON-document"
    response = browser.post(
        f"/berichten/{rid}/voorstel",
        files={"document": ("brp.json", json.dumps(LIVES_IN_AMERSFOORT).encode(), "application/json")},
    )
    assert response.status_code == 303
    page = browser.get(response.headers["location"])
    assert "Het antwoord is opnieuw voorgesteld" in page.text
    assert "Toewijzing (JW301)" in page.text and "door een medewerker aangeleverd" in page.text


# --- uploading a message --------------------------------------------------------------------------


def test_uploading_a_message_then_the_same_again_is_processed_once(app, f, t):
    browser = Browser(app, "user-p")
    assert "Bericht (XML-bestand)" in browser.get("/berichten/indienen").text
    data = write_bericht(vot())
    first = browser.post("/berichten/indienen", files={"bestand": ("vot.xml", data, "application/xml")})
    assert first.status_code == 303
    rid = re.fullmatch(r"/berichten/([0-9a-f-]{36})\?melding=bericht-ontvangen",
                       first.headers["location"]).group(1)
    again = browser.post("/berichten/indienen", files={"bestand": ("vot.xml", data, "application/xml")})
    assert again.headers["location"] == f"/berichten/{rid}?melding=bericht-herhaald"
    assert "niet opnieuw verwerkt (TR056)" in browser.get(again.headers["location"]).text
    with transaction(f) as session:
        assert len(session.scalars(select(IjwBericht)).all()) == 2  # with its JW316


def test_an_impossible_date_is_refused_naming_element_value_and_rule(app, f):
    valid = write_bericht(vot())
    data = valid.replace(b"<ijw:Dagtekening>2026-04-01<", b"<ijw:Dagtekening>2027-06-31<")
    assert data != valid
    response = Browser(app, "user-p").post(
        "/berichten/indienen", files={"bestand": ("vot.xml", data, "application/xml")})
    assert response.status_code == 400
    (line,) = summary_of(response.text)
    assert line.startswith("Element /Bericht/Header/BerichtIdentificatie/Dagtekening")
    assert "'2027-06-31' is geen bestaande datum" in line and "controle" in line
    assert "Het bericht is niet ontvangen: 1 fout" in response.text
    assert BSN not in response.text
    with transaction(f) as session:
        assert session.scalars(select(IjwBericht)).all() == []


def test_a_message_refused_on_a_rule_links_its_retourbericht(app, f):
    """Issue 18 item 11: TR018 (an end before the start) refuses the VOT, and its JW316 with
    retourcode 0001 on that product is kept; the page links it and the provider opens it."""
    from ijw_builders import aangevraagd

    bad = dataclasses.replace(vot(), client=dataclasses.replace(vot().client, aangevraagde_producten=(
        aangevraagd("A", ingang=date(2026, 6, 1), eind=date(2026, 5, 1)),)))
    browser = Browser(app, "user-p")
    response = browser.post("/berichten/indienen",
                            files={"bestand": ("vot.xml", write_bericht(bad, check=False),
                                               "application/xml")})
    assert response.status_code == 400 and "Het bericht is afgekeurd: 1 fout" in response.text
    (link,) = re.findall(r'href="/berichten/([0-9a-f-]{36})">Bekijk het retourbericht', response.text)
    page = browser.get(f"/berichten/{link}")
    assert page.status_code == 200 and "JW316" in page.text and "0001" in page.text


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b"dit is geen xml",
])
def test_hostile_or_broken_xml_is_refused_in_dutch(app, data):
    response = Browser(app, "user-p").post(
        "/berichten/indienen", files={"bestand": ("x.xml", data, "application/xml")})
    assert response.status_code == 400
    (line,) = summary_of(response.text)
    assert line.startswith("Element /") and "root:" not in response.text


def test_uploading_without_a_file_or_for_someone_else(app, t):
    browser = Browser(app, "user-p")
    empty = browser.post("/berichten/indienen")
    assert empty.status_code == 400
    assert summary_of(empty.text) == ["Kies een XML-bestand met één iJw-bericht"]
    foreign = browser.post("/berichten/indienen", files={
        "bestand": ("vot.xml", write_bericht(vot(aanbieder=Q)), "application/xml")})
    assert foreign.status_code == 403
    assert "de afzender is" in summary_of(foreign.text)[0]


# --- who sees what ------------------------------------------------------------------------------


def test_the_provider_sees_its_messages_and_the_answers_but_no_proposal(app, f, t, ctx):
    _transfer_with_brp(f, LIVES_IN_UTRECHT)
    rid = submit(f, t, ctx, vot())
    agreed(f, t, ctx, rid)
    gemeente = Browser(app, "user-b")
    gemeente.post(f"/berichten/{rid}/antwoord", {"versie": "1"})
    (sent,) = answers(f, rid)

    provider = Browser(app, "user-p")
    listing = provider.get("/berichten")
    assert listing.status_code == 200
    assert f'href="/berichten/{rid}"' in listing.text and f'href="/berichten/{sent.publiek_id}"' in listing.text
    detail = provider.get(f"/berichten/{rid}")
    assert "Voorgesteld antwoord" not in detail.text and "OP359" not in detail.text
    assert "Antwoord goedkeuren" not in detail.text
    assert provider.get(f"/berichten/{sent.id}/xml").status_code == 404  # S10: an old integer address
    xml = provider.get(f"/berichten/{sent.publiek_id}/xml")
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert f'filename="bericht-{sent.publiek_id}.xml"' in xml.headers["content-disposition"]
    assert read_bericht(xml.content).antwoord.woonplaatsbeginsel_gemeente == "0344"


def test_everyone_else_gets_404(app, f, t, ctx):
    rid = submit(f, t, ctx, vot())
    for user in ("user-a", "user-c", "user-q", "user-coordinator"):
        browser = Browser(app, user)
        assert browser.get(f"/berichten/{rid}").status_code == 404
        assert browser.get(f"/berichten/{rid}/xml").status_code == 404
        assert browser.post(f"/berichten/{rid}/antwoord", {"versie": "1"}).status_code == 404
    coordinator = Browser(app, "user-coordinator")
    assert coordinator.get("/berichten").status_code == 404
    assert coordinator.get("/berichten/indienen").status_code == 404
    # The provider that sent it may not approve the answer.
    response = Browser(app, "user-p").post(f"/berichten/{rid}/antwoord", {"versie": "1"})
    assert response.status_code == 403
    assert answers(f, rid) == []


def test_no_bsn_in_any_address_of_the_message_pages(app, f, t, ctx):
    _transfer_with_brp(f, LIVES_IN_UTRECHT)
    rid = submit(f, t, ctx, vot())
    browser = Browser(app, "user-b")
    pages = [browser.get(p).text for p in ("/berichten", "/berichten?welke=alle", f"/berichten/{rid}")]
    assert BSN in pages[2]  # the addressed gemeente sees the youth on the page itself ...
    for html in pages:
        assert not [u for u in urls_of(html) if bsn_like(u)]  # ... never in a URL


def test_pages_need_a_login_and_the_real_login_leads_there(app, f, t, ctx):
    rid = submit(f, t, ctx, vot())
    response = Browser(app).get(f"/berichten/{rid}")
    assert response.status_code == 303 and response.headers["location"].startswith("/inloggen?")
    assert LoginBrowser(app, "user-b").get(f"/berichten/{rid}").status_code == 200


# --- the demo data ------------------------------------------------------------------------------


def test_the_demo_data_fills_the_message_and_settlement_pages(settings, sqlite_engine):
    """``sample_data_extra.seed`` after the sample data: what ``make run`` shows."""
    from wpb.service import sample_data, sample_data_extra
    from wpb.service.clock import system_clock
    from wpb.service.db import make_sessionmaker

    factory = make_sessionmaker(sqlite_engine)
    keyed = settings.with_(pseudoniem_sleutel="demo-sleutel-voor-de-test")
    with transaction(factory) as session:
        sample_data.seed(session)
        made = sample_data_extra.seed(session, keyed, clock=system_clock)
        assert sample_data_extra.is_seeded(session)
    # Six messages, and a retourbericht on each of the five the gemeenten received (OP090).
    assert (made.berichten, made.facturen, made.claims, made.geschillen) == (11, 5, 4, 1)
    app = create_app(keyed, engine=sqlite_engine)  # the real clock: deadlines relative to today

    utrecht = Browser(app, "utrecht")
    listing = utrecht.get("/berichten")
    open_requests = re.search(r'<table class="tabel" id="verzoeken">.*?</table>', listing.text, re.S)
    assert open_requests and open_requests.group(0).count("<tr") == 4  # header and three requests
    body = text_of(open_requests.group(0))
    for answer in ("Toewijzing (JW301)", "Afwijzing: woonplaatsbeginsel (JW319, reden 8)",
                   "Aanvraag in onderzoek (JW319)"):
        assert answer in body
    assert "verantwoordelijk: Zeist (0355)" in body and "te laat" in body
    claims = text_of(utrecht.get("/verrekening").text)
    assert "Te betalen (2)" in claims and "Te ontvangen (2)" in claims and "Betwist" in claims
    provider = text_of(Browser(app, "voorbeeldhoeve").get("/berichten").text)
    assert "JW319" in provider  # the answer Amersfoort sent

    # Without the key the invoices are there, the claims wait for the key.
    other = settings.with_(database_url=f"sqlite:///{settings.data_dir / 'zonder-sleutel.sqlite'}")
    from wpb.service import migrations
    from wpb.service.db import make_engine

    engine = make_engine(other.database_url)
    migrations.upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        sample_data.seed(session)
        bare = sample_data_extra.seed(session, other)
    engine.dispose()
    assert (bare.facturen, bare.claims, bare.geschillen) == (5, 0, 0)


def test_the_detail_shows_the_retourbericht_with_its_codes_and_op090_deadline(app, f, t, ctx):
    rid = submit(f, t, ctx, vot())
    page = Browser(app, "user-b").get(f"/berichten/{rid}")
    assert page.status_code == 200
    table = re.search(r'<table class="tabel" id="verzonden">.*?</table>', page.text, re.S)
    assert table, "no table of answers and retourberichten"
    row = text_of(table.group(0))
    # OP090: 3 werkdagen after Thursday 2026-04-02 (Tweede Paasdag 6 April is a feestdag).
    assert "JW316" in row and "0200" in row and "8 april 2026" in row
    (retour_id,) = re.findall(r'href="/berichten/([0-9a-f-]{36})"', table.group(0))[:1]
    detail = Browser(app, "user-p").get(f"/berichten/{retour_id}")
    assert detail.status_code == 200 and 'id="retourcodes"' in detail.text
