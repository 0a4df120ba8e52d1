"""The CLI package: one module per command group, no import cycles, one root app.

The rules come from issue 14 item 4: the groups share only ``wpb.cli.output``; no module
imports the root app; no import inside a function is there to dodge a cycle.
"""

from __future__ import annotations

import ast
import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wpb.cli import app
from wpb.conformance import default_path, load_cases

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


def _conformance_cases() -> list:
    jeugdwet = load_cases(default_path())
    wmo = load_cases(default_path().with_name("wmo_beschermd_wonen.yaml"))
    return [pytest.param(c, "jeugdwet", id=c.id) for c in jeugdwet] + [
        pytest.param(c, "wmo-bw", id=f"wmo-{c.id}") for c in wmo
    ]


def _outcome(decision: dict) -> tuple:
    gemeente = (decision.get("gemeente") or {}).get("code")
    onderdeel = (decision.get("grondslag") or {}).get("onderdeel")
    return decision["status"], gemeente, onderdeel


@pytest.mark.parametrize(("case", "wet"), _conformance_cases())
def test_executor_kolom_agrees_with_the_reference_on_every_conformance_case(case, wet, tmp_path):
    """Issue 15: the same status, gemeente and onderdeel from both executors, via the CLI."""
    path = tmp_path / "casus.json"
    path.write_text(json.dumps(case.casus), encoding="utf-8")
    args = ["woonplaats", str(path), "-f", "json", "--wet", wet]
    in_force = case.instelling.get("inwerkingtreding")
    if wet == "wmo-bw":
        args += ["--inwerkingtreding", str(in_force) if in_force else "nee"]
    reference = runner.invoke(app, args)
    columnar = runner.invoke(app, [*args, "--executor", "kolom"])
    assert reference.exit_code == columnar.exit_code, columnar.output
    if reference.exit_code != 0:
        return  # input both executors refuse alike
    assert _outcome(json.loads(columnar.stdout)) == _outcome(json.loads(reference.stdout))


def test_executor_refuses_an_unknown_value():
    result = runner.invoke(app, ["woonplaats", _example(), "--executor", "snel"])
    assert result.exit_code == 2
