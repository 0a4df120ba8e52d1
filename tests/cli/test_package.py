"""The CLI package: one module per command group, no import cycles, one root app.

The rules come from issue 14 item 4: the groups share only ``wpb.cli.output``; no module
imports the root app; no import inside a function is there to dodge a cycle.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from importlib import resources
from pathlib import Path

from typer.testing import CliRunner

from wpb.cli import app

CLI_DIR = Path(__file__).resolve().parents[2] / "src" / "wpb" / "cli"
runner = CliRunner()


def _cli_imports(path: Path) -> tuple[set[str], set[str]]:
    """The ``wpb.cli.*`` modules a file imports at module level, and inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top, nested = set(), set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "wpb.cli":
                names = [f"wpb.cli.{a.name}" for a in node.names]
            elif node.module.startswith("wpb.cli."):
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("wpb.cli.")]
        (top if node in tree.body else nested).update(names)
    return top, nested


def _graph() -> dict[str, set[str]]:
    return {f"wpb.cli.{p.stem}": _cli_imports(p)[0] for p in CLI_DIR.glob("*.py") if p.stem != "__init__"}


def test_there_is_no_import_cycle_between_cli_modules():
    graph = _graph()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for target in graph.get(module, ()):
            visit(target, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_no_cli_module_imports_another_inside_a_function():
    for path in CLI_DIR.glob("*.py"):
        assert not _cli_imports(path)[1], path.name


def test_only_the_package_imports_the_root_app():
    importers = [m for m, targets in _graph().items() if "wpb.cli.main" in targets]
    assert importers == []


def test_every_group_is_a_command_of_the_root_app():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("woonplaats", "voorbeelden", "gemeente", "gba", "synth", "batch", "budget",
                    "verreken", "ijw", "overgang", "serve", "db", "audit", "beheer", "openapi"):
        assert f" {command} " in result.stdout, command


def _example() -> str:
    with resources.as_file(resources.files("wpb") / "data" / "examples" / "02-pleegzorg-reeks.json") as p:
        return str(p)


def test_executor_kolom_decides_as_the_reference_or_says_it_is_missing():
    reference = runner.invoke(app, ["woonplaats", _example(), "-f", "json"])
    assert reference.exit_code == 0
    columnar = runner.invoke(app, ["woonplaats", _example(), "-f", "json", "--executor", "kolom"])
    if importlib.util.find_spec("wpb.batch.single") is None:
        assert columnar.exit_code == 2
        assert "kolom-executor niet beschikbaar" in columnar.stderr
        return
    assert columnar.exit_code == 0, columnar.output
    ours, theirs = json.loads(reference.stdout), json.loads(columnar.stdout)
    for key in ("status", "gemeente", "grondslag"):
        assert theirs[key] == ours[key], key


def test_executor_refuses_an_unknown_value():
    result = runner.invoke(app, ["woonplaats", _example(), "--executor", "snel"])
    assert result.exit_code == 2


def test_executor_kolom_refuses_an_entry_into_force_date_it_cannot_use():
    result = runner.invoke(app, ["woonplaats", _example(), "--wet", "wmo-bw", "--executor", "kolom",
                                 "--inwerkingtreding", "2027-01-01"])
    assert result.exit_code == 2 and "--inwerkingtreding" in result.stderr
