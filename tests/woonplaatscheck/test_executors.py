"""The woonplaatscheck with the national (columnar) executor gives the outputs of the
reference engine: on the conformance cases, on the GBA-V proefomgeving set and on a random
caseload with moves, stays and youths near 18.

What must be identical: ``signalen.csv`` and ``aanlevering.csv`` byte for byte; in
``beslissingen.jsonl`` every line of a client with a signal (the full explanation a person
reads comes from the reference engine), and for the other clients the answer (status,
gemeente, grondslag, reden, kandidaten, vanaf, assumptions, toewijzingen, BRP provenance and
the receipt's input hash). Only their toelichting, facts used and receipt engine say that the
columnar executor answered.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date

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
from wpb.woonplaatscheck.check import KOLOM, KOLOM_ENGINE, REFERENTIE, woonplaatscheck
from wpb.woonplaatscheck.uitvoer import schrijf

EXPLANATION = ("toelichting", "gebruikteGegevens", "ontbrekend", "receipt")


class _Once:
    """A BRP source read once: both executors get the same documents and fetch times."""

    def __init__(self, inner):
        self.inner, self.naam = inner, inner.naam
        self.fetched = self.mothers = None

    def fetch(self, clients, peildatum, voortgang=None):
        if self.fetched is None:
            self.fetched = self.inner.fetch(clients, peildatum, voortgang=voortgang)
        return self.fetched

    def met_moeder(self, gegevens):
        if self.mothers is None:
            self.mothers = self.inner.met_moeder(gegevens)
        return self.mothers


def _lines(path) -> dict[tuple[str, str], dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {(d["bsn"], d["wet"]): d for d in map(json.loads, lines)}


def _both(tmp_path, clienten, bron, gemeente, peildatum, register, **kw) -> Counter:
    """Run both executors and compare their files; count how the columnar run answered."""
    toewijzingen = bevestig(read_file(clienten, register))
    once = _Once(bron)
    outs = {}
    for uitvoering in (REFERENTIE, KOLOM):
        result = woonplaatscheck(toewijzingen, once, gemeente, peildatum, register,
                                 uitvoering=uitvoering, **kw)
        outs[uitvoering] = tmp_path / f"{gemeente}-{peildatum}-{uitvoering}"
        schrijf(result, outs[uitvoering])
    ref, kol = outs[REFERENTIE], outs[KOLOM]
    for name in ("signalen.csv", "aanlevering.csv"):
        assert (kol / name).read_bytes() == (ref / name).read_bytes(), name
    with (ref / "signalen.csv").open(newline="", encoding="utf-8") as f:
        with_signal = {r["bsn"] for r in csv.DictReader(f, delimiter=";")}
    expected, got = _lines(ref / "beslissingen.jsonl"), _lines(kol / "beslissingen.jsonl")
    assert got.keys() == expected.keys()
    seen = Counter()
    for key, r in expected.items():
        k = got[key]
        assert r["receipt"]["engine"] != KOLOM_ENGINE if r.get("receipt") else True
        if key[0] in with_signal:
            assert k == r, key
            seen["signaal (referentie)"] += 1
            continue
        assert {f: v for f, v in k.items() if f not in EXPLANATION} == \
            {f: v for f, v in r.items() if f not in EXPLANATION}, key
        if k.get("receipt"):
            assert k["receipt"]["invoerHash"] == r["receipt"]["invoerHash"]
            seen["kolom" if k["receipt"]["engine"] == KOLOM_ENGINE else "via referentie"] += 1
    return seen


def test_the_conformance_cases_give_the_same_outputs(tmp_path):
    register = refdata.gemeente_register()
    seen = Counter()
    for peildatum, folder, cases in conformance_caseloads(tmp_path):
        gemeenten = Counter(c.verwacht.get("gemeente") for c in cases.values()) - Counter({None: 10**9})
        # As 0344 (mostly signals) and as the gemeente most often responsible (mostly none).
        for gemeente in {"0344", *(g for g, _ in gemeenten.most_common(1))}:
            seen += _both(tmp_path, folder / "clienten.csv", MapBron(folder / "brp", register),
                          gemeente, date.fromisoformat(peildatum), register, alle=True)
    assert seen["kolom"] >= 10 and seen["signaal (referentie)"] >= 50, seen


@pytest.mark.shared
@pytest.mark.skipif(not GBA_TESTSET.exists(), reason="../shared GBA-V proefomgeving set absent")
def test_the_gba_v_proefomgeving_set_gives_the_same_outputs(tmp_path):
    peildatum = date(2022, 5, 2)
    register = refdata.proefomgeving_register()
    extract = gba.read_extract(GBA_TESTSET, skip_invalid=True)
    clienten, _ = gba_caseload(tmp_path, extract, peildatum)
    seen = Counter()
    for gemeente in ("0518", "0599"):
        seen += _both(tmp_path, clienten, GbaBron(GBA_TESTSET, register), gemeente, peildatum,
                      register)
    assert seen["kolom"] >= 5 and seen["signaal (referentie)"] >= 5, seen


def test_a_random_caseload_with_moves_stays_and_youths_near_18_gives_the_same_outputs(tmp_path):
    """Every signal soort, wijziging_gepland from stays ending within the window included."""
    register = refdata.gemeente_register()
    peildatum = date(2026, 12, 1)
    clienten, brp = random_caseload(tmp_path, 250, seed=20, start=999_991_000)
    seen = _both(tmp_path, clienten, MapBron(brp, register),
                 "0344", peildatum, register)
    assert seen["kolom"] >= 50 and seen["signaal (referentie)"] >= 50, seen
    with (tmp_path / f"0344-{peildatum}-{KOLOM}" / "signalen.csv").open(encoding="utf-8") as f:
        soorten = Counter(r["soort"] for r in csv.DictReader(f, delimiter=";"))
    assert {"andere_gemeente", "einde_jeugdige", "wijziging_gepland"} <= set(soorten), soorten


def test_an_unknown_executor_is_refused(register):
    with pytest.raises(ValueError, match="uitvoering"):
        woonplaatscheck([], None, "0344", date(2026, 1, 1), register, uitvoering="snel")  # type: ignore[arg-type]


def test_the_cli_takes_either_executor(tmp_path):
    from typer.testing import CliRunner

    from wpb.cli import app

    peildatum, folder, _ = conformance_caseloads(tmp_path)[-1]
    outputs = {}
    for uitvoering in (KOLOM, REFERENTIE):
        out = tmp_path / f"cli-{uitvoering}"
        result = CliRunner().invoke(app, [
            "woonplaatscheck", "--gemeente", "0344", "--clienten", str(folder / "clienten.csv"),
            "--brp-bron", str(folder / "brp"), "--peildatum", peildatum, "--out", str(out),
            "--alle", "--uitvoering", uitvoering])
        assert result.exit_code == 0, result.output
        outputs[uitvoering] = (out / "signalen.csv").read_bytes()
    assert outputs[KOLOM] == outputs[REFERENTIE]
    refused = CliRunner().invoke(app, [
        "woonplaatscheck", "--gemeente", "0344", "--clienten", str(folder / "clienten.csv"),
        "--brp-bron", str(folder / "brp"), "--out", str(tmp_path / "x"), "--uitvoering", "snel"])
    assert refused.exit_code == 2 and not (tmp_path / "x").exists()
