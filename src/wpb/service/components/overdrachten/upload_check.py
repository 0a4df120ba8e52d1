"""Checking and storing a latende gemeente's upload of youths to transfer (CSV or XLSX).

One row per youth per provider/product, with these columns (header names are matched
without regard to case, spaces, hyphens or underscores; a few common variants are
accepted, see ``ALIASES`` in :mod:`upload_file`):

| column | content |
|---|---|
| ``bsn`` | burgerservicenummer, 9 digits passing the 11-proef |
| ``geboortedatum`` | JJJJ-MM-DD or DD-MM-JJJJ (or an Excel date) |
| ``ontvangende_gemeente`` | 4-digit CBS gemeentecode of a municipality existing on the upload date |
| ``aanbieder_agb`` | 8-digit AGB code of the provider |
| ``product`` | product code or description of the current toewijzing (max. 100 characters) |
| ``toewijzing_einddatum`` | end date of the current toewijzing; empty for a toewijzing that runs on |
| ``pgb`` (optional) | ``ja`` or ``nee`` (the default, also for an empty cell) |
| ``wet`` (optional) | ``jeugdwet`` (the default, also for an empty cell) or ``wmo-bw`` for a client in beschermd wonen (Wmo 2015) |
| ``vanaf`` (optional) | the day from which the ontvangende gemeente is responsible under the law (not before 2022-01-01); empty: a transfer of the 2021/22 migratiegroep |

The whole file is checked before anything is stored. Every rejected row is reported with
its line, column and reason: a missing field, a BSN failing the 11-proef, an unknown or
no longer existing gemeentecode, a malformed date or code, a duplicate within the file,
a row that contradicts an earlier row for the same youth, or a row already delivered,
a text with a control or bidi-override character, a ``toewijzing_einddatum`` before the
geboortedatum.
Values are never echoed in a reason (a mistyped BSN may be someone else's); the value a
rejection is about is shown beside it (``waarde``), a BSN masked to its last three digits
(:func:`downloads.mask_bsn`), and a value with a control character not at all. The
rejected rows as they were in the file stay with the check (``afgewezen_rijen``) for the
uploader's download, never in its JSON.

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

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wpb.law.bsn import bsn_problem
from wpb.law.gemeenten import RNI_CODE, UNKNOWN_CODE, GemeenteRegister
from wpb.law.overgang import WET_INGANG
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Principal
from wpb.service.clock import dutch_date as calendar_date
from wpb.service.clock import system_clock
from wpb.service.components.overdrachten.downloads import mask_bsn
from wpb.service.components.overdrachten.models import (
    OPEN_STATUSES,
    WET_JEUGDWET,
    WETTEN,
    Overdracht,
)
from wpb.service.components.overdrachten.upload_file import (
    ALL_COLUMNS,
    MAX_PRODUCT_LENGTH,
    NO,
    OPTIONAL_COLUMNS,
    REQUIRED_CELLS,
    REQUIRED_COLUMNS,
    YES,
    Limits,
    read_table,
    text_problem,
)
from wpb.service.dates import cell_text as _text
from wpb.service.dates import parse_date
from wpb.service.errors import Forbidden, InvalidRequest
from wpb.service.web.dutch import dutch_date


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class RowError:
    regel: int
    kolom: str | None
    reden: str
    waarde: str | None = None  # as shown: a BSN masked, see _shown

    def to_json(self) -> dict:
        return {"regel": self.regel, "kolom": self.kolom, "reden": self.reden, "waarde": self.waarde}


_MAX_SHOWN = 60


def _shown(kolom: str | None, value: Any) -> str | None:
    """The rejected value as the page and the API show it: a BSN by its last three digits,
    a date as JJJJ-MM-DD, nothing for an empty cell or text with a control character."""
    if kolom is None or value is None or text_problem(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, date) else _text(value)
    if not text:
        return None
    if kolom == "bsn":
        return mask_bsn(text)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


@dataclass(frozen=True)
class ValidRow:
    regel: int
    bsn: str
    geboortedatum: date
    ontvangende_gemeente: str
    aanbieder_agb: str
    product: str
    toewijzing_einddatum: date | None  # None: the toewijzing runs on
    pgb: bool
    bestaande_overdracht_id: int | None  # the youth's open transfer this row adds to
    wet: str = WET_JEUGDWET
    vanaf: date | None = None  # None: a transfer of the migratiegroep
    bestaande_publiek_id: str | None = None  # that transfer's public id (S10)

    def to_json(self) -> dict:
        return {
            "regel": self.regel,
            "bsn": self.bsn,
            "geboortedatum": self.geboortedatum.isoformat(),
            "ontvangendeGemeente": self.ontvangende_gemeente,
            "aanbiederAgb": self.aanbieder_agb,
            "product": self.product,
            "toewijzingEinddatum": _iso(self.toewijzing_einddatum),
            "pgb": self.pgb,
            "wet": self.wet,
            "vanaf": _iso(self.vanaf),
            "bestaandeOverdrachtId": self.bestaande_publiek_id,
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
    # The rejected lines as in the file, for the uploader's download (not in to_json).
    afgewezen_rijen: tuple[tuple[int, dict, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def afgewezen_regels(self) -> tuple[int, ...]:
        return tuple(sorted({e.regel for e in self.afgewezen}))

    @property
    def label(self) -> str:
        """A neutral name for the file where others see it (timeline, audit, stored upload):
        its name stays with the uploader, since a name like ``999990019.csv`` holds a BSN."""
        return f"bestand {self.sha256[:12]}"

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


# --- checking the rows ---------------------------------------------------------------------


def _code(value: Any, width: int) -> str:
    """A numeric code; Excel drops leading zeros of numbers, so integers are padded back."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value)).zfill(width)
    return _text(value)


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
        for kolom, value in raw.items():
            problem = text_problem(value)
            if problem:
                fail(kolom, problem)
            elif not (value is None or (isinstance(value, str) and not value.strip())):
                values[kolom] = value
        for kolom in REQUIRED_CELLS:
            if kolom not in values and kolom not in {e.kolom for e in errors}:
                fail(kolom, "ontbreekt")

        if "bsn" in values:
            bsn = _code(values["bsn"], 9)
            problem = bsn_problem(bsn)
            if problem:
                fail("bsn", f"geen geldig BSN: {problem}")
            values["bsn"] = bsn
        for kolom in ("geboortedatum", "toewijzing_einddatum", "vanaf"):
            if kolom in values:
                parsed = parse_date(values[kolom])
                if parsed is None:
                    fail(kolom, "geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)")
                values[kolom] = parsed
        born = values.get("geboortedatum")
        if born and born > self.aanleverdatum:
            fail("geboortedatum", f"ligt na de aanleverdatum {dutch_date(self.aanleverdatum)}")
        for kolom in ("toewijzing_einddatum", "vanaf"):
            if born and values.get(kolom) and values[kolom] < born:
                fail(kolom, "ligt voor de geboortedatum")
        if values.get("vanaf") and values["vanaf"] < WET_INGANG:
            fail("vanaf", f"ligt voor {dutch_date(WET_INGANG)}, de ingang van het huidige "
                          "woonplaatsbeginsel (Jeugdwet art. 1.1)")
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
        flag = values.get("pgb", OPTIONAL_COLUMNS["pgb"])
        if "pgb" not in {e.kolom for e in errors}:
            if isinstance(flag, bool):
                values["pgb"] = flag
            elif _text(flag).lower() in YES:
                values["pgb"] = True
            elif _text(flag).lower() in NO:
                values["pgb"] = False
            else:
                fail("pgb", "verwacht 'ja' of 'nee'")
        values.setdefault("toewijzing_einddatum", None)
        values.setdefault("vanaf", None)
        values["wet"] = _text(values.get("wet")).lower() or OPTIONAL_COLUMNS["wet"]
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
                    f"{dutch_date(gemeente.einde)}; opvolger: {opvolgers}"
                )
            return f"gemeente {code} bestond nog niet op {dutch_date(self.aanleverdatum)}"
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
    aanleverdatum = calendar_date(moment)
    bestandsnaam = (bestandsnaam or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255]
    table = read_table(content, bestandsnaam, limits)

    header_errors = [(p.kolom, "kolom komt twee keer voor") for p in table.kopproblemen]
    header_errors += [(k, "kolom ontbreekt in de kopregel") for k in table.ontbrekend(REQUIRED_COLUMNS)]
    if header_errors:
        raise InvalidRequest(
            "De kopregel van het bestand mist kolommen of noemt er een dubbel.",
            header_errors,
            extra={"verwachteKolommen": list(REQUIRED_COLUMNS),
                   "optioneleKolommen": list(OPTIONAL_COLUMNS)},
        )

    checker = _RowChecker(register, principal.code, aanleverdatum)
    errors: list[RowError] = []
    candidates: list[tuple[int, dict]] = []
    errors.extend(RowError(p.regel or 0, None, "meer velden dan kolommen in de kopregel")
                  for p in table.problemen)
    for table_row in table.rijen:
        parsed, row_errors = checker.check(table_row.regel, table_row.waarden)
        errors.extend(row_errors)
        if parsed is not None:
            candidates.append((table_row.regel, parsed))

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
            if e_row["vanaf"] != row["vanaf"]:
                errors.append(
                    RowError(line, "vanaf", f"wijkt af van regel {e_line} voor dezelfde jeugdige")
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
                bestaande_publiek_id=open_transfer.publiek_id if open_transfer else None,
                wet=row["wet"],
                vanaf=row["vanaf"],
            )
        )

    raw_rows = {r.regel: r.waarden for r in table.rijen}
    errors = [
        RowError(e.regel, e.kolom, e.reden, _shown(e.kolom, raw_rows.get(e.regel, {}).get(e.kolom)))
        for e in errors
    ]
    errors.sort(
        key=lambda e: (e.regel, ALL_COLUMNS.index(e.kolom) if e.kolom in ALL_COLUMNS else -1)
    )
    reasons: dict[int, list[str]] = {}
    for e in errors:
        reasons.setdefault(e.regel, []).append(f"{e.kolom}: {e.reden}" if e.kolom else e.reden)
    rejected_rows = tuple(
        (line, raw_rows.get(line, {}), "; ".join(found)) for line, found in sorted(reasons.items())
    )
    result = UploadCheck(
        bestandsnaam=bestandsnaam,
        sha256=hashlib.sha256(content).hexdigest(),
        aanleverdatum=aanleverdatum,
        regels_totaal=len(table.rijen) + len(table.problemen),
        geldig=tuple(valid),
        afgewezen=tuple(errors),
        genegeerde_kolommen=table.genegeerd,
        afgewezen_rijen=rejected_rows,
    )
    if record_audit:
        audit.record(
            session, principal, "aanlevering.controleren",
            details={
                # Not the file name: it may hold a BSN (issue 19, S9).
                "bestand": result.label,
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
                    f"al aangeleverd op {dutch_date(regel.aanleverdatum)} (overdracht {o.publiek_id})",
                    "bsn",
                    None,
                )
            if o.status == "afgerond":
                afgerond = dutch_date(o.afgerond_op) if o.afgerond_op else "onbekend"
                return (
                    f"al overgedragen in overdracht {o.publiek_id} (afgerond op {afgerond})",
                    "bsn",
                    None,
                )
            # A doorgestuurd transfer's lines live on in its successor.
    open_transfer = next((o for o in transfers if o.status in OPEN_STATUSES), None)
    if open_transfer is None:
        return None, None, None
    if open_transfer.status == "afgewezen":
        return (
            f"de lopende overdracht {open_transfer.publiek_id} van deze jeugdige is afgewezen; "
            "stuur die door naar de juiste gemeente",
            "ontvangende_gemeente",
            None,
        )
    if open_transfer.ontvangende_gemeente != row["ontvangende_gemeente"]:
        return (
            f"deze jeugdige is al aangeleverd bij gemeente {open_transfer.ontvangende_gemeente} "
            f"(overdracht {open_transfer.publiek_id})",
            "ontvangende_gemeente",
            None,
        )
    if open_transfer.geboortedatum != row["geboortedatum"]:
        return (
            f"wijkt af van de eerdere aanlevering (overdracht {open_transfer.id})",
            "geboortedatum",
            None,
        )
    if open_transfer.vanaf != row["vanaf"]:
        return (
            f"wijkt af van de eerdere aanlevering (overdracht {open_transfer.id})",
            "vanaf",
            None,
        )
    if open_transfer.wet != row["wet"]:
        return (
            f"de lopende overdracht {open_transfer.publiek_id} van deze persoon valt onder "
            f"{open_transfer.wet}, niet onder {row['wet']}",
            "wet",
            None,
        )
    return None, None, open_transfer


# The parts of a reason that differ per row: a line or transfer number, a date in words.
_VARYING = re.compile(r"\b(regel|overdracht) [0-9]+|\b[0-9]{1,2} [a-z]+ [0-9]{4}\b")


def summarise(errors: tuple[RowError, ...] | list[RowError]) -> list[dict]:
    """The rejections grouped by column and kind of reason, most frequent first, for a big
    file's check page: ``{"kolom", "reden", "aantal", "eersteRegel"}``. Numbers in a reason
    (a line, a transfer) are left out of the grouping, so "wijkt af van regel 3" and "...
    regel 7" are one kind."""
    groups: dict[tuple[str | None, str], dict] = {}
    for e in errors:
        kind = _VARYING.sub(lambda m: f"{m.group(1)} …" if m.group(1) else "…", e.reden)
        entry = groups.setdefault((e.kolom, kind), {
            "kolom": e.kolom, "reden": kind if kind != e.reden else e.reden,
            "aantal": 0, "eersteRegel": e.regel,
        })
        entry["aantal"] += 1
        entry["eersteRegel"] = min(entry["eersteRegel"], e.regel)
    return sorted(groups.values(), key=lambda g: (-g["aantal"], g["eersteRegel"]))


def iter_problem_rows(check: UploadCheck) -> Iterator[str]:
    """The rejections as lines a person reads: ``regel 4, kolom bsn: ...``."""
    for e in check.afgewezen:
        where = f"regel {e.regel}" + (f", kolom {e.kolom}" if e.kolom else "")
        yield f"{where}: {e.reden}"
