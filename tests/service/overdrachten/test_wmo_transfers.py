"""Transfers of clients in beschermd wonen (issue 8): the law of a transfer and its check.

A transfer has a ``wet``: ``jeugdwet`` (the default) or ``wmo-bw``. The upload takes it in an
optional column; the woonplaats check runs the engine of that law: for ``wmo-bw`` the Wmo
2015 rule for beschermd wonen (art. 1.2.1 onderdeel b; from the entry into force of bill
36 288 on 2026-01-01 the gemeente of the woonadres, with art. 1.2.1a lid 1 onder a: an
earlier placement that ended less than twelve months before the aanmelding keeps the gemeente
that provided it responsible), on the BRP document attached to the transfer plus the Wmo
facts of the request body. Every test runs on SQLite and on PostgreSQL.

Tenants: A Utrecht (0344) hands over to B Amersfoort (0307); C is Zeist (0355).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from wpb.service import migrations
from wpb.service.app import create_app
from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten import (
    tasks,
    transitions,
    upload_check,
    upload_file,
    upload_store,
    woonplaats,
)
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.components.verrekening import beslissingen
from wpb.service.db import make_engine, transaction
from wpb.service.errors import InvalidRequest
from wpb.service.settings import Settings, SettingsError

from ..helpers import by_public_id, csv_bytes, deliver, make_context, row

BSN = "999990019"
OTHER = "999990020"
V1 = "/api/v1"
HEADER_WET = [*upload_file.COLUMNS, "wet"]


def bw_row(bsn: str = BSN, wet: str = "wmo-bw", **kwargs) -> list[str]:
    kwargs.setdefault("geboortedatum", "1990-05-01")
    kwargs.setdefault("product", "Beschermd wonen")
    kwargs.setdefault("einde", "2026-06-30")
    return [*row(bsn, **kwargs), wet]


def D(day: str) -> dict:
    return {"type": "Datum", "datum": day}


# The client lived in Utrecht and has had his woonadres in Amersfoort since 2025-12-01.
HISTORIE = {
    "verblijfplaatsen": [
        {"type": "Adres", "datumVan": D("1990-05-01"), "datumTot": D("2025-12-01"),
         "gemeenteVanInschrijving": {"code": "0344", "omschrijving": "Utrecht"}},
        {"type": "Adres", "datumVan": D("2025-12-01"),
         "gemeenteVanInschrijving": {"code": "0307", "omschrijving": "Amersfoort"}},
    ]
}
AANMELDING = {"gemeente": "0307", "datum": "2026-03-02"}
GEEN_UITZONDERING = {"b": False, "c": False, "d": False}


@pytest.fixture
def t(tenants):
    return tenants


@pytest.fixture
def in_2026(clock):
    clock.set(2026, 3, 2)
    return clock


def store(factory, principal, ctx, rows, header=HEADER_WET):
    content = csv_bytes(rows, header=header)
    with transaction(factory) as session:
        check = upload_check.check_upload(session, principal, content, "levering.csv",
                                     register=ctx.register, limits=ctx.limits, now=ctx.now())
    with transaction(factory) as session:
        stored = upload_store.store_upload(session, principal, content, "levering.csv", check.controle,
                                      register=ctx.register, limits=ctx.limits, now=ctx.now())
    return check, stored


def check_only(factory, principal, ctx, rows, header=HEADER_WET):
    with transaction(factory) as session:
        return upload_check.check_upload(session, principal, csv_bytes(rows, header=header),
                                    "levering.csv", register=ctx.register, limits=ctx.limits,
                                    now=ctx.now())


def wet_of(factory, oid: int) -> str:
    with transaction(factory) as session:
        return by_public_id(session, Overdracht, oid).wet


def bw_transfer(factory, t, ctx) -> int:
    _check, stored = store(factory, t.a, ctx, [bw_row()])
    [oid] = stored.nieuwe_overdrachten
    with transaction(factory) as session:
        woonplaats.attach_brp_document(session, t.b, ctx, oid, HISTORIE)
    return oid


def decide(factory, who, ctx, oid, **kwargs) -> dict:
    with transaction(factory) as session:
        return woonplaats.decide_woonplaats(session, who, ctx, oid, **kwargs)


# --- the upload ------------------------------------------------------------------------------


def test_the_wet_column_is_optional_and_defaults_to_the_jeugdwet(factory, t, ctx):
    check, stored = store(factory, t.a, ctx, [
        bw_row(BSN, "wmo-bw"),
        bw_row(OTHER, "", geboortedatum="2010-05-01", product="Ambulante jeugdhulp"),
    ])
    assert [r["wet"] for r in check.to_json()["geldig"]] == ["wmo-bw", "jeugdwet"]
    first, second = stored.nieuwe_overdrachten
    assert (wet_of(factory, first), wet_of(factory, second)) == ("wmo-bw", "jeugdwet")
    # A file without the column: every transfer is a Jeugdwet transfer, as before issue 8.
    plain = deliver(factory, t.c, ctx, [row("999990032", ontvangende="0307")])
    assert wet_of(factory, plain.nieuwe_overdrachten[0]) == "jeugdwet"


def test_the_wet_is_read_without_regard_to_case_and_spaces(factory, t, ctx):
    check = check_only(factory, t.a, ctx, [bw_row(wet="  WMO-BW ")])
    assert [r.wet for r in check.geldig] == ["wmo-bw"]


@pytest.mark.parametrize("value", ["wmo 2015", "beschermd wonen", "wlz", "jw"])
def test_an_unknown_wet_is_rejected_naming_line_and_column(factory, t, ctx, value):
    check = check_only(factory, t.a, ctx, [bw_row(wet=value)])
    assert check.geldig == ()
    [error] = check.afgewezen
    assert (error.regel, error.kolom) == (2, "wet")
    assert "jeugdwet" in error.reden and "wmo-bw" in error.reden
    assert value not in error.reden  # values are not echoed


def test_one_person_one_law_within_the_file(factory, t, ctx):
    check = check_only(factory, t.a, ctx, [
        bw_row(wet="wmo-bw"), bw_row(wet="jeugdwet", agb="99000022"),
    ])
    assert [r.regel for r in check.geldig] == [2]
    [error] = check.afgewezen
    assert (error.regel, error.kolom) == (3, "wet") and "regel 2" in error.reden


def test_a_row_for_an_open_transfer_under_another_law_is_rejected(factory, t, ctx):
    store(factory, t.a, ctx, [bw_row(wet="wmo-bw")])
    check = check_only(factory, t.a, ctx, [bw_row(wet="jeugdwet", agb="99000022")])
    [error] = check.afgewezen
    assert error.kolom == "wet" and "wmo-bw" in error.reden
    # The same law adds a line to the open transfer.
    same = check_only(factory, t.a, ctx, [bw_row(wet="wmo-bw", agb="99000022")])
    assert same.afgewezen == () and same.geldig[0].bestaande_overdracht_id is not None


def test_a_redirected_transfer_keeps_its_law(factory, t, ctx):
    _check, stored = store(factory, t.a, ctx, [bw_row()])
    [oid] = stored.nieuwe_overdrachten
    with transaction(factory) as session:
        transitions.reject(session, t.b, ctx, oid, onderbouwing="Geen woonadres in Amersfoort.")
    with transaction(factory) as session:
        new = transitions.redirect(session, t.a, ctx, oid, gemeente="0355")
    assert new["wet"] == "wmo-bw" and wet_of(factory, new["id"]) == "wmo-bw"


def test_a_wmo_transfer_has_no_tasks_of_the_1_november_maatregel(factory, t, ctx):
    # Delivered on 2021-10-15, before the measure's ingangsdatum: a Jeugdwet transfer would
    # get the measure's tasks; the measure is a Jeugdwet arrangement.
    _check, stored = store(factory, t.a, ctx, [
        bw_row(BSN, "wmo-bw"), bw_row(OTHER, "jeugdwet", geboortedatum="2010-05-01"),
    ])
    bw, jeugd = stored.nieuwe_overdrachten
    with transaction(factory) as session:
        assert tasks.read_tasks(session, t.b, ctx, bw) == []
        assert tasks.read_tasks(session, t.b, ctx, jeugd) != []
        listed = {x["overdrachtId"] for x in tasks.task_list(session, t.b, ctx)}
    assert bw not in listed and jeugd in listed


# --- the woonplaats check ----------------------------------------------------------------------


def test_wmo_check_names_the_gemeente_of_the_woonadres(factory, t, ctx, in_2026):
    oid = bw_transfer(factory, t, ctx)
    decision = decide(factory, t.b, ctx, oid, wmo={
        "aanmelding": AANMELDING, "eerderBeschermdWonen": [], "uitzonderingen": GEEN_UITZONDERING,
    })
    assert decision["wet"] == "wmo-bw"
    assert (decision["status"], decision["gemeente"]["code"]) == ("bepaald", "0307")
    assert decision["grondslag"]["artikel"] == "1.2.1"
    # Bill 36 288 is not in force by default (no royal decree is known): the aanmeldgemeente
    # decides, here the same gemeente as the woonadres (test below: the setting in force).
    assert "tot welke hij zich wendt" in decision["grondslag"]["citeertitel"]
    assert decision["regel"] == "aanmeldgemeente" and decision["inwerkingtreding"] is None
    assert decision["peildatum"] == "2026-03-02"
    with transaction(factory) as session:
        o = by_public_id(session, Overdracht, oid)
        assert o.woonplaats_beslissing is not None and '"wmo-bw"' in o.woonplaats_beslissing
        events = [g.toelichting for g in o.gebeurtenissen if g.soort == "woonplaats"]
    assert events == ["woonplaatstoets op 2 maart 2026: gemeente 0307"]


@pytest.fixture
def bill_in_force(settings, clock):
    """The context of an installation that set WPB_WMO_BW_INWERKINGTREDING=2026-01-01, read
    by the service's settings as at startup."""
    env = {"WPB_DATA_DIR": str(settings.data_dir), "WPB_SECRET_KEY": "test",
           "WPB_MAX_UPLOAD_ROWS": str(settings.max_upload_rows),
           "WPB_MAX_UPLOAD_BYTES": str(settings.max_upload_bytes),
           "WPB_WMO_BW_INWERKINGTREDING": "2026-01-01"}
    return make_context(Settings.from_env(env), clock)


