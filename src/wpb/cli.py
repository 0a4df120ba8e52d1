"""The ``wpb`` command line: an adapter that reads files, calls the core, prints answers."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from wpb import cli_budget, refdata
from wpb.brp.haal_centraal import load_case, parse_case
from wpb.cli_batch import register as register_population_commands
from wpb.cli_common import EXIT_INVALID_INPUT, parse_date_option
from wpb.cli_gba import gba_app
from wpb.cli_ijw import ijw_app
from wpb.cli_overgang import overgang
from wpb.cli_verrekening import verrekening_app
from wpb.errors import InvalidInput
from wpb.law.decision import Decision, Status
from wpb.law.engine import decide
from wpb.law.gemeenten import UnknownGemeente
from wpb.service.cli_service import audit_app, beheer_app, db_app, serve
from wpb.service.openapi_export import openapi_command

app = typer.Typer(
    help="wpb — woonplaatsbeginsel: welke gemeente is verantwoordelijk, en waarom.",
    no_args_is_help=True,
    add_completion=False,
)
gemeente_app = typer.Typer(help="Gemeenten door de tijd: opvolgers en jeugdregio's.", no_args_is_help=True)
app.add_typer(gemeente_app, name="gemeente")
app.command("overgang")(overgang)
app.add_typer(gba_app, name="gba")
app.add_typer(cli_budget.app, name="budget")
app.add_typer(verrekening_app, name="verreken")
app.add_typer(ijw_app, name="ijw")
app.command("serve")(serve)
app.command("openapi")(openapi_command)
register_population_commands(app)  # wpb synth, wpb batch
app.command("woonplaatscheck")(__import__("wpb.cli_woonplaatscheck").cli_woonplaatscheck.woonplaatscheck_command)  # noqa: E501
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(beheer_app, name="beheer")

out = Console()
err = Console(stderr=True)



class Format(str, Enum):
    json = "json"
    text = "text"


class Wet(str, Enum):
    jeugdwet = "jeugdwet"
    wmo_bw = "wmo-bw"



@app.command()
def woonplaats(
    case_file: Annotated[Path, typer.Argument(metavar="CASE.json", help="Casus in JSON (Haal Centraal-velden).")],
    peildatum: Annotated[str | None, typer.Option(help="Peildatum JJJJ-MM-DD; overschrijft die in de casus.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Uitvoer: text of json.")] = Format.text,
    wet: Annotated[Wet, typer.Option(help="jeugdwet (art. 1.1) of wmo-bw (beschermd wonen).")] = Wet.jeugdwet,
    inwerkingtreding: Annotated[
        str | None,
        typer.Option(help="Alleen wmo-bw: datum van inwerkingtreding van het woonplaatsbeginsel BW (standaard 2026-01-01)."),
    ] = None,
) -> None:
    """Bepaal de verantwoordelijke gemeente voor één casus, met grondslag en toelichting."""
    if wet is Wet.wmo_bw:
        from wpb.cli_wmo import wmo_command  # imported here: it imports print_decision from us

        wmo_command(case_file, peildatum=peildatum, format=format.value, inwerkingtreding=inwerkingtreding)
        return
    register = refdata.gemeente_register()
    when = parse_date_option(peildatum, "--peildatum")
    if not case_file.is_file():
        err.print(f"[red]{case_file}: bestand niet gevonden[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    try:
        case = load_case(case_file, register, peildatum=when)
    except InvalidInput as exc:
        err.print(f"[red]{escape(str(exc))}[/red]", highlight=False)
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    decision = decide(case, register)
    if format is Format.json:
        sys.stdout.write(json.dumps(decision.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_decision(decision)


def print_decision(decision: Decision) -> None:
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


def _decide_examples() -> list[tuple[str, str, Decision]]:
    """Every bundled example: Jeugdwet cases in examples/, Wmo beschermd wonen in examples/wmo-bw/."""
    from wpb.brp.wmo_case import parse_wmo_case
    from wpb.law.wmo import decide_wmo_bw

    register = refdata.gemeente_register()
    folder = resources.files("wpb").joinpath("data", "examples")
    laws = [
        (folder, lambda doc, name: decide(parse_case(doc, register, bron=name), register)),
        (
            folder.joinpath("wmo-bw"),
            lambda doc, name: decide_wmo_bw(parse_wmo_case(doc, register, bron=name), register),
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


@app.command()
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
    out.print(table)
    out.print(
        "Details per casus: wpb woonplaats <casus.json> [--wet wmo-bw] --format text|json "
        "(de voorbeelden staan in src/wpb/data/examples/)."
    )


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
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    for step in result.path:
        names = ", ".join(f"{register.naam(c)} ({c})" for c in step.opvolgers)
        out.print(f"{step.datum.isoformat()}: {register.naam(step.code)} ({step.code}) — {step.soort.value} → {names}")
    if result.is_unique:
        status = "één opvolger"
    elif result.codes:
        status = "gesplitst: meerdere kandidaten, kies niet zonder adres"
    else:
        status = "opgeheven zonder Nederlandse opvolger"
    names = ", ".join(f"{register.naam(c)} ({c})" for c in result.codes) or "geen Nederlandse opvolger"
    out.print(escape(f"Op {when.isoformat()}: {names} [{status}]"))


@gemeente_app.command("regio")
def regio(code: Annotated[str, typer.Argument(help="Gemeentecode (4 cijfers).")]) -> None:
    """De jeugdhulpregio van een gemeente (indeling zoals in de meegeleverde tabel)."""
    indeling = refdata.jeugdregio_indeling()
    try:
        found = indeling.regio_van(code)
    except KeyError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    out.print(f"{code}: jeugdregio {found.naam} (indeling {indeling.peildatum.isoformat()}, {len(found.gemeenten)} gemeenten)")


if __name__ == "__main__":  # pragma: no cover
    app()
