"""Invoices (facturen) a gemeente paid: importing a file or JW323 messages, and listing them.

An import is all-or-nothing: every bad row is reported, nothing is kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import ColumnElement, false, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wpb.ijw import models as ijw_models
from wpb.ijw.xml_read import read_bericht
from wpb.law.verrekening.claims import ClaimStatus
from wpb.law.verrekening.factuur import Factuur
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import utc_naive
from wpb.service.components.berichten.models import IjwBericht
from wpb.service.components.verrekening.claim_state import move_claim
from wpb.service.components.verrekening.common import (
    MAX_PAGE_SIZE,
    audit_per_youth,
    chunks,
    gemeente_view,
    iso,
    pseudonimiseerder,
)
from wpb.service.components.verrekening.models import (
    VerrekeningClaim,
    VerrekeningFactuur,
    VerrekeningImport,
)
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
)
from wpb.service.public_ids import public_ids
from wpb.tabular import WerkmapTeGroot
from wpb.verrekening import factuur_reader
from wpb.verrekening.tabel import ImportFout, csv_rows, xlsx_rows

# --- invoices -------------------------------------------------------------------------------


def facturen_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_coordinator:
        return true()
    if principal.is_gemeente:
        return VerrekeningFactuur.betaler == principal.code
    if principal.is_aanbieder:
        return VerrekeningFactuur.aanbieder == principal.code
    return false()


def factuur_view(row: VerrekeningFactuur, ctx: Context, pseudo: Callable[[str], str],
                 imports: dict[int, str]) -> dict:
    """An invoice as answered; ``imports``: the public ids of the imports (by internal key)."""
    return {
        "id": row.publiek_id,
        "sleutel": row.sleutel,
        "referentie": row.referentie,
        "jeugdige": pseudo(row.bsn),
        "betaler": gemeente_view(ctx, row.betaler),
        "aanbieder": row.aanbieder,
        "product": row.product,
        "begin": iso(row.begin),
        "einde": iso(row.einde),
        "bedrag": int(row.bedrag),
        "betaaldatum": iso(row.betaaldatum),
        "bron": row.bron,
        "importId": imports.get(row.import_id),
    }


def factuur_of(row: VerrekeningFactuur) -> Factuur:
    return Factuur(
        referentie=row.referentie, bsn=row.bsn, betaler=row.betaler, aanbieder=row.aanbieder,
        product=row.product, begin=row.begin, einde=row.einde, bedrag=int(row.bedrag),
        betaaldatum=row.betaaldatum,
    )


def _read_file(content: bytes, bestandsnaam: str, ctx: Context) -> tuple[tuple[Factuur, ...], str]:
    suffix = bestandsnaam.rsplit(".", 1)[-1].lower() if "." in bestandsnaam else ""
    try:
        if suffix == "xlsx":
            try:
                rows = xlsx_rows(content, bestandsnaam, max_bytes=ctx.settings.max_upload_bytes,
                                 max_rows=ctx.settings.max_upload_rows)
            except WerkmapTeGroot as exc:
                raise PayloadTooLarge(f"Het XLSX-bestand is te groot: {exc.reden}.") from None
            bron = "xlsx"
        elif suffix == "csv":
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise InvalidRequest(
                    "Het bestand is geen UTF-8-tekst.",
                    [("bestand", f"geen UTF-8 ({exc.reason} op byte {exc.start})")],
                ) from None
            rows = csv_rows(text)
            bron = "csv"
        else:
            raise InvalidRequest(
                "Onbekend bestandstype.", [("bestand", "gebruik een .csv- of .xlsx-bestand")]
            )
        # The reader of wpb.verrekening.factuur_reader, on rows from memory instead of a path.
        return factuur_reader._read(rows, bestandsnaam), bron
    except ImportFout as exc:
        raise _import_problem(exc) from None


def _import_problem(exc: ImportFout) -> InvalidRequest:
    return InvalidRequest(
        f"{exc.bron}: {len(exc.fouten)} fout(en); niets ingelezen.",
        [(f"regel {f.regel}" + (f", kolom {f.kolom}" if f.kolom else ""), f.probleem)
         for f in exc.fouten],
    )


def _check_rights_and_duplicates(
    session: Session, principal: Principal, ctx: Context, facturen: Sequence[Factuur]
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for f in facturen:
        where = f"factuur {f.referentie}"
        if principal.is_gemeente and f.betaler != principal.code:
            problems.append((where, f"betaald door {f.betaler}: u leest alleen facturen in die "
                                    f"uw gemeente ({principal.code}) betaalde"))
        elif f.betaler not in ctx.register:
            problems.append((where, f"betalende gemeente {f.betaler} staat niet in de gemeentetabel"))
    keys = [f.sleutel for f in facturen]
    known: set[str] = set()
    for chunk in chunks(keys):
        known.update(session.scalars(
            select(VerrekeningFactuur.sleutel).where(VerrekeningFactuur.sleutel.in_(chunk))
        ))
    problems += [(f"factuur {f.referentie}", f"{f.sleutel} is al eerder ingelezen")
                 for f in facturen if f.sleutel in known]
    return problems


def _store_facturen(
    session: Session, principal: Principal, ctx: Context, facturen: Sequence[Factuur],
    *, bron: str, bestandsnaam: str, sha256: str,
) -> dict:
    if not facturen:
        raise InvalidRequest("Het bestand bevat geen facturen.", [("bestand", "geen regels")])
    if len(facturen) > ctx.settings.max_upload_rows:
        raise InvalidRequest(
            "Te veel facturen in één keer.",
            [("bestand", f"{len(facturen)} facturen; hoogstens {ctx.settings.max_upload_rows}")],
        )
    problems = _check_rights_and_duplicates(session, principal, ctx, facturen)
    if problems:
        raise InvalidRequest(
            f"{bestandsnaam}: {len(problems)} fout(en); niets ingelezen.", problems
        )
    moment = utc_naive(ctx.now())
    imp = VerrekeningImport(
        bron=bron, bestandsnaam=bestandsnaam[:255], sha256=sha256, aantal=len(facturen),
        totaal=sum(f.bedrag for f in facturen), organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, tijdstip=moment,
    )
    session.add(imp)
    session.flush()
    rows = [
        VerrekeningFactuur(
            sleutel=f.sleutel, referentie=f.referentie, bsn=f.bsn, betaler=f.betaler,
            aanbieder=f.aanbieder, product=f.product, begin=f.begin, einde=f.einde,
            bedrag=f.bedrag, betaaldatum=f.betaaldatum, bron=bron, import_id=imp.id,
            geimporteerd_op=moment,
        )
        for f in facturen
    ]
    session.add_all(rows)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Another import stored one of these invoices in the meantime.
        raise Conflict("Een of meer facturen zijn zojuist door een andere import ingelezen; "
                       "niets ingelezen.") from None
    audit_per_youth(session, principal, ctx, "declaratie.importeren", rows, key="facturen")
    return {
        "importId": imp.publiek_id, "bron": bron, "aantal": len(rows),
        "totaal": int(imp.totaal), "facturen": [r.sleutel for r in rows],
    }


def import_facturen(
    session: Session, principal: Principal, ctx: Context, content: bytes, bestandsnaam: str
) -> dict:
    """Import paid invoices from a CSV or XLSX file: all of them, or none with every problem.

    A gemeente imports the invoices it paid; the coordinator any. An invoice already in the
    service (same payer, provider and reference) is an error, not a silent skip.
    """
    if not (principal.is_gemeente or principal.is_coordinator):
        raise Forbidden("Alleen een gemeente (of de coördinator) leest betaalde facturen in.")
    facturen, bron = _read_file(content, bestandsnaam, ctx)
    return _store_facturen(session, principal, ctx, facturen, bron=bron,
                           bestandsnaam=bestandsnaam,
                           sha256=hashlib.sha256(content).hexdigest())


def take_over_jw323(
    session: Session, principal: Principal, ctx: Context, bericht_ids: Sequence[str],
    betaaldatum: date,
) -> dict:
    """Import the paid prestaties of JW323 declaraties the gemeente received in the service,
    named by their public ids (S10).

    Credits are netted with their debits (:func:`wpb.verrekening.factuur_reader.facturen_uit_jw323`).
    Only the gemeente that received (and paid) them.
    """
    if not principal.is_gemeente:
        raise Forbidden("Alleen de gemeente die de declaraties ontving, neemt ze over.")
    ids = sorted(set(bericht_ids))
    rows = session.scalars(
        select(IjwBericht).where(IjwBericht.publiek_id.in_(ids), IjwBericht.gemeente == principal.code)
    ).all()
    found = {r.publiek_id: r for r in rows}
    problems = [(f"berichten[{i}]", f"bericht {bid} bestaat niet of is niet zichtbaar voor u")
                for i, bid in enumerate(bericht_ids) if bid not in found]
    problems += [(f"bericht {r.publiek_id}", f"is een {r.berichttype}, geen JW323-declaratie")
                 for r in rows if r.berichttype != ijw_models.BerichtType.JW323.value]
    if problems:
        raise InvalidRequest("De declaraties kunnen niet worden overgenomen.", problems)
    berichten = [read_bericht(found[i].xml.encode("utf-8"), bron=f"bericht {i}") for i in ids]
    try:
        facturen = factuur_reader.facturen_uit_jw323(berichten, betaaldatum)  # type: ignore[arg-type]
    except factuur_reader.Jw323ImportFout as exc:
        raise InvalidRequest(
            "De declaraties kunnen niet worden overgenomen; niets ingelezen.",
            [(f"{f.bericht}, prestatie {f.referentie}", f.probleem) for f in exc.fouten],
        ) from None
    digest = hashlib.sha256("".join(found[i].inhoud_hash for i in ids).encode()).hexdigest()
    return _store_facturen(session, principal, ctx, facturen, bron="jw323",
                           bestandsnaam=f"JW323 {', '.join(map(str, ids))}", sha256=digest)


def list_facturen(
    session: Session, principal: Principal, ctx: Context, *, pagina: int = 1,
    pagina_grootte: int = 50,
) -> dict:
    pseudo = pseudonimiseerder(ctx)
    check_page(pagina, pagina_grootte)
    query = select(VerrekeningFactuur).where(facturen_visible(principal))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(VerrekeningFactuur.id.desc())
        .offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    audit_per_youth(session, principal, ctx, "declaratie.lijst", rows, key="facturen")
    imports = public_ids(session, VerrekeningImport, [r.import_id for r in rows])
    return {"facturen": [factuur_view(r, ctx, pseudo, imports) for r in rows], "totaal": total,
            "pagina": pagina, "paginaGrootte": pagina_grootte}


def check_page(pagina: int, pagina_grootte: int) -> None:
    if pagina < 1:
        raise InvalidRequest("Ongeldige pagina.", [("pagina", "moet 1 of hoger zijn")])
    if not 1 <= pagina_grootte <= MAX_PAGE_SIZE:
        raise InvalidRequest("Ongeldige paginagrootte.",
                             [("paginaGrootte", f"moet tussen 1 en {MAX_PAGE_SIZE} liggen")])


# --- withdrawing an invoice --------------------------------------------------------------------


def withdraw_factuur(
    session: Session, principal: Principal, ctx: Context, factuur_id: str, toelichting: str = ""
) -> dict:
    """Withdraw (remove) a stored invoice: only the organisation that imported it.

    So that one bad row (issue 19, S4: an einddatum of 9999-12-31 stored before the bounds
    existed) can always be taken out. Its open claims are withdrawn with it; an invoice
    whose claims are acknowledged, paid or disputed stays (409): settled money is never
    undone here, a dispute decides a disputed claim. Audited with the youth.
    """
    row = session.scalar(
        select(VerrekeningFactuur).where(VerrekeningFactuur.publiek_id == str(factuur_id),
                                         facturen_visible(principal))
    )
    if row is None:
        raise NotFound(f"Factuur {factuur_id} bestaat niet of is niet zichtbaar voor u.")
    importer = session.scalar(select(VerrekeningImport.organisatie).where(VerrekeningImport.id == row.import_id))
    if importer != principal.label:
        raise Forbidden("Alleen wie de factuur inlas, trekt haar in.")
    claims = session.scalars(
        select(VerrekeningClaim).where(VerrekeningClaim.factuur == row.sleutel)
        .order_by(VerrekeningClaim.id)
    ).all()
    blocking = [c.id for c in claims if c.status not in (ClaimStatus.OPEN.value, ClaimStatus.INGETROKKEN.value)]
    if blocking:
        raise Conflict(
            "De factuur heeft claims die erkend, betaald of betwist zijn; die blijven staan. "
            "Los ze eerst op (een geschil of intrekking van de claim).",
            extra={"claims": blocking},
        )
    reden = f"factuur {row.sleutel} ingetrokken" + (f": {toelichting}" if toelichting else "")
    withdrawn = []
    for c in claims:
        if c.status == ClaimStatus.OPEN.value:
            move_claim(session, principal, ctx, c, ClaimStatus.INGETROKKEN, reden)
            withdrawn.append(c.id)
    audit.record(session, principal, "declaratie.intrekken", bsn=row.bsn,
                 details={"factuur": row.sleutel, "claims": withdrawn}, now=ctx.now())
    sleutel = row.sleutel
    session.delete(row)
    session.flush()
    return {"factuur": sleutel, "ingetrokkenClaims": withdrawn}
