"""The pure core (wpb.law) imports only the standard library and itself.

Adapters depend on the core, never the reverse (docs/architecture.md). This test reads
the import statements of every module under src/wpb/law and fails on anything else.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "src" / "wpb" / "law"
ALLOWED_WPB = ("wpb.law", "wpb")  # `import wpb` only for the version string


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_core_has_modules():
    assert len(list(CORE.rglob("*.py"))) >= 10


def test_core_imports_only_stdlib_and_itself():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top == "wpb":
                if name != "wpb" and not name.startswith("wpb.law"):
                    offenders.append(f"{path.relative_to(CORE)}: {name}")
            elif top != "__future__" and top not in sys.stdlib_module_names:
                offenders.append(f"{path.relative_to(CORE)}: {name}")
    assert not offenders, "wpb.law must stay pure:\n" + "\n".join(offenders)


def test_core_does_no_io():
    forbidden = ("open(", "Path(", "read_text", "write_text", "print(", "logging.")
    offenders = [
        f"{p.relative_to(CORE)}: {word}"
        for p in sorted(CORE.rglob("*.py"))
        for word in forbidden
        if word in p.read_text(encoding="utf-8")
    ]
    assert not offenders, "\n".join(offenders)
