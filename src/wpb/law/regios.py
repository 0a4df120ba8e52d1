"""Jeugdhulpregio's: the regional groupings in which municipalities organise youth care.

A grouping holds on a date (its ``peildatum``): regions change when municipalities merge or
move to another region, so an answer from the grouping is only as current as that date. The
grouping does not decide who is responsible under the law; it tells which region a
municipality belongs to, for reporting and for routing work between regions.

This module is pure: an adapter (:mod:`wpb.refdata`) builds the grouping from the project's
data files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


class GeenJeugdregio(KeyError):
    """A gemeentecode that belongs to no region in the grouping (unknown, or ended before)."""

    def __init__(self, code: str, peildatum: date):
        super().__init__(code)
        self.code = code
        self.peildatum = peildatum

    def __str__(self) -> str:
        return (
            f"gemeentecode {self.code!r} hoort bij geen jeugdregio in de indeling van "
            f"{self.peildatum.isoformat()}"
        )


@dataclass(frozen=True)
class Jeugdregio:
    naam: str
    gemeenten: tuple[str, ...]  # gemeentecodes, sorted

    def __contains__(self, code: object) -> bool:
        return code in self.gemeenten

    def __len__(self) -> int:
        return len(self.gemeenten)


@dataclass(frozen=True)
class RegioIndeling:
    """Every region of one grouping; each municipality is in exactly one region."""

    peildatum: date
    bron: str
    regios: tuple[Jeugdregio, ...]
    _by_code: dict[str, Jeugdregio] = field(init=False, repr=False, compare=False)
    _by_naam: dict[str, Jeugdregio] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Jeugdregio] = {}
        by_naam: dict[str, Jeugdregio] = {}
        for regio in self.regios:
            if regio.naam in by_naam:
                raise ValueError(f"jeugdregio {regio.naam!r} komt twee keer voor")
            if not regio.gemeenten:
                raise ValueError(f"jeugdregio {regio.naam!r} heeft geen gemeenten")
            by_naam[regio.naam] = regio
            for code in regio.gemeenten:
                other = by_code.get(code)
                if other is not None:
                    raise ValueError(
                        f"gemeentecode {code} staat in twee jeugdregio's: {other.naam!r} en {regio.naam!r}"
                    )
                by_code[code] = regio
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_naam", by_naam)

    def regio_van(self, code: str) -> Jeugdregio:
        """The region of the municipality with ``code``."""
        try:
            return self._by_code[code]
        except KeyError:
            raise GeenJeugdregio(code, self.peildatum) from None

    def regio(self, naam: str) -> Jeugdregio:
        """The region called ``naam``."""
        try:
            return self._by_naam[naam]
        except KeyError:
            raise KeyError(f"geen jeugdregio met de naam {naam!r}") from None

    @property
    def gemeenten(self) -> frozenset[str]:
        """Every gemeentecode in the grouping."""
        return frozenset(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Jeugdregio]:
        return iter(self.regios)

    def __len__(self) -> int:
        return len(self.regios)
