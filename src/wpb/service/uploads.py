"""Checking and storing a latende gemeente's upload of youths to transfer (CSV or XLSX).

One row per youth per provider/product, with these columns (header names are matched
without regard to case, spaces, hyphens or underscores; a few common variants are
accepted, see ``_ALIASES``):

| column | content |
|---|---|
| ``bsn`` | burgerservicenummer, 9 digits passing the 11-proef |
| ``geboortedatum`` | JJJJ-MM-DD or DD-MM-JJJJ (or an Excel date) |
| ``ontvangende_gemeente`` | 4-digit CBS gemeentecode of a municipality existing on the upload date |
| ``aanbieder_agb`` | 8-digit AGB code of the provider |
| ``product`` | product code or description of the current toewijzing (max. 100 characters) |
| ``toewijzing_einddatum`` | end date of the current toewijzing |
| ``pgb`` | ``ja`` or ``nee`` |
| ``wet`` (optional) | ``jeugdwet`` (the default, also for an empty cell) or ``wmo-bw`` for a client in beschermd wonen (Wmo 2015) |

The whole file is checked before anything is stored. Every rejected row is reported with
its line, column and reason: a missing field, a BSN failing the 11-proef, an unknown or
no longer existing gemeentecode, a malformed date or code, a duplicate within the file,
a row that contradicts an earlier row for the same youth, or a row already delivered.
Values are never echoed in a reason (a mistyped BSN may be someone else's).

Storing happens only when the user confirms, by sending back the ``controle`` code of
the check: the file is checked again in the storing transaction and stored only when
exactly the same rows are valid, so a confirmation never stores something else than
what was shown. Either all valid rows are stored or none.

A youth's **aanleverdatum** is the date its data was first delivered: a later upload that
adds a provider or product to the youth's open transfer adds a line but does not move
the transfer's aanleverdatum. Delivering the same row twice has the effect of once (the
second time it is reported as already delivered).

A person has one open transfer at a time, under one law: a row whose ``wet`` differs from
an earlier row for the same person, or from that person's open transfer, is rejected.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wpb import tabular
from wpb.law.bsn import bsn_problem
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister
from wpb.service import audit
from wpb.service.clock import dutch_date, system_clock, utc_naive
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, PayloadTooLarge, Problem
from wpb.service.models import (
    OPEN_STATUSES,
    WET_JEUGDWET,
    WETTEN,
    Aanlevering,
    Gebeurtenis,
    Overdracht,
    OverdrachtRegel,
)
from wpb.service.tenancy import Principal

COLUMNS = (
    "bsn",
    "geboortedatum",
    "ontvangende_gemeente",
    "aanbieder_agb",
    "product",
    "toewijzing_einddatum",
    "pgb",
)
# Columns a file may leave out; the value when it does (or when a cell is empty).
OPTIONAL_COLUMNS = {"wet": WET_JEUGDWET}
_ALL_COLUMNS = (*COLUMNS, *OPTIONAL_COLUMNS)

_ALIASES = {
    "burgerservicenummer": "bsn",
    "geboortedatumjeugdige": "geboortedatum",
    "ontvangendegemeente": "ontvangende_gemeente",
    "ontvangendegemeentecode": "ontvangende_gemeente",
    "gemeentecodeontvangend": "ontvangende_gemeente",
    "aanbiederagb": "aanbieder_agb",
    "agbcode": "aanbieder_agb",
    "agbcodeaanbieder": "aanbieder_agb",
    "aanbieder": "aanbieder_agb",
    "product": "product",
    "productcode": "product",
    "toewijzingeinddatum": "toewijzing_einddatum",
    "einddatumtoewijzing": "toewijzing_einddatum",
    "einddatum": "toewijzing_einddatum",
    "pgb": "pgb",
    "wet": "wet",
    **{c.replace("_", ""): c for c in COLUMNS},
}

_YES = {"ja", "j", "yes", "y", "true", "1"}
_NO = {"nee", "n", "no", "false", "0"}
_DATE_DMY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
_DATE_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_PRODUCT_LENGTH = 100


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class RowError:
    regel: int
    kolom: str | None
    reden: str

    def to_json(self) -> dict:
        return {"regel": self.regel, "kolom": self.kolom, "reden": self.reden}


@dataclass(frozen=True)
class ValidRow:
    regel: int
    bsn: str
    geboortedatum: date
    ontvangende_gemeente: str
    aanbieder_agb: str
    product: str
    toewijzing_einddatum: date
    pgb: bool
    bestaande_overdracht_id: int | None  # the youth's open transfer this row adds to
    wet: str = WET_JEUGDWET

    def to_json(self) -> dict:
        return {
            "regel": self.regel,
            "bsn": self.bsn,
            "geboortedatum": self.geboortedatum.isoformat(),
            "ontvangendeGemeente": self.ontvangende_gemeente,
            "aanbiederAgb": self.aanbieder_agb,
            "product": self.product,
            "toewijzingEinddatum": self.toewijzing_einddatum.isoformat(),
            "pgb": self.pgb,
            "wet": self.wet,
            "bestaandeOverdrachtId": self.bestaande_overdracht_id,
        }


@dataclass(frozen=True)
class UploadCheck:
    bestandsnaam: str
    sha256: str
    aanleverdatum: date
    regels_totaal: int
    geldig: tuple[ValidRow, ...]
    afgewezen: tuple[RowError, ...]
    genegeerde_kolommen: tuple[str, ...] = ()

    @property
    def afgewezen_regels(self) -> tuple[int, ...]:
        return tuple(sorted({e.regel for e in self.afgewezen}))

    @property
    def controle(self) -> str:
        """The confirmation code: the file and exactly which of its rows are valid."""
        lines = ",".join(str(r.regel) for r in self.geldig)
        return hashlib.sha256(f"{self.sha256}:{self.aanleverdatum}:{lines}".encode()).hexdigest()

    def to_json(self) -> dict:
        return {
            "bestandsnaam": self.bestandsnaam,
            "aanleverdatum": self.aanleverdatum.isoformat(),
            "regelsTotaal": self.regels_totaal,
            "regelsGeldig": len(self.geldig),
            "regelsAfgewezen": len(self.afgewezen_regels),
            "controle": self.controle,
            "geldig": [r.to_json() for r in self.geldig],
            "afgewezen": [e.to_json() for e in self.afgewezen],
            "genegeerdeKolommen": list(self.genegeerde_kolommen),
        }


@dataclass(frozen=True)
class StoredUpload:
    aanlevering_id: int
    check: UploadCheck
    nieuwe_overdrachten: tuple[int, ...]
    aangevulde_overdrachten: tuple[int, ...]

    def to_json(self) -> dict:
        return {
            "aanleveringId": self.aanlevering_id,
            "regelsOpgeslagen": len(self.check.geldig),
            "regelsAfgewezen": len(self.check.afgewezen_regels),
            "nieuweOverdrachten": list(self.nieuwe_overdrachten),
            "aangevuldeOverdrachten": list(self.aangevulde_overdrachten),
            "afgewezen": [e.to_json() for e in self.check.afgewezen],
        }


# --- reading the file ----------------------------------------------------------------------


@dataclass
class _Table:
    header: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (line, values)


def _normalise_header(name: Any) -> str:
    text = "" if name is None else str(name)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _is_blank(values: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _too_many_rows(limits: Limits) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"Het bestand heeft meer dan {limits.max_rows} regels; splits het in kleinere bestanden."
    )


def _read_csv(content: bytes, limits: Limits) -> _Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Dutch settings saves CSV as Windows-1252.
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None or _is_blank(header):
            raise InvalidRequest("Het bestand is leeg.", [("bestand", "geen kopregel gevonden")])
        table = _Table(header=header)
        for values in reader:
            if _is_blank(values):
                continue
            if len(table.rows) >= limits.max_rows:
                raise _too_many_rows(limits)
            table.rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise InvalidRequest(
            "Het CSV-bestand kan niet gelezen worden.",
            [(f"regel {reader.line_num}", f"ongeldige CSV: {exc}")],
        ) from None
    return table


def _read_xlsx(content: bytes, limits: Limits) -> _Table:
    try:
        # +1: the header row is counted by the reader, not by the limit.
        rows = tabular.first_sheet_rows(
            content,
            max_unpacked=tabular.max_unpacked(limits.max_bytes, limits.max_rows),
            max_rows=limits.max_rows + 1,
        )
        header: list[Any] | None = None
        table = None
        for line, values in rows:
            if _is_blank(values):
                continue
            if header is None:
                header = ["" if v is None else str(v) for v in values]
                table = _Table(header=header)
                continue
            table.rows.append((line, list(values)))
    except tabular.WerkmapTeGroot as exc:
        if exc.reden.startswith("meer dan"):
            raise _too_many_rows(limits) from None
        raise PayloadTooLarge(f"Het XLSX-bestand is uitgepakt te groot ({exc.reden}).") from None
    except tabular.WerkmapOnleesbaar as exc:
        if exc.reden == "geen werkblad":
            raise InvalidRequest("De werkmap heeft geen werkblad.", [("bestand", "geen werkblad")]) from None
        raise InvalidRequest("Het bestand is geen geldig XLSX-bestand.", [("bestand", exc.reden)]) from None
    if table is None:
        raise InvalidRequest("Het werkblad is leeg.", [("bestand", "geen kopregel gevonden")])
    return table


def read_table(content: bytes, bestandsnaam: str, limits: Limits) -> _Table:
    if len(content) > limits.max_bytes:
        raise PayloadTooLarge(
            f"Het bestand is groter dan {limits.max_bytes} bytes; splits het in kleinere bestanden."
        )
    if not content.strip():
        raise InvalidRequest("Het bestand is leeg.", [("bestand", "geen inhoud")])
    is_xlsx = content.startswith(tabular.XLSX_MAGIC)
    if bestandsnaam.lower().endswith((".xlsx", ".xlsm")) and not is_xlsx:
        raise InvalidRequest(
            "Het bestand is geen geldig XLSX-bestand.", [("bestand", "geen zip-archief")]
        )
    return _read_xlsx(content, limits) if is_xlsx else _read_csv(content, limits)


# --- checking the rows ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _code(value: Any, width: int) -> str:
    """A numeric code; Excel drops leading zeros of numbers, so integers are padded back."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value)).zfill(width)
    return _text(value)


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if _DATE_ISO.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    m = _DATE_DMY.fullmatch(text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


class _RowChecker:
    def __init__(self, register: GemeenteRegister, latende: str, aanleverdatum: date):
        self.register = register
        self.latende = latende
        self.aanleverdatum = aanleverdatum

    def check(self, line: int, raw: dict[str, Any]) -> tuple[dict | None, list[RowError]]:
        errors: list[RowError] = []

        def fail(kolom: str, reden: str) -> None:
            errors.append(RowError(line, kolom, reden))

        values: dict[str, Any] = {}
        for kolom in COLUMNS:
            value = raw.get(kolom)
            if value is None or (isinstance(value, str) and not value.strip()):
                fail(kolom, "ontbreekt")
                continue
            values[kolom] = value

        if "bsn" in values:
            bsn = _code(values["bsn"], 9)
            problem = bsn_problem(bsn)
            if problem:
                fail("bsn", f"geen geldig BSN: {problem}")
            values["bsn"] = bsn
        for kolom in ("geboortedatum", "toewijzing_einddatum"):
            if kolom in values:
                parsed = parse_date(values[kolom])
                if parsed is None:
                    fail(kolom, "geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)")
                values[kolom] = parsed
        if values.get("geboortedatum") and values["geboortedatum"] > self.aanleverdatum:
            fail("geboortedatum", f"ligt na de aanleverdatum {self.aanleverdatum.isoformat()}")
        if "ontvangende_gemeente" in values:
            code = _code(values["ontvangende_gemeente"], 4)
            values["ontvangende_gemeente"] = code
            reason = self._gemeente_problem(code)
            if reason:
                fail("ontvangende_gemeente", reason)
        if "aanbieder_agb" in values:
            agb = _code(values["aanbieder_agb"], 8)
            values["aanbieder_agb"] = agb
            if not re.fullmatch(r"[0-9]{8}", agb):
                fail("aanbieder_agb", "geen AGB-code van 8 cijfers")
        if "product" in values:
            product = _text(values["product"])
            values["product"] = product
            if len(product) > MAX_PRODUCT_LENGTH:
                fail("product", f"langer dan {MAX_PRODUCT_LENGTH} tekens")
        if "pgb" in values:
            flag = values["pgb"]
            if isinstance(flag, bool):
                values["pgb"] = flag
            elif _text(flag).lower() in _YES:
                values["pgb"] = True
            elif _text(flag).lower() in _NO:
                values["pgb"] = False
            else:
                fail("pgb", "verwacht 'ja' of 'nee'")
        wet = _text(raw.get("wet")).lower()
        values["wet"] = wet or OPTIONAL_COLUMNS["wet"]
        if values["wet"] not in WETTEN:
            fail("wet", f"verwacht {' of '.join(repr(w) for w in WETTEN)} (leeg: jeugdwet)")
        return (None if errors else values), errors

    def _gemeente_problem(self, code: str) -> str | None:
        if not re.fullmatch(r"[0-9]{4}", code):
            return "geen gemeentecode van 4 cijfers"
        if code in (RNI_CODE, UNKNOWN_CODE) or code not in self.register:
            return "onbekende gemeentecode"
        gemeente = self.register.get(code)
        if not gemeente.exists_on(self.aanleverdatum):
            if gemeente.einde is not None and gemeente.einde <= self.aanleverdatum:
                successors = self.register.successors(code, self.aanleverdatum)
                opvolgers = ", ".join(
                    f"{c} ({self.register.naam(c)})" for c in successors.codes
                )
                return (
                    f"gemeente {code} ({gemeente.naam}) bestaat niet meer sinds "
                    f"{gemeente.einde.isoformat()}; opvolger: {opvolgers}"
                )
            return f"gemeente {code} bestond nog niet op {self.aanleverdatum.isoformat()}"
        if code == self.latende:
            return "is de eigen (latende) gemeente"
        return None


def _existing_transfers(session: Session, latende: str, bsns: set[str]) -> dict[str, list[Overdracht]]:
    found: dict[str, list[Overdracht]] = {}
    ordered = sorted(bsns)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        for o in session.scalars(
            select(Overdracht)
            .where(Overdracht.latende_gemeente == latende, Overdracht.bsn.in_(chunk))
            .order_by(Overdracht.id)
        ):
            found.setdefault(o.bsn, []).append(o)
    return found


def check_upload(
    session: Session,
    principal: Principal,
    content: bytes,
    bestandsnaam: str,
    *,
    register: GemeenteRegister,
    limits: Limits,
    now: datetime | None = None,
    record_audit: bool = True,
) -> UploadCheck:
    """Check every row of the file; store nothing. Raises for a file that cannot be read."""
    if not principal.is_gemeente:
        raise Forbidden("Alleen een gemeente kan jeugdigen aanleveren voor overdracht.")
    moment = now or system_clock()
    aanleverdatum = dutch_date(moment)
    bestandsnaam = (bestandsnaam or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255]
    table = read_table(content, bestandsnaam, limits)

    mapping: dict[int, str] = {}
    ignored: list[str] = []
    seen_columns: dict[str, int] = {}
    header_errors: list[tuple[str, str]] = []
    for index, name in enumerate(table.header):
        canonical = _ALIASES.get(_normalise_header(name))
        if canonical is None:
            if _text(name):
                ignored.append(_text(name))
            continue
        if canonical in seen_columns:
            header_errors.append((canonical, f"kolom komt twee keer voor (kolom {index + 1})"))
            continue
        seen_columns[canonical] = index
        mapping[index] = canonical
    for kolom in COLUMNS:
        if kolom not in seen_columns:
            header_errors.append((kolom, "kolom ontbreekt in de kopregel"))
    if header_errors:
        raise InvalidRequest(
            "De kopregel van het bestand mist kolommen of noemt er een dubbel.",
            header_errors,
            extra={"verwachteKolommen": list(COLUMNS)},
        )

    checker = _RowChecker(register, principal.code, aanleverdatum)
    errors: list[RowError] = []
    candidates: list[tuple[int, dict]] = []
    for line, values in table.rows:
        if len(values) > len(table.header) and not _is_blank(values[len(table.header):]):
            errors.append(RowError(line, None, "meer velden dan kolommen in de kopregel"))
            continue
        raw = {mapping[i]: v for i, v in enumerate(values) if i in mapping}
        parsed, row_errors = checker.check(line, raw)
        errors.extend(row_errors)
        if parsed is not None:
            candidates.append((line, parsed))

    # Within the file: one row per youth per provider/product, one story per youth.
    first_row: dict[tuple[str, str, str], int] = {}
    youth: dict[str, tuple[int, dict]] = {}
    in_file: list[tuple[int, dict]] = []
    for line, row in candidates:
        key = (row["bsn"], row["aanbieder_agb"], row["product"])
        if key in first_row:
            errors.append(
                RowError(
                    line, "bsn",
                    f"dubbel: dezelfde jeugdige, aanbieder en product staan al op regel {first_row[key]}",
                )
            )
            continue
        earlier = youth.get(row["bsn"])
        if earlier is not None:
            e_line, e_row = earlier
            if e_row["geboortedatum"] != row["geboortedatum"]:
                errors.append(
                    RowError(line, "geboortedatum", f"wijkt af van regel {e_line} voor dezelfde jeugdige")
                )
                continue
            if e_row["ontvangende_gemeente"] != row["ontvangende_gemeente"]:
                errors.append(
                    RowError(
                        line, "ontvangende_gemeente",
                        f"wijkt af van regel {e_line} voor dezelfde jeugdige",
                    )
                )
                continue
            if e_row["wet"] != row["wet"]:
                errors.append(
                    RowError(line, "wet", f"wijkt af van regel {e_line} voor dezelfde persoon")
                )
                continue
        else:
            youth[row["bsn"]] = (line, row)
        first_row[key] = line
        in_file.append((line, row))

    # Against what is stored: a row already delivered, or contradicting an open transfer.
    existing = _existing_transfers(session, principal.code, {row["bsn"] for _, row in in_file})
    valid: list[ValidRow] = []
    for line, row in in_file:
        transfers = existing.get(row["bsn"], [])
        reason, kolom, open_transfer = _against_stored(row, transfers)
        if reason:
            errors.append(RowError(line, kolom, reason))
            continue
        valid.append(
            ValidRow(
                regel=line,
                bsn=row["bsn"],
                geboortedatum=row["geboortedatum"],
                ontvangende_gemeente=row["ontvangende_gemeente"],
                aanbieder_agb=row["aanbieder_agb"],
                product=row["product"],
                toewijzing_einddatum=row["toewijzing_einddatum"],
                pgb=row["pgb"],
                bestaande_overdracht_id=open_transfer.id if open_transfer else None,
                wet=row["wet"],
            )
        )

    errors.sort(
        key=lambda e: (e.regel, _ALL_COLUMNS.index(e.kolom) if e.kolom in _ALL_COLUMNS else -1)
    )
    result = UploadCheck(
        bestandsnaam=bestandsnaam,
        sha256=hashlib.sha256(content).hexdigest(),
        aanleverdatum=aanleverdatum,
        regels_totaal=len(table.rows),
        geldig=tuple(valid),
        afgewezen=tuple(errors),
        genegeerde_kolommen=tuple(ignored),
    )
    if record_audit:
        audit.record(
            session, principal, "aanlevering.controleren",
            details={
                "bestandsnaam": bestandsnaam,
                "sha256": result.sha256,
                "regelsTotaal": result.regels_totaal,
                "regelsGeldig": len(valid),
                "regelsAfgewezen": len(result.afgewezen_regels),
            },
            now=moment,
        )
    return result


def _against_stored(
    row: dict, transfers: list[Overdracht]
) -> tuple[str | None, str | None, Overdracht | None]:
    for o in transfers:
        for regel in o.regels:
            if regel.aanbieder_agb != row["aanbieder_agb"] or regel.product != row["product"]:
                continue
            if o.status in OPEN_STATUSES:
                return (
                    f"al aangeleverd op {regel.aanleverdatum.isoformat()} (overdracht {o.id})",
                    "bsn",
                    None,
                )
            if o.status == "afgerond":
                afgerond = o.afgerond_op.isoformat() if o.afgerond_op else "onbekend"
                return (
                    f"al overgedragen in overdracht {o.id} (afgerond op {afgerond})",
                    "bsn",
                    None,
                )
            # A doorgestuurd transfer's lines live on in its successor.
    open_transfer = next((o for o in transfers if o.status in OPEN_STATUSES), None)
    if open_transfer is None:
        return None, None, None
    if open_transfer.status == "afgewezen":
        return (
            f"de lopende overdracht {open_transfer.id} van deze jeugdige is afgewezen; "
            "stuur die door naar de juiste gemeente",
            "ontvangende_gemeente",
            None,
        )
    if open_transfer.ontvangende_gemeente != row["ontvangende_gemeente"]:
        return (
            f"deze jeugdige is al aangeleverd bij gemeente {open_transfer.ontvangende_gemeente} "
            f"(overdracht {open_transfer.id})",
            "ontvangende_gemeente",
            None,
        )
    if open_transfer.geboortedatum != row["geboortedatum"]:
        return (
            f"wijkt af van de eerdere aanlevering (overdracht {open_transfer.id})",
            "geboortedatum",
            None,
        )
    if open_transfer.wet != row["wet"]:
        return (
            f"de lopende overdracht {open_transfer.id} van deze persoon valt onder "
            f"{open_transfer.wet}, niet onder {row['wet']}",
            "wet",
            None,
        )
    return None, None, open_transfer


# --- storing -------------------------------------------------------------------------------


def store_upload(
    session: Session,
    principal: Principal,
    content: bytes,
    bestandsnaam: str,
    controle: str,
    *,
    register: GemeenteRegister,
    limits: Limits,
    now: datetime | None = None,
) -> StoredUpload:
    """Store the valid rows of a checked file, all or nothing, after the user confirmed.

    ``controle`` is the code the check returned. When the file or the stored data changed
    since (so other rows would be stored than the user saw), nothing is stored and
    :class:`Conflict` is raised.
    """
    moment = now or system_clock()
    result = check_upload(
        session, principal, content, bestandsnaam,
        register=register, limits=limits, now=moment, record_audit=False,
    )
    if not controle or controle != result.controle:
        raise Conflict(
            "De controle hoort niet bij dit bestand of de gegevens zijn intussen gewijzigd; "
            "controleer het bestand opnieuw en bevestig daarna.",
            extra={"controle": result.controle},
        )
    if not result.geldig:
        raise InvalidRequest(
            "Het bestand heeft geen geldige regels; er is niets opgeslagen.",
            [(f"regel {e.regel}" + (f", kolom {e.kolom}" if e.kolom else ""), e.reden)
             for e in result.afgewezen],
        )
    try:
        upload_id, created, extended = _insert(session, principal, result, utc_naive(moment))
    except IntegrityError:
        # Another upload stored the same youth between our check and our insert.
        raise Conflict(
            "Een gelijktijdige aanlevering heeft dezelfde jeugdige opgeslagen; "
            "controleer het bestand opnieuw."
        ) from None
    events = [
        audit.AuditEvent(
            "aanlevering.opslaan", overdracht_id=oid, bsn=bsn,
            details={"aanleveringId": upload_id, "nieuw": nieuw},
        )
        for (bsn, oid), nieuw in [*((item, True) for item in created.items()),
                                  *((item, False) for item in extended.items())]
    ]
    audit.record_many(session, principal, events, now=moment)
    return StoredUpload(
        aanlevering_id=upload_id,
        check=result,
        nieuwe_overdrachten=tuple(created.values()),
        aangevulde_overdrachten=tuple(extended.values()),
    )


# Stored with SQLAlchemy Core, a few statements for the whole file: through the ORM's unit of
# work an upload cost several times the CPU (the service's costliest request under load).
_T, _R, _G, _A = (model.__table__ for model in (Overdracht, OverdrachtRegel, Gebeurtenis, Aanlevering))
_ADD_UPLOAD = insert(_A).returning(_A.c.id)
_ADD_TRANSFERS = insert(_T).returning(_T.c.id, sort_by_parameter_order=True)
_ADD_LINES = insert(_R)
_ADD_EVENTS = insert(_G)
_TOUCH = update(_T).where(_T.c.id == bindparam("w_id")).values(gewijzigd_op=bindparam("v_stamp"))
_EXTENDED = select(_T.c.id, _T.c.bsn, _T.c.status, _T.c.aanleverdatum).where(
    _T.c.id.in_(bindparam("ids", expanding=True)))


def _insert(
    session: Session, principal: Principal, result: UploadCheck, stamp: datetime
) -> tuple[int, dict[str, int], dict[str, int]]:
    """Store the upload, its new transfers, lines and events; (upload id, new transfer id
    per BSN, extended transfer id per BSN), in the order of the file."""
    connection = session.connection()
    datum = result.aanleverdatum
    upload_id = connection.execute(_ADD_UPLOAD, {
        "gemeente": principal.code, "gebruiker_id": principal.gebruiker_id, "tijdstip": stamp,
        "datum": datum, "bestandsnaam": result.bestandsnaam, "sha256": result.sha256,
        "regels_totaal": result.regels_totaal, "regels_opgeslagen": len(result.geldig),
        "regels_afgewezen": len(result.afgewezen_regels),
    }).scalar_one()
    new_rows = {row.bsn: row for row in result.geldig if row.bestaande_overdracht_id is None}
    created: dict[str, int] = {}
    if new_rows:
        ids = connection.execute(_ADD_TRANSFERS, [
            {"latende_gemeente": principal.code, "ontvangende_gemeente": row.ontvangende_gemeente,
             "bsn": row.bsn, "geboortedatum": row.geboortedatum, "status": "aangeleverd", "versie": 1,
             "wet": row.wet, "aanleverdatum": datum, "aanlevering_id": upload_id,
             "aangemaakt_op": stamp, "gewijzigd_op": stamp}
            for row in new_rows.values()
        ]).scalars().all()
        created = dict(zip(new_rows, ids, strict=True))
    extended_ids = list(dict.fromkeys(
        row.bestaande_overdracht_id for row in result.geldig if row.bestaande_overdracht_id is not None))
    extended = [o for start in range(0, len(extended_ids), 500)
                for o in connection.execute(_EXTENDED, {"ids": extended_ids[start : start + 500]})]
    position = {oid: n for n, oid in enumerate(extended_ids)}
    extended.sort(key=lambda o: position[o.id])
    transfer_of = {**created, **{o.bsn: o.id for o in extended}}
    connection.execute(_ADD_LINES, [
        {"overdracht_id": transfer_of[row.bsn], "aanbieder_agb": row.aanbieder_agb,
         "product": row.product, "toewijzing_einddatum": row.toewijzing_einddatum, "pgb": row.pgb,
         "aanleverdatum": datum, "aanlevering_id": upload_id}
        for row in result.geldig
    ])
    who = {"tijdstip": stamp, "datum": datum, "organisatie": principal.label,
           "gebruiker_id": principal.gebruiker_id}
    events = [
        {**who, "overdracht_id": oid, "soort": "aangeleverd", "van_status": None,
         "naar_status": "aangeleverd", "toelichting": f"aangeleverd in {result.bestandsnaam}"}
        for oid in created.values()
    ] + [
        {**who, "overdracht_id": o.id, "soort": "aangevuld", "van_status": o.status,
         "naar_status": o.status,
         "toelichting": f"regels toegevoegd uit {result.bestandsnaam}; aanleverdatum blijft "
                        f"{o.aanleverdatum.isoformat()}"}
        for o in extended
    ]
    if events:
        connection.execute(_ADD_EVENTS, events)
    if extended:
        connection.execute(_TOUCH, [{"w_id": o.id, "v_stamp": stamp} for o in extended])
    return upload_id, created, {o.bsn: o.id for o in extended}


def iter_problem_rows(check: UploadCheck) -> Iterator[str]:
    """The rejections as lines a person reads: ``regel 4, kolom bsn: ...``."""
    for e in check.afgewezen:
        where = f"regel {e.regel}" + (f", kolom {e.kolom}" if e.kolom else "")
        yield f"{where}: {e.reden}"


__all__ = [
    "COLUMNS",
    "OPTIONAL_COLUMNS",
    "Limits",
    "Problem",
    "RowError",
    "StoredUpload",
    "UploadCheck",
    "ValidRow",
    "check_upload",
    "iter_problem_rows",
    "parse_date",
    "store_upload",
]
