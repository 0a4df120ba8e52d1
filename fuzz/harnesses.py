"""Coverage-guided fuzz harnesses (atheris/libFuzzer) for the parsers the outside world reaches.

Each harness turns the fuzzer's bytes into one input for one parser and accepts only that
parser's documented error; any other exception is a finding (atheris stops and writes the
input to ``crash-*``). Seeds come from the project's own sample data, so the fuzzer starts
from valid documents and mutates them.

| harness | parser | accepted error |
|---|---|---|
| ``case_json`` | ``wpb.brp.haal_centraal.parse_case`` + ``wpb.law.engine.decide`` | ``InvalidInput`` |
| ``ijw_xml`` | ``wpb.ijw.xml_read.read_bericht`` (safe XML + model) | ``BerichtOngeldig`` |
| ``upload`` | ``wpb.service.components.overdrachten.upload_file.read_table`` (CSV and XLSX) | ``Problem`` (400/413) |
| ``gba`` | ``wpb.brp.gba.read_extract`` | ``InvalidInput`` |
| ``facturen`` | ``wpb.verrekening.factuur_reader.read_facturen_csv`` | ``ImportFout`` |

Run with ``fuzz/run.sh`` (see docs/reliability.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import atheris

from wpb.service import context
from wpb.service.components.overdrachten import upload_file

with atheris.instrument_imports(include=["wpb"]):
    from wpb.brp.gba import read_extract
    from wpb.brp.haal_centraal import parse_case
    from wpb.errors import InvalidInput
    from wpb.ijw.problems import BerichtOngeldig
    from wpb.ijw.xml_read import read_bericht
    from wpb.law.engine import decide
    from wpb.refdata import gemeente_register
    from wpb.service.errors import Problem
    from wpb.verrekening.factuur_reader import read_facturen_csv
    from wpb.verrekening.tabel import ImportFout

ROOT = Path(__file__).resolve().parents[1]
REGISTER = gemeente_register()
LIMITS = context.Limits(max_bytes=1_000_000, max_rows=1000)
sys.setrecursionlimit(10_000)


def case_json(data: bytes) -> None:
    try:
        doc = json.loads(data.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return  # not JSON: the JSON reader's business, not the case parser's
    try:
        case = parse_case(doc, REGISTER)
    except InvalidInput as exc:
        assert exc.errors
        return
    decide(case, REGISTER).to_json()


def ijw_xml(data: bytes) -> None:
    try:
        read_bericht(data)
    except BerichtOngeldig as exc:
        assert exc.problems


def upload(data: bytes) -> None:
    name = "f.xlsx" if data[:1] == b"x" else "f.csv"
    try:
        table = upload_file.read_table(data[1:], name, LIMITS)
    except Problem as exc:
        assert exc.status in (400, 413)
        return
    assert len(table.rows) <= LIMITS.max_rows


def gba(data: bytes) -> None:
    try:
        read_extract(data.decode("utf-8", errors="replace").splitlines(), bron_naam="fuzz")
    except InvalidInput as exc:
        assert exc.errors


def facturen(data: bytes) -> None:
    try:
        read_facturen_csv(data.decode("utf-8", errors="replace"))
    except ImportFout as exc:
        assert exc.fouten


HARNESSES = {"case_json": case_json, "ijw_xml": ijw_xml, "upload": upload, "gba": gba,
             "facturen": facturen}


def seeds(name: str) -> list[bytes]:
    """Valid inputs of each kind from the project itself."""
    if name == "case_json":
        return [p.read_bytes() for p in sorted((ROOT / "src/wpb/data/examples").glob("*.json"))]
    if name == "ijw_xml":
        sys.path.insert(0, str(ROOT / "tests"))
        from ijw_builders import jw301, jw315, jw317, jw319, jw323
        from wpb.ijw.xml_write import write_bericht

        return [write_bericht(m) for m in (jw315(), jw301(), jw317(), jw319(), jw323())]
    if name == "upload":
        header = "bsn;geboortedatum;ontvangende_gemeente;aanbieder_agb;product;toewijzing_einddatum;pgb\n"
        return [b"c" + (header + "999990019;2010-05-01;0307;99000011;Pleegzorg;2021-12-31;nee\n").encode()]
    if name == "gba":
        header = ";01.01.20;01.03.10;01.04.10;08.09.10;08.10.10;08.10.30;08.11.10;08.11.20;08.85.10;08.H;"
        return [f"{header}\nPL1;999993653;20100501;M;0344;W;20100501;Straat;1;20100501;;\n".encode()]
    header = ("factuurreferentie;bsn;betalende_gemeente;aanbieder_agb;product;begindatum;einddatum;"
              "bedrag_eurocent;betaaldatum\n")
    return [(header + "F-1;999990019;0344;99000011;45A48;2022-01-01;2022-03-31;900000;2022-04-15\n").encode()]


def main() -> None:
    name = sys.argv[1]
    corpus = Path(sys.argv[2])
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(seeds(name)):
        (corpus / f"seed-{i}").write_bytes(seed)
    atheris.Setup([sys.argv[0], *sys.argv[3:], str(corpus)], HARNESSES[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
