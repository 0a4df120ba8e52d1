"""The columns of the transfer upload, their accepted spellings, and reading the file through
the shared table reader :mod:`wpb.tabular` within the service's size and row limits.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from wpb import tabular
from wpb.service.components.overdrachten.models import WET_JEUGDWET
from wpb.service.context import Limits
from wpb.service.errors import InvalidRequest, PayloadTooLarge

# The columns of the format as written in a template (in this order).
COLUMNS = (
    "bsn",
    "geboortedatum",
    "ontvangende_gemeente",
    "aanbieder_agb",
    "product",
    "toewijzing_einddatum",
    "pgb",
)
# Columns the header must name. ``toewijzing_einddatum`` must be there, but an empty cell
# says the toewijzing runs on; ``pgb`` may be left out.
REQUIRED_COLUMNS = (*COLUMNS[:6],)
# Cells that must be filled in every row.
REQUIRED_CELLS = COLUMNS[:5]
# Columns a file may leave out; the value when it does (or when a cell is empty).
OPTIONAL_COLUMNS: dict[str, Any] = {"pgb": "nee", "wet": WET_JEUGDWET, "vanaf": None}
ALL_COLUMNS = (*COLUMNS, "wet", "vanaf")

ALIASES = {
    "burgerservicenummer": "bsn",
    "geboortedatumjeugdige": "geboortedatum",
    "ontvangendegemeente": "ontvangende_gemeente",
    "ontvangendegemeentecode": "ontvangende_gemeente",
    "gemeentecodeontvangend": "ontvangende_gemeente",
    "aanbiederagb": "aanbieder_agb",
    "agbcode": "aanbieder_agb",
    "agbcodeaanbieder": "aanbieder_agb",
    "aanbieder": "aanbieder_agb",
    "product": "product",
    "productcode": "product",
    "toewijzingeinddatum": "toewijzing_einddatum",
    "einddatumtoewijzing": "toewijzing_einddatum",
    "einddatum": "toewijzing_einddatum",
    "pgb": "pgb",
    "wet": "wet",
    "vanaf": "vanaf",
    "verantwoordelijkvanaf": "vanaf",
    **{c.replace("_", ""): c for c in COLUMNS},
}

YES = {"ja", "j", "yes", "y", "true", "1"}
NO = {"nee", "n", "no", "false", "0"}
MAX_PRODUCT_LENGTH = 100


def normalise_header(name: Any) -> str:
    text = "" if name is None else str(name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def column_of(name: Any) -> str | None:
    """The format's column a header cell names, or None for a column the upload ignores."""
    return ALIASES.get(normalise_header(name))


def read_table(content: bytes, bestandsnaam: str, limits: Limits) -> tabular.Table:
    """The file's table (CSV in any encoding :mod:`wpb.tabular` reads, or XLSX); a file it
    refuses becomes a 413 (too large) or a 400 naming the line."""
    if not content.strip():
        raise InvalidRequest("Het bestand is leeg.", [("bestand", "geen inhoud")])
    try:
        return tabular.read_table(
            content, bestandsnaam, normalise=column_of,
            max_bytes=limits.max_bytes, max_rows=limits.max_rows,
        )
    except tabular.TabelTeGroot as exc:
        if exc.reden.startswith("meer dan"):
            raise PayloadTooLarge(
                f"Het bestand heeft meer dan {limits.max_rows} regels; splits het in kleinere bestanden."
            ) from None
        if exc.reden.startswith("uitgepakt"):
            raise PayloadTooLarge(f"Het XLSX-bestand is uitgepakt te groot ({exc.reden}).") from None
        raise PayloadTooLarge(
            f"Het bestand is groter dan {limits.max_bytes} bytes; splits het in kleinere bestanden."
        ) from None
    except tabular.WerkmapOnleesbaar as exc:
        if exc.reden.startswith("geen werkblad"):
            raise InvalidRequest("De werkmap heeft geen werkblad.", [("bestand", "geen werkblad")]) from None
        raise InvalidRequest("Het bestand is geen geldig XLSX-bestand.", [("bestand", exc.reden)]) from None
    except tabular.TabelFout as exc:
        if exc.reden.startswith("leeg bestand"):
            raise InvalidRequest("Het bestand is leeg.", [("bestand", "geen kopregel gevonden")]) from None
        where = f"regel {exc.regel}" if exc.regel is not None else "bestand"
        raise InvalidRequest("Het bestand kan niet gelezen worden.", [(where, exc.reden)]) from None


# Characters that change how text is shown without being text: C0/C1 control characters
# (NUL among them, which PostgreSQL cannot store) and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069) with the direction marks, with which "lanidem"
# shows as "medinal" (issue 19, S12).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_problem(value: Any) -> str | None:
    """Why a cell's text is refused, naming the first offending character by code point."""
    if not isinstance(value, str):
        return None
    for char in value:
        if char in _BIDI or unicodedata.category(char) == "Cc":
            return f"bevat een stuur- of richtingsteken (U+{ord(char):04X})"
    return None
