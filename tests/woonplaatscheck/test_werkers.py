"""The woonplaatscheck in worker processes gives the files of a single process, byte for byte.

Every client is decided on its own (the law asks nothing of another client), so checking the
caseload in parts, one per worker, and joining them in the caseload's order must give the same
``beslissingen.jsonl``, ``signalen.csv`` and ``aanlevering.csv``: on the conformance cases, the
GBA-V proefomgeving set and a random caseload, with either executor, whether the workers
are forked or spawned. The fetch time of a document (``brp[].opgehaald``) is the clock's when
it is read, in a worker as in a single process; here a source with a fixed clock makes the
files comparable whole. A worker is forked only from a process without other threads, and an
error in a worker names the client by the last digits of its BSN only.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from woonplaatscheck.helpers import (
    GBA_TESTSET,
    conformance_caseloads,
    gba_caseload,
    random_caseload,
)
from wpb import refdata
from wpb.brp import gba
from wpb.brp.bronnen import GbaBron, MapBron
from wpb.caseload.read import bevestig, read_file
from wpb.woonplaatscheck import check
from wpb.woonplaatscheck.check import (
    KOLOM,
    REFERENTIE,
    WoonplaatscheckFout,
    startmethode,
    woonplaatscheck,
)
from wpb.woonplaatscheck.uitvoer import schrijf

FILES = ("beslissingen.jsonl", "signalen.csv", "aanlevering.csv")
SRC = Path(__file__).resolve().parents[2] / "src"


FETCHED = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


class _Map(MapBron):
    """A folder of documents read with a fixed clock (a worker, forked or spawned, gets it
    with the source)."""

    def een(self, bsn):
        found = super().een(bsn)
        if isinstance(found, str):
            return found
        return dataclasses.replace(found, herkomst=tuple(
            dataclasses.replace(h, opgehaald=FETCHED) for h in found.herkomst))


@pytest.fixture
def every_client_may_have_a_worker(monkeypatch):
    """Workers even for a small caseload (the check uses fewer below 1,000 clients each)."""
    monkeypatch.setattr(check, "MIN_CLIENTEN_PER_WERKER", 1)


def _files(tmp_path, name, clienten, bron, gemeente, peildatum, register, **kw) -> dict:
    toewijzingen = bevestig(read_file(clienten, register))
    result = woonplaatscheck(toewijzingen, bron, gemeente, peildatum, register, **kw)
    out = schrijf(result, tmp_path / name)
    return {f: out[f].read_bytes() for f in FILES}


def _same_for_any_number_of_workers(tmp_path, clienten, bron, gemeente, peildatum, register,
                                    werkers=(2, 3), **kw) -> dict:
    one = _files(tmp_path, f"{gemeente}-{peildatum}-1", clienten, bron, gemeente, peildatum,
                 register, werkers=1, **kw)
    for n in werkers:
        more = _files(tmp_path, f"{gemeente}-{peildatum}-{n}", clienten, bron, gemeente,
                      peildatum, register, werkers=n, **kw)
        for f in FILES:
            assert more[f] == one[f], (n, f)
    return one


def test_the_conformance_cases_give_the_same_files(tmp_path, register,
                                                   every_client_may_have_a_worker):
    """With the national executor (the reference engine for every client: the random caseload
    below); each peildatum is a caseload of its own."""
    lines = 0
    for peildatum, folder, cases in conformance_caseloads(tmp_path):
        if len(cases) < 2:
            continue
        files = _same_for_any_number_of_workers(
            tmp_path, folder / "clienten.csv", _Map(folder / "brp", register), "0344",
            date.fromisoformat(peildatum), register, werkers=(2,), alle=True)
        lines += files["beslissingen.jsonl"].count(b"\n")
    assert lines >= 40


@pytest.mark.shared
def test_the_gba_v_proefomgeving_set_gives_the_same_files(tmp_path,
                                                          every_client_may_have_a_worker):
    if not GBA_TESTSET.exists():
        pytest.skip("../shared is not available")
    register = refdata.proefomgeving_register()
    peildatum = date(2022, 6, 1)
    extract = gba.read_extract(GBA_TESTSET, skip_invalid=True)
    clienten, _ = gba_caseload(tmp_path, extract, peildatum)
    for gemeente in ("0518", "0599"):
        _same_for_any_number_of_workers(tmp_path, clienten, GbaBron(GBA_TESTSET, register),
                                        gemeente, peildatum, register, werkers=(2,))


def _random_caseload(tmp_path, n: int, seed: int = 25) -> tuple[Path, Path]:
    """Every signal soort; toewijzingen that ended before the peildatum (not decided) and a
    youth in 50 without a BRP document (a review)."""
    return random_caseload(tmp_path, n, seed=seed, start=999_981_000, einde_dagen=(-30, 90),
                           zonder_document=50)


@pytest.mark.parametrize("uitvoering", [KOLOM, REFERENTIE])
def test_a_random_caseload_gives_the_same_files(tmp_path, register, uitvoering,
                                                every_client_may_have_a_worker):
    clienten, brp = _random_caseload(tmp_path, 240)
    files = _same_for_any_number_of_workers(tmp_path, clienten, _Map(brp, register), "0344",
                                            date(2026, 12, 1), register, uitvoering=uitvoering)
    signalen = files["signalen.csv"].decode()
    for soort in ("andere_gemeente", "einde_jeugdige", "wijziging_gepland", "review"):
        assert f";{soort};" in signalen, soort
    assert files["aanlevering.csv"].count(b"\n") > 20


def test_spawned_workers_give_the_same_files(tmp_path, register, monkeypatch,
                                             every_client_may_have_a_worker):
    """Where the process may not fork, the workers are spawned (a fresh interpreter each,
    the part and the source sent to it): the same files."""
    monkeypatch.setattr(check, "startmethode", lambda: "spawn")
    clienten, brp = _random_caseload(tmp_path, 60, seed=26)
    _same_for_any_number_of_workers(tmp_path, clienten, _Map(brp, register), "0344",
                                    date(2026, 12, 1), register, werkers=(2,))


def test_progress_counts_every_client_once(tmp_path, register, every_client_may_have_a_worker):
    clienten, brp = _random_caseload(tmp_path, 30, seed=27)
    seen = []
    woonplaatscheck(bevestig(read_file(clienten, register)), MapBron(brp, register), "0344",
                    date(2026, 12, 1), register, werkers=3,
                    voortgang=lambda done, total: seen.append((done, total)))
    assert [total for _, total in seen] == [30] * 3
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})
    assert seen[-1] == (30, 30)


class _Kapot(MapBron):
    """A folder whose reading fails on one youth (a bug, not bad data: it is not caught)."""

    def __init__(self, folder, register, kapot: str):
        super().__init__(folder, register)
        self.kapot = kapot

    def een(self, bsn):
        if bsn == self.kapot:
            raise RuntimeError(f"kan {bsn} niet lezen")
        return super().een(bsn)


@pytest.mark.parametrize("werkers", [2, 1])
def test_an_error_names_the_client_without_its_bsn(tmp_path, register,
                                                  every_client_may_have_a_worker, werkers):
    # In a worker the failing part is checked again client by client to name the client; in
    # one process the error's own text names it, masked as well.
    clienten, brp = _random_caseload(tmp_path, 20, seed=28)
    toewijzingen = bevestig(read_file(clienten, register))
    kapot = sorted({t.bsn for t in toewijzingen})[13]
    with pytest.raises(WoonplaatscheckFout) as raised:
        woonplaatscheck(toewijzingen, _Kapot(brp, register, kapot), "0344", date(2026, 12, 1),
                        register, werkers=werkers)
    message = str(raised.value)
    assert "******" + kapot[-3:] in message and "RuntimeError" in message
    assert kapot not in message


def test_workers_are_forked_only_from_a_process_without_other_threads():
    seen = []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        seen.append(startmethode())
    finally:
        stop.set()
        thread.join()
    assert seen == ["spawn"]
    # A fresh process forks until polars has run a query (its thread pool would hang a fork).
    script = ("import polars as pl\n"
              "from wpb.woonplaatscheck.check import startmethode\n"
              "before = startmethode()\n"
              "pl.DataFrame({'a': [1, 2, 2]}).group_by('a').len()\n"
              "print(before, startmethode())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, env={"PYTHONPATH": str(SRC)}, timeout=120)
    expected = "fork spawn" if sys.platform == "linux" else "spawn spawn"
    assert done.stdout.split() == expected.split()


def test_the_cli_forks_its_workers_and_writes_the_same_files(tmp_path):
    """``wpb woonplaatscheck --werkers 2`` in a fresh process (so forked) against ``--werkers
    1``: the same three files (the fetch times aside: two runs read the documents at two
    moments)."""
    clienten, brp = _random_caseload(tmp_path, 80, seed=29)
    script = ("import sys\n"
              "import wpb.woonplaatscheck.check as c\n"
              "c.MIN_CLIENTEN_PER_WERKER = 1\n"
              "print(c.startmethode(), file=sys.stderr)\n"
              "from wpb.cli import app\n"
              "app()\n")
    outs = {}
    for n in (1, 2):
        outs[n] = tmp_path / f"uit-{n}"
        done = subprocess.run(
            [sys.executable, "-c", script, "woonplaatscheck", "--gemeente", "0344",
             "--clienten", str(clienten), "--brp-bron", str(brp), "--peildatum", "2026-12-01",
             "--out", str(outs[n]), "--werkers", str(n)],
            capture_output=True, text=True, env={"PYTHONPATH": str(SRC), "COLUMNS": "120"},
            timeout=300)
        assert done.returncode == 0, done.stderr
        if sys.platform == "linux":
            assert done.stderr.splitlines()[0] == "fork"
    fetch_time = re.compile(r'"opgehaald": "[^"]*"')
    for f in FILES:
        one, two = ((outs[n] / f).read_text(encoding="utf-8") for n in (1, 2))
        assert fetch_time.sub("", two) == fetch_time.sub("", one), f
    lines = [json.loads(x) for x in (outs[2] / FILES[0]).read_text(encoding="utf-8").splitlines()]
    assert len(lines) >= 70


class _OpAfstand(_Kapot):
    """A source that stands for a remote one (it has a limit of concurrent requests, as
    ``HaalCentraalBron``); every youth read is logged with the process and its limit."""

    def __init__(self, folder, register, log: Path, gelijktijdig: int, kapot: str = ""):
        super().__init__(folder, register, kapot)
        self.log, self.gelijktijdig = log, gelijktijdig

    def een(self, bsn):
        with self.log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {self.gelijktijdig} {bsn}\n")
        return super().een(bsn)


def _log(path: Path) -> list[tuple[int, int, str]]:
    return [(int(p), int(g), b) for p, g, b in (line.split() for line in path.read_text().splitlines())]


@pytest.mark.parametrize(("gelijktijdig", "werkers", "processen", "per_proces"), [
    (8, 2, 2, 4),  # the limit is shared: 4 + 4
    (5, 2, 2, 2),  # never more than the limit in all: 2 + 2
    (1, 3, 1, 1),  # one request at a time: one process
])
def test_a_remote_source_s_concurrency_is_shared_by_the_processes(
        tmp_path, register, every_client_may_have_a_worker, gelijktijdig, werkers, processen,
        per_proces):
    clienten, brp = _random_caseload(tmp_path, 24, seed=32)
    log = tmp_path / "log.txt"
    bron = _OpAfstand(brp, register, log, gelijktijdig)
    woonplaatscheck(bevestig(read_file(clienten, register)), bron, "0344", date(2026, 12, 1),
                    register, werkers=werkers)
    read = _log(log)
    assert len({pid for pid, _, _ in read}) == processen
    assert {g for _, g, _ in read} == {per_proces}
    assert bron.gelijktijdig == gelijktijdig  # (the caller's source is left as it was)


def test_a_remote_source_is_not_asked_again_to_name_a_failing_client(
        tmp_path, register, every_client_may_have_a_worker):
    clienten, brp = _random_caseload(tmp_path, 20, seed=33)
    toewijzingen = bevestig(read_file(clienten, register))
    kapot = sorted({t.bsn for t in toewijzingen})[15]
    log = tmp_path / "log.txt"
    with pytest.raises(WoonplaatscheckFout) as raised:
        woonplaatscheck(toewijzingen, _OpAfstand(brp, register, log, 8, kapot), "0344",
                        date(2026, 12, 1), register, werkers=2)
    assert "in een deel van" in str(raised.value) and "RuntimeError" in str(raised.value)
    assert kapot not in str(raised.value)
    assert sum(1 for _, _, b in _log(log) if b == kapot) == 1
