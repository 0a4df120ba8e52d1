"""``wpb woonplaats --wet wmo-bw CASE.json``: a Wmo beschermd-wonen case in, a decision out.

:func:`wmo_command` does the work, with the same options and output shape as the Jeugdwet
command (``--format json|text``, ``--peildatum``; exit code 2 on bad input, naming the field).
``--inwerkingtreding`` sets the entry-into-force date of bill 36 288, which a royal decree
fixes; without it the installation's ``WPB_WMO_BW_INWERKINGTREDING`` applies, and without that
the bill is not in force (``nee`` says so explicitly). :data:`app` offers the same as a
stand-alone Typer app.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wpb import refdata
from wpb.brp.wmo_case import inwerkingtreding_instelling, load_wmo_case
from wpb.cli.output import EXIT_INVALID_INPUT, parse_date_option, print_decision
from wpb.errors import InvalidInput
from wpb.law.decision import Decision
from wpb.law.wmo import decide_wmo_bw
from wpb.law.wmo.facts import WmoBwCase

out = Console()
err = Console(stderr=True)


def wmo_command(
    case_file: Path,
    *,
    peildatum: str | None = None,
    format: str = "text",
    inwerkingtreding: str | None = None,
    decide_with: Callable[[WmoBwCase], Decision] | None = None,
) -> None:
    """Decide one Wmo beschermd-wonen case and print the decision (``format``: json or text).

    ``decide_with`` replaces the reference engine (``wpb woonplaats --executor kolom``).
    """
    register = refdata.gemeente_register()
    when = parse_date_option(peildatum, "--peildatum")
    in_force = instelling_of_exit(inwerkingtreding)
    if not case_file.is_file():
        err.print(f"[red]{case_file}: bestand niet gevonden[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    try:
        case = load_wmo_case(case_file, register, peildatum=when)
    except InvalidInput as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    if decide_with is not None:
        decision = decide_with(case)
    else:
        decision = decide_wmo_bw(case, register, inwerkingtreding=in_force)
    if str(getattr(format, "value", format)) == "json":
        sys.stdout.write(json.dumps(decision.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_wmo_decision(decision)


def instelling_of_exit(inwerkingtreding: str | None) -> date | None:
    """The entry-into-force setting (option, else environment), or exit 2 naming it."""
    try:
        return inwerkingtreding_instelling(inwerkingtreding)
    except InvalidInput as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(EXIT_INVALID_INPUT) from None


def print_wmo_decision(decision: Decision) -> None:
    """The Jeugdwet text layout, followed by what is particular to beschermd wonen."""
    print_decision(decision)
    extra = decision.extra
    out.print(
        f"Regel: {extra.get('regel')}; inwerkingtreding wetsvoorstel 36 288: "
        f"{extra.get('inwerkingtreding') or 'niet in werking'}",
        highlight=False,
    )
    # The toelichting opens with the answer: "ja: ...", "nee: ..." or "niet vast te stellen: ...".
    out.print(f"Nieuwe cliënt: {extra.get('nieuweClientToelichting', '')}", highlight=False)
    centrum = extra.get("centrumgemeente")
    if centrum:
        out.print(
            f"Bestaande cliënt; centrumgemeente blijft verantwoordelijk: "
            f"{centrum['naam']} ({centrum['code']})",
            highlight=False,
        )
    for taak in extra.get("taken") or []:
        out.print(f"Taak: {escape(taak['omschrijving'])}", highlight=False)
    vragen = extra.get("openVragen") or []
    if vragen:
        table = Table(title="Open rechtsvragen")
        for col in ("id", "onderdeel", "vraag"):
            table.add_column(col)
        for v in vragen:
            table.add_row(v["id"], v["onderdeel"], v["vraag"])
        out.print(table)


app = typer.Typer(
    help="Woonplaatsbeginsel beschermd wonen (Wmo 2015, wetsvoorstel 36 288).",
    add_completion=False,
)


@app.command()
def woonplaats(
    case_file: Annotated[Path, typer.Argument(metavar="CASE.json", help="Wmo-casus in JSON.")],
    peildatum: Annotated[
        str | None, typer.Option(help="Peildatum JJJJ-MM-DD; overschrijft die in de casus.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Uitvoer: text of json.")] = "text",
    inwerkingtreding: Annotated[
        str | None,
        typer.Option(
            help="Inwerkingtreding wetsvoorstel 36 288 (JJJJ-MM-DD, of nee); standaard "
            "WPB_WMO_BW_INWERKINGTREDING, anders niet in werking."
        ),
    ] = None,
) -> None:
    """Bepaal de gemeente die beschermd wonen verstrekt, met grondslag en toelichting."""
    if format not in ("json", "text"):
        err.print(f"[red]--format: {format!r}; kies text of json[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    wmo_command(case_file, peildatum=peildatum, format=format, inwerkingtreding=inwerkingtreding)
