"""The architecture of docs/architecture.md, checked on the code.

- The pure cores (``wpb.law`` and ``wpb.domain``) import only the standard library and
  themselves, and do no I/O.
- The import graph of ``src/wpb`` has no cycle: every import counts, also one inside a
  function or under ``TYPE_CHECKING``, and no project module is imported by a string
  (``importlib``).
- Every row of the rule table in docs/architecture.md holds: a module imports only what its
  row allows and nothing its row forbids. The table is read from the document itself, so
  the document and this test cannot drift apart.

How a row is read: the first column names the modules of the row (backticked, a prefix
such as `wpb.brp` covers `wpb.brp.*`; `wpb.cli_*` is a name pattern). The other two
columns list backticked modules that may or must not be imported; for one import the most
specific entry (the longest match, the row's own modules included) decides. A row whose
second column says "everything" allows every import its third column does not forbid; a
row without any backticked module in its second column allows no `wpb` import (the
standard library and third-party packages are not checked here, except for the cores).
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "wpb"
DOC = ROOT / "docs" / "architecture.md"
PURE = {"wpb.law": PACKAGE / "law", "wpb.domain": PACKAGE / "domain"}


# --- the import graph -----------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _existing(name: str) -> str | None:
    """The module an import of ``name`` loads: the name itself or its nearest package."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path) -> set[str]:
    """Every project module ``name`` imports, wherever the import statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {_existing(a.name) for a in node.names if a.name.split(".")[0] == "wpb"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "wpb":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules() else _existing(source))
    found.discard(None)
    found.discard(name)
    return found  # type: ignore[return-value]


@cache
def graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(imports_of(name, path)) for name, path in modules().items()}


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_the_project():
    g = graph()
    assert len(g) > 100
    # Imports of every form are found: absolute, from a package, of a submodule.
    assert "wpb.law.engine" in g["wpb.service.components.overdrachten.woonplaats"]
    assert "wpb.service.components.overdrachten.models" in g["wpb.service.tables"]


def test_cycle_finder_finds_a_cycle():
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "import cycles in src/wpb:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_no_project_module_imported_by_a_string():
    offenders = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(import_module|find_spec|__import__)\(\s*[\"'](wpb[\w.]*)", text):
            offenders.append(f"{name}: {match.group(0)}")
    assert not offenders, "\n".join(offenders)


# --- the pure cores -------------------------------------------------------------------------


def _all_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


# The law may use the pure rules that are not law (money, pseudonyms, state machines); never
# the reverse: wpb.domain knows nothing of statute.
PURE_BELOW = {"wpb.law": ("wpb.domain",)}


def test_cores_have_modules():
    assert len(list(PURE["wpb.law"].rglob("*.py"))) >= 10
    assert (PURE["wpb.domain"] / "overdracht.py").exists()


def test_cores_import_only_stdlib_and_themselves():
    offenders = []
    for core, folder in PURE.items():
        for path in sorted(folder.rglob("*.py")):
            for name in _all_imports(path):
                top = name.split(".")[0]
                if top == "wpb":
                    allowed = (core, *PURE_BELOW.get(core, ()))
                    if name != "wpb" and not any(name == a or name.startswith(a + ".") for a in allowed):
                        offenders.append(f"{module_name(path)}: {name}")
                elif top != "__future__" and top not in sys.stdlib_module_names:
                    offenders.append(f"{module_name(path)}: {name}")
    assert not offenders, "the pure cores must stay pure:\n" + "\n".join(offenders)


def test_cores_do_no_io():
    forbidden = ("open(", "Path(", "read_text", "write_text", "print(", "logging.")
    offenders = [
        f"{module_name(p)}: {word}"
        for folder in PURE.values()
        for p in sorted(folder.rglob("*.py"))
        for word in forbidden
        if word in p.read_text(encoding="utf-8")
    ]
    assert not offenders, "\n".join(offenders)


# --- the rule table -------------------------------------------------------------------------

BACKTICKED = re.compile(r"`([\w.*]+)`")


class Row:
    def __init__(self, line: str):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 3, f"a rule row has three columns: {line}"
        self.text = line.strip()
        self.own = [p for p in BACKTICKED.findall(cells[0]) if p.startswith("wpb")]
        self.allowed = [p for p in BACKTICKED.findall(cells[1]) if p.startswith("wpb")]
        self.everything = cells[1].lower().startswith("everything")
        self.forbidden = [p for p in BACKTICKED.findall(cells[2]) if p.startswith("wpb")]
        self.nobody_imports = "nothing imports" in cells[2].lower()

    def covers(self, module: str) -> int:
        """How specifically this row names ``module`` (0: not at all)."""
        return max((len(p) for p in self.own if matches(p, module)), default=0)


def matches(pattern: str, module: str) -> bool:
    if "*" in pattern:
        return fnmatch.fnmatch(module, pattern) or fnmatch.fnmatch(module, pattern + ".*")
    if pattern == "wpb":  # the package itself (its version), not everything in it
        return module == "wpb"
    return module == pattern or module.startswith(pattern + ".")


@cache
def rule_rows() -> tuple[Row, ...]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Rules", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header, separator, *rows = lines
    assert "may import" in header and set(separator) <= set("|-: ")
    return tuple(Row(line) for line in rows)


def row_of(module: str) -> Row | None:
    best = max(rule_rows(), key=lambda r: r.covers(module))
    return best if best.covers(module) else None


def verdict(row: Row, target: str) -> bool:
    """May a module of ``row`` import ``target``? The most specific entry decides."""
    entries = [(len(p), True) for p in row.own + row.allowed if matches(p, target)]
    entries += [(len(p), False) for p in row.forbidden if matches(p, target)]
    if not entries:
        return row.everything
    longest = max(length for length, _ in entries)
    # On a tie the prohibition wins.
    return all(ok for length, ok in entries if length == longest)


def violations() -> list[str]:
    found = []
    cli_rows = [r for r in rule_rows() if r.nobody_imports]
    for module, targets in sorted(graph().items()):
        row = row_of(module)
        for target in sorted(targets):
            if row is not None and not verdict(row, target):
                found.append(f"{module} imports {target} (row: {row.text})")
            for protected in cli_rows:
                if protected.covers(target) and protected is not row:
                    found.append(f"{module} imports {target}: nothing may import it")
    return found


def test_the_table_is_read():
    rows = rule_rows()
    assert len(rows) >= 10
    law = row_of("wpb.law.engine")
    assert law is not None and "wpb.law" in law.own
    assert row_of("wpb.service.components.verrekening.claims") is not row_of("wpb.service.errors")
    # `wpb.cli` covers both the module wpb/cli.py and a package wpb/cli/.
    cli = row_of("wpb.cli")
    assert cli is not None and cli is row_of("wpb.cli.output") and cli is row_of("wpb.cli_gba")


def test_verdicts_follow_the_most_specific_entry():
    shared = row_of("wpb.service.errors")
    assert shared is not None
    assert verdict(shared, "wpb.service.clock")
    assert not verdict(shared, "wpb.service.components.verrekening.claims")
    assert not verdict(shared, "wpb.cli")
    component = row_of("wpb.service.components.beheer.api")
    assert component is not None
    assert verdict(component, "wpb.service.components.beheer.models")  # its own modules
    assert not verdict(component, "wpb.service.components.verrekening.claims")


def test_a_forbidden_import_is_found(monkeypatch):
    real = graph()
    fake = dict(real)
    fake["wpb.refdata"] = real["wpb.refdata"] | {"wpb.service.app"}
    fake["wpb.service.clock"] = real["wpb.service.clock"] | {"wpb.cli"}
    monkeypatch.setitem(globals(), "graph", lambda: fake)
    found = violations()
    assert any(v.startswith("wpb.refdata imports wpb.service.app") for v in found)
    assert any(v.startswith("wpb.service.clock imports wpb.cli") for v in found)


def test_every_rule_row_holds():
    found = violations()
    assert not found, "imports against docs/architecture.md:\n" + "\n".join(found)


def test_every_row_names_modules_that_exist():
    known = modules()
    for row in rule_rows():
        for pattern in row.own:
            if "*" in pattern:  # a name pattern may match nothing (wpb.cli_* once the CLI is a package)
                continue
            assert any(matches(pattern, m) for m in known), f"{pattern} names nothing: {row.text}"
