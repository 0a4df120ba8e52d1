"""Adapter: input files and parameter files, read into the budget rules' values.

Parameters are date-keyed data files in ``wpb/data/budget`` (each value with its source);
a user may pass their own file of the same layout instead. Inputs are CSV or XLSX (the T-2
table also Parquet). The layouts are in docs/budget.md. Every problem in a file is
reported at once, naming file, row and field
(:class:`~wpb.law.budget.inputs.InvalidBudgetInput`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path

from wpb.budget.tables import (
    Row,
    Table,
    amount_cents,
    gemeentecode,
    number,
    percentage,
    read_csv_text,
    read_table,
    text,
    year,
)
from wpb.law.budget.ingroeipad import HistorischBudget, ObjectiefAandeel, RegioLid
from wpb.law.budget.inputs import (
    InputProblem,
    InvalidBudgetInput,
    YearSeries,
    YearValue,
    raise_if,
)
from wpb.law.budget.t2 import Soort, ZorggebruikT2
from wpb.law.budget.wlz import WlzUitstroom
from wpb.law.gemeenten import GemeenteRegister

PARAMETER_DIR = "data/budget"
MACROBUDGET = "macrobudget.csv"  # beschermd wonen, before the Wlz withdrawal
WLZ_UITNAME = "wlz_uitname.csv"
INGROEIPAD = "ingroeipad.csv"
MACROBUDGET_VOOGDIJ18 = "voogdij18_macrobudget.csv"

SYNTHETIC = "synthetisch"  # a parameter whose source starts with this is not an official figure
ASSUMPTION = "aanname"  # a parameter whose source starts with this is the project's assumption


@dataclass(frozen=True)
class Parameters:
    """The parameter series of a run, each with the file it came from."""

    macrobudget: YearSeries[int]  # beschermd wonen, cents, before the Wlz withdrawal
    wlz_uitname: YearSeries[Fraction]  # share withdrawn, in force from its year
    ingroeipad: YearSeries[Fraction]  # weight of the objective distribution
    macrobudget_voogdij18: YearSeries[int]  # cents

    @staticmethod
    def synthetic_years(series: YearSeries, years: Iterable[int]) -> list[int]:
        """The years whose value in ``series`` is marked synthetic by its source."""
        return Parameters._marked_years(series, years, SYNTHETIC)

    @staticmethod
    def assumed_years(series: YearSeries, years: Iterable[int]) -> list[int]:
        """The years whose value in ``series`` its source calls an assumption (aanname)."""
        return Parameters._marked_years(series, years, ASSUMPTION)

    @staticmethod
    def _marked_years(series: YearSeries, years: Iterable[int], mark: str) -> list[int]:
        found = []
        for y in years:
            entry = series.get(y) or series.in_force(y)
            if entry is not None and entry.source.lower().startswith(mark):
                found.append(y)
        return found


def _read(path: Path | None, name: str, required: list[str], optional: list[str]) -> Table:
    if path is not None:
        return read_table(path, required, optional)
    content = resources.files("wpb").joinpath(PARAMETER_DIR, name).read_text(encoding="utf-8")
    return read_csv_text(content, f"wpb/{PARAMETER_DIR}/{name}", required, optional)


def _series(
    table: Table,
    name: str,
    column: str,
    parse: Callable[[Row, str, list[InputProblem]], object],
) -> YearSeries:
    problems: list[InputProblem] = []
    values: list[YearValue] = []
    seen: dict[int, str] = {}
    for row in table:
        y = year(row, "jaar", problems)
        value = parse(row, column, problems)
        if y is not None and y in seen:
            problems.append(InputProblem(row.where, "jaar", f"jaar {y} staat ook op {seen[y]}"))
            continue
        if y is not None:
            seen[y] = row.where
        if y is not None and value is not None:
            values.append(YearValue(y, value, text(row, "bron") or row.where))
    if not table.rows:
        problems.append(InputProblem(table.source, "", "geen rijen"))
    raise_if(problems)
    return YearSeries(name, table.source, tuple(values))


def read_parameters(
    *,
    macrobudget: Path | None = None,
    wlz_uitname: Path | None = None,
    ingroeipad: Path | None = None,
    macrobudget_voogdij18: Path | None = None,
) -> Parameters:
    """The parameter files: the bundled ones, or the given files of the same layout."""
    specs = {
        "macrobudget": (
            macrobudget,
            MACROBUDGET,
            "macrobudget beschermd wonen",
            "bedrag",
            amount_cents,
        ),
        "wlz_uitname": (
            wlz_uitname,
            WLZ_UITNAME,
            "uitnamepercentage Wlz",
            "uitname_procent",
            percentage,
        ),
        "ingroeipad": (
            ingroeipad,
            INGROEIPAD,
            "gewicht objectieve verdeling",
            "objectief_procent",
            percentage,
        ),
        "macrobudget_voogdij18": (
            macrobudget_voogdij18,
            MACROBUDGET_VOOGDIJ18,
            "macrobudget voogdij/18+",
            "bedrag",
            amount_cents,
        ),
    }
    found: dict[str, YearSeries] = {}
    problems: list[InputProblem] = []
    for key, (path, name, what, column, parse) in specs.items():
        try:
            found[key] = _series(_read(path, name, ["jaar", column], ["bron"]), what, column, parse)
        except InvalidBudgetInput as exc:
            problems += exc.problems
    raise_if(problems)
    return Parameters(**found)


# --- inputs --------------------------------------------------------------------------------


def _no_rows(table: Table, problems: list[InputProblem]) -> None:
    if not table.rows:
        problems.append(InputProblem(table.source, "", "geen rijen"))


def read_historisch(path: Path, register: GemeenteRegister) -> tuple[list[HistorischBudget], str]:
    """``centrumgemeente,bedrag``: the historical budget of each region, in euros."""
    table = read_table(path, ["centrumgemeente", "bedrag"], ["gemeentenaam"])
    problems: list[InputProblem] = []
    result = []
    for row in table:
        code = gemeentecode(row, "centrumgemeente", problems, register)
        amount = amount_cents(row, "bedrag", problems)
        if code is not None and amount is not None:
            result.append(HistorischBudget(code, amount, row.where))
    _no_rows(table, problems)
    raise_if(problems)
    return result, table.source


def read_regios(path: Path, register: GemeenteRegister) -> tuple[list[RegioLid], str]:
    """``gemeentecode,centrumgemeente[,sleutel]``: the beschermd-wonen region of every gemeente."""
    table = read_table(path, ["gemeentecode", "centrumgemeente"], ["sleutel", "gemeentenaam"])
    problems: list[InputProblem] = []
    result = []
    has_key = "sleutel" in table.columns
    for row in table:
        code = gemeentecode(row, "gemeentecode", problems, register)
        centrum = gemeentecode(row, "centrumgemeente", problems, register)
        key = number(row, "sleutel", problems, empty_ok=True) if has_key else None
        if code is not None and centrum is not None:
            result.append(RegioLid(code, centrum, key, row.where))
    _no_rows(table, problems)
    raise_if(problems)
    return result, table.source


def read_objectief(path: Path, register: GemeenteRegister) -> tuple[list[ObjectiefAandeel], str]:
    """``gemeentecode,aandeel``: each gemeente's share in the objective model (together 1)."""
    table = read_table(path, ["gemeentecode", "aandeel"], ["gemeentenaam"])
    problems: list[InputProblem] = []
    result = []
    for row in table:
        code = gemeentecode(row, "gemeentecode", problems, register)
        share = number(row, "aandeel", problems)
        if share is not None and share > 1:
            problems.append(InputProblem(row.where, "aandeel", "aandeel is groter dan 1"))
        if code is not None and share is not None:
            result.append(ObjectiefAandeel(code, share, row.where))
    _no_rows(table, problems)
    raise_if(problems)
    return result, table.source