def test_the_setting_is_read_once_and_a_bad_value_names_the_variable(settings):
    assert settings.wmo_bw_inwerkingtreding is None  # not set: not in force
    with pytest.raises(SettingsError, match="WPB_WMO_BW_INWERKINGTREDING"):
        Settings.from_env({"WPB_WMO_BW_INWERKINGTREDING": "1-1-2026"})


def test_with_the_bill_in_force_the_check_names_the_woonadres(factory, t, in_2026, bill_in_force):
    ctx = bill_in_force
    # Under the transitional rule the nieuwe cliënt decides: no earlier applications.
    oid = bw_transfer(factory, t, ctx)
    decision = decide(factory, t.b, ctx, oid, wmo={
        "aanmelding": AANMELDING, "eerderBeschermdWonen": [], "uitzonderingen": GEEN_UITZONDERING,
        "eerdereAanvragen": [],
    })
    assert (decision["status"], decision["gemeente"]["code"]) == ("bepaald", "0307")
    assert "woonadres" in decision["grondslag"]["citeertitel"]
    assert decision["inwerkingtreding"] == "2026-01-01"


def test_an_earlier_placement_within_twelve_months_keeps_its_gemeente_and_is_the_onderbouwing(
    factory, t, in_2026, bill_in_force
):
    ctx = bill_in_force
    # Art. 1.2.1a lid 1 onder a: the placement by Utrecht ended on 2025-11-30, less than
    # twelve months before the aanmelding on 2026-03-02, so Utrecht stays responsible.
    oid = bw_transfer(factory, t, ctx)
    # The placement lay outside Amersfoort's region, so the client is a nieuwe cliënt and the
    # woonplaatsbeginsel (with exception a) applies: the region and the applications are needed.
    decision = decide(factory, t.b, ctx, oid, wmo={
        "aanmelding": {**AANMELDING, "regio": {"naam": "Amersfoort", "gemeenten": ["0307"],
                                               "centrumgemeente": "0307"}},
        "uitzonderingen": GEEN_UITZONDERING, "eerdereAanvragen": [],
        "eerderBeschermdWonen": [{"gemeente": "0344", "locatie": "0344", "begin": "2024-01-01",
                                  "einde": "2025-11-30"}],
    })
    assert (decision["status"], decision["gemeente"]["code"]) == ("bepaald", "0344")
    assert decision["grondslag"]["artikel"] == "1.2.1a"
    with transaction(factory) as session:
        view = transitions.reject(session, t.b, ctx, oid, onderbouwing=None,
                                gebruik_woonplaatsbeslissing=True)
    assert view["status"] == "afgewezen"
    assert view["afwijzing"]["beslissing"] == decision
    assert view["afwijzing"]["onderbouwing"].startswith("Woonplaatsbeslissing: ")


