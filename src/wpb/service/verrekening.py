"""Verrekening in the service: invoices, registered decisions, claims, netting, statements,
vangnet, compensatie and disputes (issue 6; rules in docs/verrekening.md).

Every function takes the database session, the acting
:class:`~wpb.service.tenancy.Principal` and the :class:`~wpb.service.context.Context`;
the REST API (:mod:`wpb.service.verrekening_api`) and the web pages call these. The
rules themselves are the pure core's (:mod:`wpb.law.verrekening`): this module stores
their inputs and outcomes and decides who may do what.

**Who sees what.** A gemeente sees the claims, statements and netting payments it is party
to (as schuldeiser or schuldenaar), the invoices it paid and the disputes it is party to;
a provider sees only its own invoices and the disputes it is party to; the coordinator
sees everything. Anything else is answered as if it did not exist (:class:`NotFound`).
Every read or change of a youth's data is written to the audit log (with the BSN, which
the log may hold); no response and no error message carries a BSN except the explicit,
audited look-up of a pseudonym by a party to it.

**Who does what.** A gemeente imports the invoices it paid (all-or-nothing: every bad
row is reported, nothing is kept); the coordinator may import for any gemeente. A
gemeente party to a transfer, or the coordinator, registers the transfer's woonplaats
decision as binding for the settlement. Claim states follow the core's state machine
with these rights: the schuldenaar acknowledges (``erkend``) or disputes (``betwist``);
the schuldeiser withdraws (``ingetrokken``) and confirms payment (``betaald``); the
coordinator resolves a disputed claim. Every change is a conditional ``UPDATE ... WHERE
versie = :gelezen``. Recomputation (:func:`herbereken_claims`) only inserts new claims and
withdraws pending ones (``open``/``betwist``): an ``erkend`` or ``betaald`` claim is never
altered (the core's ``recompute``; a correction is a new claim), and the UPDATE itself is
limited to pending claims. The coordinator runs netting; each gemeente with a balance
accepts (or the coordinator for all); then its open claims become ``erkend``, and once
the coordinator confirms the payments, ``betaald``. Disputed claims stay out of netting.

Settlement needs ``WPB_PSEUDONIEM_SLEUTEL``: without it the functions that make or show
pseudonyms answer :class:`NotConfigured` (503).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from wpb.errors import InvalidInput
from wpb.ijw import models as ijw_models
from wpb.ijw.xml_read import read_bericht
from wpb.law.bsn import bsn_problem
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.verrekening.claims import (
    LOPEND,
    OVERGANGEN,
    Claim,
    ClaimSoort,
    ClaimStatus,
    OngeldigeClaimOvergang,
    bereken_claims,
    recompute,
    wijzig_status,
)
from wpb.law.verrekening.compensatie import (
    INGANG_2022,
    Woonplaatsuitkomst,
    compensatielijst,
    selecteer,
)
from wpb.law.verrekening.factuur import Factuur
from wpb.law.verrekening.netting import IN_SALDERING, salderen
from wpb.law.verrekening.overzicht import overzicht as maak_overzicht
from wpb.law.verrekening.pseudoniem import pseudoniem
from wpb.law.verrekening.tijdlijn import (
    Grondslag,
    GrondslagSoort,
    TijdlijnConflict,
    WoonplaatsBeslissing,
    bouw_tijdlijn,
)
from wpb.law.verrekening.vangnet import vangnet
from wpb.service import audit
from wpb.service.clock import utc_naive
from wpb.service.context import Context
from wpb.service.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotConfigured,
    NotFound,
    PayloadTooLarge,
)
from wpb.service.models import (
    WET_JEUGDWET,
    Geschil,
    GeschilGebeurtenis,
    GeschilPartij,
    IjwBericht,
    Overdracht,
    VerrekeningBeslissing,
    VerrekeningBetaling,
    VerrekeningClaim,
    VerrekeningClaimGebeurtenis,
    VerrekeningFactuur,
    VerrekeningImport,
    VerrekeningSaldering,
    VerrekeningSalderingClaim,
)
from wpb.service.tenancy import Principal
from wpb.tabular import WerkmapTeGroot
from wpb.verrekening import invoices, statements
from wpb.verrekening.beslissingen import beslissingen_uit_json
from wpb.verrekening.tabel import ImportFout, csv_rows, xlsx_rows

MAX_PAGE_SIZE = 200
_CHUNK = 500


# --- common ---------------------------------------------------------------------------------


def pseudonimiseerder(ctx: Context) -> Callable[[str], str]:
    """BSN → the youth's reference under ``WPB_PSEUDONIEM_SLEUTEL`` (memoised per call)."""
    raw = ctx.settings.pseudoniem_sleutel
    if not raw:
        raise NotConfigured(
            "De verrekening is niet ingesteld: WPB_PSEUDONIEM_SLEUTEL ontbreekt (de sleutel "
            "achter de pseudoniemen van de jeugdigen)."
        )
    key = raw.encode("utf-8")
    cache: dict[str, str] = {}

    def apply(bsn: str) -> str:
        if bsn not in cache:
            cache[bsn] = pseudoniem(bsn, key)
        return cache[bsn]

    return apply


def _iso(d: date | datetime | None) -> str | None:
    if d is None:
        return None
    if isinstance(d, datetime):
        return d.replace(microsecond=0).isoformat() + "Z"
    return d.isoformat()


def _gemeente(ctx: Context, code: str) -> dict:
    return {"code": code, "naam": ctx.register.naam(code) if code in ctx.register else None}


def _namer(register: GemeenteRegister) -> Callable[[str], str]:
    return lambda code: register.naam(code) if code in register else code


def _only_gemeenten(principal: Principal, wat: str) -> None:
    """Settlement between municipalities is theirs and the coordinator's; others see nothing."""
    if not (principal.is_gemeente or principal.is_coordinator):
        raise NotFound(f"{wat} bestaan niet of zijn niet zichtbaar voor u.")


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _audit_per_youth(session: Session, principal: Principal | None, ctx: Context, actie: str,
                     rows: Iterable[Any], key: str = "claims") -> None:
    """One audit entry per youth, listing the records of that youth that were touched."""
    per: dict[str | None, list[Any]] = {}
    for r in rows:
        per.setdefault(getattr(r, "bsn", None), []).append(getattr(r, "id", None))
    audit.record_many(
        session, principal,
        [audit.AuditEvent(actie, None, bsn, {key: ids}) for bsn, ids in per.items()],
        now=ctx.now(),
    )


# --- claims: conversion and views --------------------------------------------------------------


def claim_of(row: VerrekeningClaim) -> Claim:
    """The stored claim as the core's :class:`~wpb.law.verrekening.claims.Claim`."""
    return Claim(
        id=row.id,
        soort=ClaimSoort(row.soort),
        factuur=row.factuur,
        aanbieder=row.aanbieder,
        product=row.product,
        jeugdige=row.jeugdige,
        schuldeiser=row.schuldeiser,
        schuldenaar=row.schuldenaar,
        van=row.van,
        tot=row.tot,
        bedrag=int(row.bedrag),
        grondslagen=tuple(
            Grondslag(GrondslagSoort(g["soort"]), g["referentie"], g["omschrijving"])
            for g in json.loads(row.grondslagen)
        ),
        ontstaan=row.ontstaan,
        status=ClaimStatus(row.status),
        status_sinds=row.status_sinds,
        corrigeert=tuple(json.loads(row.corrigeert)),
        toelichting=row.toelichting,
        bsn=row.bsn,
    )


def _row_of(c: Claim, moment: datetime) -> VerrekeningClaim:
    return VerrekeningClaim(
        id=c.id, soort=c.soort.value, factuur=c.factuur, aanbieder=c.aanbieder,
        product=c.product, jeugdige=c.jeugdige, bsn=c.bsn, schuldeiser=c.schuldeiser,
        schuldenaar=c.schuldenaar, van=c.van, tot=c.tot, bedrag=c.bedrag,
        grondslagen=json.dumps([g.to_json() for g in c.grondslagen], ensure_ascii=False),
        ontstaan=c.ontstaan, status=c.status.value, status_sinds=c.status_sinds or c.ontstaan,
        corrigeert=json.dumps(list(c.corrigeert)), toelichting=c.toelichting, versie=1,
        aangemaakt_op=moment, gewijzigd_op=moment,
    )


def claims_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_coordinator:
        return true()
    if principal.is_gemeente:
        return or_(VerrekeningClaim.schuldeiser == principal.code,
                   VerrekeningClaim.schuldenaar == principal.code)
    return false()


