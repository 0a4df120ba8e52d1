"""``wpb ijw``: check iJw 3.2 messages and propose the woonplaats answer to a VOT.

A Typer sub-app; :mod:`wpb.cli.main` registers it with ``app.add_typer(ijw_app, name="ijw")``.
Invalid input exits with code 2 and names every element, value and rule at fault.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wpb import refdata
from wpb.brp.haal_centraal import parse_case
from wpb.cli.output import EXIT_INVALID_INPUT, Format, parse_date_option
from wpb.errors import InvalidInput
from wpb.ijw import models as m
from wpb.ijw.contracts import Contract, contract_of_row, find_contract, keuzehulp
from wpb.ijw.ontvangst import Validatie, valideer
from wpb.ijw.problems import Problem
from wpb.ijw.schema import XSD_DIR_ENV, XsdUnavailable
from wpb.ijw.tijd import nederlandse_datum, nederlandse_tijd
from wpb.ijw.toewijzingen import HuidigeToewijzing, end_on_move, find_toewijzing
from wpb.ijw.woonplaats_antwoord import (
    AntwoordVoorstel,
    ClientGegevens,
    Nummering,
    contact_uit_brp,
    met_huidige_toewijzingen,
    propose_woonplaats_antwoord,
)
from wpb.ijw.xml_write import write_bericht

ijw_app = typer.Typer(
    help="iJw-berichten (iStandaarden 3.2): controleren en het woonplaatsantwoord voorstellen.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


XsdOption = Annotated[
    Path | None,
    typer.Option("--xsd", envvar=XSD_DIR_ENV,
                 help="Map met de iJw 3.2 XSD's; zonder deze optie alleen de eigen controles."),
]
EXIT_NIET_ONDERSTEUND = 3  # an iJw message type wpb does not process: not a schema error
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Uitvoer: text of json.")]


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]{escape(message)}[/red]", highlight=False)
    return typer.Exit(EXIT_INVALID_INPUT)


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise _fail(f"{path}: bestand niet gevonden")
    return path.read_bytes()


def _check(data: bytes, path: Path, xsd: Path | None, vandaag: date) -> Validatie:
    try:
        return valideer(data, register=refdata.gemeente_register(), xsd_dir=xsd,
                        vandaag=vandaag, bron=str(path))
    except XsdUnavailable as exc:
        raise _fail(f"--xsd: {exc}") from None


def _print_problems(path: Path, problems: list[Problem]) -> None:
    err.print(f"[red]{escape(str(path))} is ongeldig ({len(problems)} probleem/problemen):[/red]",
              highlight=False)
    for p in problems:
        waarde = f" (waarde {p.waarde!r})" if p.waarde is not None and p.waarde not in p.probleem \
            else ""
        err.print(f"  - {p}{waarde}", highlight=False, markup=False)


@ijw_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(metavar="FILE.xml", help="Een iJw-bericht.")],
    xsd: XsdOption = None,
    vandaag: Annotated[str | None, typer.Option(
        help="Systeemdatum voor TR135 (dagtekening niet in de toekomst), JJJJ-MM-DD.")] = None,
    format: FormatOption = Format.text,
) -> None:
    """Controleer een bericht: veilige XML, XSD (met --xsd), datatypes en iStandaarden-regels."""
    path = file
    validatie = _check(_read(path), path, xsd, parse_date_option(vandaag, "--vandaag") or nederlandse_datum())
    if format is Format.json:
        sys.stdout.write(json.dumps(validatie.to_json(), ensure_ascii=False, indent=2) + "\n")
    if not validatie.ondersteund:
        if format is Format.text:
            err.print(f"{path}: niet ondersteund — {validatie.problems[0].probleem}",
                      highlight=False, markup=False)
        raise typer.Exit(EXIT_NIET_ONDERSTEUND)
    if not validatie.geldig:
        if format is Format.text:
            _print_problems(path, validatie.problems)
        raise typer.Exit(EXIT_INVALID_INPUT)
    if format is Format.text:
        assert validatie.type is not None
        xsd_note = "XSD en eigen controles" if validatie.xsd_gecontroleerd else \
            "eigen controles; XSD niet gecontroleerd (geen --xsd)"
        out.print(f"{path}: geldig {validatie.type.value} ({validatie.type.omschrijving}); "
                  f"{xsd_note}", highlight=False, markup=False)


def _load_toewijzingen(path: Path, bsn: str, register) -> tuple[HuidigeToewijzing, ...]:
    """The client's toewijzingen in the caseload file; a file with any bad row is refused
    (every row named), as ``wpb woonplaatscheck`` does without --bevestig-geldige."""
    from wpb.caseload.read import OngeldigeInvoer, bevestig, read_file

    if not path.is_file():
        raise _fail(f"{path}: bestand niet gevonden")
    inlezing = read_file(path, register)
    try:
        rows = bevestig(inlezing)
    except OngeldigeInvoer as exc:
        raise _fail("; ".join([f"{path}: {exc}", *(str(f) for f in inlezing.fouten[:20])])) from None
    return tuple(HuidigeToewijzing.of_caseload(t) for t in rows if t.bsn == bsn)


def _load_brp(path: Path, peildatum: date) -> tuple[dict, object]:
    if not path.is_file():
        raise _fail(f"{path}: bestand niet gevonden")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(f"{path}: regel {exc.lineno}, kolom {exc.colno}: geen geldige JSON: "
                    f"{exc.msg}") from None
    try:
        case = parse_case(doc, refdata.gemeente_register(), peildatum=peildatum, bron=str(path))
    except InvalidInput as exc:
        raise _fail(str(exc)) from None
    return doc, case


def _print_voorstel(voorstel: AntwoordVoorstel, vandaag: date) -> None:
    table = Table(title=f"Voorstel antwoord op verzoek {voorstel.verzoek.identificatie} "
                        f"van {voorstel.aanbieder} aan gemeente {voorstel.gemeente}")
    for col in ("referentie", "antwoord", "verantwoordelijk", "uiterlijk"):
        table.add_column(col)
    for p in voorstel.producten:
        table.add_row(p.referentie_aanbieder, p.soort.value, p.verantwoordelijke_gemeente or "—",
                      p.uiterlijk.isoformat())
    out.print(table)
    for p in voorstel.producten:
        out.print(f"  {p.referentie_aanbieder}: {p.reden}", highlight=False, markup=False)
        if p.beslissing is not None:
            out.print(f"    [dim]{escape(p.beslissing.toelichting)}[/dim]", highlight=False)
        for t in p.termijnen:
            out.print(f"  {p.referentie_aanbieder}: {t.regel} uiterlijk {t.uiterlijk} "
                      f"({t.status(vandaag).value}) — {t.omschrijving}", highlight=False)
    for item in voorstel.ontbrekend:
        out.print(f"[yellow]Ontbreekt: {escape(item)}[/yellow]", highlight=False)
    for item in voorstel.aandachtspunten:
        out.print(f"Let op: {item}", highlight=False, markup=False)
    if voorstel.wait_for_persoon:
        out.print("[bold yellow]Wacht op een medewerker.[/bold yellow]")


@ijw_app.command("antwoord")
def antwoord(
    file: Annotated[Path, typer.Argument(metavar="JW315.xml", help="Verzoek om toewijzing.")],
    brp: Annotated[Path | None, typer.Option(
        "--brp", metavar="CASE.json",
        help="BRP-gegevens van de jeugdige (casus-JSON met Haal Centraal-velden).")] = None,
    ontvangen: Annotated[str | None, typer.Option(
        help="Datum van ontvangst JJJJ-MM-DD (standaard: vandaag); start van de termijnen.")]
    = None,
    uit: Annotated[Path | None, typer.Option(
        "--uit", metavar="DIR", help="Schrijf de voorgestelde berichten als XML in deze map.")]
    = None,
    toewijzingen: Annotated[Path | None, typer.Option(
        "--toewijzingen", metavar="FILE",
        help="Register van actuele toewijzingen (cliëntenbestand, CSV of XLSX zoals bij "
             "wpb woonplaatscheck): een JW301 moet ook de andere actuele toewijzingen van de "
             "cliënt bij deze aanbieder bevatten (IV094/OP087).")] = None,
    xsd: XsdOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Stel het antwoord op een verzoek om toewijzing voor, met toelichting en termijnen.

    Toewijzing (JW301) als de ontvangende gemeente verantwoordelijk is, afwijzing op het
    woonplaatsbeginsel (JW319, reden 8) als een andere gemeente dat is, en 'aanvraag in
    onderzoek' als de gegevens niet beslissen.
    """
    now = nederlandse_tijd()  # dagtekening and Toewijzingstijd in Dutch time
    ontvangen_op = parse_date_option(ontvangen, "--ontvangen") or now.date()
    validatie = _check(_read(file), file, xsd, now.date())
    if not validatie.geldig:
        _print_problems(file, validatie.problems)
        raise typer.Exit(EXIT_INVALID_INPUT)
    verzoek = validatie.bericht
    if not isinstance(verzoek, m.JW315):
        raise _fail(f"{file}: is een {validatie.type.value if validatie.type else '?'}, "
                    "verwacht een JW315 (verzoek om toewijzing)")
    case = None
    gegevens = ClientGegevens()
    if brp is not None:
        first = min(p.toewijzing_ingangsdatum for p in verzoek.client.aangevraagde_producten)
        doc, case = _load_brp(brp, first)
        contact = contact_uit_brp(doc)
        if contact is not None:
            gegevens = ClientGegevens(contactgegevens=(contact,))
    register = refdata.gemeente_register()
    nummering = Nummering()
    try:
        voorstel = propose_woonplaats_antwoord(
            verzoek, case, register,  # type: ignore[arg-type]
            ontvangen_op=ontvangen_op, nu=now, identificatie=nummering.identificatie,
            toewijzingnummer=nummering.toewijzingnummer, client_gegevens=gegevens,
        )
    except InvalidInput as exc:
        raise _fail(str(exc)) from None
    if toewijzingen is not None:
        register_ = _load_toewijzingen(toewijzingen, verzoek.client.bsn, register)
        voorstel = met_huidige_toewijzingen(voorstel, register_, peildatum=now.date())

    written = []
    if uit is not None:
        uit.mkdir(parents=True, exist_ok=True)
        for bericht in voorstel.berichten:
            target = uit / f"{bericht.type.value}-{bericht.header.identificatie}.xml"
            target.write_bytes(write_bericht(bericht))
            written.append(str(target))
    if format is Format.json:
        payload = voorstel.to_json(now.date())
        payload["geschreven"] = written
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    _print_voorstel(voorstel, now.date())
    for target in written:
        out.print(f"Geschreven: {target}", highlight=False, markup=False)


