"""Backup and restore of the PostgreSQL database with the project's own scripts.

``scripts/backup-postgres.sh`` (pg_dump, custom format) and ``scripts/restore-postgres.sh``
(pg_restore into a fresh database, one transaction, then ``wpb db status`` and ``wpb
audit verify``) are run as a person would run them. The restored database must hold the
same rows in every table, keep the audit log's guard and hash chain, and serve requests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from wpb.service.db import make_engine

from .conftest import plain_postgres_url, require_postgres
from .faults import snapshot
from .support import V1, build_scenario

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "scripts" / "backup-postgres.sh"
RESTORE = ROOT / "scripts" / "restore-postgres.sh"
WPB = Path(sys.executable).with_name("wpb")


def _tools() -> None:
    require_postgres()
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "WPB": str(WPB), **(env or {})},
    )


@pytest.fixture
def databases():
    """Fresh databases made on demand; all dropped afterwards."""
    _tools()
    made: list[str] = []
    base = plain_postgres_url().rsplit("/", 1)[0]

    def make() -> tuple[str, str]:
        name = f"wpb_herstel_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{base}/{name}", name

    yield make
    with psycopg.connect(plain_postgres_url(), autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _serves(url: str, scenario, tmp_path: Path) -> None:
    scenario.url = url
    with scenario.client(pages=False) as c:
        auth = scenario.headers("ontvangend")
        assert c.get(f"{V1}/overdrachten", headers=auth).status_code == 200
        accepted = c.post(f"{V1}/overdrachten/{scenario.ids['overdracht_brp']}/acceptatie",
                          json={}, headers=auth)
        assert accepted.status_code == 200, accepted.text


def test_schema_backup_restores_into_a_fresh_database(postgres_schema, databases, tmp_path):
    _tools()
    source_url, schema = postgres_schema
    s = build_scenario(source_url, tmp_path / "data", ijw=False)
    archive = tmp_path / "wpb.dump"
    made = _run(BACKUP, "-d", source_url, "-n", schema, "-o", archive)
    assert made.returncode == 0, made.stderr
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # personal data
    digest = re.search(r"sha256 ([0-9a-f]{64})", made.stdout).group(1)

    target, _name = databases()
    restored = _run(RESTORE, "-d", target, "-s", digest, archive)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "auditlog intact" in restored.stdout
    restored_url = f"{target.replace('postgresql://', 'postgresql+psycopg://')}?options=-csearch_path%3D{schema}"
    assert snapshot(restored_url) == snapshot(source_url)
    # The guard on the audit log came along.
    engine = make_engine(restored_url)
    with pytest.raises(Exception, match="append-only|alleen toevoegen|audit"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actie = 'x' WHERE volgnummer = 1"))
    engine.dispose()
    _serves(restored_url, s, tmp_path)

    # Restoring again over the restored data is refused, and so is a wrong checksum.
    again = _run(RESTORE, "-d", target, archive)
    assert again.returncode == 1 and "lege database" in again.stderr
    other, _ = databases()
    wrong = _run(RESTORE, "-d", other, "-s", "0" * 64, archive)
    assert wrong.returncode == 1 and "sha256" in wrong.stderr


@pytest.mark.slow
def test_whole_database_backup_and_restore(databases, tmp_path):
    source, _ = databases()
    source_url = source.replace("postgresql://", "postgresql+psycopg://")
    s = build_scenario(source_url, tmp_path / "data", ijw=False)
    archive = tmp_path / "geheel.dump"
    made = _run(BACKUP, "-o", archive, env={"WPB_DATABASE_URL": source_url})
    assert made.returncode == 0, made.stderr
    target, _ = databases()
    restored = _run(RESTORE, "-d", target, archive)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    target_url = target.replace("postgresql://", "postgresql+psycopg://")
    assert snapshot(target_url) == snapshot(source_url)
    _serves(target_url, s, tmp_path)


def test_a_damaged_archive_restores_nothing(postgres_schema, databases, tmp_path):
    _tools()
    source_url, schema = postgres_schema
    build_scenario(source_url, tmp_path / "data", ijw=False)
    archive = tmp_path / "wpb.dump"
    assert _run(BACKUP, "-d", source_url, "-n", schema, "-o", archive).returncode == 0
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) * 2 // 3])  # cut off: a failed copy
    target, _ = databases()
    restored = _run(RESTORE, "-d", target, archive)
    assert restored.returncode != 0
    with psycopg.connect(target, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchone()[0]
    assert tables == 0, "a failed restore left tables behind"