def test_the_wmo_facts_are_required_and_every_problem_is_named(factory, t, ctx, in_2026):
    oid = bw_transfer(factory, t, ctx)
    with pytest.raises(InvalidRequest) as missing:
        decide(factory, t.b, ctx, oid)
    assert {name for name, _ in missing.value.invalid_params} == {"aanmelding", "eerderBeschermdWonen"}
    with pytest.raises(InvalidRequest) as bad:
        decide(factory, t.b, ctx, oid, wmo={
            "aanmelding": {"gemeente": "12", "datum": "2026-04-01"},
            "eerderBeschermdWonen": [{"begin": "2024-01-01"}],
        })
    names = {name for name, _ in bad.value.invalid_params}
    assert {"aanmelding.gemeente.code", "aanmelding.datum", "eerderBeschermdWonen[0].gemeente"} <= names
    with transaction(factory) as session:
        assert by_public_id(session, Overdracht, oid).woonplaats_beslissing is None


def test_facts_of_the_other_law_are_refused_not_ignored(factory, t, ctx, in_2026):
    oid = bw_transfer(factory, t, ctx)
    with pytest.raises(InvalidRequest) as wmo_with_care:
        decide(factory, t.b, ctx, oid, jeugdhulp=[], wmo={"aanmelding": AANMELDING,
                                                          "eerderBeschermdWonen": []})
    assert [name for name, _ in wmo_with_care.value.invalid_params] == ["jeugdhulp"]
    jeugd = deliver(factory, t.a, ctx, [row(OTHER)]).nieuwe_overdrachten[0]
    with transaction(factory) as session:
        woonplaats.attach_brp_document(session, t.b, ctx, jeugd, HISTORIE)
    with pytest.raises(InvalidRequest) as jeugd_with_wmo:
        decide(factory, t.b, ctx, jeugd, wmo={"aanmelding": AANMELDING, "indicatie": None})
    assert sorted(name for name, _ in jeugd_with_wmo.value.invalid_params) == ["aanmelding", "indicatie"]


