"""The scheduled woonplaatscheck of every gemeente (`wpb db woonplaatscheck`): each gemeente
is checked on its own caseload and its own BRP documents, and the audit log names the
planner of that gemeente."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from typer.testing import CliRunner

from wpb.cli.main import app as cli_app
from wpb.service.audit.models import AuditRegel
from wpb.service.components.brp import store
from wpb.service.components.clientenbestand import invoer, signalen
from wpb.service.components.clientenbestand.planning import run_every_gemeente
from wpb.service.db import transaction

from ..brp.documents import adres, document
from ..helpers import valid_bsns
from .files import export, regel


def _caseload(factory, who, ctx, *bsns):
    content = export(*(regel(b, nummer=str(i)) for i, b in enumerate(bsns)))
    with transaction(factory) as session:
        check = invoer.check_import(session, who, content, "c.csv", ctx.register)
        invoer.store_import(session, who, content, "c.csv", check.controle, ctx.register, ctx.now())


def _moved(factory, who, ctx, bsn, to):
    doc = document(bsn, "2012-03-04", adres(who.code, "2012-03-04", "2026-02-01"), adres(to, "2026-02-01"))
    with transaction(factory) as session:
        store.save_document(session, who, ctx.register, bsn, doc, bron="upload", now=ctx.now())


def test_every_gemeente_is_checked_on_its_own_data(factory, tenants, ctx):
    one, two = valid_bsns(2)
    _caseload(factory, tenants.a, ctx, one)
    _caseload(factory, tenants.b, ctx, two)
    _moved(factory, tenants.a, ctx, one, "0355")  # Utrecht's youth moved to Zeist
    _moved(factory, tenants.b, ctx, two, "0344")  # Amersfoort's youth moved to Utrecht
    done = run_every_gemeente(factory, ctx, date(2026, 12, 7))
    assert [(u.gemeente, u.run.nieuw) for u in done] == [("0307", 1), ("0344", 1)]
    with transaction(factory) as session:
        (a,) = signalen.list_signals(session, tenants.a)[0]
        (b,) = signalen.list_signals(session, tenants.b)[0]
        runs = session.scalars(select(AuditRegel).where(
            AuditRegel.actie == "woonplaatscheck.uitvoeren")).all()
    assert (a.bsn, a.verantwoordelijke_gemeente) == (one, "0355")
    assert (b.bsn, b.verantwoordelijke_gemeente) == (two, "0344")
    assert sorted((r.organisatie, r.gebruikersnaam) for r in runs) == [
        ("gemeente:0307", "planner"), ("gemeente:0344", "planner")]


def test_the_cli_command_runs_it(sqlite_url, sqlite_factory, sqlite_tenants, ctx, tmp_path):
    _caseload(sqlite_factory, sqlite_tenants.a, ctx, valid_bsns(1)[0])
    env = {"WPB_DATABASE_URL": sqlite_url, "WPB_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli_app, ["db", "woonplaatscheck", "--peildatum", "2026-12-07"], env=env)
    assert result.exit_code == 0, result.output
    assert "gemeente 0344: 1 beslist, 1 nieuwe signalen, 1 zonder BRP-gegevens" in result.output
    bad = CliRunner().invoke(cli_app, ["db", "woonplaatscheck", "--peildatum", "morgen"], env=env)
    assert bad.exit_code == 2