def _print_retour_codes(records, omschrijving) -> None:
    for r in records:
        codes = ", ".join(f"{c} ({omschrijving(c)})" for c in r.codes)
        out.print(f"  {r.element}: {codes}", highlight=False, markup=False)


@ijw_app.command("retour")
def retour(
    file: Annotated[Path, typer.Argument(
        metavar="FILE.xml", help="Een ontvangen bericht (JW305/307/315/317/323) of een "
        "retourbericht (JW302, JW320, ...).")],
    uit: Annotated[Path | None, typer.Option(
        "--uit", metavar="DIR", help="Schrijf het retourbericht als XML in deze map.")] = None,
    ontvangen: Annotated[str | None, typer.Option(
        help="Datum van ontvangst JJJJ-MM-DD (standaard: vandaag); start van OP090.")] = None,
    verzonden: Annotated[list[Path] | None, typer.Option(
        "--verzonden", metavar="BERICHT.xml",
        help="Verzonden bericht(en) om een retourbericht aan te koppelen (herhaalbaar).")] = None,
    xsd: XsdOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Maak het retourbericht op een ontvangen bericht, of lees een ontvangen retourbericht.

    Op JW305, JW307, JW315, JW317 en JW323 maakt de gemeente een JW306, JW308, JW316, JW318
    of JW325 met de retourcodes van de controles, binnen 3 werkdagen (OP090). Een JW302 of
    JW320 wordt gelezen, met de retourcodes per onderdeel, en gekoppeld aan het verzonden
    bericht (--verzonden).
    """
    from wpb.ijw.codelists import codelijst
    from wpb.ijw.retour import RetourOnmogelijk, build_retour
    from wpb.ijw.retour_lezen import koppel

    now = nederlandse_tijd()
    data = _read(file)
    validatie = _check(data, file, xsd, now.date())
    if validatie.retour is not None:
        gelezen = validatie.retour
        sent = [valideer(_read(p), bron=str(p)).bericht for p in verzonden or []]
        match = koppel(gelezen, [b for b in sent if b is not None])
        if format is Format.json:
            payload = gelezen.to_json()
            payload["gekoppeld"] = match is not None
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
            return
        out.print(f"{file}: {gelezen.type.value} ({gelezen.type.omschrijving}) op "
                  f"{gelezen.beantwoordt}; retourcodes:", highlight=False, markup=False)
        _print_retour_codes(gelezen.records, gelezen.omschrijving)
        if verzonden:
            out.print("Gekoppeld aan het verzonden bericht." if match is not None else
                      "Niet gekoppeld: geen verzonden bericht met dit type, deze afzender en "
                      "deze BerichtIdentificatie.", highlight=False, markup=False)
        return
    if not validatie.geldig and not validatie.ondersteund:
        raise _fail(f"{file}: niet ondersteund — {validatie.problems[0].probleem}")
    try:
        gemaakt = build_retour(data, validatie, ontvangen_op=parse_date_option(ontvangen, "--ontvangen")
                              or now.date(), nu=now, identificatie=f"R{now:%y%j%H%M%S}")
    except RetourOnmogelijk as exc:
        _print_problems(file, exc.problems)
        raise typer.Exit(EXIT_INVALID_INPUT) from None
    written = None
    if uit is not None:
        uit.mkdir(parents=True, exist_ok=True)
        written = uit / f"{gemaakt.type.value}-{gemaakt.identificatie}.xml"
        written.write_bytes(gemaakt.xml)
    if format is Format.json:
        payload = gemaakt.to_json(now.date())
        payload["geschreven"] = str(written) if written else None
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"{gemaakt.type.value} ({gemaakt.type.omschrijving} "
              f"{gemaakt.heen_identificatie}), uiterlijk {gemaakt.termijn.uiterlijk} "
              f"({gemaakt.termijn.regel}); retourcodes:", highlight=False, markup=False)
    _print_retour_codes(gemaakt.records, codelijst("WJ001").omschrijving)
    if written is not None:
        out.print(f"Geschreven: {written}", highlight=False, markup=False)


def _jw301(path: Path, vandaag: date) -> m.JW301:
    validatie = _check(_read(path), path, None, vandaag)
    if not validatie.geldig:
        _print_problems(path, validatie.problems)
        raise typer.Exit(EXIT_INVALID_INPUT)
    if not isinstance(validatie.bericht, m.JW301):
        raise _fail(f"{path}: verwacht een JW301 (toewijzing)")
    return validatie.bericht


def _load_contracten(path: Path) -> list[Contract]:
    """Contract lines from a CSV or XLSX file (columns :data:`CONTRACT_KOLOMMEN`); any bad
    row refuses the file, every row named."""
    from wpb.tabular import TabelFout, read_table

    if not path.is_file():
        raise _fail(f"{path}: bestand niet gevonden")
    try:
        table = read_table(path.read_bytes(), path.name)
    except TabelFout as exc:
        raise _fail(f"{path}: {exc}") from None
    missing = table.ontbrekend(("gemeente", "aanbieder", "productcategorie", "eenheid",
                                "frequentie", "ingangsdatum"))
    if missing:
        raise _fail(f"{path}: kolom(men) ontbreken: {', '.join(missing)}")
    contracten, problems = [], [str(p) for p in table.problemen]
    for row in table.rijen:
        try:
            contracten.append(contract_of_row(row.waarden, f"{path} regel {row.regel}"))
        except InvalidInput as exc:
            problems.append(str(exc))
    if problems:
        raise _fail("\n".join(problems))
    return contracten


def _opvolger(path: Path, nummer: int | None, vandaag: date) -> tuple[m.JW301, m.ToegewezenProduct]:
    bericht = _jw301(path, vandaag)
    producten = bericht.client.toegewezen_producten
    found = [p for p in producten if nummer is None or p.toewijzing_nummer == nummer]
    if len(found) != 1:
        raise _fail(f"{path}: kies de opvolgende toewijzing met --opvolger-toewijzing (er zijn: "
                    f"{', '.join(str(p.toewijzing_nummer) for p in producten)})")
    return bericht, found[0]


@ijw_app.command("verhuizing")
def verhuizing(
    file: Annotated[Path, typer.Argument(
        metavar="JW301.xml", help="De laatst verstuurde toewijzing van de oude gemeente.")],
    toewijzing: Annotated[int, typer.Option(help="Het ToewijzingNummer dat eindigt.")],
    opvolger: Annotated[Path | None, typer.Option(
        metavar="JW301.xml", help="De toewijzing van de nieuwe gemeente (de opvolger); "
        "zonder deze blijft de oude toewijzing lopen.")] = None,
    opvolger_toewijzing: Annotated[int | None, typer.Option(
        help="Het ToewijzingNummer van de opvolger, als het bericht er meer heeft.")] = None,
    gemeente: Annotated[str | None, typer.Option(
        help="De nieuwe gemeente (standaard: de afzender van --opvolger).")] = None,
    contracten: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Contracten (CSV of XLSX: gemeente, aanbieder, productcategorie, "
        "productcode, eenheid, prijs_per_eenheid in eurocent, frequentie, ingangsdatum, "
        "einddatum, kenmerk) voor de keuzehulp van de nieuwe gemeente.")] = None,
    uit: Annotated[Path | None, typer.Option(
        "--uit", metavar="DIR", help="Schrijf de beëindigende JW301 als XML in deze map.")] = None,
    format: FormatOption = Format.text,
) -> None:
    """Beëindig een toewijzing bij verhuizing (RedenWijziging 07) en kies het contract.

    De oude toewijzing eindigt de dag vóór de opvolgende toewijzing van de nieuwe gemeente
    begint, en niet eerder dan die bestaat. De keuzehulp (factsheet 1-november-maatregel)
    zegt of de nieuwe gemeente een contract met de aanbieder heeft (optie 1) of een lichte
    maatwerkovereenkomst nodig heeft (optie 4), ingevuld uit de oude toewijzing.
    """
    now = nederlandse_tijd()
    oud = _jw301(file, now.date())
    try:
        product = find_toewijzing(oud, toewijzing)
    except KeyError as exc:
        raise _fail(f"{file}: {exc.args[0]}") from None
    nieuw = _opvolger(opvolger, opvolger_toewijzing, now.date()) if opvolger else None
    actie = end_on_move(oud, toewijzing, nieuw[1] if nieuw else None, nu=now,
                                    identificatie=Nummering().identificatie())
    nieuwe_gemeente = gemeente or (nieuw[0].header.afzender if nieuw else None)
    advies = None
    if nieuwe_gemeente is not None:
        lijst = _load_contracten(contracten) if contracten else []
        op = nieuw[1].ingangsdatum if nieuw else now.date()
        latende = find_contract(lijst, gemeente=oud.header.afzender, aanbieder=oud.header.ontvanger,
                                product=product.product, op=op) if product.product else None
        advies = keuzehulp(ontvangende_gemeente=nieuwe_gemeente, aanbieder=oud.header.ontvanger,
                           toewijzing=product, contracten=lijst, op=op, latende_contract=latende)
    written = None
    if uit is not None and actie.bericht is not None:
        uit.mkdir(parents=True, exist_ok=True)
        written = uit / f"JW301-{actie.bericht.header.identificatie}.xml"
        written.write_bytes(write_bericht(actie.bericht))
    if format is Format.json:
        payload = {"actie": actie.to_json(), "keuzehulp": advies.to_json() if advies else None,
                   "geschreven": str(written) if written else None}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(("Geblokkeerd: " if actie.geblokkeerd else "") + actie.toelichting,
              highlight=False, markup=False)
    for punt in actie.aandachtspunten:
        out.print(f"  Let op: {punt}", highlight=False, markup=False)
    if advies is not None:
        out.print(f"Keuzehulp: {advies.toelichting}", highlight=False, markup=False)
    if written is not None:
        out.print(f"Geschreven: {written}", highlight=False, markup=False)


__all__ = ["ijw_app"]
