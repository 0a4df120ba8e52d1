"""BRP data for a whole caseload, from a folder of documents or a GBA-V extract.

Every source answers with :class:`BrpGegevens` per BSN (the youth, and the mother when
known) and a report of what could not be had (:class:`Ophaling`). Each answer keeps where it
came from, when, and the SHA-256 of the bytes it was read from (:class:`Herkomst`), so a
decision can be traced to the data.

- :class:`MapBron`: a folder with one ``<bsn>.json`` per youth, holding the BRP part of the
  case JSON: ``jeugdige`` and, when known, ``moeder`` (Haal Centraal field names).
- :class:`GbaBron`: a GBA-V extract in the LO GBA layout (:mod:`wpb.brp.gba`); the mother is
  found on the youth's persoonslijst (:func:`wpb.brp.gba.moeder_van`).
- :class:`wpb.brp.bulk.HaalCentraalBron`: the Haal Centraal personen and historie APIs.

Reasons in the report never contain a BSN.
"""

from __future__ import annotations

import hashlib
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from wpb.brp import gba
from wpb.brp.haal_centraal import CaseReader
from wpb.errors import InvalidInput
from wpb.law.facts import Persoon
from wpb.law.gemeenten import GemeenteRegister

Voortgang = Callable[[int, int], None]  # (done, total)
_DOCUMENT_KEYS = {"jeugdige", "moeder"}


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def nu() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Herkomst:
    bron: str  # the file, or the endpoint and API, the data came from (never a BSN)
    opgehaald: datetime
    sha256: str

    def to_json(self) -> dict:
        return {"bron": self.bron, "opgehaald": self.opgehaald.isoformat(), "sha256": self.sha256}


@dataclass(frozen=True)
class BrpGegevens:
    bsn: str = field(repr=False)
    jeugdige: Persoon
    moeder: Persoon | None
    herkomst: tuple[Herkomst, ...]
    moeder_bsn: str | None = field(default=None, repr=False)  # known, perhaps not yet fetched


@dataclass
class Ophaling:
    gegevens: dict[str, BrpGegevens] = field(default_factory=dict)
    mislukt: dict[str, str] = field(default_factory=dict)  # BSN -> reason (without the BSN)


class BrpBron(Protocol):
    naam: str

    def fetch(self, bsns: Iterable[str], peildatum: date, *,
                voortgang: Voortgang | None = None) -> Ophaling: ...

    def met_moeder(self, gegevens: Iterable[BrpGegevens], *,
                   voortgang: Voortgang | None = None) -> Ophaling:
        """The same youths with the mother's registration added where the source can."""
        ...


def read_document(doc: Any, register: GemeenteRegister, bron: str) -> tuple[Persoon, Persoon | None]:
    """The youth and the mother of a ``<bsn>.json`` document; :class:`InvalidInput` on errors."""
    reader = CaseReader(register)
    if not isinstance(doc, dict):
        reader.error("$", "verwacht een JSON-object met jeugdige (en moeder)")
        raise InvalidInput(reader.errors, bron=bron)
    reader.unknown_keys(doc, _DOCUMENT_KEYS, "")
    jeugdige = None
    if "jeugdige" not in doc:
        reader.error("jeugdige", "ontbreekt")
    else:
        jeugdige = reader.persoon(doc["jeugdige"], "jeugdige", require_history=True)
    moeder = None
    if doc.get("moeder") is not None:
        moeder = reader.persoon(doc["moeder"], "moeder", require_history=False)
    if reader.errors or jeugdige is None:
        raise InvalidInput(reader.errors, bron=bron)
    return jeugdige, moeder


def _reden(exc: InvalidInput) -> str:
    return "; ".join(str(e) for e in exc.errors[:5]) + (
        f" (en {len(exc.errors) - 5} meer)" if len(exc.errors) > 5 else ""
    )


class _LokaleBron(ABC):
    """A source read locally: one lookup per BSN; the mother comes with the youth."""

    def fetch(self, bsns: Iterable[str], peildatum: date, *,
                voortgang: Voortgang | None = None) -> Ophaling:
        wanted = list(dict.fromkeys(bsns))
        result = Ophaling()
        for i, bsn in enumerate(wanted, 1):
            found = self.een(bsn)
            if isinstance(found, str):
                result.mislukt[bsn] = found
            else:
                result.gegevens[bsn] = found
            if voortgang:
                voortgang(i, len(wanted))
        return result

    @abstractmethod
    def een(self, bsn: str) -> BrpGegevens | str:
        """The data of one youth, or why there is none (each source reads it its own way)."""

    def met_moeder(self, gegevens: Iterable[BrpGegevens], *,
                   voortgang: Voortgang | None = None) -> Ophaling:
        # The mother, when known, came with the youth: there is nothing more to fetch.
        return Ophaling({g.bsn: g for g in gegevens})


class MapBron(_LokaleBron):
    """A folder of ``<bsn>.json`` documents."""

    def __init__(self, folder: Path, register: GemeenteRegister):
        self.folder = folder
        self.register = register
        self.naam = f"map {folder}"
        self._pad = os.fspath(folder)  # joined as text: a Path per document costs more
        self._naam = folder.name

    def een(self, bsn: str) -> BrpGegevens | str:
        try:
            with open(os.path.join(self._pad, bsn + ".json"), "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return "geen document <bsn>.json in de map"
        herkomst = Herkomst(f"{self._naam}/…{bsn[-3:]}.json", nu(), sha256(data))
        try:
            doc = json.loads(data.decode("utf-8-sig"))
            jeugdige, moeder = read_document(doc, self.register, herkomst.bron)
        except InvalidInput as exc:
            return _reden(exc)
        except (ValueError, RecursionError):
            return "geen geldige JSON (UTF-8)"
        if jeugdige.burgerservicenummer not in (None, bsn):
            return "jeugdige.burgerservicenummer verschilt van de bestandsnaam"
        return BrpGegevens(bsn, jeugdige, moeder, (herkomst,))


class GbaBron(_LokaleBron):
    """A GBA-V extract: persoonslijsten, the mother found through the youth's parents."""

    def __init__(self, path: Path, register: GemeenteRegister):
        self.path = path
        self.register = register
        self.naam = f"GBA-V-extract {path.name}"
        self.checksum = sha256(path.read_bytes())
        self.gelezen = nu()
        self.extract = gba.read_extract(path, skip_invalid=True, bron_naam=path.name)
        self.per_bsn: dict[str, list[gba.GbaPersoon]] = {}
        for p in self.extract.personen:
            if p.bsn:
                self.per_bsn.setdefault(p.bsn, []).append(p)

    def een(self, bsn: str) -> BrpGegevens | str:
        found = self.per_bsn.get(bsn, [])
        if len(found) != 1:
            return ("geen persoonslijst in het extract" if not found
                    else f"{len(found)} persoonslijsten met dit BSN in het extract")
        kind = found[0]
        moeder = gba.moeder_van(self.extract, kind)
        herkomst = Herkomst(f"{self.path.name}, persoonslijst regel {kind.regel}",
                            self.gelezen, self.checksum)
        return BrpGegevens(
            bsn, kind.persoon, moeder.persoon.persoon if moeder.persoon else None, (herkomst,),
            moeder_bsn=moeder.ouder.bsn if moeder.ouder else None,
        )