class ClaimActie(str, Enum):
    ERKENNEN = "erkend"
    BETWISTEN = "betwist"
    INTREKKEN = "ingetrokken"
    BETAALD = "betaald"


def _mag(principal: Principal, row: VerrekeningClaim, naar: ClaimStatus) -> bool:
    """Who may move a claim (docs/verrekening.md, section 9)."""
    van = ClaimStatus(row.status)
    is_debtor = principal.is_gemeente and principal.code == row.schuldenaar
    is_creditor = principal.is_gemeente and principal.code == row.schuldeiser
    if van is ClaimStatus.BETWIST:
        return principal.is_coordinator  # resolving a dispute
    if naar in (ClaimStatus.ERKEND, ClaimStatus.BETWIST):
        return is_debtor
    if naar in (ClaimStatus.INGETROKKEN, ClaimStatus.BETAALD):
        return is_creditor
    return False


def claim_view(row: VerrekeningClaim, principal: Principal, ctx: Context) -> dict:
    view = claim_of(row).to_json()
    view["schuldeiser"] = _gemeente(ctx, row.schuldeiser)
    view["schuldenaar"] = _gemeente(ctx, row.schuldenaar)
    view["versie"] = row.versie
    view["mogelijkeStatussen"] = sorted(
        s.value for s in ClaimStatus
        if s in _allowed_from(row.status) and _mag(principal, row, s)
    )
    return view


def _allowed_from(status: str) -> frozenset[ClaimStatus]:
    return OVERGANGEN[ClaimStatus(status)]


