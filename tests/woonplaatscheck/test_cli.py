"""``wpb woonplaatscheck`` end to end: the conformance cases turned into a caseload and a
folder of BRP documents, from each BRP source; and the GBA-V proefomgeving set."""

from __future__ import annotations

import csv
import json
import socket
import threading
import time
from datetime import date

import pytest
import uvicorn
from typer.testing import CliRunner

from woonplaatscheck.helpers import (
    GBA_TESTSET,
    caseload_csv,
    conformance_caseloads,
    gba_caseload,
    proef_bsns,
    row,
    write_documents,
)
from wpb import refdata
from wpb.brp import gba
from wpb.brp.haal_centraal_json import verblijfplaats as verblijfplaats_json
from wpb.brp.proefomgeving import build_app, personen_uit_gba, personen_uit_map
from wpb.cli import app
from wpb.conformance import check
from wpb.law.engine import decide
from wpb.law.facts import Jeugdhulp


def run(*args: str):
    return CliRunner().invoke(app, ["woonplaatscheck", *args])


def _decisions(out_dir) -> dict[str, dict]:
    lines = (out_dir / "beslissingen.jsonl").read_text(encoding="utf-8").splitlines()
    return {d["bsn"]: d for d in map(json.loads, lines)}


class _Server:
    """The proefomgeving on a free port, in a thread, for the CLI's URL source."""

    def __init__(self, personen):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(build_app(personen), host="127.0.0.1", port=self.port,
                                log_level="error")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def test_conformance_cases_from_a_folder_and_from_the_haal_centraal_endpoint(tmp_path):
    groups = conformance_caseloads(tmp_path)
    personen = {}
    for _, folder, _ in groups:
        personen.update(personen_uit_map(folder / "brp"))
    checked = 0
    with _Server(personen) as url:
        for peildatum, folder, cases in groups:
            for naam, bron in (("map", str(folder / "brp")), ("url", url)):
                out = folder / f"uit-{naam}"
                result = run("--gemeente", "0344", "--clienten", str(folder / "clienten.csv"),
                             "--brp-bron", bron, "--peildatum", peildatum, "--out", str(out),
                             "--alle")
                assert result.exit_code == 0, result.output
                decisions = _decisions(out)
                assert set(decisions) == set(cases)
                for bsn, case in cases.items():
                    problems = check(case, decisions[bsn])
                    assert not problems, (naam, case.id, problems)
                    checked += 1
                for name in ("signalen.csv", "aanlevering.csv"):
                    assert (out / name).exists()
    assert checked == 2 * sum(len(cases) for _, _, cases in groups) >= 2 * 50


def test_bad_rows_are_named_and_nothing_is_written(tmp_path):
    (bsn,) = proef_bsns(1)
    bad = bsn[:8] + str((int(bsn[8]) + 1) % 10)
    clienten = caseload_csv(tmp_path / "c.csv", [row(bsn, "2012-01-01", "2026-01-01"),
                                                 row(bad, "2012-01-01", "2026-13-01")])
    write_documents(tmp_path / "brp", {})
    result = run("--gemeente", "0344", "--clienten", str(clienten), "--brp-bron",
                 str(tmp_path / "brp"), "--out", str(tmp_path / "uit"))
    assert result.exit_code == 2
    assert "regel 3, kolom bsn" in result.output and "regel 3, kolom begindatum" in result.output
    assert bad not in result.output and bsn not in result.output
    assert not (tmp_path / "uit").exists()


