"""The receipt pins the code (issue 14 item 8): the engine string changes with the law's sources."""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

import wpb
from wpb import refdata
from wpb.brp.haal_centraal import load_case
from wpb.engine_id import LAW_DIR, engine_id, law_hash
from wpb.law.engine import decide


@pytest.fixture
def law_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "law"
    shutil.copytree(LAW_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_copy_of_the_same_sources_has_the_same_hash(law_copy):
    assert law_hash(law_copy) == law_hash(LAW_DIR) == law_hash()


def test_changing_one_rule_module_changes_the_hash(law_copy):
    before = law_hash(law_copy)
    module = law_copy / "jeugdwet" / "woonplaats_2022.py"
    module.write_text(module.read_text(encoding="utf-8").replace("GELDIG_VANAF", "GELDIG_VANAF ", 1),
                      encoding="utf-8")
    assert law_hash(law_copy) != before


def test_adding_or_renaming_a_module_changes_the_hash(law_copy):
    before = law_hash(law_copy)
    (law_copy / "extra.py").write_text("X = 1\n", encoding="utf-8")
    added = law_hash(law_copy)
    (law_copy / "extra.py").rename(law_copy / "ander.py")
    assert len({before, added, law_hash(law_copy)}) == 3


def test_line_ends_and_compiled_files_do_not_count(law_copy):
    before = law_hash(law_copy)
    for path in law_copy.rglob("*.py"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    (law_copy / "__pycache__").mkdir(exist_ok=True)
    (law_copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert law_hash(law_copy) == before


def test_no_sources_is_said_not_guessed(tmp_path):
    assert engine_id("9.9", tmp_path) == "wpb 9.9+law.onbekend"


def test_every_receipt_names_version_and_law_hash():
    register = refdata.gemeente_register()
    example = resources.files("wpb") / "data" / "examples" / "02-pleegzorg-reeks.json"
    with resources.as_file(example) as path:
        decision = decide(load_case(path, register), register)
    assert decision.receipt.engine == wpb.__engine__ == f"wpb {wpb.__version__}+law.{law_hash()}"
    assert re.fullmatch(r"wpb [0-9.]+\+law\.[0-9a-f]{12}", decision.receipt.engine)
