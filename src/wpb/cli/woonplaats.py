"""``wpb woonplaats`` (one case) and ``wpb voorbeelden`` (every bundled example).

``--executor kolom`` decides the case with the columnar executor of the national run
(``wpb.batch.single.decide_case``) instead of the reference engine, to compare the two on
one case; for ``--wet wmo-bw`` with the same entry-into-force setting.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

import wpb.cli.output as output
from wpb import refdata
from wpb.brp.haal_centraal import load_case, parse_case
from wpb.brp.wmo_case import parse_wmo_case
from wpb.cli.output import EXIT_INVALID_INPUT, Format, parse_date_option, print_decision
from wpb.cli.wmo import instelling_of_exit, wmo_command
from wpb.errors import InvalidInput
from wpb.law.decision import Decision, Status
from wpb.law.engine import decide
from wpb.law.facts import Case
from wpb.law.wmo import decide_wmo_bw


class Wet(str, Enum):
    jeugdwet = "jeugdwet"
    wmo_bw = "wmo-bw"


class Executor(str, Enum):
    referentie = "referentie"  # the single-case engine, wpb.law.engine
    kolom = "kolom"  # the columnar (polars) executor of the national run


def woonplaats(
    case_file: Annotated[Path, typer.Argument(metavar="CASE.json", help="Casus in JSON (Haal Centraal-velden).")],
    peildatum: Annotated[str | None, typer.Option(help="Peildatum JJJJ-MM-DD; overschrijft die in de casus.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Uitvoer: text of json.")] = Format.text,
    wet: Annotated[Wet, typer.Option(help="jeugdwet (art. 1.1) of wmo-bw (beschermd wonen).")] = Wet.jeugdwet,
    inwerkingtreding: Annotated[
        str | None,
        typer.Option(help="Alleen wmo-bw: inwerkingtreding woonplaatsbeginsel BW (JJJJ-MM-DD of nee; standaard WPB_WMO_BW_INWERKINGTREDING, anders niet in werking)."),
    ] = None,
    executor: Annotated[
        Executor,
        typer.Option(help="referentie (de engine per casus) of kolom (de engine van de landelijke run)."),
    ] = Executor.referentie,
) -> None:
    """Bepaal de verantwoordelijke gemeente voor één casus, met grondslag en toelichting."""
    columnar = None
    if executor is Executor.kolom:
        in_force = instelling_of_exit(inwerkingtreding) if wet is Wet.wmo_bw else None
        columnar = _columnar(wet, in_force)
    if wet is Wet.wmo_bw:
        wmo_command(
            case_file, peildatum=peildatum, format=format.value, inwerkingtreding=inwerkingtreding,
            decide_with=columnar,
        )
        return
    register = refdata.gemeente_register()
    when = parse_date_option(peildatum, "--peildatum")
    if not case_file.is_file():
        output.err.print(f"[red]{case_file}: bestand niet gevonden[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    try:
        case = load_case(case_file, register, peildatum=when)
    except InvalidInput as exc:
        output.err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    decision = columnar(case) if columnar else decide(case, register)
    if format is Format.json:
        sys.stdout.write(json.dumps(decision.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_decision(decision)


def _columnar(wet: Wet, inwerkingtreding: date | None) -> Callable[[Case], Decision]:
    """The columnar executor for one case (wpb.batch.single), with the same setting."""
    # Imported only when asked for: it loads polars, which the other commands do not need.
    from wpb.batch.single import decide_case

    return lambda case: decide_case(
        case, case.peildatum, wet.value, inwerkingtreding=inwerkingtreding
    )


def _decide_examples() -> list[tuple[str, str, Decision]]:
    """Every bundled example: Jeugdwet cases in examples/, Wmo beschermd wonen in examples/wmo-bw/."""
    register = refdata.gemeente_register()
    wmo_instelling = instelling_of_exit(None)  # WPB_WMO_BW_INWERKINGTREDING; unset: not in force
    folder = resources.files("wpb").joinpath("data", "examples")
    laws = [
        (folder, lambda doc, name: decide(parse_case(doc, register, bron=name), register)),
        (
            folder.joinpath("wmo-bw"),
            lambda doc, name: decide_wmo_bw(parse_wmo_case(doc, register, bron=name), register,
                                            inwerkingtreding=wmo_instelling),
        ),
    ]
    rows = []
    for directory, run in laws:
        for item in sorted(directory.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".json"):
                doc = json.loads(item.read_text(encoding="utf-8"))
                label = item.name if directory is folder else f"wmo-bw/{item.name}"
                rows.append((label, doc.get("omschrijving", ""), run(doc, item.name)))
    return rows


def voorbeelden(
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Beslis alle meegeleverde voorbeeldcasussen (Jeugdwet en Wmo beschermd wonen) en toon de uitkomsten."""
    rows = _decide_examples()
    if format is Format.json:
        payload = [{"casus": name, **d.to_json()} for name, _, d in rows]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"Voorbeeldcasussen ({len(rows)})")
    for col in ("casus", "situatie", "peildatum", "status", "gemeente", "grondslag"):
        table.add_column(col, overflow="fold")
    for name, omschrijving, d in rows:
        gemeente = (
            f"{d.gemeente[1]} ({d.gemeente[0]})"
            if d.gemeente
            else ", ".join(k.code for k in d.kandidaten) or "—"
        )
        status = d.status.value if d.status is Status.BEPAALD else f"review: {d.reden.value if d.reden else ''}"
        grondslag = d.grondslag.citation if d.grondslag else "—"
        table.add_row(*(escape(v) for v in (name.removesuffix(".json"), omschrijving, d.peildatum.isoformat(), status, gemeente, grondslag)))
    output.out.print(table)
    output.out.print(
        "Details per casus: wpb woonplaats <casus.json> [--wet wmo-bw] --format text|json "
        "(de voorbeelden staan in src/wpb/data/examples/)."
    )


def register(main: typer.Typer) -> None:
    """Add ``woonplaats`` and ``voorbeelden`` to the main ``wpb`` app."""
    main.command("woonplaats")(woonplaats)
    main.command("voorbeelden")(voorbeelden)