@pytest.mark.shared
@pytest.mark.skipif(not GBA_TESTSET.exists(), reason="../shared GBA-V proefomgeving set absent")
def test_the_gba_v_proefomgeving_set_from_each_of_the_three_sources(tmp_path):
    peildatum = date(2022, 5, 2)
    register = refdata.proefomgeving_register()
    extract = gba.read_extract(GBA_TESTSET, skip_invalid=True)
    clienten, youths = gba_caseload(tmp_path, extract, peildatum)
    assert len(youths) > 20
    # The reference: each youth decided straight from the extract with the engine.
    expected = {}
    for p in youths:
        care = (Jeugdhulp("clienten", max(p.geboortedatum.earliest, date(2022, 1, 1)), None, False),)
        try:
            case = gba.case_for(extract, p, peildatum, jeugdhulp=care, register=register)
        except gba.OnbekendeGemeentecode:
            continue
        d = decide(case, register)
        expected[p.bsn] = (d.status.value, d.gemeente_code, d.onderdeel)
    # A folder of documents written from the extract.
    docs = {}
    for p in youths:
        doc = {"jeugdige": {"burgerservicenummer": p.bsn,
                            "geboorte": {"datum": {"type": "Datum", "datum": p.geboortedatum.earliest.isoformat()}},
                            "verblijfplaatshistorie": [verblijfplaats_json(r) for r in p.persoon.historie]}}
        moeder = gba.moeder_van(extract, p).persoon
        if moeder is not None:
            doc["moeder"] = {"verblijfplaatshistorie": [verblijfplaats_json(r) for r in moeder.persoon.historie]}
        docs[p.bsn] = doc
    write_documents(tmp_path / "brp", docs)

    with _Server(personen_uit_gba(extract)) as url:
        outputs = {}
        for naam, bron in (("gba", str(GBA_TESTSET)), ("map", str(tmp_path / "brp")), ("url", url)):
            out = tmp_path / f"uit-{naam}"
            result = run("--gemeente", "0518", "--clienten", str(clienten), "--brp-bron", bron,
                         "--peildatum", peildatum.isoformat(), "--out", str(out), "--proefomgeving")
            assert result.exit_code == 0, result.output
            outputs[naam] = _decisions(out)
    for naam, decisions in outputs.items():
        got = {
            bsn: (d["status"], (d["gemeente"] or {}).get("code"),
                  (d["grondslag"] or {}).get("onderdeel"))
            for bsn, d in decisions.items() if bsn in expected
        }
        assert got == expected, naam
        with (tmp_path / f"uit-{naam}" / "signalen.csv").open(newline="") as f:
            assert list(csv.DictReader(f, delimiter=";"))  # the set has reviews and others
    assert len(expected) > 20


def test_confirmed_valid_rows_are_checked_and_handled_signals_left_out(tmp_path):
    from woonplaatscheck.helpers import adres, document

    good, moved = proef_bsns(2, start=999_998_000)
    bad = good[:8] + str((int(good[8]) + 1) % 10)
    clienten = caseload_csv(tmp_path / "c.csv", [
        row(good, "2012-01-01", "2026-01-01"), row(moved, "2012-01-01", "2026-01-01"),
        row(bad, "2012-01-01", "2026-01-01")])
    write_documents(tmp_path / "brp", {
        good: document("2012-01-01", adres("2012-01-01", "0344")),
        moved: document("2012-01-01", adres("2012-01-01", "0344", "2026-03-01"),
                        adres("2026-03-01", "0363")),
    })
    args = ["--gemeente", "0344", "--clienten", str(clienten), "--brp-bron", str(tmp_path / "brp"),
            "--peildatum", "2026-06-01", "--bevestig-geldige"]
    first = run(*args, "--out", str(tmp_path / "uit1"))
    assert first.exit_code == 0, first.output
    assert "1 regel(s) met fouten overgeslagen" in first.output
    assert set(_decisions(tmp_path / "uit1")) == {good, moved}
    signalen = (tmp_path / "uit1" / "signalen.csv").read_text(encoding="utf-8")
    assert "andere_gemeente" in signalen
    # Handled: the next run leaves the signal out while its facts stay the same.
    second = run(*args, "--out", str(tmp_path / "uit2"), "--afgehandeld",
                 str(tmp_path / "uit1" / "signalen.csv"))
    assert second.exit_code == 0, second.output
    with (tmp_path / "uit2" / "signalen.csv").open(newline="") as f:
        assert list(csv.DictReader(f, delimiter=";")) == []
