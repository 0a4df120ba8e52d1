"""The service's commands: ``db upgrade``/``db status``, ``audit verify``, ``beheer``."""

from __future__ import annotations

from typer import Typer
from typer.testing import CliRunner

from wpb.cli.service import audit_app, beheer_app, db_app
from wpb.service import migrations
from wpb.service.db import make_engine


def _app() -> Typer:
    app = Typer()
    app.add_typer(db_app, name="db")
    app.add_typer(audit_app, name="audit")
    app.add_typer(beheer_app, name="beheer")
    return app


def test_db_upgrade_status_and_audit_verify(db_url, tmp_path):
    runner = CliRunner()
    env = {"WPB_DATABASE_URL": db_url, "WPB_DATA_DIR": str(tmp_path)}
    status = runner.invoke(_app(), ["db", "status"], env=env)
    assert status.exit_code == 1 and "(leeg)" in status.output
    result = runner.invoke(_app(), ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    head = migrations.head_revision(make_engine(db_url))
    assert head and head in result.output
    assert runner.invoke(_app(), ["db", "status"], env=env).exit_code == 0
    verified = runner.invoke(_app(), ["audit", "verify"], env=env)
    assert verified.exit_code == 0 and "intact: 0 regels" in verified.output


def test_beheer_creates_organisation_user_and_token(sqlite_url, sqlite_engine, tmp_path):
    runner = CliRunner()
    env = {"WPB_DATABASE_URL": sqlite_url, "WPB_DATA_DIR": str(tmp_path)}
    app = _app()
    assert runner.invoke(app, ["beheer", "organisatie", "gemeente", "0363", "Amsterdam"], env=env).exit_code == 0
    again = runner.invoke(app, ["beheer", "organisatie", "gemeente", "0363", "Amsterdam"], env=env)
    assert again.exit_code == 2 and "bestaat al" in again.output
    bad = runner.invoke(app, ["beheer", "organisatie", "gemeente", "363", "Amsterdam"], env=env)
    assert bad.exit_code == 2 and "4 cijfers" in bad.output
    made = runner.invoke(
        app, ["beheer", "gebruiker", "gemeente", "0363", "jan.a"], env=env,
        input="lang-genoeg-wachtwoord\nlang-genoeg-wachtwoord\n",
    )
    assert made.exit_code == 0, made.output
    token = runner.invoke(app, ["beheer", "token", "jan.a"], env=env)
    assert token.exit_code == 0 and token.output.strip().startswith("wpb_")
