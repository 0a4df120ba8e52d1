"""Municipalities through time: which gemeente carries a code's responsibility on a date.

Gemeentelijke herindelingen end municipalities: a *samenvoeging* (merger) hands all of
a municipality to one successor; a *splitsing* divides it over several. The BRP's
Tabel 33 records one "nieuwe code" per ended municipality, which is right for a merger
but not for a split, so splits are recorded here with every successor. An address
known only by the code of a split municipality cannot be placed in one successor
without the address itself: :meth:`GemeenteRegister.successors` then returns all of
them and the rules answer ``review``.

This module is pure: the register is built from values by an adapter
(:mod:`wpb.refdata`) that reads the project's data files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

# Gemeentecodes that do not name a municipality of residence.
RNI_CODE = "1999"  # Registratie Niet-Ingezetenen: abroad, not an ingezetene
UNKNOWN_CODE = "0000"  # Tabel 33 "Onbekend"


class UnknownGemeente(KeyError):
    """A gemeentecode that is not in the register."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"onbekende gemeentecode {self.code!r}"


class OpvolgingSoort(str, Enum):
    SAMENVOEGING = "samenvoeging"  # merged into one successor (also a new code or name)
    SPLITSING = "splitsing"  # divided over several successors


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    begin: date | None  # first day it existed (None: before the register's horizon)
    einde: date | None  # first day it no longer existed (None: still exists)

    def exists_on(self, day: date) -> bool:
        return (self.begin is None or self.begin <= day) and (self.einde is None or day < self.einde)


@dataclass(frozen=True)
class Opvolging:
    """What became of an ended municipality on ``datum``."""

    code: str
    datum: date
    soort: OpvolgingSoort
    opvolgers: tuple[str, ...]
    bron: str = ""


@dataclass(frozen=True)
class Successors:
    """The answer of :meth:`GemeenteRegister.successors`.

    ``codes`` holds one code when the responsibility passed whole; several when a split
    on the way means the code alone cannot say which successor it is. ``path`` lists the
    herindelingen followed, oldest first, for the explanation.
    """

    codes: tuple[str, ...]
    path: tuple[Opvolging, ...] = field(default=())

    @property
    def is_unique(self) -> bool:
        return len(self.codes) == 1

    @property
    def code(self) -> str:
        if not self.is_unique:
            raise ValueError(f"gemeente is gesplitst over {', '.join(self.codes)}")
        return self.codes[0]

    @property
    def passes_split(self) -> bool:
        return any(step.soort is OpvolgingSoort.SPLITSING for step in self.path)


class GemeenteRegister:
    """All municipalities with their lifetimes and what became of the ended ones."""

    def __init__(
        self,
        gemeenten: Iterable[Gemeente],
        opvolgingen: Iterable[Opvolging],
        *,
        bron: str = "",
        versie: str = "",
        landen: Mapping[str, str] | None = None,
    ):
        self._gemeenten: dict[str, Gemeente] = {}
        # BRP Tabel 34: landcode -> name, for the toelichting (a code on its own when absent).
        self._landen: dict[str, str] = dict(landen or {})
        for g in gemeenten:
            if g.code in self._gemeenten:
                raise ValueError(f"gemeentecode {g.code} komt twee keer voor")
            self._gemeenten[g.code] = g
        self._opvolging: dict[str, Opvolging] = {}
        for o in opvolgingen:
            if o.code in self._opvolging:
                raise ValueError(f"gemeentecode {o.code} heeft twee opvolgingen")
            self._opvolging[o.code] = o
        self.bron = bron
        self.versie = versie
        self._successors: dict[tuple[str, date], Successors] = {}

    def __contains__(self, code: object) -> bool:
        return code in self._gemeenten

    def __iter__(self):
        return iter(self._gemeenten.values())

    def __len__(self) -> int:
        return len(self._gemeenten)

    def get(self, code: str) -> Gemeente:
        try:
            return self._gemeenten[code]
        except KeyError:
            raise UnknownGemeente(code) from None

    def naam(self, code: str) -> str:
        return self.get(code).naam

    def land_naam(self, code: str) -> str | None:
        """The name BRP Tabel 34 gives a landcode, if the register carries the table."""
        return self._landen.get(code)

    def opvolging(self, code: str) -> Opvolging | None:
        return self._opvolging.get(code)

    def exists_on(self, code: str, day: date) -> bool:
        return self.get(code).exists_on(day)

    def on(self, day: date) -> list[Gemeente]:
        """Every municipality that exists on ``day``, by code."""
        return sorted((g for g in self._gemeenten.values() if g.exists_on(day)), key=lambda g: g.code)

    def successors(self, code: str, on: date) -> Successors:
        """The municipality or municipalities that carry ``code``'s responsibility on ``on``.

        Mergers chain (A→B→C). A split anywhere on the chain yields all successors
        reachable on ``on``; the caller must not pick one. A municipality that ended without
        a Dutch successor yields none. A code that still exists on
        ``on`` (or did not exist yet, as for a date before its creation) is its own
        successor.
        """
        key = (code, on)
        found = self._successors.get(key)
        if found is None:
            if len(self._successors) > 100_000:
                self._successors.clear()
            found = self._successors[key] = self._find_successors(code, on)
        return found

    def _find_successors(self, code: str, on: date) -> Successors:
        # Asked for every record of every youth, on each day probed: kept per (code, day).
        # The register does not change once read, and the answer is frozen.
        gemeente = self.get(code)
        if gemeente.einde is None or on < gemeente.einde:
            return Successors((code,))
        step = self._opvolging.get(code)
        if step is None:
            # Ended without a Dutch successor (e.g. Elten, returned to Germany in 1963).
            return Successors(())
        codes: list[str] = []
        path: list[Opvolging] = [step]
        for successor in step.opvolgers:
            sub = self.successors(successor, on)
            for c in sub.codes:
                if c not in codes:
                    codes.append(c)
            for s in sub.path:
                if s not in path:
                    path.append(s)
        return Successors(tuple(sorted(codes)), tuple(path))
