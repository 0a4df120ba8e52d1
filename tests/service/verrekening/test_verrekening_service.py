"""The settlement in the service (issue 6): imports all-or-nothing, claims from the stored
transfers, recomputation that never alters settled claims, rights on claim states, netting
without disputed claims, statements without BSNs, vangnet, compensatie, disputes, tenants.

The worked example is docs/verrekening.md section 3 on the service's own data: the latende
gemeente Utrecht keeps paying in 2022 for a youth transferred in time to Amersfoort
(1-november-maatregel, onderdelen A and B), so Utrecht holds a claim on Amersfoort.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from wpb.brp.haal_centraal import parse_case
from wpb.law.engine import decide
from wpb.service.audit import trail as audit
from wpb.service.audit.models import AuditRegel
from wpb.service.components.berichten import receive
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.components.verrekening import (
    beslissingen,
    claims,
    compensatie,
    facturen,
    geschillen,
    overzichten,
    saldering,
)
from wpb.service.components.verrekening.models import (
    VerrekeningClaim,
    VerrekeningFactuur,
    VerrekeningImport,
)
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotConfigured, NotFound

from ..helpers import SettableClock, make_context

UTRECHT, AMERSFOORT, ZEIST = "0344", "0307", "0355"
BSN, OTHER = "999990019", "999900006"
AGB = "99000011"
KEY = "een-geheime-sleutel-van-minstens-16"
HEADER = ["factuurreferentie", "bsn", "betalende_gemeente", "aanbieder_agb", "product",
          "begindatum", "einddatum", "bedrag_eurocent", "betaaldatum"]


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2022, 6, 1, 10, 0, tzinfo=UTC))


@pytest.fixture
def ctx(settings, clock):
    return make_context(settings.with_(pseudoniem_sleutel=KEY), clock)


def invoice(ref="F-1", bsn=BSN, betaler=UTRECHT, begin="2022-01-01", einde="2022-03-31",
            bedrag="900000", agb=AGB) -> list[str]:
    return [ref, bsn, betaler, agb, "45A48", begin, einde, bedrag, "2022-04-15"]


def csv_file(*rows: list[str]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return out.getvalue().encode()


def transfer(factory, bsn=BSN, latende=UTRECHT, ontvangende=AMERSFOORT, beslissing=None) -> int:
    now = datetime(2021, 10, 15, 9)
    with transaction(factory) as session:
        o = Overdracht(
            latende_gemeente=latende, ontvangende_gemeente=ontvangende, bsn=bsn,
            geboortedatum=date(2010, 5, 1), status="geaccepteerd", versie=2,
            aanleverdatum=date(2021, 10, 15), geaccepteerd_op=date(2021, 10, 20),
            aangemaakt_op=now, gewijzigd_op=now,
            woonplaats_beslissing=json.dumps(beslissing) if beslissing else None,
        )
        session.add(o)
        session.flush()
        return o.id


def run(factory, fn, *args, **kwargs):
    with transaction(factory) as session:
        return fn(session, *args, **kwargs)


def count(factory, model) -> int:
    with transaction(factory) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def claims_of(factory) -> dict[str, VerrekeningClaim]:
    with transaction(factory) as session:
        return {r.id: r for r in session.scalars(select(VerrekeningClaim))}


def setup_claim(factory, tenants, ctx) -> str:
    """Utrecht paid Q1 2022 for a youth Amersfoort carries from 2022-01-01: one claim."""
    transfer(factory)
    run(factory, facturen.import_facturen, tenants.a, ctx, csv_file(invoice()), "betaald.csv")
    result = run(factory, claims.recompute_claims, tenants.coordinator, ctx)
    (claim,) = result["nieuw"]
    return claim["id"]


# --- importing invoices ------------------------------------------------------------------------


def test_import_is_all_or_nothing_and_names_every_bad_row(factory, tenants, ctx):
    content = csv_file(invoice("F-1"), invoice("F-2", bsn="123456789"),
                       invoice("F-3", bedrag="123,45"))
    with pytest.raises(InvalidRequest) as caught:
        run(factory, facturen.import_facturen, tenants.a, ctx, content, "betaald.csv")
    names = [name for name, _ in caught.value.invalid_params]
    assert names == ["regel 3, kolom bsn", "regel 4, kolom bedrag_eurocent"]
    assert "123456789" not in json.dumps(caught.value.to_json())
    assert count(factory, VerrekeningFactuur) == 0 and count(factory, VerrekeningImport) == 0


def test_import_stores_every_row_once(factory, tenants, ctx):
    stored = run(factory, facturen.import_facturen, tenants.a, ctx,
                 csv_file(invoice("F-1"), invoice("F-2", bedrag="1")), "betaald.csv")
    assert (stored["aantal"], stored["totaal"]) == (2, 900001)
    with pytest.raises(InvalidRequest, match="niets ingelezen") as caught:
        run(factory, facturen.import_facturen, tenants.a, ctx,
            csv_file(invoice("F-3"), invoice("F-1")), "opnieuw.csv")
    assert caught.value.invalid_params == [("factuur F-1", "0344/99000011/F-1 is al eerder ingelezen")]
    assert count(factory, VerrekeningFactuur) == 2


def test_a_gemeente_imports_only_what_it_paid(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    with pytest.raises(InvalidRequest) as caught:
        run(f, facturen.import_facturen, t.b, ctx, csv_file(invoice()), "x.csv")
    assert "u leest alleen facturen in die uw gemeente (0307) betaalde" in caught.value.invalid_params[0][1]
    with pytest.raises(Forbidden):
        run(f, facturen.import_facturen, t.p, ctx, csv_file(invoice()), "x.csv")
    assert run(f, facturen.import_facturen, t.coordinator, ctx, csv_file(invoice()), "x.csv")["aantal"] == 1


def test_xlsx_import(sqlite_factory, sqlite_tenants, ctx):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(HEADER)
    wb.active.append(["F-9", BSN, 344, int(AGB), "45A48", date(2022, 1, 1), date(2022, 1, 31),
                      31000, date(2022, 2, 10)])
    out = io.BytesIO()
    wb.save(out)
    stored = run(sqlite_factory, facturen.import_facturen, sqlite_tenants.a, ctx, out.getvalue(), "f.xlsx")
    assert (stored["bron"], stored["facturen"]) == ("xlsx", ["0344/99000011/F-9"])


def test_settlement_needs_the_pseudonym_key(sqlite_factory, sqlite_tenants, settings, clock):
    plain = make_context(settings, clock)
    with pytest.raises(NotConfigured, match="WPB_PSEUDONIEM_SLEUTEL"):
        run(sqlite_factory, claims.recompute_claims, sqlite_tenants.coordinator, plain)


# --- claims and recomputation -----------------------------------------------------------------


def test_claim_from_the_stored_transfer(factory, tenants, ctx):
    oid = transfer(factory)
    run(factory, facturen.import_facturen, tenants.a, ctx, csv_file(invoice()), "betaald.csv")
    result = run(factory, claims.recompute_claims, tenants.a, ctx)
    (claim,) = result["nieuw"]
    assert (claim["schuldeiser"]["code"], claim["schuldenaar"]["code"], claim["bedrag"]) == (
        UTRECHT, AMERSFOORT, 900000)
    assert (claim["van"], claim["totEnMet"]) == ("2022-01-01", "2022-03-31")
    assert claim["grondslagen"][0]["soort"] == "overdracht"
    with transaction(factory) as session:  # the transfer's public id, never its key (S10)
        assert claim["grondslagen"][0]["referentie"] == session.get(Overdracht, oid).publiek_id
    assert claim["jeugdige"].startswith("J-") and BSN not in json.dumps(result)
    assert claim["mogelijkeStatussen"] == ["ingetrokken"]  # Utrecht is the schuldeiser


def test_recompute_never_alters_acknowledged_or_paid_claims(factory, tenants, ctx, clock):
    """docs/verrekening.md: the acknowledged claim stays; a correction of 31/90 is added."""
    cid = setup_claim(factory, tenants, ctx)
    run(factory, claims.change_claim_status, tenants.b, ctx, cid, "erkend")
    before = claims_of(factory)[cid]
    clock.set(2022, 7, 1)
    run(factory, beslissingen.register_beslissing, tenants.coordinator, ctx, beslissing={
        "bsn": BSN, "gemeente": UTRECHT, "ingang": "2022-03-01", "vastgesteldOp": "2022-07-01",
        "invoerHash": "sha256:" + "a" * 64})
    result = run(factory, claims.recompute_claims, tenants.coordinator, ctx)
    after = claims_of(factory)
    settled = after[cid]
    assert (settled.status, settled.bedrag, settled.versie, settled.gewijzigd_op) == (
        before.status, before.bedrag, before.versie, before.gewijzigd_op)
    (correctie,) = result["correcties"]
    assert (correctie["schuldeiser"]["code"], correctie["schuldenaar"]["code"]) == (AMERSFOORT, UTRECHT)
    assert correctie["bedrag"] == 310000 and correctie["corrigeert"] == [cid]
    # A second run changes nothing.
    again = run(factory, claims.recompute_claims, tenants.coordinator, ctx)
    assert again["nieuw"] == again["correcties"] == again["ingetrokken"] == []
    assert claims_of(factory).keys() == after.keys()


def test_recompute_withdraws_an_open_claim_the_timeline_no_longer_supports(
    sqlite_factory, sqlite_tenants, ctx
):
    f, t = sqlite_factory, sqlite_tenants
    cid = setup_claim(f, t, ctx)
    run(f, beslissingen.register_beslissing, t.coordinator, ctx, beslissing={
        "bsn": BSN, "gemeente": UTRECHT, "ingang": "2022-01-01", "vastgesteldOp": "2022-05-01",
        "invoerHash": "sha256:" + "b" * 64})
    result = run(f, claims.recompute_claims, t.coordinator, ctx)
    assert result["ingetrokken"] == [cid] and result["nieuw"] == []
    assert result["eigen"] == {"aantal": 1, "bedrag": 900000}
    assert claims_of(f)[cid].status == "ingetrokken"


def test_paid_claim_survives_a_recompute_that_would_undo_it(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    cid = setup_claim(f, t, ctx)
    run(f, claims.change_claim_status, t.b, ctx, cid, "erkend")
    run(f, claims.change_claim_status, t.a, ctx, cid, "betaald")
    run(f, beslissingen.register_beslissing, t.coordinator, ctx, beslissing={
        "bsn": BSN, "gemeente": UTRECHT, "ingang": "2022-01-01", "vastgesteldOp": "2022-05-01",
        "invoerHash": "sha256:" + "c" * 64})
    result = run(f, claims.recompute_claims, t.coordinator, ctx)
    assert claims_of(f)[cid].status == "betaald" and result["ingetrokken"] == []
    (correctie,) = result["correcties"]
    assert (correctie["schuldeiser"]["code"], correctie["bedrag"]) == (AMERSFOORT, 900000)


def test_conflicting_decisions_skip_the_youth_and_say_why(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    cid = setup_claim(f, t, ctx)
    for gemeente, h in ((UTRECHT, "d"), (ZEIST, "e")):
        run(f, beslissingen.register_beslissing, t.coordinator, ctx, beslissing={
            "bsn": BSN, "gemeente": gemeente, "ingang": "2022-02-01", "vastgesteldOp": "2022-05-01",
            "invoerHash": "sha256:" + h * 64})
    result = run(f, claims.recompute_claims, t.coordinator, ctx)
    (skipped,) = result["overgeslagen"]
    assert skipped["jeugdige"].startswith("J-") and "dezelfde dag" in skipped["problemen"][0]
    assert BSN not in json.dumps(result)
    assert claims_of(f)[cid].status == "open"


def test_registering_a_transfer_decision(sqlite_factory, sqlite_tenants, ctx, register):
    f, t = sqlite_factory, sqlite_tenants
    doc = decide(parse_case({
        "peildatum": "2022-03-01",
        "jeugdige": {"burgerservicenummer": BSN, "geboorte": {"datum": {"type": "Datum", "datum": "2010-05-01"}},
                     "verblijfplaatshistorie": [{"type": "Adres", "datumVan": {"type": "Datum", "datum": "2010-05-01"},
                                                 "gemeenteVanInschrijving": {"code": ZEIST}}]},
    }, register), register).to_json()
    oid = transfer(f, beslissing=doc)
    with pytest.raises(NotFound):
        run(f, beslissingen.register_beslissing, t.c, ctx, overdracht_id=oid)
    with pytest.raises(Forbidden):
        run(f, beslissingen.register_beslissing, t.a, ctx, beslissing={"bsn": BSN})
    view = run(f, beslissingen.register_beslissing, t.b, ctx, overdracht_id=oid)
    with transaction(f) as session:
        public = session.get(Overdracht, oid).publiek_id
    assert (view["gemeente"]["code"], view["ingang"], view["overdrachtId"]) == (ZEIST, "2022-03-01", public)
    with pytest.raises(Conflict):
        run(f, beslissingen.register_beslissing, t.a, ctx, overdracht_id=oid)


# --- claim states and rights --------------------------------------------------------------------


def test_claim_state_rights(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    cid = setup_claim(f, t, ctx)
    with pytest.raises(Forbidden):
        run(f, claims.change_claim_status, t.a, ctx, cid, "erkend")  # the creditor cannot acknowledge
    with pytest.raises(Conflict):
        run(f, claims.change_claim_status, t.a, ctx, cid, "betaald")  # not from open
    with pytest.raises(NotFound):
        run(f, claims.change_claim_status, t.c, ctx, cid, "erkend")
    with pytest.raises(Conflict, match="gewijzigd"):
        run(f, claims.change_claim_status, t.b, ctx, cid, "erkend", versie=5)
    view = run(f, claims.change_claim_status, t.b, ctx, cid, "betwist", toelichting="niet onze inwoner")
    assert (view["status"], view["versie"]) == ("betwist", 2)
    with pytest.raises(Forbidden):
        run(f, claims.change_claim_status, t.b, ctx, cid, "erkend")  # only the coordinator resolves
    assert run(f, claims.change_claim_status, t.coordinator, ctx, cid, "erkend")["status"] == "erkend"
    detail = run(f, claims.read_claim, t.a, ctx, cid)
    assert [(g["vanStatus"], g["naarStatus"]) for g in detail["gebeurtenissen"]] == [
        (None, "open"), ("open", "betwist"), ("betwist", "erkend")]


def test_two_status_changes_at_once_one_wins(postgres_factory, ctx):
    from ..helpers import make_tenants

    f = postgres_factory
    t = make_tenants(f)
    cid = setup_claim(f, t, ctx)
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def act(i, naar):
        barrier.wait()
        try:
            results[i] = run(f, claims.change_claim_status, t.b, ctx, cid, naar, versie=1)
        except Exception as exc:  # collected and checked below
            results[i] = exc

    threads = [threading.Thread(target=act, args=(i, n)) for i, n in enumerate(("erkend", "betwist"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert sum(isinstance(r, dict) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert claims_of(f)[cid].versie == 2


# --- netting ------------------------------------------------------------------------------------


def _three_claims(factory, tenants, ctx) -> dict[str, str]:
    """Utrecht → Amersfoort 900 000 (youth 1); Zeist → Amersfoort 310 000 (youth 2, disputed)."""
    transfer(factory)
    transfer(factory, bsn=OTHER, latende=ZEIST, ontvangende=AMERSFOORT)
    run(factory, facturen.import_facturen, tenants.a, ctx, csv_file(invoice()), "u.csv")
    run(factory, facturen.import_facturen, tenants.c, ctx,
        csv_file(invoice("Z-1", bsn=OTHER, betaler=ZEIST, einde="2022-01-31", bedrag="310000")), "z.csv")
    result = run(factory, claims.recompute_claims, tenants.coordinator, ctx)
    return {c["schuldeiser"]["code"]: c["id"] for c in result["nieuw"]}


def test_netting_leaves_disputed_claims_out(factory, tenants, ctx):
    ids = _three_claims(factory, tenants, ctx)
    geschil = run(factory, geschillen.register_geschil, tenants.b, ctx, onderwerp="claim",
                  claim_id=ids[ZEIST], omschrijving="De jeugdige woonde in Zeist.")
    assert claims_of(factory)[ids[ZEIST]].status == "betwist"
    s = run(factory, saldering.create_saldering, tenants.coordinator, ctx)
    assert s["claims"] == [ids[UTRECHT]]
    assert [(b["van"]["code"], b["aan"]["code"], b["bedrag"]) for b in s["betalingen"]] == [
        (AMERSFOORT, UTRECHT, 900000)]
    assert {x["gemeente"]["code"]: x["saldo"] for x in s["saldi"]} == {UTRECHT: 900000, AMERSFOORT: -900000}
    # Every party accepts; then the open claim is erkend; paid after confirmation.
    with pytest.raises(NotFound):
        run(factory, saldering.accept_saldering, tenants.c, ctx, s["id"])  # Zeist has no balance
    half = run(factory, saldering.accept_saldering, tenants.a, ctx, s["id"])
    assert half["status"] == "voorstel" and half["akkoord"] == [UTRECHT]
    assert half["saldi"] == [{"gemeente": {"code": UTRECHT, "naam": "Utrecht"}, "saldo": 900000}]
    done = run(factory, saldering.accept_saldering, tenants.b, ctx, s["id"])
    assert done["status"] == "geaccepteerd" and claims_of(factory)[ids[UTRECHT]].status == "erkend"
    with pytest.raises(Forbidden):
        run(factory, saldering.confirm_betalingen, tenants.a, ctx, s["id"])
    paid = run(factory, saldering.confirm_betalingen, tenants.coordinator, ctx, s["id"])
    assert paid["status"] == "betaald" and claims_of(factory)[ids[UTRECHT]].status == "betaald"
    # Once resolved in the creditor's favour the disputed claim is netted.
    run(factory, geschillen.resolve_geschil, tenants.coordinator, ctx, geschil["id"],
        uitkomst="Zeist betaalde terecht niet zelf.", claim="erkend")
    again = run(factory, saldering.create_saldering, tenants.coordinator, ctx)
    assert again["claims"] == [ids[ZEIST]]


def test_a_claim_changed_after_the_proposal_makes_it_stale(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    ids = _three_claims(f, t, ctx)
    s = run(f, saldering.create_saldering, t.coordinator, ctx)
    assert sorted(s["claims"]) == sorted(ids.values())
    run(f, claims.change_claim_status, t.b, ctx, ids[ZEIST], "betwist")
    with pytest.raises(Conflict, match="nieuwe saldering"):
        run(f, saldering.accept_saldering, t.coordinator, ctx, s["id"])
    with pytest.raises(Forbidden):
        run(f, saldering.create_saldering, t.a, ctx)


# --- statements, vangnet, tenants --------------------------------------------------------------


def test_statements_carry_no_bsn(sqlite_factory, sqlite_tenants, ctx):
    from pypdf import PdfReader

    f, t = sqlite_factory, sqlite_tenants
    ids = _three_claims(f, t, ctx)
    data = run(f, overzichten.overzicht, t.b, ctx, AMERSFOORT)
    assert (data["teBetalen"], data["teOntvangen"], data["netto"]) == (1210000, 0, -1210000)
    assert [tp["gemeente"]["code"] for tp in data["tegenpartijen"]] == [UTRECHT, ZEIST]
    xlsx = run(f, overzichten.overzicht, t.b, ctx, AMERSFOORT, "xlsx")
    cells = [str(c) for ws in load_workbook(io.BytesIO(xlsx.content)).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert ids[UTRECHT] in cells
    pdf = run(f, overzichten.overzicht, t.coordinator, ctx, AMERSFOORT, "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Amersfoort" in text and "J-" in text
    for bsn in (BSN, OTHER):
        assert bsn not in json.dumps(data) and bsn not in " ".join(cells) and bsn not in text
    with pytest.raises(NotFound):
        run(f, overzichten.overzicht, t.a, ctx, AMERSFOORT)  # another gemeente's statement
    with pytest.raises(NotFound):
        run(f, overzichten.overzicht, t.p, ctx, AMERSFOORT)


def test_vangnet_lists_old_and_disputed_claims(sqlite_factory, sqlite_tenants, ctx, clock):
    f, t = sqlite_factory, sqlite_tenants
    ids = _three_claims(f, t, ctx)  # ontstaan 2022-06-01
    run(f, claims.change_claim_status, t.b, ctx, ids[ZEIST], "betwist")
    now = run(f, overzichten.list_vangnet, t.coordinator, ctx)
    assert [c["claim"]["id"] for c in now["claims"]] == [ids[ZEIST]]
    clock.set(2022, 12, 1)  # six months after ontstaan
    later = run(f, overzichten.list_vangnet, t.coordinator, ctx)
    assert later["totaal"] == 1210000 and later["perAanbieder"] == {AGB: {"aantal": 2, "bedrag": 1210000}}
    assert run(f, overzichten.list_vangnet, t.a, ctx)["totaal"] == 900000  # Utrecht's own claims
    assert run(f, overzichten.list_vangnet, t.coordinator, ctx, termijn=12)["aantal"] == 1
    with pytest.raises(NotFound):
        run(f, overzichten.list_vangnet, t.p, ctx)


def test_tenant_isolation(factory, tenants, ctx):
    ids = _three_claims(factory, tenants, ctx)
    assert run(factory, claims.list_claims, tenants.coordinator, ctx)["totaal"] == 2
    assert run(factory, claims.list_claims, tenants.b, ctx)["totaal"] == 2
    assert [c["id"] for c in run(factory, claims.list_claims, tenants.a, ctx)["claims"]] == [ids[UTRECHT]]
    with pytest.raises(NotFound):
        run(factory, claims.read_claim, tenants.a, ctx, ids[ZEIST])
    for outsider in (tenants.p, tenants.q):
        with pytest.raises(NotFound):
            run(factory, claims.list_claims, outsider, ctx)
        with pytest.raises(NotFound):
            run(factory, claims.read_claim, outsider, ctx, ids[UTRECHT])
    # Invoices: the payer and the provider see theirs; the other provider nothing.
    assert run(factory, facturen.list_facturen, tenants.a, ctx)["totaal"] == 1
    assert run(factory, facturen.list_facturen, tenants.p, ctx)["totaal"] == 2
    assert run(factory, facturen.list_facturen, tenants.q, ctx)["totaal"] == 0
    assert run(factory, facturen.list_facturen, tenants.b, ctx)["totaal"] == 0  # paid nothing
    # Disputes: parties only.
    g = run(factory, geschillen.register_geschil, tenants.b, ctx, onderwerp="claim", claim_id=ids[ZEIST],
            omschrijving="x")
    assert run(factory, geschillen.list_geschillen, tenants.a, ctx) == []
    with pytest.raises(NotFound):
        run(factory, geschillen.read_geschil, tenants.a, ctx, g["id"])
    assert run(factory, geschillen.read_geschil, tenants.c, ctx, g["id"])["claimId"] == ids[ZEIST]


def test_pseudonym_lookup_for_parties_only_and_audited(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    cid = setup_claim(f, t, ctx)
    ref = run(f, claims.read_claim, t.a, ctx, cid)["jeugdige"]
    assert run(f, claims.resolve_pseudoniem, t.b, ctx, ref) == {"jeugdige": ref, "bsn": BSN}
    with pytest.raises(NotFound):
        run(f, claims.resolve_pseudoniem, t.c, ctx, ref)
    assert [c["id"] for c in run(f, claims.find_claims, t.a, ctx, BSN)] == [cid]
    assert run(f, claims.find_claims, t.c, ctx, BSN) == []
    with transaction(f) as session:
        rows = session.scalars(select(AuditRegel).order_by(AuditRegel.id)).all()
        assert audit.verify_chain(session).intact
    by_action = {(r.actie, r.organisatie): r.bsn for r in rows}
    for key in (("claim.lezen", "gemeente:0344"), ("jeugdige.herleiden", "gemeente:0307"),
                ("claim.zoeken", "gemeente:0355"), ("declaratie.importeren", "gemeente:0344"),
                ("claims.herberekenen", "coordinator:coordinator")):
        assert by_action[key] == BSN, key


# --- disputes -------------------------------------------------------------------------------------


def test_dispute_escalates_up_only_and_withdrawal_settles_the_claim(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    cid = setup_claim(f, t, ctx)
    g = run(f, geschillen.register_geschil, t.b, ctx, onderwerp="claim", claim_id=cid,
            omschrijving="Niet onze inwoner.")
    assert [(p["soort"], p["code"]) for p in g["partijen"]] == [("gemeente", AMERSFOORT), ("gemeente", UTRECHT)]
    with pytest.raises(Conflict, match="loopt al"):
        run(f, geschillen.register_geschil, t.a, ctx, onderwerp="claim", claim_id=cid, omschrijving="x")
    g = run(f, geschillen.escalate_geschil, t.a, ctx, g["id"], "jeugdautoriteit")
    assert g["niveau"] == "jeugdautoriteit"
    with pytest.raises(Conflict, match="alleen omhoog"):
        run(f, geschillen.escalate_geschil, t.b, ctx, g["id"], "geschillencommissie_sociaal_domein")
    with pytest.raises(Conflict, match="loopt een geschil"):
        run(f, claims.change_claim_status, t.coordinator, ctx, cid, "erkend")
    with pytest.raises(Forbidden):
        run(f, geschillen.resolve_geschil, t.b, ctx, g["id"], uitkomst="x", claim="ingetrokken")
    with pytest.raises(Forbidden):
        run(f, geschillen.withdraw_geschil, t.a, ctx, g["id"])  # only who registered it
    done = run(f, geschillen.withdraw_geschil, t.b, ctx, g["id"], toelichting="toch onze inwoner")
    assert done["status"] == "ingetrokken"
    assert [e["soort"] for e in done["gebeurtenissen"]] == ["registratie", "escalatie", "intrekking"]
    assert claims_of(f)[cid].status == "erkend"  # the debtor dropped its dispute


def test_dispute_about_a_youth_with_a_provider(sqlite_factory, sqlite_tenants, ctx):
    f, t = sqlite_factory, sqlite_tenants
    with pytest.raises(InvalidRequest) as caught:
        run(f, geschillen.register_geschil, t.a, ctx, onderwerp="jeugdige", bsn="123456789",
            omschrijving="x", niveau="kantonrechter")
    assert {n for n, _ in caught.value.invalid_params} == {"bsn", "niveau"}
    g = run(f, geschillen.register_geschil, t.a, ctx, onderwerp="jeugdige", bsn=BSN, omschrijving="Wie betaalt?",
            partijen=[{"soort": "aanbieder", "code": AGB}])
    assert g["jeugdige"].startswith("J-") and BSN not in json.dumps(g)
    assert [x["id"] for x in run(f, geschillen.list_geschillen, t.p, ctx)] == [g["id"]]
    assert run(f, geschillen.list_geschillen, t.q, ctx) == []
    with pytest.raises(InvalidRequest):
        run(f, geschillen.resolve_geschil, t.coordinator, ctx, g["id"], uitkomst="x", claim="erkend")
    assert run(f, geschillen.resolve_geschil, t.coordinator, ctx, g["id"], uitkomst="Utrecht.")["status"] == "opgelost"


# --- JW323 declaraties, compensatie ------------------------------------------------------------


def test_jw323_declaraties_received_in_the_service_become_invoices(sqlite_factory, sqlite_tenants, ctx, clock):
    import dataclasses

    from ijw_builders import jw323, prestatie
    from wpb.ijw.xml_write import write_bericht

    f, t = sqlite_factory, sqlite_tenants
    clock.set(2026, 5, 10)

    def from_p(bericht, identificatie, nummer):
        header = dataclasses.replace(
            bericht.header, afzender=AGB,
            bericht_identificatie=dataclasses.replace(bericht.header.bericht_identificatie,
                                                      identificatie=identificatie))
        declaratie = dataclasses.replace(bericht.declaratie, declaratie_nummer=nummer)
        return dataclasses.replace(bericht, header=header, declaratie=declaratie)

    debits = from_p(jw323(prestatie("RN001"), prestatie("RN002", volume=2)), "DEC1", "DN1")
    # TR316: a credit goes in a later message than its debit.
    credit = from_p(jw323(prestatie("RN003", volume=2, dc="C", vorig="RN002"), totaal_dc="C"),
                    "DEC2", "DN2")
    ids = [receive.receive_and_process(f, t.p, ctx, write_bericht(b)).bericht_id
           for b in (debits, credit)]
    with pytest.raises(Forbidden):
        run(f, facturen.take_over_jw323, t.coordinator, ctx, ids, date(2026, 5, 20))
    with pytest.raises(InvalidRequest):
        run(f, facturen.take_over_jw323, t.a, ctx, ids, date(2026, 5, 20))  # not Utrecht's
    stored = run(f, facturen.take_over_jw323, t.b, ctx, ids, date(2026, 5, 20))
    # RN002 is credited in full: no paid invoice is left of it.
    assert (stored["bron"], stored["facturen"], stored["totaal"]) == ("jw323", [f"0307/{AGB}/RN001"], 5000)


def _decision(register, history: list[dict], stay_begin: str, werkelijk: str | None = ZEIST) -> dict:
    doc = {
        "peildatum": "2022-03-01",
        "jeugdige": {"burgerservicenummer": BSN,
                     "geboorte": {"datum": {"type": "Datum", "datum": "2010-05-01"}},
                     "verblijfplaatshistorie": history},
        "jeugdhulp": [{"begin": stay_begin, "einde": None, "verblijf": True,
                       "vorm": "jeugdhulpaanbieder"}],
    }
    if werkelijk:
        doc["werkelijkeVerblijfplaats"] = {"gemeente": {"code": werkelijk}, "datum": "2022-02-20"}
    return decide(parse_case(doc, register), register).to_json()


def _abroad(since: str) -> list[dict]:
    return [
        {"type": "Adres", "datumVan": {"type": "Datum", "datum": "2010-05-01"},
         "gemeenteVanInschrijving": {"code": UTRECHT}, "datumTot": {"type": "Datum", "datum": since}},
        {"type": "VerblijfplaatsBuitenland", "datumVan": {"type": "Datum", "datum": since},
         "verblijfadres": {"land": {"code": "5010", "omschrijving": "België"}}},
    ]


def test_compensatie_lists_youths_without_traceable_woonplaats(factory, tenants, ctx, register):
    four = _decision(register, _abroad("2020-02-01"), "2021-06-01")
    assert four["grondslag"]["onderdeel"] == 4 and four["gemeente"]["code"] == ZEIST
    transfer(factory, beslissing=four)
    # Stay begun after 2022-01-01: not the group the regulation is about.
    transfer(factory, bsn=OTHER, beslissing={**_decision(register, _abroad("2020-02-01"), "2022-02-01")})
    run(factory, facturen.import_facturen, tenants.c, ctx, csv_file(
        invoice("Z-1", betaler=ZEIST, begin="2021-12-01", einde="2022-01-31", bedrag="620000"),
        invoice("Z-2", bsn=OTHER, betaler=ZEIST, begin="2022-02-01", einde="2022-02-28", bedrag="1000"),
    ), "z.csv")
    lijst = run(factory, compensatie.compensatie, tenants.coordinator, ctx)
    (g,) = lijst["gemeenten"]
    assert (g["gemeente"]["code"], g["aantal"], g["bedrag"]) == (ZEIST, 1, 310000)  # 31 of 62 days
    (jeugdige,) = g["jeugdigen"]
    assert (jeugdige["grond"], jeugdige["verblijfSinds"]) == ("onderdeel_4", "2021-06-01")
    assert BSN not in json.dumps(lijst)
    assert run(factory, compensatie.compensatie, tenants.c, ctx)["gemeenten"][0]["bedrag"] == 310000
    assert run(factory, compensatie.compensatie, tenants.a, ctx)["gemeenten"] == []
    assert run(factory, compensatie.compensatie, tenants.coordinator, ctx, tot=date(2022, 1, 16))[
        "gemeenten"][0]["bedrag"] == 150000  # 15 of 62 days
    with pytest.raises(NotFound):
        run(factory, compensatie.compensatie, tenants.p, ctx)


def test_compensatie_without_actual_stay_is_to_be_judged(sqlite_factory, sqlite_tenants, ctx, register):
    f, t = sqlite_factory, sqlite_tenants
    review = _decision(register, _abroad("2020-02-01"), "2021-06-01", werkelijk=None)
    assert review["status"] == "review"
    transfer(f, beslissing=review)
    lijst = run(f, compensatie.compensatie, t.coordinator, ctx)
    assert lijst["gemeenten"] == [] and lijst["teBeoordelen"][0]["grond"] == "onderdeel_4"
    assert run(f, compensatie.compensatie, t.c, ctx)["teBeoordelen"] == []


def test_settlement_settings_from_the_environment(tmp_path):
    from wpb.service.settings import Settings, SettingsError

    s = Settings.from_env({"WPB_DATA_DIR": str(tmp_path), "WPB_PSEUDONIEM_SLEUTEL": KEY,
                           "WPB_VANGNET_MAANDEN": "9", "WPB_IJW_XSD_DIR": str(tmp_path / "xsd")})
    assert (s.pseudoniem_sleutel, s.vangnet_maanden, s.ijw_xsd_dir) == (KEY, 9, tmp_path / "xsd")
    assert KEY not in repr(s)
    d = Settings.from_env({"WPB_DATA_DIR": str(tmp_path)})
    assert (d.pseudoniem_sleutel, d.vangnet_maanden, d.ijw_xsd_dir) == ("", 6, None)
    with pytest.raises(SettingsError, match="WPB_PSEUDONIEM_SLEUTEL"):
        Settings.from_env({"WPB_DATA_DIR": str(tmp_path), "WPB_PSEUDONIEM_SLEUTEL": "kort"})
    with pytest.raises(SettingsError, match="WPB_VANGNET_MAANDEN"):
        Settings.from_env({"WPB_DATA_DIR": str(tmp_path), "WPB_VANGNET_MAANDEN": "zes"})
