"""``wpb gemeente``: municipalities through time (successors) and their jeugdregio."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape

import wpb.cli.output as output
from wpb import refdata
from wpb.cli.output import EXIT_INVALID_INPUT, parse_date_option
from wpb.law.gemeenten import UnknownGemeente

gemeente_app = typer.Typer(help="Gemeenten door de tijd: opvolgers en jeugdregio's.", no_args_is_help=True)


@gemeente_app.command("opvolgers")
def opvolgers(
    code: Annotated[str, typer.Argument(help="Gemeentecode (4 cijfers).")],
    op: Annotated[str | None, typer.Option("--op", help="Datum JJJJ-MM-DD (standaard: vandaag).")] = None,
) -> None:
    """Welke gemeente(n) dragen op een datum de verantwoordelijkheid van een (oude) gemeentecode."""
    register = refdata.gemeente_register()
    when = parse_date_option(op, "--op") or date.today()
    try:
        result = register.successors(code, when)
    except UnknownGemeente as exc:
        output.err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    for step in result.path:
        names = ", ".join(f"{register.naam(c)} ({c})" for c in step.opvolgers)
        output.out.print(
            f"{step.datum.isoformat()}: {register.naam(step.code)} ({step.code}) — {step.soort.value} → {names}"
        )
    if result.is_unique:
        status = "één opvolger"
    elif result.codes:
        status = "gesplitst: meerdere kandidaten, kies niet zonder adres"
    else:
        status = "opgeheven zonder Nederlandse opvolger"
    names = ", ".join(f"{register.naam(c)} ({c})" for c in result.codes) or "geen Nederlandse opvolger"
    output.out.print(escape(f"Op {when.isoformat()}: {names} [{status}]"))


@gemeente_app.command("regio")
def regio(code: Annotated[str, typer.Argument(help="Gemeentecode (4 cijfers).")]) -> None:
    """De jeugdhulpregio van een gemeente (indeling zoals in de meegeleverde tabel)."""
    indeling = refdata.jeugdregio_indeling()
    try:
        found = indeling.regio_van(code)
    except KeyError as exc:
        output.err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    output.out.print(
        f"{code}: jeugdregio {found.naam} (indeling {indeling.peildatum.isoformat()}, {len(found.gemeenten)} gemeenten)"
    )
