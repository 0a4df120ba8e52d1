"""Adapter: the budget results as XLSX workbooks and PNG charts (matplotlib, Agg).

Amounts go into the workbook as exact decimals of euros (from integer cents), shares as
fractions formatted as percentages. Every workbook starts with a sheet ``Toelichting`` that
states the rule, the choices made (attribution, rounding), the sources and where each
parameter value came from — including a warning when a parameter is a synthetic example
value rather than an official figure.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from wpb.budget.inputs import Parameters
from wpb.domain.money import Cents, format_euro, format_percent
from wpb.law.budget import ingroeipad as ingroeipad_rule
from wpb.law.budget import t2 as t2_rule
from wpb.law.budget import wlz as wlz_rule
from wpb.law.budget.ingroeipad import Ingroeipad
from wpb.law.budget.inputs import YearSeries
from wpb.law.budget.sources import Source
from wpb.law.budget.t2 import BEOORDELING, T2Budget
from wpb.law.budget.wlz import WlzUitname

EURO = "#,##0.00"
PERCENT = "0.0000%"
COUNT = "#,##0"
NUMBER = "#,##0.00"

Names = Callable[[str], str]


def euros(cents: Cents) -> Decimal:
    return Decimal(cents) / 100


def share(x: Fraction) -> float:
    return float(x)


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list[object]] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # header → number format
    widths: dict[str, int] = field(default_factory=dict)


def text_sheet(lines: Sequence[str]) -> Sheet:
    return Sheet(
        "Toelichting", ["Toelichting"], [[line] for line in lines], widths={"Toelichting": 140}
    )


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name[:31])
        ws.append(sheet.header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(row)
        for index, name in enumerate(sheet.header, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            fmt = sheet.formats.get(name)
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = fmt
            ws.column_dimensions[letter].width = sheet.widths.get(name, max(12, len(name) + 2))
        if sheet.name == "Toelichting":
            for (cell,) in ws.iter_rows(min_row=2, min_col=1, max_col=1):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _sources_lines(sources: Sequence[Source]) -> list[str]:
    lines = [
        "",
        "Bronnen (F = uit de genoemde openbare bron, zelf nagelezen; S = secundaire bron; P = "
        "uit het seedmateriaal van de projectopdracht, niet uit de eerste hand; A = aanname van "
        "wpb; OPEN = niet vastgelegd, daarom een parameter):",
    ]
    lines += [f"[{s.status}] {s.citation}: {s.says}" for s in sources]
    return lines


def _parameter_lines(
    params: Parameters, used: Sequence[tuple[YearSeries, Sequence[int]]]
) -> list[str]:
    lines = ["", "Parameters (datum-gesleuteld per jaar):"]
    warned = []
    for series, years in used:
        sources = sorted({(e.source) for y in years if (e := series.get(y) or series.in_force(y))})
        lines.append(f"{series.name} uit {series.source}: " + " | ".join(sources))
        if params.synthetic_years(series, years):
            warned.append(series.name)
    if warned:
        lines.append(
            "LET OP: " + ", ".join(warned) + " zijn synthetische voorbeeldwaarden, geen officiële "
            "bedragen. Geef voor echte berekeningen eigen parameterbestanden op."
        )
    return lines


# --- charts ----------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _dutch(number: str) -> str:
    return number.replace(",", "X").replace(".", ",").replace("X", ".")


def _money_axis(ax, largest: float, axis: str = "y") -> None:
    """Euro tick labels: in millions from € 1 mln, else in whole euros (Dutch notation)."""
    from matplotlib.ticker import FuncFormatter

    if largest >= 1e6:
        fmt = FuncFormatter(lambda v, _: _dutch(f"€ {v / 1e6:,.1f} mln"))
    else:
        fmt = FuncFormatter(lambda v, _: _dutch(f"€ {v:,.0f}"))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def bar_chart(
    path: Path, title: str, labels: list[str], values_cents: list[Cents], xlabel: str
) -> Path:
    """Horizontal bars, gains green and losses red, the largest gain on top."""
    plt = _pyplot()
    height = max(3.0, 0.32 * len(labels) + 1.5)
    fig, ax = plt.subplots(figsize=(10, height))
    values = [c / 100 for c in values_cents]
    colors = ["#2e7d32" if v >= 0 else "#c62828" for v in values]
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=colors)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=8)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    _money_axis(ax, max((abs(v) for v in values), default=0), "x")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def top_and_bottom(rows: list, n: int) -> list:
    return rows if len(rows) <= 2 * n else rows[:n] + rows[-n:]


# --- ingroeipad --------------------------------------------------------------------------


def ingroeipad_report(
    result: Ingroeipad,
    params: Parameters,
    names: Names,
    out: Path,
    *,
    te_verdelen: YearSeries[int],
    top: int = 10,
) -> list[Path]:
    years = list(result.jaren)
    first, last = years[0], years[-1]
    label = {m: f"{names(m)} ({m})" for m in result.gemeenten}
    intro = [
        f"Ingroeipad beschermd wonen {first}–{last}: van de historische verdeling over de "
        "centrumgemeenten naar de objectieve verdeling over alle gemeenten.",
        "Regel: budget(m, j) = (1 − w_j) · h(m) · M_j + w_j · o(m) · M_j, met M_j het te verdelen "
        "macrobudget (na uitname Wlz), w_j het gewicht van de objectieve verdeling, h(m) het "
        "aandeel van m in het historische budget en o(m) het objectieve aandeel.",
        f"Toerekening van het historische budget aan de gemeenten van een regio: "
        f"{result.toerekening.value} — {result.toerekening.omschrijving}.",
        "Afronding: elk jaar wordt M_j tot op de cent verdeeld met de methode van de grootste "
        "resten; gelijke resten gaan naar de laagste gemeentecode. De bedragen van een jaar "
        "tellen daardoor precies op tot M_j, en elk bedrag wijkt minder dan een cent af van het "
        "exacte bedrag.",
        "Herverdeeleffect = budget − historische verdeling van hetzelfde macrobudget; "
        "verschuiving = de stap van dit jaar in het herverdeeleffect; mutatie = budget − budget "
        "vorig jaar (inclusief de groei van het macrobudget).",
        f"Winnaars en verliezers: herverdeeleffect in {last}.",
    ]
    lines = (
        intro
        + _sources_lines(ingroeipad_rule.SOURCES)
        + _parameter_lines(
            params,
            [(params.macrobudget, years), (params.wlz_uitname, years), (params.ingroeipad, years)],
        )
    )

    budget_sheet = Sheet(
        "Budget per gemeente",
        [
            "gemeentecode",
            "gemeente",
            "centrumgemeente",
            "historisch aandeel",
            "objectief aandeel",
            *[str(y) for y in years],
            f"herverdeeleffect {last}",
        ],
        formats={
            "historisch aandeel": PERCENT,
            "objectief aandeel": PERCENT,
            **{str(y): EURO for y in years},
            f"herverdeeleffect {last}": EURO,
        },
        widths={"gemeente": 24},
    )
    for m in result.gemeenten:
        budget_sheet.rows.append(
            [
                m,
                names(m),
                result.centrumgemeente_van.get(m, ""),
                share(result.historisch_aandeel[m]),
                share(result.objectief_aandeel[m]),
                *[euros(result.budget(m, y)) for y in years],
                euros(result.row(m, last).herverdeeleffect),
            ]
        )
    budget_sheet.rows.append(
        [
            "totaal",
            "",
            "",
            share(sum(result.historisch_aandeel.values())),
            share(sum(result.objectief_aandeel.values())),
            *[euros(sum(r.budget for r in result.in_year(y).values())) for y in years],
            euros(0),
        ]
    )

    path_sheet = Sheet(
        "Budgetpad",
        [
            "jaar",
            "gemeentecode",
            "gemeente",
            "gewicht objectief",
            "historisch",
            "objectief",
            "budget",
            "herverdeeleffect",
            "verschuiving",
            "mutatie",
        ],
        formats={
            "gewicht objectief": PERCENT,
            "historisch": EURO,
            "objectief": EURO,
            "budget": EURO,
            "herverdeeleffect": EURO,
            "verschuiving": EURO,
            "mutatie": EURO,
        },
        widths={"gemeente": 24},
    )
    for r in result.regels:
        path_sheet.rows.append(
            [
                r.jaar,
                r.gemeente,
                names(r.gemeente),
                share(r.gewicht),
                euros(r.historisch),
                euros(r.objectief),
                euros(r.budget),
                euros(r.herverdeeleffect),
                euros(r.verschuiving),
                None if r.mutatie is None else euros(r.mutatie),
            ]
        )

    ranking = result.winners_and_losers(last)
    wl_sheet = Sheet(
        "Winnaars en verliezers",
        [
            "rang",
            "gemeentecode",
            "gemeente",
            f"historisch {last}",
            f"objectief {last}",
            f"budget {last}",
            "herverdeeleffect",
            "t.o.v. historisch",
        ],
        formats={
            f"historisch {last}": EURO,
            f"objectief {last}": EURO,
            f"budget {last}": EURO,
            "herverdeeleffect": EURO,
            "t.o.v. historisch": PERCENT,
        },
        widths={"gemeente": 24},
    )
    for rank, r in enumerate(ranking, start=1):
        relative = share(Fraction(r.herverdeeleffect, r.historisch)) if r.historisch else None
        wl_sheet.rows.append(
            [
                rank,
                r.gemeente,
                names(r.gemeente),
                euros(r.historisch),
                euros(r.objectief),
                euros(r.budget),
                euros(r.herverdeeleffect),
                relative,
            ]
        )

    param_sheet = Sheet(
        "Parameters",
        [
            "jaar",
            "macrobudget vóór uitname",
            "te verdelen",
            "gewicht objectief",
            "bron macrobudget",
            "bron te verdelen",
            "bron gewicht",
        ],
        formats={
            "macrobudget vóór uitname": EURO,
            "te verdelen": EURO,
            "gewicht objectief": PERCENT,
        },
        widths={"bron macrobudget": 60, "bron te verdelen": 60, "bron gewicht": 60},
    )
    for y in years:
        macro_entry, dist, weight = (
            params.macrobudget.get(y),
            te_verdelen.get(y),
            params.ingroeipad.get(y),
        )
        param_sheet.rows.append(
            [
                y,
                euros(macro_entry.value) if macro_entry else None,
                euros(dist.value) if dist else None,
                share(weight.value) if weight else None,
                macro_entry.source if macro_entry else "",
                dist.source if dist else "",
                weight.source if weight else "",
            ]
        )

    written = [
        write_workbook(
            out / "ingroeipad.xlsx",
            [text_sheet(lines), budget_sheet, wl_sheet, path_sheet, param_sheet],
        )
    ]
    written.append(_ingroeipad_lines(result, label, ranking, out / "ingroeipad_budgetpad.png"))
    shown = top_and_bottom(ranking, top)
    written.append(
        bar_chart(
            out / "ingroeipad_winnaars_verliezers.png",
            f"Herverdeeleffect ingroeipad in {last} (budget − historische verdeling)",
            [label[r.gemeente] for r in shown],
            [r.herverdeeleffect for r in shown],
            "herverdeeleffect",
        )
    )
    return written


def _ingroeipad_lines(
    result: Ingroeipad, label: dict[str, str], ranking: list, path: Path, highlight: int = 4
) -> Path:
    plt = _pyplot()
    years = list(result.jaren)
    fig, ax = plt.subplots(figsize=(11, 6.5))
    marked = {r.gemeente for r in top_and_bottom(ranking, highlight)}
    for m in result.gemeenten:
        values = [result.budget(m, y) / 100 for y in years]
        if m in marked:
            ax.plot(years, values, linewidth=2, marker="o", markersize=3, label=label[m])
        else:
            ax.plot(years, values, color="#bbbbbb", linewidth=0.8)
    ax.set_title(
        "Budgetpad beschermd wonen per gemeente (gemarkeerd: grootste winnaars en verliezers)"
    )
    ax.set_xlabel("jaar")
    ax.set_xticks(years)
    _money_axis(ax, max((r.budget / 100 for r in result.regels), default=0))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# --- Wlz ---------------------------------------------------------------------------------


def wlz_report(result: WlzUitname, params: Parameters, out: Path) -> list[Path]:
    lines = [
        result.toelichting,
        "",
        "Regel ex ante: uitname W = percentage × macrobudget (op de cent), verdeeld over de "
        "centrumgemeenten naar hun aandeel in het historische budget (grootste resten, op de cent).",
        "Regel ex post: de definitieve uitname D volgt de kosten die door de uitstroom van "
        "cliënten naar de Wlz daadwerkelijk wegvallen (seed 004), per regio als invoer; correctie "
        "K = D − W_c. Effect op het budget = W_c − D = −K: negatief als er meer kosten wegvielen "
        "dan uitgenomen (de centrumgemeente betaalt terug), positief als er minder wegvielen "
        "(zij ontvangt terug), 0 als D = W_c. Tabel en grafiek tonen hetzelfde getal met hetzelfde "
        "teken.",
        "Tempo, niet aandeel: het historische budget na definitieve uitname (blad 'Historisch na "
        "uitname', ook als historisch_na_uitname.csv) is het nieuwe vertrekpunt van het "
        "ingroeipad; de objectieve aandelen veranderen niet. Geef dat bestand als --historisch "
        "aan 'wpb budget ingroeipad' om het effect op het tempo te zien.",
    ]
    for r in result.regels:
        lines += ["", f"{r.naam} ({r.centrumgemeente}) — {r.scenario.omschrijving}", r.toelichting]
    lines += _sources_lines(wlz_rule.SOURCES) + _parameter_lines(
        params, [(params.macrobudget, [result.jaar]), (params.wlz_uitname, [result.jaar])]
    )

    main = Sheet(
        "Uitname per centrumgemeente",
        [
            "centrumgemeente",
            "gemeente",
            "historisch aandeel",
            "budget vóór uitname",
            "uitname ex ante",
            "cliënten naar de Wlz",
            "wegvallende kosten (uitname definitief)",
            "effect op het budget (+ ontvangt, − betaalt terug)",
            "scenario",
            "budget na uitname",
            "historisch aandeel na uitname",
            "toelichting",
        ],
        formats={
            "historisch aandeel": PERCENT,
            "budget vóór uitname": EURO,
            "uitname ex ante": EURO,
            "cliënten naar de Wlz": COUNT,
            "wegvallende kosten (uitname definitief)": EURO,
            "effect op het budget (+ ontvangt, − betaalt terug)": EURO,
            "budget na uitname": EURO,
            "historisch aandeel na uitname": PERCENT,
        },
        widths={"gemeente": 20, "scenario": 40, "toelichting": 120},
    )
    for r in result.regels:
        main.rows.append(
            [
                r.centrumgemeente,
                r.naam,
                share(r.historisch_aandeel),
                euros(r.budget_voor_uitname),
                euros(r.ex_ante),
                None if r.clienten is None else float(r.clienten),
                euros(r.definitief),
                euros(r.effect_op_budget),
                r.scenario.omschrijving,
                euros(r.budget_na_uitname),
                share(r.aandeel_na_uitname),
                r.toelichting,
            ]
        )
    main.rows.append(
        [
            "totaal",
            "",
            1.0,
            euros(sum(r.budget_voor_uitname for r in result.regels)),
            euros(result.ex_ante),
            None,
            euros(result.definitief),
            euros(-result.correctie),
            f"definitief {format_percent(result.definitief_percentage)} van het macrobudget",
            euros(sum(r.budget_na_uitname for r in result.regels)),
            1.0,
            "",
        ]
    )
    historical = Sheet(
        "Historisch na uitname",
        ["centrumgemeente", "gemeentenaam", "bedrag"],
        formats={"bedrag": EURO},
    )
    for r in result.regels:
        historical.rows.append([r.centrumgemeente, r.naam, euros(r.budget_na_uitname)])

    written = [write_workbook(out / "wlz_uitname.xlsx", [text_sheet(lines), main, historical])]
    csv_path = out / "historisch_na_uitname.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["centrumgemeente", "gemeentenaam", "bedrag"])
        for r in result.regels:
            sign = "-" if r.budget_na_uitname < 0 else ""
            whole, cents = divmod(abs(r.budget_na_uitname), 100)
            writer.writerow([r.centrumgemeente, r.naam, f"{sign}{whole}.{cents:02d}"])
    written.append(csv_path)
    ordered = sorted(result.regels, key=lambda r: (r.effect_op_budget, r.centrumgemeente))
    written.append(
        bar_chart(
            out / "wlz_correctie.png",
            f"Correctie uitname Wlz {result.jaar} per centrumgemeente "
            "(rood: betaalt terug, groen: ontvangt terug)",
            [f"{r.naam} ({r.centrumgemeente})" for r in ordered],
            [r.effect_op_budget for r in ordered],
            "effect op het budget (+ ontvangt, − betaalt terug)",
        )
    )
    return written


# --- T-2 ---------------------------------------------------------------------------------


def t2_report(
    results: Sequence[T2Budget],
    params: Parameters,
    names: Names,
    unit: str,
    source: str,
    out: Path,
    *,
    top: int = 10,
) -> list[Path]:
    def label(code: str) -> str:
        return "te beoordelen" if code == BEOORDELING else names(code)

    years = [r.jaar for r in results]
    lines = [
        "Voogdij/18+ 2022: het budget voogdij/18+ voor 2022 werd nog één jaar verdeeld op het "
        "historische zorggebruik (T-2: het gebruik in 2020), met de nieuwe woonplaatsregel "
        "toegepast via een CBS-simulatie, omdat het nieuwe woonplaatsbeginsel (2022) een jaar "
        "eerder inging dan het nieuwe verdeelmodel (verwacht 2023) (seed 001). Vanaf 2023 geldt "
        "T-2 niet meer; wpb rekent daarom alleen 2022.",
        "(b) budget naar de regel van 2022: het gebruik opnieuw toegerekend naar de gemeente die "
        "de regel van 2022 aanwijst (hier uit de landelijke doorrekening, in plaats van de "
        "CBS-simulatie). Dit is het verdeelde budget.",
        "(a) ter vergelijking: hetzelfde gebruik bij de gemeente waar het geregistreerd was (de "
        "regel van vóór 2022). Verschil = (b) − (a): wat het toepassen van de nieuwe regel op het "
        "gebruik van 2020 verschoof; de verschillen tellen op tot 0.",
        "Dit verschil is niet wat de compensatieregeling 'Onderbreking financieringssystematiek "
        "voogdij en 18+' compenseerde: die regeling is er omdat gemeenten een verandering in hun "
        "zorggebruik in 2020 en 2021 niet meer terugzien in een hoger of lager budget voogdij/18+ "
        "(seed 001).",
        "Regel: budget(m, t) = V_t · gebruik(m, t−2) / totaal gebruik(t−2), per kolom op de cent "
        "verdeeld (grootste resten; gelijke resten naar de laagste code).",
        "Jeugdigen van wie de gemeente onder een regel niet vast te stellen is (review in de "
        "landelijke doorrekening, een gesplitste gemeente, RNI/onbekend) worden niet aan een "
        "gemeente toegerekend en niet weggelaten: hun gebruik staat op de regel 'te beoordelen' "
        "en zij staan per persoon op het blad 'Te beoordelen'.",
        "Gemeentecodes zijn herleid naar de gemeente die de code op 1 januari van jaar t draagt "
        "(herindelingen tussen t−2 en t).",
        f"Invoer: {source}; gebruik in kolom '{unit}'.",
    ]
    for r in results:
        lines.append(
            f"{r.jaar}: {r.aantal_rijen} jeugdigen met zorg in {r.gebruiksjaar}; macrobudget "
            f"{format_euro(r.macro)}; te beoordelen onder (a): {r.beoordeling.aantal_geregistreerd}, "
            f"onder (b): {r.beoordeling.aantal_2022} "
            f"({format_euro(r.beoordeling.budget_2022)})."
        )
    lines += _sources_lines(t2_rule.SOURCES) + _parameter_lines(
        params, [(params.macrobudget_voogdij18, years)]
    )

    sheets = [text_sheet(lines)]
    written: list[Path] = []
    use_format = EURO if unit == "kosten" else NUMBER
    for r in results:
        budget = Sheet(
            f"Budget {r.jaar}",
            [
                "gemeentecode",
                "gemeente",
                "aantal (a) geregistreerd",
                f"{unit} (a)",
                "(a) ter vergelijking: geregistreerd",
                "aantal (b) regel 2022",
                f"{unit} (b)",
                "(b) budget regel 2022",
                "effect nieuwe regel (b) − (a)",
            ],
            formats={
                f"{unit} (a)": use_format,
                f"{unit} (b)": use_format,
                "(a) ter vergelijking: geregistreerd": EURO,
                "(b) budget regel 2022": EURO,
                "effect nieuwe regel (b) − (a)": EURO,
                "aantal (a) geregistreerd": COUNT,
                "aantal (b) regel 2022": COUNT,
            },
            widths={"gemeente": 24},
        )
        for g in (*r.gemeenten, r.beoordeling):
            budget.rows.append(
                [
                    g.gemeente,
                    label(g.gemeente),
                    g.aantal_geregistreerd,
                    float(g.gebruik_geregistreerd),
                    euros(g.budget_geregistreerd),
                    g.aantal_2022,
                    float(g.gebruik_2022),
                    euros(g.budget_2022),
                    euros(g.verschil),
                ]
            )
        lines_all = (*r.gemeenten, r.beoordeling)
        budget.rows.append(
            [
                "totaal",
                "",
                sum(g.aantal_geregistreerd for g in lines_all),
                float(sum((g.gebruik_geregistreerd for g in lines_all), Fraction(0))),
                euros(r.total(t2_rule.Regel.GEREGISTREERD)),
                sum(g.aantal_2022 for g in lines_all),
                float(sum((g.gebruik_2022 for g in lines_all), Fraction(0))),
                euros(r.total(t2_rule.Regel.WOONPLAATS_2022)),
                euros(0),
            ]
        )
        review = Sheet(
            f"Te beoordelen {r.jaar}",
            [
                "persoon",
                "jaar zorg",
                "soort",
                "regel",
                "gemeente geregistreerd",
                "gemeente 2022",
                "reden",
                unit,
                "bron",
            ],
            formats={unit: use_format},
            widths={"reden": 50, "bron": 36},
        )
        for t in r.te_beoordelen:
            review.rows.append(
                [
                    t.rij.persoon,
                    t.rij.jaar,
                    t.rij.soort.value,
                    t.regel.value,
                    t.rij.gemeente_geregistreerd or "",
                    t.rij.gemeente_2022 or "",
                    t.reden,
                    float(t.rij.gebruik),
                    t.rij.bron,
                ]
            )
        sheets += [budget, review]
        ranking = sorted(r.gemeenten, key=lambda g: (-g.verschil, g.gemeente))
        shown = top_and_bottom(ranking, top)
        written.append(
            bar_chart(
                out / f"t2_{r.jaar}_verschil.png",
                f"Voogdij/18+ {r.jaar} (zorg {r.gebruiksjaar}): effect van de regel van 2022 "
                "(budget − geregistreerd; niet de compensatieregeling)",
                [f"{label(g.gemeente)} ({g.gemeente})" for g in shown],
                [g.verschil for g in shown],
                "effect nieuwe regel (b) − (a)",
            )
        )
    written.insert(0, write_workbook(out / "t2.xlsx", sheets))
    return written
