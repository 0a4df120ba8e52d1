"""``wpb woonplaatscheck``: a gemeente's caseload and a BRP source in, three files out.

::

    wpb woonplaatscheck --gemeente 0344 --clienten clienten.csv --brp-bron brp/ \\
        --peildatum 2026-12-07 --out uit/

``--clienten`` is a CSV or XLSX export, or a folder of JW301 messages (``*.xml``).
``--brp-bron`` is a folder of ``<bsn>.json`` documents, a GBA-V extract (a file), or the URL
of a Haal Centraal endpoint (``WPB_BRP_API_KEY`` is sent as ``X-API-KEY``;
``WPB_BRP_HISTORIE_URL`` when the historie API has another base). Exit code 2 on bad
input, with every bad row named; nothing is written unless all rows are valid or
``--bevestig-geldige`` keeps the valid ones.

``--werkers N`` splits the caseload over N processes: this one and N-1 worker processes
(default: the cores this process may use; 1: all in this process). The files are the same for
any N; a caseload under 1,000 clients per process uses fewer. Exit code 1 when the check fails
on a client (named by the last digits of its BSN).
"""

from __future__ import annotations

import csv
import os
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wpb import refdata
from wpb.brp.bronnen import BrpBron, GbaBron, MapBron
from wpb.brp.bulk import HaalCentraalBron
from wpb.caseload.jw301 import read_berichten
from wpb.caseload.read import Inlezing, OngeldigeInvoer, bevestig, read_file
from wpb.cli.output import EXIT_INVALID_INPUT, parse_date_option
from wpb.errors import InvalidInput
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.signalen import niet_afgehandeld
from wpb.woonplaatscheck.check import (
    KOLOM,
    UITVOERINGEN,
    WoonplaatscheckFout,
    beschikbare_kernen,
    woonplaatscheck,
)
from wpb.woonplaatscheck.uitvoer import samenvatting, schrijf

out = Console()
err = Console(stderr=True)
MAX_FOUTEN_GETOOND = 50


def read_clienten(path: Path, register: GemeenteRegister, gemeente: str) -> Inlezing:
    if path.is_dir():
        return read_berichten(path.glob("*.xml"), gemeente=gemeente)
    return read_file(path, register)


def brp_bron(spec: str, register: GemeenteRegister, gelijktijdig: int) -> BrpBron:
    if spec.startswith(("http://", "https://")):
        return HaalCentraalBron(spec, register, api_key=os.environ.get("WPB_BRP_API_KEY", ""),
                                gelijktijdig=gelijktijdig,
                                timeout=float(os.environ.get("WPB_BRP_TIMEOUT", "10")),
                                historie_url=os.environ.get("WPB_BRP_HISTORIE_URL") or None)
    path = Path(spec)
    if path.is_dir():
        return MapBron(path, register)
    if path.is_file():
        return GbaBron(path, register)
    raise FileNotFoundError(f"--brp-bron: {spec} is geen map, bestand of URL")


def _afgehandeld(path: Path | None) -> set[str]:
    """Fingerprints of signals already handled: a CSV with a ``vingerafdruk`` column."""
    if path is None:
        return set()
    with path.open(encoding="utf-8-sig", newline="") as f:
        sample = f.readline()
        f.seek(0)
        reader = csv.DictReader(f, delimiter=";" if ";" in sample else ",")
        return {row["vingerafdruk"] for row in reader if row.get("vingerafdruk")}