def read_wlz_uitstroom(path: Path, register: GemeenteRegister) -> tuple[list[WlzUitstroom], str]:
    """``centrumgemeente,wegvallende_kosten[,clienten]``: per region, the costs (euros) that
    actually fell away through the outflow of clients to the Wlz; ``clienten`` is optional
    and only shown."""
    table = read_table(
        path, ["centrumgemeente", "wegvallende_kosten"], ["gemeentenaam", "clienten"]
    )
    problems: list[InputProblem] = []
    result = []
    has_count = "clienten" in table.columns
    for row in table:
        code = gemeentecode(row, "centrumgemeente", problems, register)
        cents = amount_cents(row, "wegvallende_kosten", problems)
        count = number(row, "clienten", problems, empty_ok=True) if has_count else None
        if code is not None and cents is not None:
            result.append(WlzUitstroom(code, cents, count, row.where))
    _no_rows(table, problems)
    raise_if(problems)
    return result, table.source


T2_REQUIRED = ["persoon", "jaar", "soort", "gemeente_geregistreerd", "gemeente_2022"]
T2_OPTIONAL = ["reden_review", "reden_geregistreerd", "kosten", "volume"]
T2_UNITS = ("kosten", "volume")


def read_t2(path: Path, register: GemeenteRegister) -> tuple[list[ZorggebruikT2], str, str]:
    """The T-2 table (docs/budget.md): one row per youth with voogdij/18+ care in a year.

    The use is in column ``kosten`` (euros) or ``volume`` (e.g. days of care); exactly one
    of them. Returns the rows, the file name and the unit column.
    """
    table = read_table(path, T2_REQUIRED, T2_OPTIONAL)
    units = [k for k in T2_UNITS if k in table.columns]
    if len(units) != 1:
        raise InvalidBudgetInput(
            [
                InputProblem(
                    table.source,
                    "kosten, volume",
                    "precies één van de kolommen 'kosten' en 'volume' is nodig "
                    f"(gevonden: {', '.join(units) or 'geen'})",
                )
            ]
        )
    unit = units[0]
    problems: list[InputProblem] = []
    result = []
    soorten = {s.value: s for s in Soort}
    for row in table:
        persoon = text(row, "persoon")
        if not persoon:
            problems.append(InputProblem(row.where, "persoon", "leeg"))
        y = year(row, "jaar", problems)
        soort = soorten.get(text(row, "soort").lower())
        if soort is None:
            problems.append(
                InputProblem(
                    row.where, "soort", f"{text(row, 'soort')!r} is geen 'voogdij' of '18+'"
                )
            )
        codes: dict[str, str | None] = {}
        for column, reason_column in (
            ("gemeente_geregistreerd", "reden_geregistreerd"),
            ("gemeente_2022", "reden_review"),
        ):
            codes[column] = gemeentecode(row, column, problems, register, empty_ok=True)
            if text(row, reason_column) and not row.is_empty(column):
                problems.append(
                    InputProblem(
                        row.where,
                        reason_column,
                        f"een reden waarom er geen gemeente is, maar {column} is ingevuld: "
                        "welke geldt?",
                    )
                )
        use = number(row, unit, problems)
        codes_ok = all(codes[k] is not None or row.is_empty(k) for k in codes)
        if persoon and y is not None and soort is not None and use is not None and codes_ok:
            result.append(
                ZorggebruikT2(
                    persoon,
                    y,
                    soort,
                    codes["gemeente_geregistreerd"],
                    codes["gemeente_2022"],
                    use,
                    text(row, "reden_review"),
                    row.where,
                    text(row, "reden_geregistreerd"),
                )
            )
    _no_rows(table, problems)
    raise_if(problems)
    return result, table.source, unit