def _get_claim(session: Session, principal: Principal, claim_id: str) -> VerrekeningClaim:
    row = session.scalar(
        select(VerrekeningClaim)
        .where(VerrekeningClaim.id == claim_id, claims_visible(principal))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(f"Claim {claim_id} bestaat niet of is niet zichtbaar voor u.")
    return row


# --- invoices -------------------------------------------------------------------------------


def facturen_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_coordinator:
        return true()
    if principal.is_gemeente:
        return VerrekeningFactuur.betaler == principal.code
    if principal.is_aanbieder:
        return VerrekeningFactuur.aanbieder == principal.code
    return false()


def factuur_view(row: VerrekeningFactuur, ctx: Context, pseudo: Callable[[str], str]) -> dict:
    return {
        "id": row.id,
        "sleutel": row.sleutel,
        "referentie": row.referentie,
        "jeugdige": pseudo(row.bsn),
        "betaler": _gemeente(ctx, row.betaler),
        "aanbieder": row.aanbieder,
        "product": row.product,
        "begin": _iso(row.begin),
        "einde": _iso(row.einde),
        "bedrag": int(row.bedrag),
        "betaaldatum": _iso(row.betaaldatum),
        "bron": row.bron,
        "importId": row.import_id,
    }


def _factuur_of(row: VerrekeningFactuur) -> Factuur:
    return Factuur(
        referentie=row.referentie, bsn=row.bsn, betaler=row.betaler, aanbieder=row.aanbieder,
        product=row.product, begin=row.begin, einde=row.einde, bedrag=int(row.bedrag),
        betaaldatum=row.betaaldatum,
    )


def _lees_bestand(content: bytes, bestandsnaam: str, ctx: Context) -> tuple[tuple[Factuur, ...], str]:
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
        # The reader of wpb.verrekening.invoices, on rows from memory instead of a path.
        return invoices._lees(rows, bestandsnaam), bron
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
    for chunk in _chunks(keys):
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
    _audit_per_youth(session, principal, ctx, "declaratie.importeren", rows, key="facturen")
    return {
        "importId": imp.id, "bron": bron, "aantal": len(rows),
        "totaal": int(imp.totaal), "facturen": [r.sleutel for r in rows],
    }


def importeer_facturen(
    session: Session, principal: Principal, ctx: Context, content: bytes, bestandsnaam: str
) -> dict:
    """Import paid invoices from a CSV or XLSX file: all of them, or none with every problem.

    A gemeente imports the invoices it paid; the coordinator any. An invoice already in the
    service (same payer, provider and reference) is an error, not a silent skip.
    """
    if not (principal.is_gemeente or principal.is_coordinator):
        raise Forbidden("Alleen een gemeente (of de coördinator) leest betaalde facturen in.")
    facturen, bron = _lees_bestand(content, bestandsnaam, ctx)
    return _store_facturen(session, principal, ctx, facturen, bron=bron,
                           bestandsnaam=bestandsnaam,
                           sha256=hashlib.sha256(content).hexdigest())


def neem_jw323_over(
    session: Session, principal: Principal, ctx: Context, bericht_ids: Sequence[int],
    betaaldatum: date,
) -> dict:
    """Import the paid prestaties of JW323 declaraties the gemeente received in the service.

    Credits are netted with their debits (:func:`wpb.verrekening.invoices.facturen_uit_jw323`).
    Only the gemeente that received (and paid) them.
    """
    if not principal.is_gemeente:
        raise Forbidden("Alleen de gemeente die de declaraties ontving, neemt ze over.")
    ids = sorted(set(bericht_ids))
    rows = session.scalars(
        select(IjwBericht).where(IjwBericht.id.in_(ids), IjwBericht.gemeente == principal.code)
    ).all()
    found = {r.id: r for r in rows}
    problems = [(f"berichten[{i}]", f"bericht {bid} bestaat niet of is niet zichtbaar voor u")
                for i, bid in enumerate(bericht_ids) if bid not in found]
    problems += [(f"bericht {r.id}", f"is een {r.berichttype}, geen JW323-declaratie")
                 for r in rows if r.berichttype != ijw_models.BerichtType.JW323.value]
    if problems:
        raise InvalidRequest("De declaraties kunnen niet worden overgenomen.", problems)
    berichten = [read_bericht(found[i].xml.encode("utf-8"), bron=f"bericht {i}") for i in ids]
    try:
        facturen = invoices.facturen_uit_jw323(berichten, betaaldatum)  # type: ignore[arg-type]
    except invoices.Jw323ImportFout as exc:
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
    _page_check(pagina, pagina_grootte)
    query = select(VerrekeningFactuur).where(facturen_visible(principal))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(VerrekeningFactuur.id.desc())
        .offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    _audit_per_youth(session, principal, ctx, "declaratie.lijst", rows, key="facturen")
    return {"facturen": [factuur_view(r, ctx, pseudo) for r in rows], "totaal": total,
            "pagina": pagina, "paginaGrootte": pagina_grootte}


def _page_check(pagina: int, pagina_grootte: int) -> None:
    if pagina < 1:
        raise InvalidRequest("Ongeldige pagina.", [("pagina", "moet 1 of hoger zijn")])
    if not 1 <= pagina_grootte <= MAX_PAGE_SIZE:
        raise InvalidRequest("Ongeldige paginagrootte.",
                             [("paginaGrootte", f"moet tussen 1 en {MAX_PAGE_SIZE} liggen")])


# --- woonplaats decisions registered for the settlement -----------------------------------------


def beslissing_view(row: VerrekeningBeslissing, ctx: Context, pseudo: Callable[[str], str]) -> dict:
    return {
        "id": row.id,
        "jeugdige": pseudo(row.bsn),
        "gemeente": _gemeente(ctx, row.gemeente),
        "ingang": _iso(row.ingang),
        "tot": _iso(row.tot),
        "vastgesteldOp": _iso(row.vastgesteld_op),
        "invoerHash": row.invoer_hash,
        "overdrachtId": row.overdracht_id,
        "geregistreerdDoor": row.organisatie,
        "geregistreerdOp": _iso(row.geregistreerd_op),
    }


def registreer_beslissing(
    session: Session, principal: Principal, ctx: Context, *,
    overdracht_id: int | None = None, ingang: date | None = None, tot: date | None = None,
    beslissing: dict | None = None,
) -> dict:
    """Make a woonplaats decision binding for the settlement timeline.

    With ``overdracht_id``: the decision stored on that transfer (``POST
    .../woonplaatsbeslissingen``), by a gemeente party to the transfer or the coordinator;
    ``ingang`` defaults to the decision's peildatum. Without it: ``beslissing`` stated
    directly in the form of :func:`wpb.verrekening.beslissingen.beslissingen_uit_json`, by
    the coordinator only (a decision taken outside the service). A transfer's decision is
    registered with ``vastgesteld_op`` today: the day it became binding for the settlement
    (the engine's JSON carries no date of its own).
    """
    pseudo = pseudonimiseerder(ctx)
    today = ctx.today()
    if overdracht_id is not None:
        from wpb.service import transfers

        o = transfers.get_visible(session, principal, overdracht_id)
        roles = transfers.roles_of(principal, o)
        if not roles & {transfers.Rol.LATENDE, transfers.Rol.ONTVANGENDE, transfers.Rol.COORDINATOR}:
            raise Forbidden("Alleen de gemeenten van de overdracht of de coördinator registreren "
                            "de beslissing voor de verrekening.")
        if o.wet != WET_JEUGDWET:
            # Settlement here is of Jeugdwet care; a Wmo decision names another law.
            raise InvalidRequest(
                "De verrekening gaat over jeugdhulp; deze overdracht valt niet onder de Jeugdwet.",
                [("overdrachtId", f"overdracht {o.id} valt onder {o.wet}, niet onder de Jeugdwet")],
            )
        if not o.woonplaats_beslissing:
            raise InvalidRequest(
                "Deze overdracht heeft nog geen woonplaatsbeslissing.",
                [("overdrachtId", "bepaal eerst de woonplaats (POST .../woonplaatsbeslissingen)")],
            )
        doc = json.loads(o.woonplaats_beslissing)
        item: dict[str, Any] = {"id": f"overdracht-{o.id}", "bsn": o.bsn,
                                "vastgesteldOp": today.isoformat(), "beslissing": doc}
        if ingang is not None:
            item["ingang"] = ingang.isoformat()
        if tot is not None:
            item["tot"] = tot.isoformat()
        bsn = o.bsn
    else:
        if not principal.is_coordinator:
            raise Forbidden("Een beslissing van buiten de dienst registreert alleen de coördinator.")
        if not isinstance(beslissing, dict):
            raise InvalidRequest("Geef een overdracht of een beslissing.",
                                 [("beslissing", "verwacht een object")])
        item = {"id": "beslissing", **beslissing}
        doc = beslissing.get("beslissing") if isinstance(beslissing.get("beslissing"), dict) else None
        bsn = str(beslissing.get("bsn"))
    try:
        (wb,) = beslissingen_uit_json([item], bron="beslissing")
    except InvalidInput as exc:
        raise InvalidRequest(
            "De beslissing is niet bruikbaar voor de verrekening.",
            [(e.pad.removeprefix("[0]").lstrip(".") or "beslissing", e.probleem) for e in exc.errors],
        ) from None
    if wb.gemeente not in ctx.register:
        raise InvalidRequest("Onbekende gemeente.",
                             [("gemeente", f"{wb.gemeente} staat niet in de gemeentetabel")])
    row = VerrekeningBeslissing(
        bsn=bsn, gemeente=wb.gemeente, ingang=wb.ingang, tot=wb.tot,
        vastgesteld_op=wb.vastgesteld_op, invoer_hash=wb.invoer_hash, overdracht_id=overdracht_id,
        beslissing=json.dumps(doc, ensure_ascii=False) if doc is not None else None,
        organisatie=principal.label, gebruiker_id=principal.gebruiker_id,
        geregistreerd_op=utc_naive(ctx.now()),
    )
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("Deze beslissing is al geregistreerd voor de verrekening.") from None
    audit.record(session, principal, "verrekening.beslissing", overdracht_id=overdracht_id,
                 bsn=bsn, details={"beslissing": row.id, "gemeente": wb.gemeente}, now=ctx.now())
    return beslissing_view(row, ctx, pseudo)


def list_beslissingen(session: Session, principal: Principal, ctx: Context) -> list[dict]:
    _only_gemeenten(principal, "Beslissingen")
    pseudo = pseudonimiseerder(ctx)
    query = select(VerrekeningBeslissing)
    if principal.is_gemeente:
        query = query.where(or_(
            VerrekeningBeslissing.gemeente == principal.code,
            VerrekeningBeslissing.organisatie == principal.label,
            VerrekeningBeslissing.overdracht_id.in_(
                select(Overdracht.id).where(or_(Overdracht.latende_gemeente == principal.code,
                                                Overdracht.ontvangende_gemeente == principal.code))
            ),
        ))
    rows = session.scalars(query.order_by(VerrekeningBeslissing.id)).all()
    _audit_per_youth(session, principal, ctx, "verrekening.beslissing.lijst", rows, key="beslissingen")
    return [beslissing_view(r, ctx, pseudo) for r in rows]


# --- computing and recomputing claims ---------------------------------------------------------


def _timelines(session: Session, ctx: Context, bsns: Sequence[str]):
    """The responsibility timeline per youth from the stored transfers and registered
    decisions; youths whose facts conflict are returned apart, with the problems."""
    transfers_by: dict[str, list[Overdracht]] = {}
    decisions_by: dict[str, list[VerrekeningBeslissing]] = {}
    for chunk in _chunks(list(bsns)):
        for o in session.scalars(
            # Jeugdwet transfers only: a Wmo (beschermd wonen) transfer is no part of the
            # Jeugdwet responsibility timeline.
            select(Overdracht)
            .where(Overdracht.bsn.in_(chunk), Overdracht.wet == WET_JEUGDWET)
            .options(selectinload(Overdracht.regels))
        ):
            transfers_by.setdefault(o.bsn, []).append(o)
        for b in session.scalars(
            select(VerrekeningBeslissing).where(VerrekeningBeslissing.bsn.in_(chunk))
        ):
            decisions_by.setdefault(b.bsn, []).append(b)
    from wpb.service.transfers import facts_for_rules

    timelines = {}
    conflicts: dict[str, list[str]] = {}
    for bsn in bsns:
        try:
            timelines[bsn] = bouw_tijdlijn(
                bsn,
                [facts_for_rules(o) for o in transfers_by.get(bsn, [])],
                [
                    WoonplaatsBeslissing(
                        id=f"B-{b.id}", bsn=b.bsn, gemeente=b.gemeente, ingang=b.ingang,
                        invoer_hash=b.invoer_hash, vastgesteld_op=b.vastgesteld_op, tot=b.tot,
                    )
                    for b in decisions_by.get(bsn, [])
                ],
                ctx.termijnen,
            )
        except TijdlijnConflict as exc:
            conflicts[bsn] = list(exc.problemen)
        except ValueError as exc:
            conflicts[bsn] = [str(exc)]
    return timelines, conflicts


def herbereken_claims(session: Session, principal: Principal, ctx: Context) -> dict:
    """Compute the claims of the stored invoices against today's timelines and bring the
    stored claims in line (the core's ``recompute``): new claims and corrections are added,
    pending claims the timeline no longer supports are withdrawn, settled (erkend,
    betaald) claims are never touched.

    The coordinator recomputes every invoice; a gemeente the invoices it paid. A youth whose
    facts conflict (two decisions of equal rank naming another gemeente) is skipped and
    reported: its invoices keep their claims until a person resolves the conflict.
    """
    if not (principal.is_gemeente or principal.is_coordinator):
        raise Forbidden("Alleen een gemeente of de coördinator berekent claims.")
    pseudo = pseudonimiseerder(ctx)
    today = ctx.today()
    query = select(VerrekeningFactuur)
    if principal.is_gemeente:
        query = query.where(VerrekeningFactuur.betaler == principal.code)
    factuur_rows = session.scalars(query.order_by(VerrekeningFactuur.id)).all()
    bsns = sorted({r.bsn for r in factuur_rows})
    timelines, conflicts = _timelines(session, ctx, bsns)
    facturen = [_factuur_of(r) for r in factuur_rows if r.bsn not in conflicts]
    berekening = bereken_claims(facturen, timelines, pseudoniem=pseudo, ontstaan=today)

    keys = sorted(berekening.facturen)
    old_rows: list[VerrekeningClaim] = []
    for chunk in _chunks(keys):
        old_rows += session.scalars(
            select(VerrekeningClaim).where(VerrekeningClaim.factuur.in_(chunk))
            .execution_options(populate_existing=True)
        ).all()
    by_id = {r.id: r for r in old_rows}
    her = recompute([claim_of(r) for r in old_rows], berekening, op=today)
    moment = utc_naive(ctx.now())

    for c in her.ingetrokken:
        row = by_id[c.id]
        # Only pending claims may be withdrawn; the status condition guards settled ones
        # even if the core were ever wrong.
        changed = session.execute(
            update(VerrekeningClaim)
            .where(VerrekeningClaim.id == c.id, VerrekeningClaim.versie == row.versie,
                   VerrekeningClaim.status.in_([s.value for s in LOPEND]))
            .values(status=c.status.value, status_sinds=c.status_sinds, toelichting=c.toelichting,
                    versie=row.versie + 1, gewijzigd_op=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            raise Conflict("Claims zijn tijdens de herberekening gewijzigd; probeer het opnieuw.")
        session.add(_event(c.id, row.status, c.status.value, principal, ctx, c.toelichting))
    new_rows = [_row_of(c, moment) for c in (*her.nieuw, *her.correcties)]
    session.add_all(new_rows)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("Een andere herberekening was net eerder; probeer het opnieuw.") from None
    for r in new_rows:
        session.add(_event(r.id, None, r.status, principal, ctx,
                           "ontstaan bij herberekening" + (f" ({r.soort})" if r.soort != "claim" else "")))
    session.flush()
    touched = [by_id[c.id] for c in her.ingetrokken] + new_rows
    _audit_per_youth(session, principal, ctx, "claims.herberekenen", touched)
    return {
        "datum": today.isoformat(),
        "facturen": len(facturen),
        "nieuw": [claim_view(r, principal, ctx) for r in new_rows if r.soort == "claim"],
        "correcties": [claim_view(r, principal, ctx) for r in new_rows if r.soort != "claim"],
        "ingetrokken": [c.id for c in her.ingetrokken],
        "ongewijzigd": len(her.ongewijzigd),
        "eigen": {"aantal": len(berekening.eigen), "bedrag": sum(d.bedrag for d in berekening.eigen)},
        "onbepaald": [d.to_json() for d in berekening.onbepaald],
        "overgeslagen": [
            {"jeugdige": pseudo(bsn), "problemen": problems}
            for bsn, problems in sorted(conflicts.items(), key=lambda kv: pseudo(kv[0]))
        ],
    }


def _event(claim_id: str, van: str | None, naar: str, principal: Principal | None, ctx: Context,
           toelichting: str = "") -> VerrekeningClaimGebeurtenis:
    return VerrekeningClaimGebeurtenis(
        claim_id=claim_id, van_status=van, naar_status=naar, datum=ctx.today(),
        tijdstip=utc_naive(ctx.now()), organisatie=principal.label if principal else "systeem",
        gebruiker_id=principal.gebruiker_id if principal else None, toelichting=toelichting,
    )


# --- reading claims and changing their state ----------------------------------------------------


def list_claims(
    session: Session, principal: Principal, ctx: Context, *, status: Sequence[str] = (),
    rol: str | None = None, pagina: int = 1, pagina_grootte: int = 50,
) -> dict:
    _only_gemeenten(principal, "Claims")
    _page_check(pagina, pagina_grootte)
    query = select(VerrekeningClaim).where(claims_visible(principal))
    if status:
        query = query.where(VerrekeningClaim.status.in_([ClaimStatus(s).value for s in status]))
    if rol is not None:
        if not principal.is_gemeente:
            raise InvalidRequest("Alleen een gemeente heeft een rol in claims.",
                                 [("rol", "alleen voor gemeenten")])
        column = VerrekeningClaim.schuldeiser if rol == "schuldeiser" else VerrekeningClaim.schuldenaar
        query = query.where(column == principal.code)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(VerrekeningClaim.van, VerrekeningClaim.id)
        .offset((pagina - 1) * pagina_grootte).limit(pagina_grootte)
    ).all()
    _audit_per_youth(session, principal, ctx, "claim.lijst", rows)
    return {"claims": [claim_view(r, principal, ctx) for r in rows], "totaal": total,
            "pagina": pagina, "paginaGrootte": pagina_grootte}


def read_claim(session: Session, principal: Principal, ctx: Context, claim_id: str) -> dict:
    row = _get_claim(session, principal, claim_id)
    view = claim_view(row, principal, ctx)
    view["gebeurtenissen"] = [
        {"datum": _iso(g.datum), "tijdstip": _iso(g.tijdstip), "vanStatus": g.van_status,
         "naarStatus": g.naar_status, "organisatie": g.organisatie, "toelichting": g.toelichting}
        for g in session.scalars(
            select(VerrekeningClaimGebeurtenis)
            .where(VerrekeningClaimGebeurtenis.claim_id == row.id)
            .order_by(VerrekeningClaimGebeurtenis.id)
        )
    ]
    audit.record(session, principal, "claim.lezen", bsn=row.bsn, details={"claim": row.id},
                 now=ctx.now())
    return view


def _transition(
    session: Session, principal: Principal | None, ctx: Context, row: VerrekeningClaim,
    naar: ClaimStatus, toelichting: str,
) -> None:
    """Move one claim through the core's state machine with a conditional UPDATE."""
    try:
        changed = wijzig_status(claim_of(row), naar, ctx.today(), toelichting)
    except OngeldigeClaimOvergang as exc:
        raise Conflict(str(exc), extra={"huidigeStatus": row.status}) from None
    moment = utc_naive(ctx.now())
    count = session.execute(
        update(VerrekeningClaim)
        .where(VerrekeningClaim.id == row.id, VerrekeningClaim.versie == row.versie,
               VerrekeningClaim.status == row.status)
        .values(status=naar.value, status_sinds=changed.status_sinds,
                toelichting=changed.toelichting, versie=row.versie + 1, gewijzigd_op=moment)
        .execution_options(synchronize_session=False)
    ).rowcount
    if count != 1:
        current = session.scalar(select(VerrekeningClaim.status).where(VerrekeningClaim.id == row.id))
        raise Conflict("De claim is zojuist door iemand anders gewijzigd.",
                       extra={"huidigeStatus": current})
    session.add(_event(row.id, row.status, naar.value, principal, ctx, toelichting))
    session.flush()
    session.refresh(row)


def wijzig_claimstatus(
    session: Session, principal: Principal, ctx: Context, claim_id: str, naar: str, *,
    toelichting: str = "", versie: int | None = None,
) -> dict:
    """Acknowledge, dispute, withdraw or confirm payment of a claim (see the module's rights)."""
    row = _get_claim(session, principal, claim_id)
    target = ClaimStatus(naar)
    if versie is not None and versie != row.versie:
        raise Conflict("De claim is intussen gewijzigd; bekijk haar opnieuw.",
                       extra={"huidigeStatus": row.status, "huidigeVersie": row.versie})
    if target not in _allowed_from(row.status):
        allowed = ", ".join(sorted(s.value for s in _allowed_from(row.status))) or "geen"
        raise Conflict(f"Van {row.status} naar {target.value} kan niet (toegestaan: {allowed}).",
                       extra={"huidigeStatus": row.status})
    if not _mag(principal, row, target):
        raise Forbidden(f"U mag deze claim niet naar {target.value} zetten.")
    if row.status == ClaimStatus.BETWIST.value and _open_geschil(session, row.id) is not None:
        raise Conflict("Over deze claim loopt een geschil; los dat op (het geschil bepaalt de "
                       "uitkomst van de claim).")
    _transition(session, principal, ctx, row, target, toelichting)
    audit.record(session, principal, "claim.status", bsn=row.bsn,
                 details={"claim": row.id, "naar": target.value}, now=ctx.now())
    return claim_view(row, principal, ctx)


def zoek_claims(session: Session, principal: Principal, ctx: Context, bsn: str) -> list[dict]:
    """The claims about one youth, by BSN (in the body, never in a URL); audited."""
    _only_gemeenten(principal, "Claims")
    problem = bsn_problem(bsn)
    if problem:
        raise InvalidRequest("Het BSN is ongeldig.", [("bsn", problem)])
    ref = pseudonimiseerder(ctx)(bsn)
    rows = session.scalars(
        select(VerrekeningClaim)
        .where(claims_visible(principal), VerrekeningClaim.jeugdige == ref)
        .order_by(VerrekeningClaim.van, VerrekeningClaim.id)
    ).all()
    audit.record(session, principal, "claim.zoeken", bsn=bsn,
                 details={"gevonden": [r.id for r in rows]}, now=ctx.now())
    return [claim_view(r, principal, ctx) for r in rows]


def herleid_jeugdige(session: Session, principal: Principal, ctx: Context, jeugdige: str) -> dict:
    """The BSN behind a pseudonym, for a party to a claim or dispute about that youth only."""
    _only_gemeenten(principal, "Jeugdigen")
    bsn = session.scalar(
        select(VerrekeningClaim.bsn)
        .where(claims_visible(principal), VerrekeningClaim.jeugdige == jeugdige,
               VerrekeningClaim.bsn.is_not(None))
        .limit(1)
    )
    if bsn is None:
        bsn = session.scalar(
            select(Geschil.bsn)
            .where(geschillen_visible(principal), Geschil.jeugdige == jeugdige, Geschil.bsn.is_not(None))
            .limit(1)
        )
    if bsn is None:
        raise NotFound("Dit pseudoniem hoort niet bij een claim of geschil dat u ziet.")
    audit.record(session, principal, "jeugdige.herleiden", bsn=bsn,
                 details={"jeugdige": jeugdige}, now=ctx.now())
    return {"jeugdige": jeugdige, "bsn": bsn}


# --- netting --------------------------------------------------------------------------------


def partij_op(register: GemeenteRegister, on: date) -> Callable[[str], str]:
    """A gemeentecode → the party that settles for it on ``on``: its successor after a
    merger. After a split the code alone cannot name the successor: it stays itself."""

    def resolve(code: str) -> str:
        if code not in register:
            return code
        s = register.successors(code, on)
        return s.codes[0] if s.is_unique else code

    return resolve


def _saldering_visible(principal: Principal, row: VerrekeningSaldering) -> bool:
    if principal.is_coordinator:
        return True
    return principal.is_gemeente and principal.code in json.loads(row.saldi)


def saldering_view(session: Session, row: VerrekeningSaldering, principal: Principal,
                   ctx: Context) -> dict:
    saldi: dict[str, int] = json.loads(row.saldi)
    betalingen = session.scalars(
        select(VerrekeningBetaling).where(VerrekeningBetaling.saldering_id == row.id)
        .order_by(VerrekeningBetaling.id)
    ).all()
    claim_ids = session.scalars(
        select(VerrekeningSalderingClaim.claim_id)
        .where(VerrekeningSalderingClaim.saldering_id == row.id)
        .order_by(VerrekeningSalderingClaim.claim_id)
    ).all()
    if principal.is_gemeente:
        # A gemeente sees its own balance and payments, and the claims it is party to.
        code = principal.code
        saldi = {code: saldi.get(code, 0)}
        betalingen = [b for b in betalingen if code in (b.van, b.aan)]
        mine = set(session.scalars(
            select(VerrekeningClaim.id).where(VerrekeningClaim.id.in_(claim_ids),
                                              claims_visible(principal))
        )) if claim_ids else set()
        claim_ids = [c for c in claim_ids if c in mine]
    return {
        "id": row.id,
        "datum": _iso(row.datum),
        "status": row.status,
        "versie": row.versie,
        "saldi": [{"gemeente": _gemeente(ctx, k), "saldo": v} for k, v in sorted(saldi.items())],
        "betalingen": [
            {"van": _gemeente(ctx, b.van), "aan": _gemeente(ctx, b.aan), "bedrag": int(b.bedrag),
             "betaaldOp": _iso(b.betaald_op)}
            for b in betalingen
        ],
        "aantalBetalingen": len(betalingen),
        "claims": claim_ids,
        "akkoord": json.loads(row.akkoord),
        "intern": json.loads(row.intern) if principal.is_coordinator else [],
    }


def maak_saldering(session: Session, principal: Principal, ctx: Context,
                   datum: date | None = None) -> dict:
    """Net the open and acknowledged claims (never the disputed) into at most n − 1 payments.

    Coordinator only. Claims already in an accepted run (waiting for payment) are left out;
    earlier proposals lapse.
    """
    if not principal.is_coordinator:
        raise Forbidden("Alleen de coördinator maakt een saldering.")
    on = datum or ctx.today()
    busy = select(VerrekeningSalderingClaim.claim_id).join(
        VerrekeningSaldering, VerrekeningSaldering.id == VerrekeningSalderingClaim.saldering_id
    ).where(VerrekeningSaldering.status == "geaccepteerd")
    rows = session.scalars(
        select(VerrekeningClaim)
        .where(VerrekeningClaim.status.in_([s.value for s in IN_SALDERING]),
               VerrekeningClaim.id.not_in(busy))
        .order_by(VerrekeningClaim.id)
    ).all()
    s = salderen([claim_of(r) for r in rows], partij=partij_op(ctx.register, on))
    moment = utc_naive(ctx.now())
    session.execute(
        update(VerrekeningSaldering)
        .where(VerrekeningSaldering.status == "voorstel")
        .values(status="vervallen", versie=VerrekeningSaldering.versie + 1, gewijzigd_op=moment)
        .execution_options(synchronize_session=False)
    )
    run = VerrekeningSaldering(
        datum=on, status="voorstel", saldi=json.dumps(dict(sorted(s.saldi.items()))),
        akkoord="[]", intern=json.dumps(list(s.intern)), versie=1, organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, aangemaakt_op=moment, gewijzigd_op=moment,
    )
    session.add(run)
    session.flush()
    by_id = {r.id: r for r in rows}
    session.add_all(VerrekeningBetaling(saldering_id=run.id, van=b.van, aan=b.aan, bedrag=b.bedrag)
                    for b in s.betalingen)
    session.add_all(VerrekeningSalderingClaim(saldering_id=run.id, claim_id=cid,
                                              claim_versie=by_id[cid].versie)
                    for cid in s.claim_ids)
    session.flush()
    audit.record(session, principal, "saldering.maken",
                 details={"saldering": run.id, "claims": len(s.claim_ids),
                          "betalingen": len(s.betalingen)}, now=ctx.now())
    return saldering_view(session, run, principal, ctx)


def _get_saldering(session: Session, principal: Principal, saldering_id: int) -> VerrekeningSaldering:
    _only_gemeenten(principal, "Salderingen")
    row = session.get(VerrekeningSaldering, saldering_id, populate_existing=True)
    if row is None or not _saldering_visible(principal, row):
        raise NotFound(f"Saldering {saldering_id} bestaat niet of is niet zichtbaar voor u.")
    return row


def list_salderingen(session: Session, principal: Principal, ctx: Context) -> list[dict]:
    _only_gemeenten(principal, "Salderingen")
    rows = session.scalars(select(VerrekeningSaldering).order_by(VerrekeningSaldering.id.desc())).all()
    return [saldering_view(session, r, principal, ctx) for r in rows
            if _saldering_visible(principal, r)]


def read_saldering(session: Session, principal: Principal, ctx: Context, saldering_id: int) -> dict:
    return saldering_view(session, _get_saldering(session, principal, saldering_id), principal, ctx)


def _run_claims(session: Session, run: VerrekeningSaldering) -> list[tuple[VerrekeningClaim, int]]:
    links = session.scalars(
        select(VerrekeningSalderingClaim).where(VerrekeningSalderingClaim.saldering_id == run.id)
    ).all()
    rows = {r.id: r for r in session.scalars(
        select(VerrekeningClaim).where(VerrekeningClaim.id.in_([link.claim_id for link in links]))
        .execution_options(populate_existing=True)
    )} if links else {}
    return [(rows[link.claim_id], link.claim_versie) for link in links]


def _bump_run(session: Session, run: VerrekeningSaldering, versie: int | None, ctx: Context,
              **values) -> None:
    if versie is not None and versie != run.versie:
        raise Conflict("De saldering is intussen gewijzigd.", extra={"huidigeStatus": run.status})
    count = session.execute(
        update(VerrekeningSaldering)
        .where(VerrekeningSaldering.id == run.id, VerrekeningSaldering.versie == run.versie)
        .values(versie=run.versie + 1, gewijzigd_op=utc_naive(ctx.now()), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if count != 1:
        raise Conflict("De saldering is zojuist door iemand anders gewijzigd.")
    session.refresh(run)


def accepteer_saldering(session: Session, principal: Principal, ctx: Context, saldering_id: int,
                        *, versie: int | None = None) -> dict:
    """A gemeente with a balance accepts the proposal; the coordinator accepts for all.

    When every party accepted, the run's open claims become ``erkend``. A claim that changed
    since the run was made (disputed, withdrawn ...) makes the run stale: 409.
    """
    run = _get_saldering(session, principal, saldering_id)
    if run.status != "voorstel":
        raise Conflict(f"Deze saldering is {run.status}; alleen een voorstel wordt geaccepteerd.",
                       extra={"huidigeStatus": run.status})
    parties = sorted(json.loads(run.saldi))
    akkoord = set(json.loads(run.akkoord))
    akkoord |= set(parties) if principal.is_coordinator else {principal.code}
    complete = akkoord >= set(parties)
    if not complete:
        _bump_run(session, run, versie, ctx, akkoord=json.dumps(sorted(akkoord)))
    else:
        for row, seen in _run_claims(session, run):
            if row.versie != seen or ClaimStatus(row.status) not in IN_SALDERING:
                raise Conflict(f"Claim {row.id} is gewijzigd sinds deze saldering werd gemaakt "
                               f"(nu {row.status}); maak een nieuwe saldering.")
        _bump_run(session, run, versie, ctx, akkoord=json.dumps(sorted(akkoord)),
                  status="geaccepteerd")
        for row, _seen in _run_claims(session, run):
            if row.status == ClaimStatus.OPEN.value:
                _transition(session, principal, ctx, row, ClaimStatus.ERKEND,
                            f"erkend met saldering {run.id}")
            session.execute(
                update(VerrekeningSalderingClaim)
                .where(VerrekeningSalderingClaim.saldering_id == run.id,
                       VerrekeningSalderingClaim.claim_id == row.id)
                .values(claim_versie=row.versie)
            )
    audit.record(session, principal, "saldering.accepteren",
                 details={"saldering": run.id, "compleet": complete}, now=ctx.now())
    return saldering_view(session, run, principal, ctx)


def bevestig_betalingen(session: Session, principal: Principal, ctx: Context, saldering_id: int,
                        *, versie: int | None = None) -> dict:
    """The coordinator confirms the payments of an accepted run: its claims become ``betaald``."""
    run = _get_saldering(session, principal, saldering_id)
    if not principal.is_coordinator:
        raise Forbidden("Alleen de coördinator bevestigt de betalingen van een saldering.")
    if run.status != "geaccepteerd":
        raise Conflict(f"Deze saldering is {run.status}; alleen een geaccepteerde wordt betaald.",
                       extra={"huidigeStatus": run.status})
    claims = _run_claims(session, run)
    for row, seen in claims:
        if row.versie != seen or row.status != ClaimStatus.ERKEND.value:
            raise Conflict(f"Claim {row.id} is gewijzigd sinds de acceptatie (nu {row.status}).")
    _bump_run(session, run, versie, ctx, status="betaald")
    for row, _seen in claims:
        _transition(session, principal, ctx, row, ClaimStatus.BETAALD, f"betaald met saldering {run.id}")
    session.execute(
        update(VerrekeningBetaling).where(VerrekeningBetaling.saldering_id == run.id)
        .values(betaald_op=ctx.today())
    )
    _audit_per_youth(session, principal, ctx, "saldering.betalen", [row for row, _ in claims])
    return saldering_view(session, run, principal, ctx)


# --- statements, vangnet ----------------------------------------------------------------------


def _claims_of_party(session: Session, principal: Principal, gemeente: str) -> list[VerrekeningClaim]:
    return session.scalars(
        select(VerrekeningClaim)
        .where(claims_visible(principal),
               or_(VerrekeningClaim.schuldeiser == gemeente, VerrekeningClaim.schuldenaar == gemeente))
        .order_by(VerrekeningClaim.id)
    ).all()


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    bestandsnaam: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def overzicht(session: Session, principal: Principal, ctx: Context, gemeente: str,
              formaat: str = "json") -> dict | Download:
    """The statement of one gemeente per counterparty (pseudonymised), as JSON, XLSX or PDF.

    A gemeente gets only its own; the coordinator any. The PDF carries a chart of the net
    positions between this gemeente and its counterparties.
    """
    pseudonimiseerder(ctx)  # no statement without the key behind the references
    _only_gemeenten(principal, "Overzichten")
    if (principal.is_gemeente and principal.code != gemeente) or gemeente not in ctx.register:
        raise NotFound(f"Het overzicht van {gemeente} bestaat niet of is niet zichtbaar voor u.")
    rows = _claims_of_party(session, principal, gemeente)
    claims = [claim_of(r) for r in rows]
    o = maak_overzicht(claims, gemeente)
    today = ctx.today()
    _audit_per_youth(session, principal, ctx, f"overzicht.{formaat}", rows)
    naam = _namer(ctx.register)
    if formaat == "xlsx":
        return Download(statements.xlsx_bytes(o, naam, today), XLSX,
                        f"overzicht-{gemeente}-{today.isoformat()}.xlsx")
    if formaat == "pdf":
        saldi = {gemeente: o.netto, **{t.gemeente: -t.netto for t in o.tegenpartijen}}
        chart = statements.grafiek_png(saldi, naam) if o.tegenpartijen else None
        page = statements.statement_html(o, naam, today, chart)
        return Download(statements.pdf_bytes(page), "application/pdf",
                        f"overzicht-{gemeente}-{today.isoformat()}.pdf")
    return {
        "gemeente": _gemeente(ctx, gemeente),
        "datum": today.isoformat(),
        "teOntvangen": o.totaal_ontvangen,
        "teBetalen": o.totaal_betalen,
        "netto": o.netto,
        "tegenpartijen": [
            {"gemeente": _gemeente(ctx, t.gemeente), "teOntvangen": t.totaal_ontvangen,
             "teBetalen": t.totaal_betalen, "netto": t.netto,
             "claimsTeOntvangen": [c.to_json() for c in t.te_ontvangen],
             "claimsTeBetalen": [c.to_json() for c in t.te_betalen]}
            for t in o.tegenpartijen
        ],
    }


def vangnet_lijst(session: Session, principal: Principal, ctx: Context, *,
                  peildatum: date | None = None, termijn: int | None = None) -> dict:
    """Claims open longer than the term (WPB_VANGNET_MAANDEN, default 6) or disputed, with
    totals per gemeente and per provider; a gemeente sees the claims it is party to."""
    _only_gemeenten(principal, "Vangnetclaims")
    rows = session.scalars(
        select(VerrekeningClaim).where(claims_visible(principal)).order_by(VerrekeningClaim.id)
    ).all()
    on = peildatum or ctx.today()
    months = ctx.settings.vangnet_maanden if termijn is None else termijn
    v = vangnet([claim_of(r) for r in rows], on, months)
    selected = {vc.claim.id for vc in v.claims}
    _audit_per_youth(session, principal, ctx, "vangnet.lezen", [r for r in rows if r.id in selected])
    return v.to_json()


# --- compensatieregeling woonplaats onbekend -----------------------------------------------------


def uitkomst_uit_json(bsn: str, doc: dict) -> Woonplaatsuitkomst | None:
    """What the compensation rule reads from a decision as the engine writes it (to_json)."""
    try:
        peildatum = date.fromisoformat(doc["peildatum"])
    except (KeyError, TypeError, ValueError):
        return None
    grondslag = doc.get("grondslag") or {}
    if grondslag.get("wet") not in (None, "Jeugdwet"):
        return None
    vanaf = grondslag.get("geldigVanaf")
    used = doc.get("gebruikteGegevens") or []
    stays = [u.get("begin") for u in used if isinstance(u, dict) and u.get("rol") == "verblijf"]
    begins = sorted(date.fromisoformat(b) for b in stays if isinstance(b, str))
    reden = (doc.get("reden") or {}).get("code")
    return Woonplaatsuitkomst(
        bsn=bsn,
        peildatum=peildatum,
        regel_vanaf=date.fromisoformat(vanaf) if isinstance(vanaf, str) else None,
        onderdeel=grondslag.get("onderdeel"),
        gemeente=(doc.get("gemeente") or {}).get("code") if doc.get("status") == "bepaald" else None,
        werkelijke_verblijfplaats=any(
            isinstance(u, dict) and u.get("rol") == "werkelijke verblijfplaats bij de hulpvraag"
            for u in used
        ),
        verblijf_sinds=begins[0] if begins else None,
        ontbreekt_verblijf=doc.get("status") == "review"
        and reden == "werkelijke_verblijfplaats_ontbreekt",
    )


def compensatie(session: Session, principal: Principal, ctx: Context, *,
                van: date = INGANG_2022, tot: date | None = None) -> dict:
    """The compensatieregeling list: per gemeente the youths without a traceable woonplaats
    under the 2022 rule that were in care with stay before 2022, with their care costs.

    Decisions come from the transfers (their woonplaats check) and from the decisions
    registered for the settlement; per youth the most recent counts. A gemeente sees its
    own list; youths whose gemeente a person must still decide are for the coordinator.
    """
    _only_gemeenten(principal, "Compensatielijsten")
    pseudo = pseudonimiseerder(ctx)
    if tot is not None and tot <= van:
        raise InvalidRequest("Ongeldige periode.", [("tot", f"ligt niet na van ({van})")])
    uitkomsten: list[Woonplaatsuitkomst] = []
    for bsn, text in session.execute(
        select(Overdracht.bsn, Overdracht.woonplaats_beslissing)
        .where(Overdracht.woonplaats_beslissing.is_not(None), Overdracht.wet == WET_JEUGDWET)
    ):
        u = uitkomst_uit_json(bsn, json.loads(text))
        if u is not None:
            uitkomsten.append(u)
    for bsn, text in session.execute(
        select(VerrekeningBeslissing.bsn, VerrekeningBeslissing.beslissing)
        .where(VerrekeningBeslissing.beslissing.is_not(None))
    ):
        u = uitkomst_uit_json(bsn, json.loads(text))
        if u is not None:
            uitkomsten.append(u)
    kandidaten = selecteer(uitkomsten)
    if principal.is_gemeente:
        kandidaten = tuple(k for k in kandidaten if k.gemeente == principal.code)
    bsns = sorted({k.bsn for k in kandidaten})
    facturen: list[Factuur] = []
    for chunk in _chunks(bsns):
        facturen += [_factuur_of(r) for r in session.scalars(
            select(VerrekeningFactuur).where(VerrekeningFactuur.bsn.in_(chunk))
        )]
    lijst = compensatielijst(kandidaten, facturen, pseudoniem=pseudo, van=van, tot=tot)
    audit.record_many(
        session, principal,
        [audit.AuditEvent("compensatie.lezen", None, k.bsn, {"grond": k.grond.value})
         for k in kandidaten],
        now=ctx.now(),
    )
    out = lijst.to_json()
    for g in out["gemeenten"]:
        g["gemeente"] = _gemeente(ctx, g["gemeente"])
    return out


# --- disputes (geschillen) --------------------------------------------------------------------


class Niveau(str, Enum):
    """Escalation levels, in order: a dispute only moves up."""

    REGIOADVISEUR = "regioadviseur"
    GESCHILLENCOMMISSIE = "geschillencommissie_sociaal_domein"
    JEUGDAUTORITEIT = "jeugdautoriteit"
    RECHTER = "rechter"


NIVEAUS = tuple(Niveau)
MAX_TEKST = 10_000


def geschillen_visible(principal: Principal) -> ColumnElement[bool]:
    if principal.is_coordinator:
        return true()
    if principal.is_gemeente or principal.is_aanbieder:
        return Geschil.id.in_(
            select(GeschilPartij.geschil_id).where(
                GeschilPartij.soort == principal.soort.value, GeschilPartij.code == principal.code
            )
        )
    return false()


def _open_geschil(session: Session, claim_id: str) -> Geschil | None:
    return session.scalar(
        select(Geschil).where(Geschil.claim_id == claim_id, Geschil.status == "open").limit(1)
    )


def geschil_view(row: Geschil, ctx: Context) -> dict:
    return {
        "id": row.id,
        "onderwerp": row.onderwerp,
        "claimId": row.claim_id,
        "jeugdige": row.jeugdige,
        "omschrijving": row.omschrijving,
        "status": row.status,
        "niveau": row.niveau,
        "uitkomst": row.uitkomst,
        "versie": row.versie,
        "ingediendDoor": row.ingediend_door,
        "ingediendOp": _iso(row.ingediend_op),
        "opgelostOp": _iso(row.opgelost_op),
        "partijen": [
            {"soort": p.soort, "code": p.code,
             "naam": ctx.register.naam(p.code) if p.soort == "gemeente" and p.code in ctx.register
             else None}
            for p in row.partijen
        ],
        "gebeurtenissen": [
            {"soort": g.soort, "vanNiveau": g.van_niveau, "naarNiveau": g.naar_niveau,
             "datum": _iso(g.datum), "organisatie": g.organisatie, "toelichting": g.toelichting}
            for g in row.gebeurtenissen
        ],
    }


def _geschil_event(row: Geschil, soort: str, principal: Principal, ctx: Context, *,
                   van: str | None = None, naar: str | None = None, toelichting: str = "") -> None:
    row.gebeurtenissen.append(GeschilGebeurtenis(
        soort=soort, van_niveau=van, naar_niveau=naar, datum=ctx.today(),
        tijdstip=utc_naive(ctx.now()), organisatie=principal.label,
        gebruiker_id=principal.gebruiker_id, toelichting=toelichting,
    ))


def registreer_geschil(
    session: Session, principal: Principal, ctx: Context, *, onderwerp: str,
    omschrijving: str, partijen: Sequence[dict] = (), claim_id: str | None = None,
    bsn: str | None = None, niveau: str = Niveau.REGIOADVISEUR.value,
) -> dict:
    """Register a dispute about a claim or a youth between municipalities (or with a provider).

    The registering organisation is a party (the coordinator may register for others). A
    dispute about a claim has its two gemeenten as parties and puts an ``open`` claim in
    ``betwist``, so it stays out of netting until the dispute is resolved.
    """
    problems: list[tuple[str, str]] = []
    if onderwerp not in ("claim", "jeugdige"):
        problems.append(("onderwerp", "kies claim of jeugdige"))
    if not omschrijving.strip() or len(omschrijving) > MAX_TEKST:
        problems.append(("omschrijving", f"verplicht, hoogstens {MAX_TEKST} tekens"))
    try:
        niveau = Niveau(niveau).value
    except ValueError:
        problems.append(("niveau", f"kies uit {', '.join(n.value for n in NIVEAUS)}"))
    parties: set[tuple[str, str]] = set()
    for i, p in enumerate(partijen):
        soort, code = str(p.get("soort", "")), str(p.get("code", ""))
        known = (soort == "gemeente" and code in ctx.register) or (
            soort == "aanbieder" and len(code) == 8 and code.isdigit())
        if known:
            parties.add((soort, code))
        else:
            problems.append((f"partijen[{i}]", "verwacht een gemeente uit de gemeentetabel of een "
                                               "aanbieder met een AGB-code van 8 cijfers"))
    if principal.is_gemeente or principal.is_aanbieder:
        parties.add((principal.soort.value, principal.code))
    elif not principal.is_coordinator:
        raise Forbidden("U kunt geen geschil registreren.")
    claim_row = None
    jeugdige = None
    if onderwerp == "claim":
        if not claim_id:
            problems.append(("claimId", "verplicht bij een geschil over een claim"))
        if bsn is not None:
            problems.append(("bsn", "niet bij een geschil over een claim"))
    elif onderwerp == "jeugdige":
        problem = bsn_problem(bsn) if bsn else "verplicht bij een geschil over een jeugdige"
        if problem:
            problems.append(("bsn", problem))
    if problems:
        raise InvalidRequest("Het geschil is niet compleet.", problems)
    if onderwerp == "claim":
        if principal.is_aanbieder:
            raise NotFound(f"Claim {claim_id} bestaat niet of is niet zichtbaar voor u.")
        claim_row = _get_claim(session, principal, str(claim_id))
        parties |= {("gemeente", claim_row.schuldeiser), ("gemeente", claim_row.schuldenaar)}
        if claim_row.status not in (ClaimStatus.OPEN.value, ClaimStatus.BETWIST.value):
            raise Conflict(f"Een {claim_row.status} claim kan niet meer betwist worden.",
                           extra={"huidigeStatus": claim_row.status})
        if _open_geschil(session, claim_row.id) is not None:
            raise Conflict("Over deze claim loopt al een geschil.")
        jeugdige, bsn = claim_row.jeugdige, claim_row.bsn
    else:
        jeugdige = pseudonimiseerder(ctx)(str(bsn))
    if len(parties) < 2:
        raise InvalidRequest("Een geschil heeft minstens twee partijen.",
                             [("partijen", "noem de andere partij(en)")])
    moment = utc_naive(ctx.now())
    row = Geschil(
        onderwerp=onderwerp, claim_id=claim_row.id if claim_row else None, jeugdige=jeugdige,
        bsn=bsn, omschrijving=omschrijving.strip(), status="open", niveau=niveau, versie=1,
        ingediend_door=principal.label, gebruiker_id=principal.gebruiker_id,
        ingediend_op=ctx.today(), aangemaakt_op=moment, gewijzigd_op=moment,
    )
    row.partijen = [GeschilPartij(soort=s, code=c) for s, c in sorted(parties)]
    _geschil_event(row, "registratie", principal, ctx, naar=niveau)
    session.add(row)
    session.flush()
    if claim_row is not None and claim_row.status == ClaimStatus.OPEN.value:
        _transition(session, principal, ctx, claim_row, ClaimStatus.BETWIST,
                    f"betwist met geschil {row.id}")
    audit.record(session, principal, "geschil.registreren", bsn=bsn,
                 details={"geschil": row.id, "claim": row.claim_id}, now=ctx.now())
    return geschil_view(row, ctx)


def _get_geschil(session: Session, principal: Principal, geschil_id: int) -> Geschil:
    row = session.scalar(
        select(Geschil).where(Geschil.id == geschil_id, geschillen_visible(principal))
        .options(selectinload(Geschil.partijen), selectinload(Geschil.gebeurtenissen))
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound(f"Geschil {geschil_id} bestaat niet of is niet zichtbaar voor u.")
    return row


def _bump_geschil(session: Session, row: Geschil, versie: int | None, ctx: Context, **values) -> None:
    if versie is not None and versie != row.versie:
        raise Conflict("Het geschil is intussen gewijzigd.", extra={"huidigeStatus": row.status})
    count = session.execute(
        update(Geschil)
        .where(Geschil.id == row.id, Geschil.versie == row.versie, Geschil.status == "open")
        .values(versie=row.versie + 1, gewijzigd_op=utc_naive(ctx.now()), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if count != 1:
        raise Conflict("Het geschil is zojuist door iemand anders gewijzigd.")
    session.refresh(row)


def _require_open(row: Geschil) -> None:
    if row.status != "open":
        raise Conflict(f"Het geschil is {row.status}.", extra={"huidigeStatus": row.status})


def escaleer_geschil(session: Session, principal: Principal, ctx: Context, geschil_id: int,
                     naar: str, *, toelichting: str = "", versie: int | None = None) -> dict:
    """Move a dispute up: regioadviseur → Geschillencommissie Sociaal Domein →
    Jeugdautoriteit → rechter. A party or the coordinator; never down."""
    row = _get_geschil(session, principal, geschil_id)
    _require_open(row)
    try:
        target = Niveau(naar)
    except ValueError:
        raise InvalidRequest("Onbekend niveau.",
                             [("naar", f"kies uit {', '.join(n.value for n in NIVEAUS)}")]) from None
    if NIVEAUS.index(target) <= NIVEAUS.index(Niveau(row.niveau)):
        raise Conflict(f"Het geschil ligt al bij {row.niveau}; escaleren gaat alleen omhoog.",
                       extra={"huidigNiveau": row.niveau})
    van = row.niveau
    _bump_geschil(session, row, versie, ctx, niveau=target.value)
    _geschil_event(row, "escalatie", principal, ctx, van=van, naar=target.value,
                   toelichting=toelichting[:MAX_TEKST])
    session.flush()
    audit.record(session, principal, "geschil.escaleren", bsn=row.bsn,
                 details={"geschil": row.id, "naar": target.value}, now=ctx.now())
    return geschil_view(row, ctx)


def los_geschil_op(session: Session, principal: Principal, ctx: Context, geschil_id: int, *,
                   uitkomst: str, claim: str | None = None, versie: int | None = None) -> dict:
    """Record the outcome (coordinator). For a dispute about a claim the outcome decides
    it: ``erkend`` (the claim stands) or ``ingetrokken``."""
    row = _get_geschil(session, principal, geschil_id)
    if not principal.is_coordinator:
        raise Forbidden("De uitkomst van een geschil legt de coördinator vast.")
    _require_open(row)
    if not uitkomst.strip() or len(uitkomst) > MAX_TEKST:
        raise InvalidRequest("De uitkomst ontbreekt.", [("uitkomst", "verplicht")])
    target = None
    if row.onderwerp == "claim":
        if claim not in (ClaimStatus.ERKEND.value, ClaimStatus.INGETROKKEN.value):
            raise InvalidRequest("Zeg wat er met de claim gebeurt.",
                                 [("claim", "erkend of ingetrokken")])
        target = ClaimStatus(claim)
    elif claim is not None:
        raise InvalidRequest("Dit geschil gaat niet over een claim.", [("claim", "niet van toepassing")])
    _bump_geschil(session, row, versie, ctx, status="opgelost", uitkomst=uitkomst.strip(),
                  opgelost_op=ctx.today())
    _geschil_event(row, "oplossing", principal, ctx, toelichting=uitkomst.strip())
    session.flush()
    if target is not None and row.claim_id is not None:
        claim_row = session.get(VerrekeningClaim, row.claim_id, populate_existing=True)
        assert claim_row is not None
        if claim_row.status == ClaimStatus.BETWIST.value:
            _transition(session, principal, ctx, claim_row, target,
                        f"geschil {row.id} opgelost: {uitkomst.strip()}")
    audit.record(session, principal, "geschil.oplossen", bsn=row.bsn,
                 details={"geschil": row.id, "claim": claim}, now=ctx.now())
    return geschil_view(row, ctx)


def trek_geschil_in(session: Session, principal: Principal, ctx: Context, geschil_id: int, *,
                    toelichting: str = "", versie: int | None = None) -> dict:
    """The organisation that registered the dispute withdraws it. About a claim: the
    schuldenaar that drops its dispute acknowledges the claim (``erkend``); the schuldeiser
    that drops it withdraws the claim (``ingetrokken``)."""
    row = _get_geschil(session, principal, geschil_id)
    _require_open(row)
    if row.ingediend_door != principal.label:
        raise Forbidden("Alleen wie het geschil registreerde, kan het intrekken.")
    _bump_geschil(session, row, versie, ctx, status="ingetrokken", opgelost_op=ctx.today())
    _geschil_event(row, "intrekking", principal, ctx, toelichting=toelichting[:MAX_TEKST])
    session.flush()
    if row.claim_id is not None:
        claim_row = session.get(VerrekeningClaim, row.claim_id, populate_existing=True)
        assert claim_row is not None
        if claim_row.status == ClaimStatus.BETWIST.value and principal.is_gemeente:
            if principal.code == claim_row.schuldenaar:
                _transition(session, principal, ctx, claim_row, ClaimStatus.ERKEND,
                            f"geschil {row.id} ingetrokken door de schuldenaar")
            elif principal.code == claim_row.schuldeiser:
                _transition(session, principal, ctx, claim_row, ClaimStatus.INGETROKKEN,
                            f"geschil {row.id} ingetrokken door de schuldeiser")
    audit.record(session, principal, "geschil.intrekken", bsn=row.bsn,
                 details={"geschil": row.id}, now=ctx.now())
    return geschil_view(row, ctx)


def list_geschillen(session: Session, principal: Principal, ctx: Context, *,
                    status: str | None = None) -> list[dict]:
    query = select(Geschil).where(geschillen_visible(principal)).options(
        selectinload(Geschil.partijen), selectinload(Geschil.gebeurtenissen))
    if status is not None:
        query = query.where(Geschil.status == status)
    rows = session.scalars(query.order_by(Geschil.id.desc())).all()
    _audit_per_youth(session, principal, ctx, "geschil.lijst", rows, key="geschillen")
    return [geschil_view(r, ctx) for r in rows]


def read_geschil(session: Session, principal: Principal, ctx: Context, geschil_id: int) -> dict:
    row = _get_geschil(session, principal, geschil_id)
    audit.record(session, principal, "geschil.lezen", bsn=row.bsn, details={"geschil": row.id},
                 now=ctx.now())
    return geschil_view(row, ctx)


__all__ = [
    "NIVEAUS",
    "ClaimActie",
    "Download",
    "Niveau",
    "accepteer_saldering",
    "bevestig_betalingen",
    "claim_of",
    "compensatie",
    "escaleer_geschil",
    "herbereken_claims",
    "herleid_jeugdige",
    "importeer_facturen",
    "list_beslissingen",
    "list_claims",
    "list_facturen",
    "list_geschillen",
    "list_salderingen",
    "los_geschil_op",
    "maak_saldering",
    "neem_jw323_over",
    "overzicht",
    "partij_op",
    "pseudonimiseerder",
    "read_claim",
    "read_geschil",
    "read_saldering",
    "registreer_beslissing",
    "registreer_geschil",
    "trek_geschil_in",
    "uitkomst_uit_json",
    "vangnet_lijst",
    "wijzig_claimstatus",
    "zoek_claims",
]