def test_the_check_needs_the_brp_document_first(factory, t, ctx, in_2026):
    _check, stored = store(factory, t.a, ctx, [bw_row()])
    with pytest.raises(InvalidRequest) as exc:
        decide(factory, t.b, ctx, stored.nieuwe_overdrachten[0],
               wmo={"aanmelding": AANMELDING, "eerderBeschermdWonen": []})
    assert [name for name, _ in exc.value.invalid_params] == ["brp"]


def test_a_wmo_decision_is_not_registered_for_the_jeugdwet_settlement(factory, t, settings,
                                                                      clock, in_2026):
    ctx = make_context(settings.with_(pseudoniem_sleutel="sleutel-van-de-test-0123"), clock)
    oid = bw_transfer(factory, t, ctx)
    decide(factory, t.b, ctx, oid, wmo={"aanmelding": AANMELDING, "eerderBeschermdWonen": [],
                                        "uitzonderingen": GEEN_UITZONDERING})
    with pytest.raises(InvalidRequest) as exc, transaction(factory) as session:
        beslissingen.register_beslissing(session, t.b, ctx, overdracht_id=oid)
    assert [name for name, _ in exc.value.invalid_params] == ["overdrachtId"]


# --- the REST API ------------------------------------------------------------------------------


@pytest.fixture
def client(engine, settings, clock):
    app = create_app(settings, engine=engine, clock=clock, pages=False)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def auth(factory, t):
    with transaction(factory) as session:
        return {key: {"Authorization": f"Bearer {issue_token(session, getattr(t, key).gebruiker_id)}"}
                for key in ("a", "b")}


