"""Which code decided: the version plus a short hash of the law modules' sources.

A receipt names its engine so that two receipts with the same engine string mean the same
rules. The version alone does not: it stays ``0.1.0`` across many commits that change a rule.
So the engine string carries a SHA-256 over the Python sources under ``wpb/law`` (paths and
contents, line ends normalised), e.g. ``wpb 0.1.0+law.3f2a9c1e07bd``.

The hash is computed here, outside the pure core (which does no I/O), once at import of
:mod:`wpb`; the core reads it as ``wpb.__engine__``. Only the standard library is used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

LAW_DIR = Path(__file__).resolve().parent / "law"
HASH_LENGTH = 12  # 48 bits: ample to tell rule versions apart, short enough to read


def law_hash(root: Path = LAW_DIR) -> str:
    """A short hash of every ``.py`` file under ``root``: its path (relative) and its text.

    Line ends are normalised, so a Windows checkout of the same rules gives the same hash.
    A tree without sources (e.g. an installation of compiled files only) is ``onbekend``.
    """
    digest = hashlib.sha256()
    sources = sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix())
    for path in sources:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()[:HASH_LENGTH] if sources else "onbekend"


def engine_id(version: str, root: Path = LAW_DIR) -> str:
    """The engine string of a receipt: ``wpb VERSION+law.HASH``."""
    return f"wpb {version}+law.{law_hash(root)}"
