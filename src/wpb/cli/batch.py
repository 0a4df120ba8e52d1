"""Commands for populations: ``wpb synth`` (generate) and ``wpb batch`` (decide them all).

Register them on the main app with :func:`register` (``wpb synth ...``, ``wpb batch ...``),
or run this module's own ``app`` for the two commands alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from wpb import refdata
from wpb.cli.output import EXIT_INVALID_INPUT, parse_date_option
from wpb.cli.wmo import instelling_of_exit
from wpb.population.validate import InvalidPopulation

out = Console()
err = Console(stderr=True)
R = TypeVar("R")  # the run of one law (wpb.batch.run.BatchRun, wpb.batch.wmo_run.WmoBatchRun)

app = typer.Typer(
    help="Populaties: synthetisch genereren en in één keer beslissen.",
    no_args_is_help=True,
    add_completion=False,
)


class Wet(str, Enum):
    jeugdwet = "jeugdwet"
    wmo_bw = "wmo-bw"  # Wmo 2015 beschermd wonen (bill 36 288)



def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def synth(
    personen: Annotated[int, typer.Option(
        "--personen", "-n", help="Aantal jeugdigen (0-22 jaar); bij --wet wmo-bw: aantal cliënten.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Map voor de Parquet-bestanden.")],
    seed: Annotated[int, typer.Option(help="Zaad: hetzelfde zaad geeft dezelfde bestanden.")] = 1,
    extractdatum: Annotated[str | None, typer.Option(help="Datum van het uittreksel (JJJJ-MM-DD).")] = None,
    wet: Annotated[Wet, typer.Option(
        help="jeugdwet: jeugdigen met moeders en jeugdhulp; wmo-bw: cliënten beschermd wonen.")] = Wet.jeugdwet,
) -> None:
    """Genereer een synthetische populatie (jeugdigen, moeders, BRP-historie, jeugdhulp)."""
    from wpb.population.synth import DEFAULT_EXTRACT_DATE, SynthConfig, generate

    if personen < 1:
        err.print("[red]--personen: moet minstens 1 zijn[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    if wet is Wet.wmo_bw:
        _synth_wmo(personen, out_dir, seed, extractdatum)
        return
    when = parse_date_option(extractdatum, "--extractdatum") or DEFAULT_EXTRACT_DATE
    register = refdata.gemeente_register()
    steps = 9
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("genereren", total=steps)

        def step(name: str) -> None:
            progress.update(task, description=name, advance=1)

        try:
            population = generate(SynthConfig(personen, seed, when), register, step)
        except ValueError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        step("schrijven")
        population.write(out_dir, metadata={"synthetisch": "ja", "seed": str(seed),
                                            "extractdatum": when.isoformat()})
        progress.update(task, completed=steps, description="klaar")
    table = Table(title=f"Synthetische populatie in {out_dir}")
    table.add_column("tabel")
    table.add_column("rijen", justify="right")
    for name, df in (("personen", population.personen), ("verblijfplaatsen", population.verblijfplaatsen),
                     ("jeugdhulp", population.jeugdhulp)):
        table.add_row(name, f"{df.height:,}")
    out.print(table)
    out.print(f"[dim]{time.perf_counter() - started:.1f} s, seed {seed}, extractdatum {when}[/dim]")


def batch(
    in_dir: Annotated[Path, typer.Option("--in", help=(
        "Map met personen/verblijfplaatsen/jeugdhulp.parquet; bij --wet wmo-bw personen, "
        "verblijfplaatsen en bw_aanmeldingen/_plaatsingen/_aanvragen/_indicaties.parquet."))],
    peildatum: Annotated[str, typer.Option(help="Peildatum JJJJ-MM-DD.")],
    out_file: Annotated[Path, typer.Option("--out", help="Resultaat per persoon (Parquet).")],
    wet: Annotated[Wet, typer.Option(help="Welke wet.")] = Wet.jeugdwet,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Ongeldige rijen afwijzen (met reden in een apart bestand) in plaats van stoppen.")] = False,
    inwerkingtreding: Annotated[str | None, typer.Option(
        help="Alleen bij --wet wmo-bw: inwerkingtreding van wetsvoorstel 36 288 (JJJJ-MM-DD of nee; "
             "standaard WPB_WMO_BW_INWERKINGTREDING, anders niet in werking).")] = None,
) -> None:
    """Beslis voor iedere jeugdige in een populatie, met tellingen per gemeente en de migratiematrix.

    Met --wet wmo-bw: voor iedere cliënt beschermd wonen (bw_aanmeldingen.parquet), met
    tellingen per gemeente.
    """
    from wpb.batch.run import run_batch, write_outputs

    when = parse_date_option(peildatum, "--peildatum")
    assert when is not None
    if not in_dir.is_dir():
        err.print(f"[red]--in: {in_dir} is geen map[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    if wet is Wet.wmo_bw:
        _batch_wmo(in_dir, when, out_file, skip_invalid, inwerkingtreding)
        return
    if inwerkingtreding is not None:
        err.print("[red]--inwerkingtreding: alleen bij --wet wmo-bw[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    register = refdata.gemeente_register()
    run, paths, elapsed = _decide_all(
        lambda step: run_batch(in_dir, when, register, skip_invalid=skip_invalid, step=step),
        lambda run: write_outputs(run, out_file),
    )
    result = run.result
    out.print(_summary(
        f"Jeugdwet art. 1.1 woonplaats, peildatum {when} (regel {run.regel or 'geen'})",
        result, lambda onderdeel: f"{onderdeel}°" if onderdeel else "—",
    ))
    routed = int(result["via_referentie"].sum())
    shifted = run.matrix.filter("verschuift")["aantal"].sum()
    out.print(
        f"{result.height:,} jeugdigen in {elapsed:.1f} s ({result.height / max(elapsed, 1e-9):,.0f}/s); "
        f"via de referentie-engine: {routed:,}; in zorg op de peildatum: {run.in_care:,}, "
        f"van wie {shifted:,} onder de regel van 2022 een andere uitkomst hebben."
    )
    _rejected_and_paths(run, paths)


def _decide_all(decide: Callable[[Callable[[str], None]], R], write: Callable[[R], dict[str, Path]]
                ) -> tuple[R, dict[str, Path], float]:
    """Decide a population with a progress bar, then write the files; return the seconds taken.

    Invalid input stops with exit code 2 before anything is written.
    """
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("starten", total=None)
        done = 0

        def step(name: str) -> None:
            nonlocal done
            done += 1
            progress.update(task, description=name, completed=done)

        try:
            run = decide(step)
        except InvalidPopulation as exc:
            progress.stop()
            err.print(f"[red]{exc}[/red]", highlight=False)
            err.print("[red]Niets berekend. Herstel de invoer of gebruik --skip-invalid.[/red]")
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        step("bestanden schrijven")
        paths = write(run)
        progress.update(task, total=done, completed=done, description="klaar")
    return run, paths, time.perf_counter() - started


def _summary(title: str, result, onderdeel_label: Callable[[object], str]) -> Table:
    """Counts per status, onderdeel and reden, the largest first."""
    summary = Table(title=title)
    for col in ("status", "onderdeel", "reden", "aantal"):
        summary.add_column(col, justify="right" if col == "aantal" else "left")
    counts = result.group_by("status", "onderdeel", "reden").len().sort("len", descending=True)
    for status, onderdeel, reden, n in counts.iter_rows():
        summary.add_row(status, onderdeel_label(onderdeel), reden or "—", f"{n:,}")
    return summary


def _rejected_and_paths(run, paths: dict[str, Path]) -> None:
    if run.rejected.height:
        err.print(
            f"[yellow]{run.rejected.height:,} rijen afgewezen ({run.rejected_persons:,} personen); "
            f"zie {paths['afgewezen']}[/yellow]"
        )
    for name, path in paths.items():
        out.print(f"[dim]{name}: {path}[/dim]")


def _synth_wmo(clients: int, out_dir: Path, seed: int, extractdatum: str | None) -> None:
    """``wpb synth --wet wmo-bw``: synthetic beschermd-wonen clients (docs/population.md)."""
    from wpb.population.wmo_schema import WMO_TABLES
    from wpb.population.wmo_synth import DEFAULT_WMO_EXTRACT_DATE, WmoSynthConfig, generate_wmo

    when = parse_date_option(extractdatum, "--extractdatum") or DEFAULT_WMO_EXTRACT_DATE
    register = refdata.gemeente_register()
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("genereren", total=None)

        def step(name: str) -> None:
            progress.update(task, description=name, advance=1)

        try:
            population = generate_wmo(WmoSynthConfig(clients, seed, when), register,
                                       refdata.jeugdregio_indeling(), step)
        except ValueError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        step("schrijven")
        population.write(out_dir, metadata={"synthetisch": "ja", "seed": str(seed),
                                            "extractdatum": when.isoformat(), "wet": "wmo-bw"})
        progress.update(task, description="klaar")
    table = Table(title=f"Synthetische cliënten beschermd wonen in {out_dir}")
    table.add_column("tabel")
    table.add_column("rijen", justify="right")
    for name in WMO_TABLES:
        table.add_row(name, f"{population.table(name).height:,}")
    out.print(table)
    out.print(f"[dim]{time.perf_counter() - started:.1f} s, seed {seed}, extractdatum {when}; "
              f"gebruik een peildatum op of na de extractdatum[/dim]")


def _batch_wmo(in_dir: Path, when: date, out_file: Path, skip_invalid: bool,
               inwerkingtreding: str | None) -> None:
    """``wpb batch --wet wmo-bw``: every beschermd-wonen client of a population."""
    from wpb.batch.wmo_run import run_wmo_batch, write_wmo_outputs

    in_force = instelling_of_exit(inwerkingtreding)  # option, else WPB_WMO_BW_INWERKINGTREDING
    register = refdata.gemeente_register()
    run, paths, elapsed = _decide_all(
        lambda step: run_wmo_batch(in_dir, when, register, inwerkingtreding=in_force,
                                   skip_invalid=skip_invalid, step=step),
        lambda run: write_wmo_outputs(run, out_file),
    )
    result = run.result
    out.print(_summary(
        f"Wmo beschermd wonen, peildatum {when} (regel {run.regel}, "
        f"inwerkingtreding {in_force or 'niet in werking'})",
        result, lambda onderdeel: onderdeel or "—",
    ))
    nieuw = result["nieuwe_client"]
    out.print(
        f"{result.height:,} cliënten in {elapsed:.1f} s; via de referentie-engine: "
        f"{int(result['via_referentie'].sum()):,}; nieuwe cliënt ja/nee/onbekend: "
        f"{int(nieuw.sum()):,}/{int((~nieuw).sum()):,}/{nieuw.null_count():,}; bestaande "
        f"cliënten bij hun centrumgemeente: {result['centrumgemeente'].is_not_null().sum():,}."
    )
    _rejected_and_paths(run, paths)


def register(main: typer.Typer) -> None:
    """Add ``synth`` and ``batch`` to the main ``wpb`` app."""
    main.command("synth")(synth)
    main.command("batch")(batch)


app.command("synth")(synth)
app.command("batch")(batch)

__all__ = ["app", "batch", "register", "synth"]
