"""``wpb verreken ...``: settle paid invoices between municipalities, on files.

Commands (docs/verrekening.md):

- ``claims --facturen F.csv --overdrachten T.csv [--beslissingen D.json] --out DIR``:
  split the invoices over each youth's responsibility timeline and write the claims to
  ``DIR/claims.json`` (the register), ``claims.csv``, ``delen.csv`` (parts without a claim)
  and ``tijdlijnen.json``. When ``DIR/claims.json`` exists it is recomputed: erkende and
  betaalde claims stay as they are and differences become corrections.
- ``status --claims DIR/claims.json --id ID --naar erkend``: change a claim's state.
- ``saldering --claims DIR/claims.json [--out DIR]``: net the open and acknowledged claims.
- ``overzicht --claims DIR/claims.json --gemeente 0363 --out DIR``: statement as XLSX and PDF.
- ``vangnet --claims DIR/claims.json [--peildatum D] [--termijn 6]``: claims for the vangnet.

Youths appear in every output by a pseudonym made with the key in
``WPB_PSEUDONIEM_SLEUTEL``; no BSN is written. Invalid input: every problem on stderr and
exit code 2, nothing written.

Registered as ``wpb verreken`` in :mod:`wpb.cli.main`.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from wpb import refdata
from wpb.cli.output import EXIT_INVALID_INPUT
from wpb.domain.claim import OngeldigeClaimOvergang
from wpb.errors import InvalidInput
from wpb.ijw.tijd import nederlandse_datum
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.verrekening.claims import (
    ClaimStatus,
    change_status,
    compute_claims,
    recompute,
)
from wpb.law.verrekening.netting import IN_SALDERING, salderen
from wpb.law.verrekening.overzicht import overzicht as maak_overzicht
from wpb.law.verrekening.tijdlijn import TijdlijnConflict, build_tijdlijnen
from wpb.law.verrekening.vangnet import STANDAARD_TERMIJN_MAANDEN, vangnet
from wpb.overgang_csv import write_csv
from wpb.verrekening.beslissingen import read_beslissingen
from wpb.verrekening.betalingen import (
    BetaalFout,
    betalingen_csv,
    kenmerk,
    opdrachten,
    read_rekeningen,
    sepa_xml,
)
from wpb.verrekening.factuur_reader import read_facturen
from wpb.verrekening.overdrachten import read_overdrachten
from wpb.verrekening.overzicht_writer import claims_csv_rows, euro, grafiek_png, write_overzicht
from wpb.verrekening.register import read_register, write_register
from wpb.verrekening.sleutel import SleutelFout, pseudonimiseerder
from wpb.verrekening.tabel import ImportFout

REGISTER = "claims.json"

verrekening_app = typer.Typer(
    help="Verrekening: betaalde facturen verrekenen tussen gemeenten (claims, saldering, "
    "overzichten, vangnet).",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(message.rstrip("\n") + "\n")
    return typer.Exit(EXIT_INVALID_INPUT)


def _date(value: str | None, option: str) -> date:
    if value is None:
        return nederlandse_datum()  # today in the Netherlands, as the service counts
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option}: {value!r} is geen geldige datum (JJJJ-MM-DD)") from None


def _namer(register: GemeenteRegister):
    return lambda code: register.naam(code) if code in register else code


def _partij(register: GemeenteRegister, on: date):
    """A gemeentecode → the party that settles for it on ``on`` (its successor after a
    merger). After a split the code alone cannot say which successor: it stays itself."""

    def resolve(code: str) -> str:
        if code not in register:
            return code
        s = register.successors(code, on)
        return s.codes[0] if s.is_unique else code

    return resolve


def _load_claims(path: Path):
    try:
        return read_register(path)
    except InvalidInput as exc:
        raise _fail(str(exc)) from None


ClaimsOptie = Annotated[
    Path, typer.Option("--claims", help="Het claimregister (claims.json uit 'wpb verreken claims').")
]


@verrekening_app.command("claims")
def claims(
    facturen: Annotated[Path, typer.Option("--facturen", help="Betaalde facturen (CSV of XLSX).")],
    overdrachten: Annotated[
        Path, typer.Option("--overdrachten", help="Overdrachten met bsn (CSV of XLSX).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Map voor het claimregister en de uitvoer.")],
    beslissingen: Annotated[
        Path | None,
        typer.Option("--beslissingen", help="Woonplaatsbeslissingen die de tijdlijn corrigeren (JSON)."),
    ] = None,
    datum: Annotated[
        str | None, typer.Option("--datum", help="Datum van de berekening (JJJJ-MM-DD; standaard vandaag).")
    ] = None,
) -> None:
    """Bereken de claims: wie betaalde buiten zijn verantwoordelijkheid, en bij wie te verhalen."""
    op = _date(datum, "--datum")
    try:
        pseudo = pseudonimiseerder()
    except SleutelFout as exc:
        raise _fail(str(exc)) from None
    register = refdata.gemeente_register()

    problems: list[str] = []
    paid = transfers = ()
    decisions: tuple = ()
    try:
        paid = read_facturen(facturen)
    except ImportFout as exc:
        problems.append(str(exc))
    try:
        transfers = read_overdrachten(overdrachten, register)
    except ImportFout as exc:
        problems.append(str(exc))
    if beslissingen is not None:
        try:
            decisions = read_beslissingen(beslissingen)
        except InvalidInput as exc:
            problems.append(str(exc))
    if problems:
        raise _fail("\n".join(problems) + "\nNiets berekend of geschreven.")
    try:
        tijdlijnen = build_tijdlijnen(transfers, decisions, vanaf=getattr(transfers, "vanaf", None))
    except TijdlijnConflict as exc:
        raise _fail("tegenstrijdige gegevens; los ze eerst op:\n  " + "\n  ".join(exc.problemen)) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    try:
        berekening = compute_claims(paid, tijdlijnen, pseudoniem=pseudo, ontstaan=op)
    except ValueError as exc:
        raise _fail(str(exc)) from None

    register_path = out / REGISTER
    if register_path.exists():
        oud = _load_claims(register_path)
        her = recompute(oud, berekening, op=op)
        result = her.claims
        sys.stdout.write(
            f"herberekend tegen {register_path}: {len(her.nieuw)} nieuw, {len(her.correcties)} "
            f"correctie(s), {len(her.ingetrokken)} ingetrokken, {len(her.ongewijzigd)} ongewijzigd\n"
        )
    else:
        result = berekening.claims

    out.mkdir(parents=True, exist_ok=True)
    write_register(register_path, result)
    (out / "claims.csv").write_text(write_csv(claims_csv_rows(result)), encoding="utf-8")
    delen = [["soort", "factuur", "betaler", "aanbieder", "jeugdige", "van", "tot_en_met",
              "bedrag_eurocent", "grondslag", "reden"]]
    for soort, parts in (("eigen", berekening.eigen), ("onbepaald", berekening.onbepaald)):
        for d in parts:
            j = d.to_json()
            delen.append([soort, d.factuur, d.betaler, d.aanbieder, d.jeugdige, j["van"], j["totEnMet"],
                          d.bedrag, d.grondslag.referentie if d.grondslag else "", d.reden])
    for g in berekening.geweigerd:  # outside the sane bounds: set aside whole, never computed
        delen.append(["geweigerd", g.factuur, g.betaler, g.aanbieder, g.jeugdige, g.begin.isoformat(),
                      g.einde.isoformat(), g.bedrag, "", g.reden])
    (out / "delen.csv").write_text(write_csv(delen), encoding="utf-8")
    tl = {pseudo(bsn): t.to_json() for bsn, t in sorted(tijdlijnen.items(), key=lambda kv: pseudo(kv[0]))}
    (out / "tijdlijnen.json").write_text(json.dumps(tl, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    totaal = sum(f.bedrag for f in paid)
    sys.stdout.write(
        f"{len(paid)} factuur/facturen, samen {euro(totaal)}: "
        f"{len(berekening.claims)} claim(s) {euro(berekening.totaal_claims)}, "
        f"betaald door de verantwoordelijke {euro(sum(d.bedrag for d in berekening.eigen))}, "
        f"zonder bekende verantwoordelijke {euro(sum(d.bedrag for d in berekening.onbepaald))}\n"
        f"geschreven: {register_path}, {out / 'claims.csv'}, {out / 'delen.csv'}, {out / 'tijdlijnen.json'}\n"
    )
    if berekening.onbepaald:
        sys.stderr.write(
            f"let op: {len(berekening.onbepaald)} deel/delen zonder bekende verantwoordelijke gemeente "
            "(zie delen.csv); die zijn niet te verrekenen\n"
        )


class Naar(str, Enum):
    erkend = "erkend"
    betaald = "betaald"
    betwist = "betwist"
    ingetrokken = "ingetrokken"


@verrekening_app.command("status")
def status(
    claims_file: ClaimsOptie,
    ids: Annotated[list[str], typer.Option("--id", help="Claim-id (herhaalbaar).")],
    naar: Annotated[Naar, typer.Option("--naar", help="De nieuwe status.")],
    op: Annotated[str | None, typer.Option("--op", help="Datum van de wijziging (standaard vandaag).")] = None,
    toelichting: Annotated[str, typer.Option("--toelichting", help="Waarom.")] = "",
) -> None:
    """Wijzig de status van claims (open → erkend → betaald; open → betwist → erkend/ingetrokken)."""
    when = _date(op, "--op")
    current = list(_load_claims(claims_file))
    index = {c.id: i for i, c in enumerate(current)}
    problems = [f"claim {cid!r} bestaat niet" for cid in ids if cid not in index]
    updated = {}
    for cid in ids:
        if cid in index:
            try:
                updated[cid] = change_status(current[index[cid]], ClaimStatus(naar.value), when, toelichting)
            except OngeldigeClaimOvergang as exc:
                problems.append(str(exc))
    if problems:
        raise _fail("\n".join(problems) + "\nNiets gewijzigd.")
    for cid, claim in updated.items():
        current[index[cid]] = claim
    write_register(claims_file, current)
    sys.stdout.write(f"{len(updated)} claim(s) naar {naar.value}\n")


@verrekening_app.command("saldering")
def saldering(
    claims_file: ClaimsOptie,
    out: Annotated[Path | None, typer.Option("--out", help="Map voor saldering.json en de grafiek.")] = None,
    datum: Annotated[
        str | None, typer.Option("--datum", help="Verrekendatum: opvolgers na herindeling op deze dag.")
    ] = None,
    alleen_erkend: Annotated[
        bool, typer.Option("--alleen-erkend", help="Alleen erkende claims salderen (standaard ook open).")
    ] = False,
    rekeningen: Annotated[
        Path | None,
        typer.Option("--rekeningen", help="IBAN per gemeente (CSV of XLSX: gemeente, iban[, bic, "
                     "rekeninghouder]); met --out: SEPA-bestanden (pain.001) en betalingen.csv."),
    ] = None,
) -> None:
    """Salderen: de open en erkende claims in zo min mogelijk betalingen (hoogstens n − 1)."""
    on = _date(datum, "--datum")
    current = _load_claims(claims_file)
    register = refdata.gemeente_register()
    accounts = None
    if rekeningen is not None:
        if out is None:
            raise _fail("--rekeningen: geef ook --out, de map voor de betaalbestanden")
        try:
            accounts = read_rekeningen(rekeningen, register)
        except ImportFout as exc:
            raise _fail(str(exc) + "\nNiets geschreven.") from None
    statussen = frozenset({ClaimStatus.ERKEND}) if alleen_erkend else IN_SALDERING
    s = salderen(current, statussen=statussen, partij=_partij(register, on))
    rows: list[list[object]] = [["van", "aan", "bedrag_eurocent", "bedrag"]]
    rows += [[b.van, b.aan, b.bedrag, euro(b.bedrag)] for b in s.betalingen]
    sys.stdout.write(write_csv(rows))
    sys.stderr.write(
        f"{len(s.claim_ids)} claim(s) gesaldeerd tussen {s.partijen} gemeente(n) met saldo: "
        f"{len(s.betalingen)} betaling(en)"
        + (f"; {len(s.intern)} claim(s) intern na herindeling" if s.intern else "")
        + (f"; {len(s.buiten)} claim(s) buiten de saldering (betwist, betaald of ingetrokken"
           + (", of nog niet erkend" if alleen_erkend else "") + ")" if s.buiten else "")
        + "\n"
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        doc = {"datum": on.isoformat(), "kenmerk": kenmerk(s, on), **s.to_json()}
        if accounts is not None:
            try:
                orders = opdrachten(s, accounts, doc["kenmerk"])
                files = sepa_xml(orders, on)
            except BetaalFout as exc:
                raise _fail("\n".join(exc.problemen) + "\nNiets geschreven.") from None
        (out / "saldering.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if s.saldi:
            (out / "nettoposities.png").write_bytes(grafiek_png(s.saldi, _namer(register)))
        if accounts is not None:
            (out / "betalingen.csv").write_text(betalingen_csv(orders, on), encoding="utf-8")
            for code, xml in files.items():
                (out / f"betalingen-{code}.xml").write_bytes(xml)


@verrekening_app.command("overzicht")
def overzicht(
    claims_file: ClaimsOptie,
    gemeente: Annotated[str, typer.Option("--gemeente", help="Gemeentecode (4 cijfers).")],
    out: Annotated[Path, typer.Option("--out", help="Map voor het overzicht (XLSX, PDF, PNG).")],
    datum: Annotated[str | None, typer.Option("--datum", help="Datum op het overzicht.")] = None,
) -> None:
    """Verrekenoverzicht van één gemeente per tegenpartij, als XLSX en PDF, met grafiek."""
    on = _date(datum, "--datum")
    code = gemeente.zfill(4) if gemeente.isdigit() and len(gemeente) <= 4 else gemeente
    register = refdata.gemeente_register()
    if code not in register:
        raise _fail(f"--gemeente: onbekende gemeentecode {gemeente!r}")
    current = _load_claims(claims_file)
    o = maak_overzicht(current, code)
    s = salderen(current)
    written = write_overzicht(o, out, _namer(register), on, saldi=s.saldi)
    sys.stdout.write(
        f"{register.naam(code)} ({code}): te ontvangen {euro(o.totaal_ontvangen)}, te betalen "
        f"{euro(o.totaal_betalen)}, netto {euro(o.netto)}\n"
        + "".join(f"geschreven: {p}\n" for p in written)
    )


@verrekening_app.command("vangnet")
def vangnet_cmd(
    claims_file: ClaimsOptie,
    peildatum: Annotated[str | None, typer.Option("--peildatum", help="Peildatum (standaard vandaag).")] = None,
    termijn: Annotated[
        int, typer.Option("--termijn", min=0, help="Maanden dat een claim open mag staan.")
    ] = STANDAARD_TERMIJN_MAANDEN,
    out: Annotated[Path | None, typer.Option("--out", help="Map voor vangnet.json.")] = None,
) -> None:
    """Vangnetclaims: langer open dan de termijn, of betwist; per gemeente en per aanbieder."""
    on = _date(peildatum, "--peildatum")
    v = vangnet(_load_claims(claims_file), on, termijn)
    rows: list[list[object]] = [[
        "groep", "code", "aantal_claims", "te_ontvangen_eurocent", "te_betalen_eurocent", "totaal_eurocent",
    ]]
    for code, t in sorted(v.per_gemeente.items()):
        rows.append(["gemeente", code, t.te_ontvangen.aantal + t.te_betalen.aantal,
                     t.te_ontvangen.bedrag, t.te_betalen.bedrag, ""])
    for agb, t in sorted(v.per_aanbieder.items()):
        rows.append(["aanbieder", agb, t.aantal, "", "", t.bedrag])
    sys.stdout.write(write_csv(rows))
    sys.stderr.write(f"{len(v.claims)} vangnetclaim(s), samen {euro(v.totaal)} (peildatum {on}, termijn {termijn} maanden)\n")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "vangnet.json").write_text(json.dumps(v.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
