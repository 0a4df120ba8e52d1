"""Optional columns of a table: expect them only when the header names them.

The table readers (:mod:`wpb.verrekening.tabel`) require every column of the list they are
given; a column that may be left out is added to that list only when the file has it.
"""

from __future__ import annotations

from itertools import chain

from wpb.verrekening.tabel import Rows


def met_optionele(rows: Rows, kolommen: tuple[str, ...], optioneel: tuple[str, ...]) -> tuple[Rows, tuple[str, ...]]:
    """The rows (unchanged) and the columns to expect: ``kolommen`` plus each optional
    column the header names."""
    first = next(rows, None)
    if first is None:
        return rows, kolommen
    names = {str(v).strip().lower() for v in first[1] if v is not None}
    return chain([first], rows), kolommen + tuple(k for k in optioneel if k in names)
