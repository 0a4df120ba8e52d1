"""Input errors that name the record, the field and the reason, all at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    pad: str  # where in the input, e.g. "jeugdige.verblijfplaatshistorie[1].datumVan"
    probleem: str

    def __str__(self) -> str:
        return f"{self.pad}: {self.probleem}"

    def to_json(self) -> dict:
        return {"pad": self.pad, "probleem": self.probleem}


class InvalidInput(ValueError):
    """Raised with every problem found, so a user fixes them in one go."""

    def __init__(self, errors: list[FieldError], bron: str = "invoer"):
        self.errors = list(errors)
        self.bron = bron
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.bron} is ongeldig ({len(self.errors)} probleem/problemen):"]
        lines += [f"  - {e}" for e in self.errors]
        return "\n".join(lines)
