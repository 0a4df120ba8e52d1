"""What every ``wpb`` command shares: the exit code for bad input and date options."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.markup import escape

EXIT_INVALID_INPUT = 2  # bad input: the message names the field; nothing was done

_err = Console(stderr=True)


def parse_date_option(value: str | None, option: str) -> date | None:
    """A JJJJ-MM-DD command-line option, or exit 2 naming the option and the value."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _err.print(f"[red]{escape(f'{option}: {value!r} is geen geldige datum (JJJJ-MM-DD)')}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
