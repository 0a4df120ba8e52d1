"""Names: English verbs, Dutch domain nouns (docs/glossary.md, "One name per concept").

A function whose name starts with a Dutch verb (``lees_``, ``schrijf_``, ``maak_``...) breaks
the naming rule the glossary states; this test lists every such definition in ``src/wpb``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "wpb"

# Dutch verbs (imperative stem) that have an English counterpart in use in the code.
DUTCH_VERBS = frozenset({
    "lees", "schrijf", "maak", "registreer", "los", "bereken", "bepaal", "controleer",
    "verwerk", "zoek", "haal", "toon", "geef", "stuur", "voeg", "verwijder", "zet", "laad",
    "bouw", "vind", "sla", "wijzig", "sluit", "valideer", "verleng", "beeindig",
    "wacht", "stel", "ontvang", "toets", "vul", "kies", "tel", "vergelijk", "verstuur",
})


def _dutch_verb_functions() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = node.name.lstrip("_").split("_", 1)[0]
                bare = node.name.lstrip("_")
                # "Haal Centraal" is the name of the BRP API, not the verb.
                if first in DUTCH_VERBS and ("_" in bare or bare == "lees") and not bare.startswith("haal_centraal"):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    return found


def test_no_function_starts_with_a_dutch_verb() -> None:
    assert _dutch_verb_functions() == []


def test_the_check_recognises_a_dutch_verb() -> None:
    # The check itself must be able to fail: a parsed definition with a Dutch verb is found.
    tree = ast.parse("def lees_facturen(p):\n    return p\n")
    name = tree.body[0].name  # type: ignore[attr-defined]
    assert name.split("_", 1)[0] in DUTCH_VERBS
