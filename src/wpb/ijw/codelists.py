"""The iJw 3.2 code lists wpb uses, read from the project's own data files.

The codes live in ``wpb/data/ijw/*.csv`` (see ``SOURCES.md`` there), one file per code
list, so a new iStandaarden release is a data change. The constants below name the codes
the rules speak about; a test checks each one against its list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Codelijst:
    """One code list: its iStandaarden identifier, name and codes with their short names."""

    id: str  # e.g. "WJ759"
    naam: str  # e.g. "RedenAfwijzingVerzoek"
    codes: dict[str, str]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def omschrijving(self, code: str) -> str:
        try:
            return self.codes[code]
        except KeyError:
            raise KeyError(f"{code!r} staat niet in codelijst {self.id} {self.naam}") from None

    def probleem(self, code: str) -> str | None:
        """Why ``code`` is not in this list, naming the allowed codes; None when it is."""
        if code in self.codes:
            return None
        return (
            f"{code!r} staat niet in codelijst {self.id} ({self.naam}); "
            f"toegestaan: {', '.join(self.codes)}"
        )


FILES = {
    "WJ759": "WJ759_RedenAfwijzingVerzoek.csv",
    "WJ760": "WJ760_VerzoekAntwoord.csv",
    "WJ758": "WJ758_RedenVerzoek.csv",
    "WJ756": "WJ756_Eenheid.csv",
    "WMO757": "WMO757_Frequentie.csv",
    "JZ020": "JZ020_Productcategorie.csv",
    "JZ002": "JZ002_RedenWijziging.csv",
    "COD002": "COD002_Berichtcode.csv",
    "WJ001": "WJ001_Retourcode.csv",
}


class CodelijstError(ValueError):
    pass


def parse_codelijst(text: str, id: str, naam: str, bron: str) -> Codelijst:
    """Read ``code,omschrijving`` rows; a malformed or duplicate row is an error naming its line."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != ["code", "omschrijving"]:
        raise CodelijstError(f"{bron}:1: kolommen {header!r}, verwacht ['code', 'omschrijving']")
    codes: dict[str, str] = {}
    for row in reader:
        if not row:
            continue
        line = reader.line_num
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise CodelijstError(f"{bron}:{line}: verwacht code en omschrijving, kreeg {row!r}")
        code = row[0].strip()
        if code in codes:
            raise CodelijstError(f"{bron}:{line}: code {code!r} staat er twee keer in")
        codes[code] = row[1].strip()
    if not codes:
        raise CodelijstError(f"{bron}: geen codes")
    return Codelijst(id, naam, codes)


@cache
def codelijst(id: str) -> Codelijst:
    """The code list ``id`` (e.g. "WJ759") from the package data."""
    try:
        filename = FILES[id]
    except KeyError:
        raise KeyError(f"onbekende codelijst {id!r}; bekend: {', '.join(FILES)}") from None
    text = (
        resources.files("wpb").joinpath("data").joinpath("ijw").joinpath(filename)
        .read_text(encoding="utf-8")
    )
    naam = filename.removesuffix(".csv").split("_", 1)[1]
    return parse_codelijst(text, id, naam, f"data/ijw/{filename}")


# Codes the rules name. Checked against the lists by tests/test_ijw_codelists.py.
REDEN_AFWIJZING_ANDERE_GEMEENTE = "5"  # WJ759
REDEN_AFWIJZING_WOONPLAATSBEGINSEL = "8"  # WJ759
VERZOEK_AFGEWEZEN = "1"  # WJ760
AANVRAAG_IN_ONDERZOEK = "2"  # WJ760
REDEN_WIJZIGING_VERLENGING = "04"  # JZ002 herbeoordeling verlenging toewijzing
REDEN_WIJZIGING_VERHUIZING = "07"  # JZ002 verhuizing naar een andere gemeente
REDEN_WIJZIGING_HERINDELING = "11"  # JZ002 gemeentelijke herindeling
REDEN_WIJZIGING_AANBIEDER = "12"  # JZ002 geïnitieerd door de aanbieder
REDEN_WIJZIGING_VERWIJDERD = "13"  # JZ002 verwijderd
EENHEID_EURO = "83"  # WJ756: Volume is an amount in eurocent
FREQUENTIE_PER_WEEK = "2"  # WMO757
FREQUENTIE_TOTAAL = "6"  # WMO757 totaal binnen geldigheidsduur toewijzing
