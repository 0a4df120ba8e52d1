"""What is wrong with a message: the element, the rule, the reason, the value.

Every check in this package reports :class:`Problem` values instead of raising on the
first one, so a sender fixes everything in one go. ``regel`` names the rule broken: an
iStandaarden rule code (TR377, CD075, OP192, IV095 ...), ``CS002`` for the 11-proef,
``XSD`` for what the schema itself forbids (structure, datatype, code list), or
``XML`` for a document that is not acceptable XML at all. ``retourcode`` is the WJ001
retourcode the standard attaches to the rule, when it names one.

A BSN is never put in ``waarde`` or in the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from wpb.errors import FieldError, InvalidInput


@dataclass(frozen=True)
class Problem:
    element: str  # path of the element, e.g. /Bericht/Client/Bsn
    regel: str
    probleem: str
    waarde: str | None = None
    retourcode: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.element} (regel {self.line})" if self.line else self.element
        return f"{where}: [{self.regel}] {self.probleem}"

    def to_json(self) -> dict:
        out: dict = {"element": self.element, "regel": self.regel, "probleem": self.probleem}
        if self.waarde is not None:
            out["waarde"] = self.waarde
        if self.retourcode is not None:
            out["retourcode"] = self.retourcode
        if self.line is not None:
            out["line"] = self.line
        return out

    def to_field_error(self) -> FieldError:
        where = f"{self.element} (regel {self.line})" if self.line else self.element
        return FieldError(where, f"[{self.regel}] {self.probleem}")


class BerichtOngeldig(InvalidInput):
    """A message that cannot be accepted, with every problem found."""

    def __init__(self, problems: list[Problem], bron: str = "bericht"):
        self.problems = list(problems)
        super().__init__([p.to_field_error() for p in self.problems], bron=bron)
