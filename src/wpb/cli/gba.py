"""``wpb gba``: read a GBA-V extract (LO GBA layout) and decide the woonplaats of one person.

A Typer sub-app; :mod:`wpb.cli.main` registers it with ``app.add_typer(gba_app, name="gba")``.
Invalid input exits with code 2 and names the line, the element and the value at fault
(never a BSN). Bulk output (``inlezen``) shows no BSNs: persons are named by the line their
persoonslijst starts on and by the extract's own label, unless that label looks like a
BSN or an A-nummer.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from wpb import refdata
from wpb.brp.gba import (
    GbaExtract,
    OnbekendeGemeentecode,
    PersoonNietGevonden,
    case_for,
    moeder_van,
    persoon_met_bsn,
    read_extract,
    unknown_gemeenten,
)
from wpb.cli.output import EXIT_INVALID_INPUT, Format, print_decision
from wpb.errors import InvalidInput
from wpb.law.bsn import is_valid_bsn
from wpb.law.engine import decide
from wpb.law.facts import WerkelijkeVerblijfplaats
from wpb.law.gemeenten import GemeenteRegister

DEFAULT_MAX = 20  # rows listed per section in text output; --max 0 lists every row
WERKELIJK_BRON = "cli:--werkelijke-verblijfplaats"

gba_app = typer.Typer(
    help="GBA-V-extracten (LO GBA): inlezen en de woonplaats van één persoon bepalen.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


ExtractArgument = Annotated[
    Path,
    typer.Argument(metavar="EXTRACT.csv", help="GBA-V-extract: ';'-gescheiden, kolommen CC.GG.EE."),
]
ProefomgevingOption = Annotated[
    bool,
    typer.Option(
        "--proefomgeving",
        help="Ken ook de fictieve gemeenten van de GBA-V proefomgeving (1802, 1810, 1811). "
        "Alleen voor testextracten.",
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Uitvoer: text of json.")]


def _fail(message: str) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(EXIT_INVALID_INPUT)


def _register(proefomgeving: bool) -> GemeenteRegister:
    return refdata.proefomgeving_register() if proefomgeving else refdata.gemeente_register()


def _read(path: Path, *, skip_invalid: bool = False) -> GbaExtract:
    if not path.is_file():
        raise _fail(f"{path}: bestand niet gevonden")
    try:
        return read_extract(path, skip_invalid=skip_invalid)
    except InvalidInput as exc:
        raise _fail(str(exc)) from None


def _proefomgeving_hint(codes: list[str], proefomgeving: bool) -> str | None:
    """A hint when every unknown code is a fictitious municipality of the proefomgeving."""
    if proefomgeving or not codes:
        return None
    test_register = refdata.proefomgeving_register()
    if all(code in test_register for code in codes):
        return (
            "Deze codes zijn fictieve gemeenten van de GBA-V proefomgeving; voor een testextract: "
            "--proefomgeving."
        )
    return None


def safe_label(label: str) -> str:
    """The persoonslijst's label, unless it may be a BSN or an A-nummer (then hidden)."""
    if label.isdigit() and len(label) in (9, 10):
        return "(label verborgen: lijkt een BSN of A-nummer)"
    return label


# --- inlezen ---------------------------------------------------------------------------


@gba_app.command("inlezen")
def inlezen(
    extract_file: ExtractArgument,
    proefomgeving: ProefomgevingOption = False,
    sla_ongeldige_over: Annotated[
        bool,
        typer.Option(
            "--sla-ongeldige-over",
            help="Lees de rest als een persoonslijst fouten heeft; de afgewezen "
            "persoonslijsten worden met hun fouten getoond.",
        ),
    ] = False,
    max_rows: Annotated[
        int,
        typer.Option("--max", min=0, help="Regels per onderdeel in tekstuitvoer (0: alle)."),
    ] = DEFAULT_MAX,
    format: FormatOption = Format.text,
) -> None:
    """Lees een GBA-V-extract en toon wat er gelezen is: tellingen, afgewezen en overgeslagen
    regels, waarschuwingen en onbekende gemeentecodes."""
    extract = _read(extract_file, skip_invalid=sla_ongeldige_over)
    register = _register(proefomgeving)
    unknown = unknown_gemeenten(extract, register)
    if format is Format.json:
        sys.stdout.write(
            json.dumps(_report_json(extract, unknown, register), ensure_ascii=False, indent=2)
            + "\n"
        )
        return
    _report_text(extract, unknown, proefomgeving, max_rows)


def _report_json(
    extract: GbaExtract, unknown: dict[str, list[str]], register: GemeenteRegister
) -> dict:
    return {
        "bron": extract.bron,
        "register": register.bron,
        "telling": extract.counts(),
        "afgewezen": [
            {
                "regel": r.regel,
                "persoonslijst": safe_label(r.persoon) if r.persoon else None,
                "fouten": [e.to_json() for e in r.errors],
            }
            for r in extract.rejected
        ],
        "overgeslagen": [
            {
                "regel": s.regel,
                "persoonslijst": safe_label(s.persoon) if s.persoon else None,
                "wat": s.wat,
                "reden": s.reden,
            }
            for s in extract.skipped
        ],
        "waarschuwingen": [w.to_json() for w in extract.warnings],
        "onbekendeGemeentecodes": [
            {"code": code, "adresregels": rows} for code, rows in unknown.items()
        ],
    }