def test_api_upload_with_wet_and_check_with_wmo_facts(client, auth, in_2026):
    content = csv_bytes([bw_row()], header=HEADER_WET)
    files = {"bestand": ("levering.csv", content, "text/csv")}
    check = client.post(f"{V1}/aanleveringen/_controleer", files=files, headers=auth["a"]).json()
    assert check["geldig"][0]["wet"] == "wmo-bw"
    stored = client.post(f"{V1}/aanleveringen", files=files, data={"controle": check["controle"]},
                         headers=auth["a"])
    assert stored.status_code == 201
    [oid] = stored.json()["nieuweOverdrachten"]
    assert client.get(f"{V1}/overdrachten/{oid}", headers=auth["b"]).json()["wet"] == "wmo-bw"
    assert client.put(f"{V1}/overdrachten/{oid}/brp-gegevens", json=HISTORIE,
                      headers=auth["b"]).status_code == 200

    url = f"{V1}/overdrachten/{oid}/woonplaatsbeslissingen"
    bad = client.post(url, json={"aanmelding": {"gemeente": "0307", "datum": "2026-04-01"}},
                      headers=auth["b"])
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    names = {p["name"] for p in bad.json()["invalidParams"]}
    assert names == {"aanmelding.datum", "eerderBeschermdWonen"}
    unknown = client.post(url, json={"aanmelding": AANMELDING, "eerderBeschermdWonen": [],
                                     "client": {}}, headers=auth["b"])
    assert unknown.status_code == 400
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["client"]

    good = client.post(url, json={"peildatum": "2026-03-02", "aanmelding": AANMELDING,
                                  "eerderBeschermdWonen": [], "uitzonderingen": GEEN_UITZONDERING},
                       headers=auth["b"])
    assert good.status_code == 201
    assert (good.json()["wet"], good.json()["gemeente"]["code"]) == ("wmo-bw", "0307")
    detail = client.get(f"{V1}/overdrachten/{oid}", headers=auth["b"]).json()
    assert detail["woonplaatsbeslissing"]["wet"] == "wmo-bw" and detail["taken"] == []
    download = client.get(f"{V1}/overdrachten?formaat=csv", headers=auth["b"])
    header, line = download.content.decode("utf-8-sig").strip().splitlines()
    assert dict(zip(header.split(";"), line.split(";"), strict=True))["wet"] == "wmo-bw"


# --- the migration -----------------------------------------------------------------------------


def test_migration_adds_the_column_with_jeugdwet_for_existing_transfers(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO overdrachten (latende_gemeente, ontvangende_gemeente, bsn, "
                "geboortedatum, status, versie, aanleverdatum, aangemaakt_op, gewijzigd_op) "
                "VALUES ('0344', '0307', :bsn, :geboren, 'aangeleverd', 1, :dag, :nu, :nu)"
            ), {"bsn": BSN, "geboren": date(2010, 5, 1), "dag": date(2021, 10, 15),
                "nu": datetime(2021, 10, 15, 12)})
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT wet FROM overdrachten")).scalars().all() == ["jeugdwet"]
        migrations.downgrade(engine, "0002")
        assert "wet" not in {c["name"] for c in sa.inspect(engine).get_columns("overdrachten")}
        migrations.upgrade(engine)
        assert migrations.is_up_to_date(engine)
    finally:
        engine.dispose()
