"""Reading input tables (CSV, XLSX, Parquet) and their cells, with errors that say where.

Every table is read to rows of raw values with the place each row came from: the line of a
CSV file (the header is line 1), the row of a worksheet (the header is row 1), or the row of
a Parquet file (the first data row is row 1). Cell parsers never guess: a value that is not
what the column needs is a :class:`~wpb.law.budget.inputs.InputProblem` naming the file, the row,
the field and the reason, and all problems of a table are reported together.

Numbers: a dot or a comma as the decimal sign, no thousands separators (``1234567.89`` or
``1234567,89``; ``1.234.567,89`` is refused rather than guessed). Amounts are euros with at
most two decimals and become integer cents. Gemeentecodes are four digits; ``GM0014`` and,
in a worksheet, the number 14 are read as ``0014``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from wpb import tabular
from wpb.law.budget.inputs import InputProblem, InvalidBudgetInput
from wpb.law.gemeenten import GemeenteRegister

Value = str | int | float | None

_NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")
_CODE = re.compile(r"(?:GM)?([0-9]{1,4})", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    where: str  # "historisch.csv regel 4"
    values: dict[str, Value]

    def is_empty(self, column: str) -> bool:
        value = self.values.get(column)
        return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class Table:
    source: str  # the file name, for messages
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(
    path: Path, required: Sequence[str], optional: Sequence[str] = (), *, sheet: str | None = None
) -> Table:
    """Read a CSV, XLSX or Parquet table; check that every required column is there.

    CSV and XLSX are read by :mod:`wpb.tabular` (its one policy for encodings, delimiters
    and bounds); what it refuses is an :class:`InvalidBudgetInput` naming the line.
    """
    if not path.is_file():
        raise InvalidBudgetInput([InputProblem(str(path), "", "bestand niet gevonden")])
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        header, rows, unit = _parquet(path)
    elif suffix in tabular.SUFFIXES:
        header, rows, unit = _tabular(path, sheet)
    else:
        raise InvalidBudgetInput(
            [InputProblem(path.name, "", "onbekend bestandstype: gebruik .csv, .xlsx of .parquet")]
        )
    return _table(path.name, header, rows, unit, required, optional)


def read_csv_text(
    content: str, source: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Table:
    try:
        header, rows, unit = _split(list(tabular.text_rows(content)), source, "regel")
    except tabular.TabelFout as exc:
        raise _refused(source, exc) from None
    return _table(source, header, rows, unit, required, optional)


def _table(
    source: str,
    header: list[str],
    rows: list[tuple[int, list[Value]]],
    unit: str,
    required: Sequence[str],
    optional: Sequence[str],
) -> Table:
    """Keep the required and optional columns; ``unit`` is "regel" (CSV line) or "rij"."""
    names = [str(k).strip().lower() if k is not None else "" for k in header]
    missing = [k for k in required if k not in names]
    if missing:
        raise InvalidBudgetInput(
            [
                InputProblem(
                    source,
                    ", ".join(missing),
                    f"kolom ontbreekt (gevonden: {', '.join(n for n in names if n) or 'geen'}; "
                    f"nodig: {', '.join(required)}"
                    + (f"; mag ook: {', '.join(optional)}" if optional else "")
                    + ")",
                )
            ]
        )
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise InvalidBudgetInput(
            [InputProblem(source, ", ".join(dupes), "kolom staat er twee keer in")]
        )
    wanted = [k for k in (*required, *optional) if k in names]
    index = {k: names.index(k) for k in wanted}
    result = []
    problems = []
    for number, values in rows:
        if all(_blank(v) for v in values):
            continue
        where = f"{source} {unit} {number}"
        extra = values[len(names) :]
        if any(not _blank(v) for v in extra):
            # e.g. a decimal comma in a comma-separated file: never drop the rest silently
            problems.append(
                InputProblem(where, "", f"{len(values)} velden, maar de kop heeft er {len(names)}")
            )
            continue
        padded = list(values) + [None] * (len(names) - len(values))
        result.append(Row(where, {k: padded[i] for k, i in index.items()}))
    if problems:
        raise InvalidBudgetInput(problems)
    return Table(source, tuple(wanted), tuple(result))


def _blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _tabular(path: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list[Value]]], str]:
    try:
        read = tabular.read_file(path, sheet=sheet)
    except tabular.TabelFout as exc:
        raise _refused(path.name, exc) from None
    return _split(list(read.rijen), path.name, "rij" if read.formaat == "xlsx" else "regel")


def _refused(source: str, exc: tabular.TabelFout) -> InvalidBudgetInput:
    where = source if exc.regel is None else f"{source} regel {exc.regel}"
    return InvalidBudgetInput([InputProblem(where, exc.kolom or "", exc.reden)])


def _split(
    rows: list[tuple[int, Sequence[object]]], source: str, unit: str
) -> tuple[list[str], list[tuple[int, list[Value]]], str]:
    """The first row is the header; a CSV line or a sheet row is named ``unit``."""
    if not rows or (unit == "regel" and all(_blank(v) for v in rows[0][1])):
        raise InvalidBudgetInput([InputProblem(source, "", "leeg bestand" if unit == "regel" else "leeg werkblad")])
    header = ["" if v is None else str(v) for v in rows[0][1]]
    return header, [(number, [_cell(v) for v in values]) for number, values in rows[1:]], unit


def _cell(value: object) -> Value:
    if value is None or isinstance(value, str | int | float):
        return value  # type: ignore[return-value]
    return str(value)


def _parquet(path: Path) -> tuple[list[str], list[tuple[int, list[Value]]], str]:
    import pyarrow.parquet as pq  # only needed for Parquet tables

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        raise InvalidBudgetInput(
            [InputProblem(path.name, "", f"geen leesbaar Parquet-bestand ({exc})")]
        ) from None
    columns = table.column_names
    data = [table.column(c).to_pylist() for c in columns]
    body = [(i + 1, [_cell(col[i]) for col in data]) for i in range(table.num_rows)]
    return list(columns), body, "rij"


# --- cells -----------------------------------------------------------------------------


def text(row: Row, column: str) -> str:
    value = row.values.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(row: Row, column: str, problems: list[InputProblem]) -> Decimal | None:
    value = row.values.get(column)
    if isinstance(value, bool):
        problems.append(InputProblem(row.where, column, f"{value!r} is geen getal"))
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = text(row, column)
    if not _NUMBER.fullmatch(raw):
        hint = (
            " (gebruik geen scheidingsteken voor duizendtallen)"
            if re.fullmatch(r"-?[0-9]{1,3}([.,][0-9]{3})+([.,][0-9]+)?", raw)
            else ""
        )
        problems.append(InputProblem(row.where, column, f"{raw!r} is geen getal{hint}"))
        return None
    return Decimal(raw.replace(",", "."))


def number(
    row: Row,
    column: str,
    problems: list[InputProblem],
    *,
    empty_ok: bool = False,
    negative_ok: bool = False,
) -> Fraction | None:
    """A non-negative exact number (Fraction), or None with a problem recorded."""
    if row.is_empty(column):
        if not empty_ok:
            problems.append(InputProblem(row.where, column, "leeg"))
        return None
    value = _decimal(row, column, problems)
    if value is None:
        return None
    if value < 0 and not negative_ok:
        problems.append(InputProblem(row.where, column, f"{_plain(value)} is negatief"))
        return None
    return Fraction(value)


def percentage(row: Row, column: str, problems: list[InputProblem]) -> Fraction | None:
    """A percentage 0–100 as a fraction 0–1."""
    value = number(row, column, problems)
    if value is None:
        return None
    if value > 100:
        problems.append(InputProblem(row.where, column, f"{float(value):g} is meer dan 100 %"))
        return None
    return value / 100


def amount_cents(row: Row, column: str, problems: list[InputProblem]) -> int | None:
    """Euros with at most two decimals, as integer cents; not negative."""
    if row.is_empty(column):
        problems.append(InputProblem(row.where, column, "leeg"))
        return None
    raw = row.values.get(column)
    value = _decimal(row, column, problems)
    if value is None:
        return None
    cents = value * 100
    if cents != cents.to_integral_value():
        # a worksheet stores a typed 12.34 as a float; accept what rounds within a millionth
        if isinstance(raw, float) and abs(cents - cents.to_integral_value()) < Decimal("1e-6"):
            cents = cents.to_integral_value()
        else:
            problems.append(
                InputProblem(
                    row.where, column, f"{_plain(value)} heeft meer dan twee decimalen (euro's)"
                )
            )
            return None
    if cents < 0:
        problems.append(InputProblem(row.where, column, f"{_plain(value)} is negatief"))
        return None
    return int(cents)


def year(row: Row, column: str, problems: list[InputProblem]) -> int | None:
    raw = text(row, column)
    if not re.fullmatch(r"(19|20|21)[0-9]{2}", raw):
        problems.append(InputProblem(row.where, column, f"{raw!r} is geen jaartal"))
        return None
    return int(raw)


def gemeentecode(
    row: Row,
    column: str,
    problems: list[InputProblem],
    register: GemeenteRegister,
    *,
    empty_ok: bool = False,
) -> str | None:
    """A gemeentecode that the register knows, as four digits."""
    raw = text(row, column)
    if not raw:
        if not empty_ok:
            problems.append(InputProblem(row.where, column, "leeg"))
        return None
    match = _CODE.fullmatch(raw)
    if match is None:
        problems.append(InputProblem(row.where, column, f"{raw!r} is geen gemeentecode"))
        return None
    code = match.group(1).rjust(4, "0")
    if code not in register:
        problems.append(InputProblem(row.where, column, f"onbekende gemeentecode {code}"))
        return None
    return code


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