def _listed(items: list, max_rows: int) -> tuple[list, int]:
    if max_rows == 0 or len(items) <= max_rows:
        return items, 0
    return items[:max_rows], len(items) - max_rows


def _more(n: int) -> None:
    if n:
        out.print(f"  … en nog {n} (--max 0 toont alles, --format json geeft alles)", markup=False)


def _report_text(
    extract: GbaExtract,
    unknown: dict[str, list[str]],
    proefomgeving: bool,
    max_rows: int,
) -> None:
    c = extract.counts()
    out.print(f"{extract.bron}", markup=False)
    out.print(
        f"Persoonslijsten: {c['personen']} gelezen, {c['afgewezen']} afgewezen.\n"
        f"Adresregels (08/58): {c['adresregels']}: {c['historie']} in de historie, "
        f"{c['onjuist']} onjuist (84.10), {c['vervangen']} vervangen door een nieuwer voorkomen.\n"
        f"Overgeslagen regels: {c['overgeslagen']}. Waarschuwingen: {len(extract.warnings)}.",
        markup=False,
    )

    if extract.rejected:
        out.print("\nAfgewezen (met --sla-ongeldige-over):", markup=False)
        shown, more = _listed(extract.rejected, max_rows)
        for r in shown:
            wie = f"persoonslijst {safe_label(r.persoon)}" if r.persoon else "losse rij"
            out.print(f"  regel {r.regel} ({wie}):", markup=False)
            for e in r.errors:
                out.print(f"    - {e}", markup=False)
        _more(more)

    if extract.skipped:
        out.print("\nOvergeslagen (niet in de historie):", markup=False)
        shown, more = _listed(extract.skipped, max_rows)
        for s in shown:
            wie = f" [{safe_label(s.persoon)}]" if s.persoon else ""
            out.print(f"  regel {s.regel}{wie}: {s.wat}: {s.reden}", markup=False)
        _more(more)

    if extract.warnings:
        out.print("\nWaarschuwingen (mild gelezen waarden):", markup=False)
        shown, more = _listed(extract.warnings, max_rows)
        for w in shown:
            out.print(f"  {w}", markup=False)
        _more(more)

    if unknown:
        tabel = "de gemeentetabel met de proefomgeving" if proefomgeving else "de gemeentetabel"
        out.print(f"\nOnbekende gemeentecodes (niet in {tabel}):", markup=False)
        for code, rows in unknown.items():
            shown, more = _listed(rows, max_rows)
            suffix = f", … en nog {more}" if more else ""
            out.print(
                f"  {code}: {len(rows)} adresregel(s): {', '.join(shown)}{suffix}", markup=False
            )
        hint = _proefomgeving_hint(list(unknown), proefomgeving)
        if hint:
            out.print(hint, markup=False)
    else:
        out.print("\nAlle gemeentecodes staan in de gemeentetabel.", markup=False)


# --- woonplaats ------------------------------------------------------------------------


@gba_app.command("woonplaats")
def woonplaats(
    extract_file: ExtractArgument,
    bsn: Annotated[str, typer.Option("--bsn", help="BSN van de jeugdige (11-proef).")],
    peildatum: Annotated[str, typer.Option("--peildatum", help="Peildatum JJJJ-MM-DD.")],
    werkelijke_verblijfplaats: Annotated[
        str | None,
        typer.Option(
            "--werkelijke-verblijfplaats",
            help="Gemeentecode waar de jeugdige bij de hulpvraag werkelijk verblijft "
            "(onderdeel 3° en 4°).",
        ),
    ] = None,
    proefomgeving: ProefomgevingOption = False,
    format: FormatOption = Format.text,
) -> None:
    """Bepaal de verantwoordelijke gemeente voor één persoon uit het extract (ambulant)."""
    try:
        when = date.fromisoformat(peildatum)
    except ValueError:
        raise _fail(f"--peildatum: {peildatum!r} is geen geldige datum (JJJJ-MM-DD)") from None
    if not is_valid_bsn(bsn):
        # The value is not echoed: it may be a real BSN with a typo.
        raise _fail("--bsn: geen geldig burgerservicenummer (9 cijfers, 11-proef)")
    register = _register(proefomgeving)
    wvp = None
    if werkelijke_verblijfplaats is not None:
        if werkelijke_verblijfplaats not in register:
            raise _fail(
                f"--werkelijke-verblijfplaats: {werkelijke_verblijfplaats!r} staat niet in de "
                "gemeentetabel"
            )
        wvp = WerkelijkeVerblijfplaats(WERKELIJK_BRON, werkelijke_verblijfplaats)
    extract = _read(extract_file)
    try:
        kind = persoon_met_bsn(extract, bsn)
        case = case_for(extract, kind, when, werkelijke_verblijfplaats=wvp, register=register)
    except PersoonNietGevonden as exc:
        raise _fail(str(exc)) from None
    except OnbekendeGemeentecode as exc:
        hint = _proefomgeving_hint(list(exc.codes), proefomgeving)
        raise _fail(str(exc) + (f"\n{hint}" if hint else "")) from None
    decision = decide(case, register)
    if format is Format.json:
        sys.stdout.write(json.dumps(decision.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    moeder = moeder_van(extract, kind)
    out.print(
        f"Persoonslijst regel {kind.regel}-{kind.laatste_regel} van {extract.bron}. "
        f"Moeder (voor 3°): {moeder.reden}.",
        markup=False,
    )
    print_decision(decision)


__all__ = ["gba_app", "inlezen", "woonplaats"]
