"""``wpb overgang FILE --peildatum D``: who is responsible per transfer, for a CSV or XLSX
file of transfers: under the 1-november-maatregel for the migratiegroep, under the law
(Jeugdwet art. 1.1) from ``vanaf`` for every other transfer (docs/overgang.md).

Prints CSV ``id,verantwoordelijke_gemeente,regime`` on stdout (with ``--details`` also the
role, the branch of the rule, its source and the reason). Every bad row is reported on stderr with its line,
column and reason. A file with any bad row gives exit code 2 and no answers, unless
``--skip-invalid``: then the valid rows are answered and the bad ones still reported.

The gemeente printed is the one that carries the responsibility on the peildatum: a party
that has since been merged into another municipality is followed to its successor (as the
woonplaats engine does). After a split several codes are possible; they are printed
together, separated by ``;``, and a note goes to stderr.

Registered as ``wpb overgang`` in :mod:`wpb.cli.main`.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from wpb import refdata
from wpb.cli.output import EXIT_INVALID_INPUT
from wpb.law.overgang import verantwoordelijke
from wpb.overgang_csv import BestandFout, read_file, write_csv


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(message + "\n")
    return typer.Exit(EXIT_INVALID_INPUT)


def overgang(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE.csv", help="Overdrachten (CSV of XLSX) met kolommen id, "
                       "latende_gemeente, ontvangende_gemeente, aanleverdatum, afwijzingsdatum, "
                       "afgerond_datum en optioneel vanaf (de dag van de wijziging; leeg: "
                       "migratiegroep, 1-november-maatregel)."),
    ],
    peildatum: Annotated[str, typer.Option(help="Peildatum JJJJ-MM-DD.")],
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Beantwoord de geldige regels en meld de ongeldige."),
    ] = False,
    details: Annotated[
        bool, typer.Option("--details", help="Voeg rol, tak, bron en reden toe aan de uitvoer.")
    ] = False,
) -> None:
    """Welke gemeente is op de peildatum verantwoordelijk per overdracht: de
    1-november-maatregel voor de migratiegroep, anders de wet vanaf de dag van de wijziging."""
    try:
        when = date.fromisoformat(peildatum)
    except ValueError:
        raise _fail(f"--peildatum: {peildatum!r} is geen geldige datum (JJJJ-MM-DD)") from None
    if not file.is_file():
        raise _fail(f"{file}: bestand niet gevonden")
    register = refdata.gemeente_register()
    try:
        gelezen = read_file(file, register)
    except BestandFout as exc:
        raise _fail(f"{file}: {exc}") from None

    for fout in gelezen.fouten:
        sys.stderr.write(f"{file.name}: {fout}\n")
    if gelezen.onleesbaar:
        raise _fail(f"{file.name}: het bestand is niet te lezen; niets uitgevoerd")
    if gelezen.fouten:
        regels = gelezen.afgewezen_regels
        summary = (
            f"{file.name}: {len(regels)} regel(s) afgewezen ({len(gelezen.fouten)} fout(en)), "
            f"{len(gelezen.rijen)} geldig"
        )
        if not skip_invalid:
            raise _fail(summary + "; niets uitgevoerd (gebruik --skip-invalid voor de geldige regels)")
        sys.stderr.write(summary + "; de geldige regels worden beantwoord\n")

    header = ["id", "verantwoordelijke_gemeente", "regime"]
    if details:
        header += ["rol", "tak", "bron", "reden"]
    rows: list[list[object]] = [header]
    for rij in gelezen.rijen:
        uitkomst = verantwoordelijke(rij.overdracht, when, register=register)
        codes = uitkomst.gemeente_op_peildatum
        if len(codes) > 1:
            sys.stderr.write(
                f"{file.name}: regel {rij.regel}: {uitkomst.gemeente} is gesplitst; "
                f"kandidaten {', '.join(codes)} (het adres bepaalt welke)\n"
            )
        row: list[object] = [rij.overdracht.id, ";".join(codes), uitkomst.regime.value]
        if details:
            row += [uitkomst.rol.value, uitkomst.tak.value, uitkomst.bron.citation, uitkomst.reden]
        rows.append(row)
    sys.stdout.write(write_csv(rows))
