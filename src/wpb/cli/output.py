"""What every ``wpb`` command shares: exit codes, date options and how a decision is printed.

Each command group imports from here and nothing imports a command group, so the groups
never depend on each other or on the root app (:mod:`wpb.cli.main`).
"""

from __future__ import annotations

import json
from datetime import date
from enum import Enum

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from wpb.law.decision import Decision, Status

EXIT_INVALID_INPUT = 2  # bad input: the message names the field; nothing was done

out = Console()
err = Console(stderr=True)


class Format(str, Enum):
    """``--format``: readable text or JSON for systems."""

    json = "json"
    text = "text"


def parse_date_option(value: str | None, option: str) -> date | None:
    """A JJJJ-MM-DD command-line option, or exit 2 naming the option and the value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]{escape(f'{option}: {value!r} is geen geldige datum (JJJJ-MM-DD)')}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None


def print_decision(decision: Decision) -> None:
    """A decision as text: the answer, the clause, the explanation, the facts and the receipt."""
    if decision.status is Status.BEPAALD:
        assert decision.gemeente is not None
        title = f"[bold green]{decision.gemeente[1]} ({decision.gemeente[0]})[/bold green]"
    else:
        title = "[bold yellow]Beoordeling nodig[/bold yellow]"
    lines = [f"Peildatum: {decision.peildatum.isoformat()}   Status: {decision.status.value}"]
    if decision.grondslag:
        lines.append(f"Grondslag: {decision.grondslag.citation}")
        lines.append(f"[dim]{escape(decision.grondslag.tekst)}[/dim]")
    if decision.reden:
        lines.append(f"Reden: {escape(decision.reden.omschrijving)}")
    lines.append("")
    lines.append(escape(decision.toelichting))  # facts from the input may contain "[...]"
    out.print(Panel("\n".join(lines), title=title, expand=False), highlight=False)

    if decision.kandidaten:
        table = Table(title="Kandidaten", show_lines=False)
        for col in ("code", "gemeente", "waarom"):
            table.add_column(col)
        for k in decision.kandidaten:
            table.add_row(escape(k.code), escape(k.naam), escape(k.reden))
        out.print(table)
    if decision.gebruikte_gegevens:
        table = Table(title="Gebruikte gegevens")
        for col in ("bron", "rol", "gegevens"):
            table.add_column(col)
        for f in decision.gebruikte_gegevens:
            table.add_row(escape(f.bron), escape(f.rol), escape(json.dumps(f.details, ensure_ascii=False)))
        out.print(table)
    if decision.ontbrekend:
        table = Table(title="Ontbrekend")
        table.add_column("gegeven")
        table.add_column("reden")
        for m in decision.ontbrekend:
            table.add_row(escape(m.gegeven), escape(m.reden))
        out.print(table)
    r = decision.receipt
    out.print(f"[dim]{r.engine} · {r.regelversie} · referentiedata {r.referentiedata} · {r.invoer_hash}[/dim]")