def woonplaatscheck_command(
    gemeente: Annotated[str, typer.Option("--gemeente", help="Gemeentecode van het cliëntenbestand (4 cijfers).")],
    clienten: Annotated[Path, typer.Option("--clienten", help="CSV/XLSX-export, of een map met JW301-berichten.")],
    brp_bron_spec: Annotated[str, typer.Option("--brp-bron", help="Map met <bsn>.json, een GBA-V-extract, of de URL van een Haal Centraal-endpoint.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Map voor beslissingen.jsonl, signalen.csv en aanlevering.csv.")],
    peildatum: Annotated[str | None, typer.Option("--peildatum", help="JJJJ-MM-DD; standaard vandaag.")] = None,
    bevestig_geldige: Annotated[bool, typer.Option("--bevestig-geldige", help="Bewaar de geldige regels als er ook foute zijn.")] = False,
    afgehandeld: Annotated[Path | None, typer.Option("--afgehandeld", help="CSV met een kolom vingerafdruk: signalen die al zijn afgehandeld.")] = None,
    proefomgeving: Annotated[bool, typer.Option("--proefomgeving", help="Ken ook de fictieve gemeenten van de GBA-V-proefomgeving.")] = False,
    alle: Annotated[bool, typer.Option("--alle", help="Beslis ook cliënten zonder lopende of komende toewijzing.")] = False,
    gelijktijdig: Annotated[int, typer.Option("--gelijktijdig", min=1, max=64, help="Gelijktijdige BRP-bevragingen (URL), over alle processen samen: elk proces krijgt zijn deel, en er zijn nooit meer processen dan bevragingen.")] = 8,
    uitvoering: Annotated[str, typer.Option("--uitvoering", help="kolom: de landelijke (kolomsgewijze) uitvoering, met de volledige toelichting van de referentie-engine bij elk signaal; referentie: de referentie-engine voor elke cliënt.")] = KOLOM,
    werkers: Annotated[int | None, typer.Option("--werkers", min=1, max=64, help="Processen die het cliëntenbestand in delen controleren (dit proces en N-1 werkprocessen); standaard het aantal bruikbare processorkernen, 1: alles in dit proces. De bestanden zijn bij elk aantal gelijk; onder 1.000 cliënten per proces worden het er minder.")] = None,
) -> None:
    """De woonplaatscheck van een cliëntenbestand: wie is verantwoordelijk, vanaf wanneer, en signalen."""
    dag = parse_date_option(peildatum, "--peildatum") or date.today()
    if uitvoering not in UITVOERINGEN:
        err.print(f"[red]--uitvoering: kies {' of '.join(UITVOERINGEN)}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    register = refdata.proefomgeving_register() if proefomgeving else refdata.gemeente_register()
    if gemeente not in register:
        err.print(f"[red]--gemeente: onbekende gemeentecode {escape(gemeente)!s}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    if not clienten.exists():
        err.print(f"[red]--clienten: {escape(str(clienten))} bestaat niet[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT)
    inlezing = read_clienten(clienten, register, gemeente)
    try:
        toewijzingen = bevestig(inlezing, alleen_geldige=bevestig_geldige)
    except OngeldigeInvoer as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        for fout in inlezing.fouten[:MAX_FOUTEN_GETOOND]:
            err.print(f"  - {escape(str(fout))}")
        if len(inlezing.fouten) > MAX_FOUTEN_GETOOND:
            err.print(f"  … en {len(inlezing.fouten) - MAX_FOUTEN_GETOOND} meer")
        if not inlezing.onleesbaar:
            err.print("Herstel de regels, of bewaar alleen de geldige met --bevestig-geldige.")
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    try:
        bron = brp_bron(brp_bron_spec, register, gelijktijdig)
    except (FileNotFoundError, InvalidInput) as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(EXIT_INVALID_INPUT) from None

    # (refreshed by the progress itself, not by a thread of its own: worker processes are
    # forked only from a process without other threads)
    with Progress(TextColumn("BRP-gegevens ophalen en beslissen"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                  auto_refresh=False) as progress:
        task = progress.add_task("brp", total=None)
        shown = [0.0]

        def voortgang(done: int, total: int) -> None:
            now = time.monotonic()
            progress.update(task, completed=done, total=total)
            if now - shown[0] >= 0.1 or done == total:
                shown[0] = now
                progress.refresh()

        try:
            resultaat = woonplaatscheck(toewijzingen, bron, gemeente, dag, register, alle=alle,
                                        voortgang=voortgang, uitvoering=uitvoering,
                                        werkers=werkers or min(64, beschikbare_kernen()))
        except ValueError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        except WoonplaatscheckFout as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(1) from None
    handled = _afgehandeld(afgehandeld)
    if handled:
        resultaat.signalen = niet_afgehandeld(resultaat.signalen, handled)
    paths = schrijf(resultaat, out_dir)

    table = Table(title=f"Woonplaatscheck {resultaat.gemeente} op {dag}")
    table.add_column("")
    table.add_column("aantal", justify="right")
    for key, value in samenvatting(resultaat).items():
        table.add_row(key, str(value))
    out.print(table)
    if inlezing.fouten:
        out.print(f"{inlezing.aantal_fout} regel(s) met fouten overgeslagen (--bevestig-geldige).")
    if resultaat.niet_opgehaald:
        redenen: dict[str, int] = {}
        for reden in resultaat.niet_opgehaald.values():
            redenen[reden] = redenen.get(reden, 0) + 1
        out.print("Niet opgehaald uit de BRP (staan als review in signalen.csv):")
        for reden, n in sorted(redenen.items(), key=lambda kv: -kv[1]):
            out.print(f"  {n} × {escape(reden)}")
    for path in paths.values():
        out.print(f"geschreven: {escape(str(path))}")
