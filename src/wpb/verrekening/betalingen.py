"""Payments out: the netting result as SEPA credit transfers (pain.001) and as a CSV.

A netting run (:func:`wpb.law.verrekening.netting.salderen`) ends in payments "``van``
pays ``aan`` so many cents". Each paying gemeente gets one ISO 20022 pain.001 file for its
bank (``pain.001.001.03`` by default, the version the EPC SEPA Credit Transfer guidelines
and Dutch banks accept; ``pain.001.001.09`` on request) with **one credit transfer per
payment**; the remittance information (``RmtInf/Ustrd``) and the end-to-end id carry the
statement reference, so both gemeenten can match the payment to their statements. The
XML is written by the maintained library ``sepaxml``, which also validates it against the
schema before it is handed out. The CSV lists the same payments for a financial system.

The IBANs of the gemeenten are input: a table (CSV or XLSX) with the columns
``gemeente, iban`` and optionally ``bic`` and ``rekeninghouder``, every IBAN checked with
the ISO 13616 modulus-97 check (:mod:`wpb.law.verrekening.iban`). All-or-nothing, as every
table of the settlement: every bad row named by line, column and reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.verrekening.iban import bic_probleem, iban_probleem, normaliseer
from wpb.law.verrekening.netting import Saldering
from wpb.verrekening.optioneel import met_optionele
from wpb.verrekening.overzicht_writer import FORMULE_BEGIN
from wpb.verrekening.tabel import (
    ImportFout,
    RijFout,
    Rows,
    csv_rows,
    digits,
    empty,
    header_of,
    records,
    rows_of,
    text,
)

KOLOMMEN = ("gemeente", "iban")
OPTIONEEL = ("bic", "rekeninghouder")
SCHEMAS = ("pain.001.001.03", "pain.001.001.09")


@dataclass(frozen=True)
class Rekening:
    """The bank account of a gemeente."""

    gemeente: str
    iban: str
    naam: str
    bic: str | None = None


@dataclass(frozen=True)
class Opdracht:
    """One payment of the netting run, ready for the bank: line ``regel`` of the run."""

    regel: int
    van: Rekening
    aan: Rekening
    bedrag: int  # eurocent
    kenmerk: str  # the statement reference of this payment (end-to-end id, <= 35 chars)
    omschrijving: str  # remittance information (<= 140 chars)


class BetaalFout(ValueError):
    """The payments cannot be written: every problem at once."""

    def __init__(self, problemen: Sequence[str]):
        self.problemen = tuple(problemen)
        super().__init__("; ".join(self.problemen))


# --- the accounts --------------------------------------------------------------------------


def read_rekeningen(path: Path, register: GemeenteRegister | None = None) -> dict[str, Rekening]:
    """The accounts per gemeentecode from a ``.csv`` or ``.xlsx`` file; :class:`ImportFout`
    with every problem."""
    return _read(rows_of(path), path.name, register)


def read_rekeningen_csv(text_: str, bron: str = "rekeningen.csv",
                        register: GemeenteRegister | None = None) -> dict[str, Rekening]:
    return _read(csv_rows(text_), bron, register)


def _read(rows: Rows, bron: str, register: GemeenteRegister | None) -> dict[str, Rekening]:
    rows, kolommen = met_optionele(rows, KOLOMMEN, OPTIONEEL)
    header, fouten = header_of(rows, kolommen)
    if header is None:
        raise ImportFout(bron, fouten)
    result: dict[str, Rekening] = {}
    seen: dict[str, int] = {}
    for line, record in records(rows, header):
        if isinstance(record, RijFout):
            fouten.append(record)
            continue
        errors = [RijFout(line, k, "is leeg") for k in KOLOMMEN if empty(record[k])]
        code = digits(record["gemeente"], 4)
        iban = normaliseer(text(record["iban"]))
        bic = normaliseer(text(record.get("bic"))) or None
        naam = text(record.get("rekeninghouder"))
        if code and not (len(code) == 4 and code.isdigit()):
            errors.append(RijFout(line, "gemeente", f"{code!r} is geen gemeentecode van 4 cijfers"))
        elif code and register is not None and code not in register:
            errors.append(RijFout(line, "gemeente", f"onbekende gemeentecode {code}"))
        if iban:
            problem = iban_probleem(iban)
            if problem:
                errors.append(RijFout(line, "iban", problem))
        if bic:
            problem = bic_probleem(bic)
            if problem:
                errors.append(RijFout(line, "bic", problem))
        if code:
            first = seen.setdefault(code, line)
            if first != line:
                errors.append(RijFout(line, "gemeente", f"{code} staat ook op regel {first}"))
        if errors:
            fouten.extend(errors)
            continue
        if not naam:
            naam = f"Gemeente {register.naam(code)}" if register is not None else f"Gemeente {code}"
        result[code] = Rekening(code, iban, naam, bic)
    if fouten:
        raise ImportFout(bron, fouten)
    return result


# --- the payments --------------------------------------------------------------------------


def kenmerk(saldering: Saldering, datum: date) -> str:
    """A stable reference of a netting run for a payment's remittance information:
    ``VS-<date>-<8 hex>`` of the payments and claims it settles (the same run, the same
    reference). The service passes its own run id instead."""
    canonical = "\x1f".join(
        [datum.isoformat()]
        + [f"{b.van}>{b.aan}:{b.bedrag}" for b in saldering.betalingen]
        + list(saldering.claim_ids)
    )
    return f"VS-{datum:%Y%m%d}-{hashlib.sha256(canonical.encode()).hexdigest()[:8].upper()}"


def opdrachten(
    saldering: Saldering, rekeningen: Mapping[str, Rekening], referentie: str
) -> tuple[Opdracht, ...]:
    """One bank order per payment of the run, in the run's order. Raises
    :class:`BetaalFout` naming every gemeente without an account."""
    missing = sorted({code for b in saldering.betalingen for code in (b.van, b.aan) if code not in rekeningen})
    if missing:
        raise BetaalFout([f"geen rekening (IBAN) voor gemeente {code}" for code in missing])
    if len(referentie) > 30:
        raise BetaalFout([f"kenmerk {referentie!r} is langer dan 30 tekens"])
    result = []
    for n, b in enumerate(saldering.betalingen, start=1):
        line_ref = f"{referentie}-{n:03d}"
        result.append(Opdracht(
            regel=n,
            van=rekeningen[b.van],
            aan=rekeningen[b.aan],
            bedrag=b.bedrag,
            kenmerk=line_ref,
            omschrijving=f"Verrekening jeugdhulp {line_ref}: gemeente {b.van} aan gemeente {b.aan}",
        ))
    return tuple(result)


def sepa_xml(
    orders: Sequence[Opdracht], uitvoerdatum: date, schema: str = SCHEMAS[0]
) -> dict[str, bytes]:
    """A pain.001 credit-transfer file per paying gemeente (by its code), one transfer per
    order. ``sepaxml`` validates each file against the schema before it is returned."""
    from sepaxml import SepaTransfer

    if schema not in SCHEMAS:
        raise BetaalFout([f"schema {schema!r}; kies uit {', '.join(SCHEMAS)}"])
    per_payer: dict[str, list[Opdracht]] = {}
    for o in orders:
        per_payer.setdefault(o.van.gemeente, []).append(o)
    files: dict[str, bytes] = {}
    for code, own in sorted(per_payer.items()):
        payer = own[0].van
        config = {"name": payer.naam, "IBAN": payer.iban, "batch": True, "currency": "EUR"}
        if payer.bic:
            config["BIC"] = payer.bic
        transfer = SepaTransfer(config, schema=schema, clean=True)
        for o in own:
            payment = {
                "name": o.aan.naam,
                "IBAN": o.aan.iban,
                "amount": o.bedrag,
                "execution_date": uitvoerdatum,
                "description": o.omschrijving,
                "endtoend_id": o.kenmerk,
            }
            if o.aan.bic:
                payment["BIC"] = o.aan.bic
            transfer.add_payment(payment)
        files[code] = transfer.export(validate=True)
    return files


CSV_KOLOMMEN = (
    "regel", "kenmerk", "uitvoerdatum", "van_gemeente", "van_iban", "aan_gemeente",
    "aan_rekeninghouder", "aan_iban", "aan_bic", "bedrag_eurocent", "bedrag", "omschrijving",
)


def betalingen_csv(orders: Sequence[Opdracht], uitvoerdatum: date) -> str:
    """The orders as CSV for a financial system: one line per payment, the amount in
    eurocent and in euro with a decimal point; text that a spreadsheet would run as a
    formula is prefixed with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_KOLOMMEN)
    for o in orders:
        writer.writerow([_veilig(v) for v in (
            o.regel, o.kenmerk, uitvoerdatum.isoformat(), o.van.gemeente, o.van.iban, o.aan.gemeente,
            o.aan.naam, o.aan.iban, o.aan.bic or "", o.bedrag, f"{o.bedrag // 100}.{o.bedrag % 100:02d}",
            o.omschrijving,
        )])
    return out.getvalue()


def _veilig(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULE_BEGIN):
        return "'" + value
    return value
