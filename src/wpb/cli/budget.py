"""``wpb budget ...``: budgets that follow responsibility — beschermd wonen and voogdij/18+.

An adapter: reads CSV/XLSX (and Parquet) inputs and the date-keyed parameter files, calls
the rules in :mod:`wpb.law.budget`, and writes XLSX workbooks and PNG charts. Bad input
stops the command with every problem listed (file, row, field, reason) and exit code 2.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from wpb import refdata
from wpb.budget import inputs, report
from wpb.cli.output import EXIT_INVALID_INPUT
from wpb.domain.money import format_euro, format_percent
from wpb.law.budget import ingroeipad as ingroeipad_rule
from wpb.law.budget import t2 as t2_rule
from wpb.law.budget import wlz as wlz_rule
from wpb.law.budget.inputs import InputProblem, InvalidBudgetInput
from wpb.law.budget.t2 import Regel

app = typer.Typer(
    help="Budgetten die de verantwoordelijkheid volgen: ingroeipad beschermd wonen, uitname Wlz, "
    "voogdij/18+ T-2.",
    no_args_is_help=True,
    add_completion=False,
)

out = Console()
err = Console(stderr=True)


Uit = Annotated[Path, typer.Option("--uit", help="Map voor de uitvoer (XLSX en PNG).")]
MacroOpt = Annotated[
    Path | None,
    typer.Option(
        "--macrobudget",
        help="Eigen parameterbestand macrobudget beschermd wonen (jaar,bedrag,bron).",
    ),
]
UitnameOpt = Annotated[
    Path | None,
    typer.Option(
        "--wlz-uitname", help="Eigen parameterbestand uitname Wlz (jaar,uitname_procent,bron)."
    ),
]
GewichtOpt = Annotated[
    Path | None,
    typer.Option(
        "--gewichten",
        help="Eigen ingroeipad: gewicht objectieve verdeling per jaar "
        "(jaar,objectief_procent,bron).",
    ),
]
Voogdij18Opt = Annotated[
    Path | None,
    typer.Option(
        "--macrobudget-voogdij18",
        help="Eigen parameterbestand macrobudget voogdij/18+ (jaar,bedrag,bron).",
    ),
]


def _fail(exc: InvalidBudgetInput) -> typer.Exit:
    err.print(f"[red]{exc}[/red]", highlight=False, soft_wrap=True)
    return typer.Exit(EXIT_INVALID_INPUT)


def _names():
    register = refdata.gemeente_register()

    def name(code: str) -> str:
        return register.naam(code) if code in register else code

    return name


def _written(paths: list[Path]) -> None:
    out.print("Geschreven:")
    for path in paths:
        out.print(f"  {path}")


def _warn_synthetic(params: inputs.Parameters, series, years) -> None:
    synthetic = params.synthetic_years(series, years)
    if synthetic:
        err.print(
            f"[yellow]Let op: {series.name} ({series.source}) is voor "
            f"{', '.join(map(str, synthetic))} een synthetische voorbeeldwaarde, geen "
            "officieel bedrag.[/yellow]"
        )


def run_ingroeipad(
    historisch: Path,
    regios: Path,
    objectief: Path,
    uit: Path,
    toerekening: ingroeipad_rule.Toerekening,
    params: inputs.Parameters,
) -> list[Path]:
    register = refdata.gemeente_register()
    problems = []
    loaded = {}
    for key, reader, path in (
        ("historisch", inputs.read_historisch, historisch),
        ("regios", inputs.read_regios, regios),
        ("objectief", inputs.read_objectief, objectief),
    ):
        try:
            loaded[key] = reader(path, register)
        except InvalidBudgetInput as exc:
            problems += exc.problems
    problems += params.macrobudget.missing(params.ingroeipad.years)
    if problems:
        raise InvalidBudgetInput(problems)
    (hist, hist_src), (leden, leden_src), (obj, obj_src) = (
        loaded["historisch"],
        loaded["regios"],
        loaded["objectief"],
    )
    te_verdelen = wlz_rule.macro_after_withdrawal(params.macrobudget, params.wlz_uitname)
    result = ingroeipad_rule.ingroeipad(
        hist,
        leden,
        obj,
        te_verdelen,
        params.ingroeipad,
        toerekening,
        bron_historisch=hist_src,
        bron_regios=leden_src,
        bron_objectief=obj_src,
    )
    _warn_synthetic(params, params.macrobudget, result.jaren)
    assumed = params.assumed_years(params.ingroeipad, result.jaren)
    if assumed:
        err.print(
            f"[yellow]Let op: de gewichten van het ingroeipad voor {assumed[0]}–{assumed[-1]} "
            f"zijn een aanname ({params.ingroeipad.source}): seed 004 laat de stappen de "
            "geschatte in- en uitstroom van alle cliënten volgen; geef die reeks met "
            "--gewichten.[/yellow]",
            highlight=False,
        )
    names = _names()
    table = RichTable(
        title=f"Ingroeipad {result.jaren[0]}–{result.jaren[-1]} (toerekening: {toerekening.value})"
    )
    for col in ("jaar", "gewicht objectief", "te verdelen", "som budgetten"):
        table.add_column(col, justify="right")
    for y in result.jaren:
        total = sum(r.budget for r in result.in_year(y).values())
        table.add_row(
            str(y),
            format_percent(result.gewicht[y], 1),
            format_euro(result.macro[y]),
            format_euro(total),
        )
    out.print(table)
    ranking = result.winners_and_losers()
    shown = report.top_and_bottom(ranking, 5)
    table = RichTable(title=f"Grootste winnaars en verliezers in {result.jaren[-1]}")
    for col in ("gemeente", "historisch", "budget", "herverdeeleffect"):
        table.add_column(col, justify="right" if col != "gemeente" else "left")
    for r in shown:
        table.add_row(
            f"{names(r.gemeente)} ({r.gemeente})",
            format_euro(r.historisch),
            format_euro(r.budget),
            format_euro(r.herverdeeleffect),
        )
    out.print(table)
    return report.ingroeipad_report(result, params, names, uit, te_verdelen=te_verdelen)


def run_wlz(
    historisch: Path, uitstroom: Path, jaar: int, uit: Path, params: inputs.Parameters
) -> list[Path]:
    register = refdata.gemeente_register()
    problems = []
    try:
        hist, hist_src = inputs.read_historisch(historisch, register)
    except InvalidBudgetInput as exc:
        problems += exc.problems
    try:
        flow, flow_src = inputs.read_wlz_uitstroom(uitstroom, register)
    except InvalidBudgetInput as exc:
        problems += exc.problems
    macro = params.macrobudget.get(jaar)
    percentage = params.wlz_uitname.in_force(jaar)
    problems += params.macrobudget.missing([jaar])
    if percentage is None:
        problems.append(
            InputProblem(
                params.wlz_uitname.source, "jaar", f"geen uitnamepercentage Wlz in {jaar} of eerder"
            )
        )
    if problems:
        raise InvalidBudgetInput(problems)
    assert macro is not None and percentage is not None
    names = _names()
    result = wlz_rule.wlz_uitname(
        hist,
        flow,
        macro.value,
        percentage.value,
        jaar,
        {h.centrumgemeente: names(h.centrumgemeente) for h in hist},
        bron_historisch=hist_src,
        bron_uitstroom=flow_src,
        bron_parameters=f"{params.macrobudget.source} / {params.wlz_uitname.source}",
    )
    _warn_synthetic(params, params.macrobudget, [jaar])
    out.print(result.toelichting)
    table = RichTable(title=f"Uitname Wlz {jaar}")
    for col in ("centrumgemeente", "ex ante", "wegvallende kosten", "effect op budget"):
        table.add_column(col, justify="left" if col == "centrumgemeente" else "right")
    for r in result.regels:
        table.add_row(
            f"{r.naam} ({r.centrumgemeente})",
            format_euro(r.ex_ante),
            format_euro(r.definitief),
            format_euro(r.effect_op_budget),
        )
    out.print(table)
    return report.wlz_report(result, params, uit)


def run_t2(
    zorggebruik: Path, jaren: list[int] | None, uit: Path, params: inputs.Parameters
) -> list[Path]:
    register = refdata.gemeente_register()
    rows, source, unit = inputs.read_t2(zorggebruik, register)
    if jaren:
        years = sorted(jaren)
        refused = [
            InputProblem("--jaar", "jaar", reden)
            for reden in map(t2_rule.check_jaar, years)
            if reden is not None
        ]
        if refused:
            raise InvalidBudgetInput(refused)
    else:
        # Only the budget year T-2 applied to under the new rule; say why others are left out.
        in_table = sorted({r.jaar + t2_rule.VERTRAGING for r in rows})
        years = [y for y in in_table if t2_rule.check_jaar(y) is None]
        for y in in_table:
            reden = t2_rule.check_jaar(y)
            if reden is not None:
                err.print(f"[yellow]Overgeslagen: {reden}.[/yellow]", highlight=False)
        if not years:
            raise InvalidBudgetInput(
                [InputProblem(source, "jaar", "geen zorggebruik in 2020, het T-2-jaar van "
                              "budgetjaar 2022 (het enige jaar waarvoor T-2 met de nieuwe regel "
                              "gold)")]
            )
    problems = params.macrobudget_voogdij18.missing(years)
    if problems:
        raise InvalidBudgetInput(problems)
    results = []
    problems = []
    for year in years:
        try:
            results.append(
                t2_rule.t2_budget(
                    rows,
                    year,
                    params.macrobudget_voogdij18.value(year),
                    register,
                    bron=source,
                    bron_macro=params.macrobudget_voogdij18.source,
                )
            )
        except InvalidBudgetInput as exc:
            problems += exc.problems
    if problems:
        raise InvalidBudgetInput(problems)
    _warn_synthetic(params, params.macrobudget_voogdij18, years)
    names = _names()
    for r in results:
        ranking = sorted(r.gemeenten, key=lambda g: (-g.verschil, g.gemeente))
        table = RichTable(
            title=f"Voogdij/18+ {r.jaar} uit zorg in {r.gebruiksjaar}: budget naar de regel van "
            "2022 (CBS-simulatie) tegenover het zorggebruik zoals geregistreerd — het effect van "
            "de nieuwe regel, niet de compensatieregeling (grootste verschillen)"
        )
        for col in (
            "gemeente", "geregistreerd (vergelijking)", "budget regel 2022", "effect nieuwe regel"
        ):
            table.add_column(col, justify="left" if col == "gemeente" else "right")
        for g in report.top_and_bottom(ranking, 5):
            table.add_row(
                f"{names(g.gemeente)} ({g.gemeente})",
                format_euro(g.budget_geregistreerd),
                format_euro(g.budget_2022),
                format_euro(g.verschil),
            )
        b = r.beoordeling
        table.add_row(
            "te beoordelen",
            format_euro(b.budget_geregistreerd),
            format_euro(b.budget_2022),
            format_euro(b.verschil),
        )
        table.add_row(
            "totaal",
            format_euro(r.total(Regel.GEREGISTREERD)),
            format_euro(r.total(Regel.WOONPLAATS_2022)),
            format_euro(0),
        )
        out.print(table)
        out.print(
            f"{len(r.te_beoordelen)} toedelingen te beoordelen (blad 'Te beoordelen "
            f"{r.jaar}'): geen gemeente toegerekend, niets weggelaten."
        )
    return report.t2_report(results, params, names, unit, source, uit)


def _params(**paths: Path | None) -> inputs.Parameters:
    return inputs.read_parameters(**paths)


@app.command("ingroeipad")
def ingroeipad(
    historisch: Annotated[
        Path,
        typer.Option(
            help="Historisch budget per centrumgemeente (centrumgemeente,bedrag), CSV of XLSX."
        ),
    ],
    regios: Annotated[
        Path,
        typer.Option(help="Regio-indeling (gemeentecode,centrumgemeente[,sleutel]), CSV of XLSX."),
    ],
    objectief: Annotated[
        Path, typer.Option(help="Objectieve aandelen (gemeentecode,aandeel; samen 1), CSV of XLSX.")
    ],
    uit: Uit,
    toerekening: Annotated[
        ingroeipad_rule.Toerekening,
        typer.Option(help="Hoe het historische budget van een regio over haar gemeenten gaat."),
    ] = ingroeipad_rule.Toerekening.CENTRUMGEMEENTE,
    macrobudget: MacroOpt = None,
    wlz_uitname: UitnameOpt = None,
    gewichten: GewichtOpt = None,
) -> None:
    """Budget per gemeente per jaar langs het ingroeipad, met winnaars en verliezers."""
    try:
        params = _params(macrobudget=macrobudget, wlz_uitname=wlz_uitname, ingroeipad=gewichten)
        _written(run_ingroeipad(historisch, regios, objectief, uit, toerekening, params))
    except InvalidBudgetInput as exc:
        raise _fail(exc) from None


@app.command("wlz")
def wlz(
    historisch: Annotated[Path, typer.Option(help="Historisch budget per centrumgemeente.")],
    uitstroom: Annotated[
        Path,
        typer.Option(
            help="Daadwerkelijk wegvallende kosten door uitstroom naar de Wlz per centrumgemeente "
            "(centrumgemeente,wegvallende_kosten[,clienten])."
        ),
    ],
    uit: Uit,
    jaar: Annotated[int, typer.Option(help="Jaar van de uitname.")] = 2021,
    macrobudget: MacroOpt = None,
    wlz_uitname: UitnameOpt = None,
) -> None:
    """Uitname Wlz: ex ante per centrumgemeente, correctie ex post, nieuw historisch budget."""
    try:
        params = _params(macrobudget=macrobudget, wlz_uitname=wlz_uitname)
        _written(run_wlz(historisch, uitstroom, jaar, uit, params))
    except InvalidBudgetInput as exc:
        raise _fail(exc) from None


@app.command("t2")
def t2(
    zorggebruik: Annotated[
        Path,
        typer.Option(
            help="T-2-tabel: één rij per jeugdige met "
            "voogdij/18+ in een jaar (CSV, XLSX of Parquet)."
        ),
    ],
    uit: Uit,
    jaar: Annotated[
        list[int] | None,
        typer.Option(
            help="Budgetjaar t (herhaalbaar); alleen 2022. Standaard: 2022 als 2020 in de tabel "
            "staat."
        ),
    ] = None,
    macrobudget_voogdij18: Voogdij18Opt = None,
) -> None:
    """Voogdij/18+ 2022 per gemeente uit het gebruik in 2020 (T-2), naar de regel van 2022.

    T-2 met de nieuwe regel gold alleen voor budgetjaar 2022; andere jaren worden geweigerd
    met de reden. De kolom 'geregistreerd' is een vergelijking, geen budget.
    """
    try:
        params = _params(macrobudget_voogdij18=macrobudget_voogdij18)
        _written(run_t2(zorggebruik, jaar, uit, params))
    except InvalidBudgetInput as exc:
        raise _fail(exc) from None


@app.command("t2-tabel")
def t2_tabel(
    populatie: Annotated[
        Path, typer.Option(help="Map met de populatie (Parquet, zoals 'wpb synth' die schrijft).")
    ],
    jaar: Annotated[int, typer.Option(help="Jaar van de zorg (t−2).")],
    uit: Annotated[Path, typer.Option(help="Uitvoerbestand: .csv of .parquet.")],
    peildatum: Annotated[
        str | None, typer.Option(help="Peildatum JJJJ-MM-DD in dat jaar (standaard 31 december).")
    ] = None,
) -> None:
    """Bouw de T-2-tabel uit een populatie met de landelijke doorrekening (beide regels)."""
    from datetime import date

    from wpb.budget import t2_batch

    try:
        when = date.fromisoformat(peildatum) if peildatum else date(jaar, 12, 31)
    except ValueError:
        err.print(f"[red]--peildatum: {peildatum!r} is geen geldige datum (JJJJ-MM-DD)[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    try:
        summary = t2_batch.write_t2_table(populatie, jaar, uit, peildatum=when)
    except InvalidBudgetInput as exc:
        raise _fail(exc) from None
    out.print(summary.describe())


@app.command("voorbeeld")
def voorbeeld(uit: Uit) -> None:
    """Reken de drie regels door op de meegeleverde synthetische voorbeeldinvoer."""
    folder = resources.files("wpb").joinpath("data", "budget", "voorbeeld")
    with resources.as_file(folder) as example:
        params = _params()
        written = run_ingroeipad(
            example / "historisch.csv",
            example / "regios.csv",
            example / "objectief.csv",
            uit,
            ingroeipad_rule.Toerekening.CENTRUMGEMEENTE,
            params,
        )
        written += run_wlz(
            example / "historisch.csv", example / "wlz_uitstroom.csv", 2021, uit, params
        )
        written += run_t2(example / "t2_zorggebruik.csv", None, uit, params)
    _written(written)
    out.print(f"Invoer: {example} (synthetisch; zie docs/budget.md).")


if __name__ == "__main__":  # pragma: no cover
    app()
