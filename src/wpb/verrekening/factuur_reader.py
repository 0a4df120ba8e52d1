"""Import paid facturen into the core's :class:`~wpb.law.verrekening.factuur.Factuur`.

Two sources:

- **CSV or XLSX** (first sheet), columns in any order: ``factuurreferentie, bsn,
  betalende_gemeente, aanbieder_agb, product, begindatum, einddatum, bedrag_eurocent,
  betaaldatum``. Dates JJJJ-MM-DD or DD-MM-JJJJ (both ends of the period inclusive); the
  amount is a whole number of eurocent (``123,45`` is refused, not guessed); codes stored
  as numbers in a spreadsheet (363 → 0363) are accepted. An optional column
  ``gecrediteerde_factuur`` marks a credit row: its amount is negative and is netted with
  the factuur it names (the only place a negative amount is accepted). Dates lie in
  2015..2100 and an amount is at most 10 million euro
  (:data:`wpb.law.verrekening.factuur.MAX_BEDRAG`).
- **iJw JW323** declaratie messages, as read by :mod:`wpb.ijw` (:func:`facturen_uit_jw323`):
  each paid debit prestatie of a declaratie (net of its credits) becomes one factuur.

Import is all-or-nothing: every bad row is reported with its line, column and reason,
and when there is any, :class:`~wpb.verrekening.tabel.ImportFout` is raised and nothing is
returned. A reason never repeats a BSN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wpb.law.verrekening.factuur import (
    MAX_BEDRAG,
    Factuur,
    OngeldigeFactuur,
    buiten_grenzen,
    datum_buiten_grenzen,
)
from wpb.verrekening.optioneel import met_optionele
from wpb.verrekening.tabel import (
    ImportFout,
    RijFout,
    Rows,
    csv_rows,
    digits,
    empty,
    header_of,
    parse_cents,
    parse_date,
    records,
    rows_of,
    shown,
    text,
)

if TYPE_CHECKING:  # the iJw models are only needed for the JW323 hook
    from wpb.ijw.models import JW323

KOLOMMEN = (
    "factuurreferentie",
    "bsn",
    "betalende_gemeente",
    "aanbieder_agb",
    "product",
    "begindatum",
    "einddatum",
    "bedrag_eurocent",
    "betaaldatum",
)
# Optional: on a credit row, the factuurreferentie of the invoice it corrects (same payer
# and provider); its amount is negative and is netted with that invoice.
CREDIT = "gecrediteerde_factuur"
# The column of each Factuur field, to report the core's problems where the user sees them.
_VELD_KOLOM = {
    "referentie": "factuurreferentie",
    "bsn": "bsn",
    "betaler": "betalende_gemeente",
    "aanbieder": "aanbieder_agb",
    "product": "product",
    "begin": "begindatum",
    "einde": "einddatum",
    "bedrag": "bedrag_eurocent",
    "betaaldatum": "betaaldatum",
}


def read_facturen(path: Path) -> tuple[Factuur, ...]:
    """All facturen of a ``.csv`` or ``.xlsx`` file, or :class:`ImportFout` with every problem."""
    return _read(rows_of(path), path.name)


def read_facturen_csv(text_: str, bron: str = "facturen.csv") -> tuple[Factuur, ...]:
    return _read(csv_rows(text_), bron)


def _read(rows: Rows, bron: str) -> tuple[Factuur, ...]:
    rows, kolommen = met_optionele(rows, KOLOMMEN, (CREDIT,))
    header, fouten = header_of(rows, kolommen)
    if header is None:
        raise ImportFout(bron, fouten)
    result: list[Factuur] = []
    credits: list[tuple[int, Factuur, str]] = []
    seen: dict[str, int] = {}
    for line, record in records(rows, header):
        if isinstance(record, RijFout):
            fouten.append(record)
            continue
        target = text(record.get(CREDIT))
        row_errors, factuur = _row(line, record, credit=bool(target))
        if factuur is not None:
            first = seen.setdefault(factuur.sleutel, line)
            if first != line:
                row_errors.append(
                    RijFout(line, "factuurreferentie",
                            f"{shown(factuur.referentie)} van aanbieder {factuur.aanbieder} betaald door "
                            f"{factuur.betaler} staat ook op regel {first}")
                )
        if row_errors:
            fouten.extend(row_errors)
        elif factuur is not None and target:
            credits.append((line, factuur, target))
        elif factuur is not None:
            result.append(factuur)
    netted = _net_credits(result, credits, fouten)
    if fouten:
        raise ImportFout(bron, fouten)
    return netted


def _net_credits(
    debits: list[Factuur], credits: list[tuple[int, Factuur, str]], fouten: list[RijFout]
) -> tuple[Factuur, ...]:
    """Net every credit row with the invoice it names, as a JW323 credit is netted with its
    debit: the invoice keeps what was paid net; an invoice credited in full is left out."""
    index = {f.sleutel: i for i, f in enumerate(debits)}
    remaining = [f.bedrag for f in debits]
    for line, credit, target in credits:
        i = index.get(f"{credit.betaler}/{credit.aanbieder}/{target}")
        if i is None:
            fouten.append(RijFout(line, CREDIT, f"{shown(target)} van aanbieder {credit.aanbieder} betaald door "
                                  f"{credit.betaler} staat niet als factuur in dit bestand"))
        elif debits[i].bsn != credit.bsn:
            fouten.append(RijFout(line, "bsn", f"verschilt van de jeugdige van de gecrediteerde factuur {shown(target)}"))
        elif credit.bedrag > remaining[i]:
            fouten.append(RijFout(line, "bedrag_eurocent", f"credit van {credit.bedrag} eurocent is groter dan het "
                                  f"resterende bedrag {remaining[i]} van {shown(target)}"))
        else:
            remaining[i] -= credit.bedrag
    return tuple(
        f if left == f.bedrag else replace(f, bedrag=left)
        for f, left in zip(debits, remaining, strict=True)
        if left > 0
    )


def _row(line: int, row: dict[str, object], *, credit: bool = False) -> tuple[list[RijFout], Factuur | None]:
    """One row as an invoice; a credit row (``credit``) as the invoice of the amount it
    takes off, so with its negative amount made positive."""
    errors: list[RijFout] = []
    for kolom in KOLOMMEN:
        if empty(row[kolom]):
            errors.append(RijFout(line, kolom, "is leeg"))
    values: dict[str, object] = {
        "referentie": text(row["factuurreferentie"]),
        "bsn": digits(row["bsn"], 9),
        "betaler": digits(row["betalende_gemeente"], 4),
        "aanbieder": digits(row["aanbieder_agb"], 8),
        "product": text(row["product"]),
    }
    for veld, kolom in (("begin", "begindatum"), ("einde", "einddatum"), ("betaaldatum", "betaaldatum")):
        if empty(row[kolom]):
            continue
        parsed, problem = parse_date(row[kolom])
        if problem:
            errors.append(RijFout(line, kolom, problem))
        elif parsed is not None:
            bound = datum_buiten_grenzen(veld, parsed)
            if bound is not None:
                errors.append(RijFout(line, kolom, bound.probleem))
        values[veld] = parsed
    if not empty(row["bedrag_eurocent"]):
        cents, problem = parse_cents(row["bedrag_eurocent"])
        if problem:
            errors.append(RijFout(line, "bedrag_eurocent", problem))
        elif cents is not None:
            problem = _sign_problem(cents, credit)
            if problem:
                errors.append(RijFout(line, "bedrag_eurocent", problem))
            cents = abs(cents)
            if cents > MAX_BEDRAG:
                errors.append(RijFout(line, "bedrag_eurocent", f"{cents} eurocent is meer dan het maximum van "
                                      f"{MAX_BEDRAG} eurocent (10 miljoen euro) voor één factuur"))
        values["bedrag"] = cents
    if errors:
        # Still report what the core says about the cells that did parse, so that one
        # pass over the file names every problem.
        return errors + _core_problems(line, values, {e.kolom for e in errors}), None
    try:
        return [], Factuur(**values)  # type: ignore[arg-type]
    except OngeldigeFactuur as exc:
        return [RijFout(line, _VELD_KOLOM[f.veld], f.probleem) for f in exc.fouten], None


def _sign_problem(cents: int, credit: bool) -> str | None:
    """A negative amount only where a credit is meant: on a row naming the invoice it credits."""
    if credit and cents >= 0:
        return f"{cents}: een creditregel ({CREDIT} gevuld) heeft een negatief bedrag"
    if not credit and cents < 0:
        return (f"{cents} is negatief; een creditregel noemt in de kolom {CREDIT} de factuur die zij "
                "corrigeert")
    return None


def _core_problems(line: int, values: dict[str, object], reported: set[str | None]) -> list[RijFout]:
    """The core's checks on the cells that are present, so one pass reports them all."""
    probe = {
        "referentie": values.get("referentie") or "x",
        "bsn": values.get("bsn"),
        "betaler": values.get("betaler"),
        "aanbieder": values.get("aanbieder"),
        "product": values.get("product") or "x",
        "begin": values.get("begin") or date(2000, 1, 1),
        "einde": values.get("einde") or values.get("begin") or date(2000, 1, 1),
        "bedrag": values.get("bedrag") if values.get("bedrag") is not None else 1,
        "betaaldatum": values.get("betaaldatum") or date(2000, 1, 1),
    }
    try:
        Factuur(**probe)  # type: ignore[arg-type]
    except OngeldigeFactuur as exc:
        return [
            RijFout(line, _VELD_KOLOM[f.veld], f.probleem)
            for f in exc.fouten
            if _VELD_KOLOM[f.veld] not in reported
        ]
    return []


# --- JW323 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Jw323Fout:
    """A problem with a prestatie of a JW323, named by message and prestatie reference."""

    bericht: str
    referentie: str
    probleem: str

    def __str__(self) -> str:
        return f"{self.bericht}, prestatie {self.referentie}: {self.probleem}"


class Jw323ImportFout(ValueError):
    def __init__(self, fouten: Sequence[Jw323Fout]):
        self.fouten = tuple(fouten)
        super().__init__("JW323 niet ingelezen: " + "; ".join(map(str, self.fouten)))


def facturen_uit_jw323(
    berichten: Sequence[JW323],
    betaaldata: date | Mapping[str, date],
) -> tuple[Factuur, ...]:
    """The facturen of paid JW323 declaraties.

    Mapping (iJw 3.2, JW323): ``Header/Ontvanger`` (gemeentecode) → betaler;
    ``Header/Afzender`` (AGB code) → aanbieder; ``Client/Bsn`` → bsn; per ``Prestatie``:
    ``ReferentieNummer`` → referentie, ``ProductCategorie``/``ProductCode`` → product
    (``"categorie/code"``), ``ProductPeriode`` Begindatum/Einddatum → begin/einde (inclusive
    in both), ``IngediendBedrag`` (eurocent) → bedrag.

    A JW323 holds no payment date (payment is the gemeente's own booking, after the
    JW325 retourbericht): ``betaaldata`` is one date for all, or one per
    ``DeclaratieNummer``. Pass only the prestaties the gemeente paid (not those it
    rejected in its JW325). A credit prestatie (``DebetCredit`` C) is netted with the
    debit it names in ``VorigReferentieNummer`` among the messages given; a debit credited
    in full is no paid factuur and is left out. All-or-nothing: every problem is raised at
    once in :class:`Jw323ImportFout`.
    """
    fouten: list[Jw323Fout] = []
    debits: dict[tuple[str, str, str], dict] = {}
    credits: list[tuple[str, str, str, str, int, str]] = []
    for bericht in berichten:
        header = bericht.header
        bron = f"JW323 {header.afzender}/{header.identificatie}"
        decl = bericht.declaratie
        if isinstance(betaaldata, date):
            betaald = betaaldata
        else:
            betaald = betaaldata.get(decl.declaratie_nummer)
            if betaald is None:
                fouten.append(Jw323Fout(bron, "-", f"geen betaaldatum voor declaratie {decl.declaratie_nummer}"))
                continue
        for client in decl.clienten:
            for p in client.prestaties:
                key = (header.ontvanger, header.afzender, p.referentie_nummer)
                if p.debet_credit == "C":
                    if not p.vorig_referentie_nummer:
                        fouten.append(Jw323Fout(bron, p.referentie_nummer,
                                                "creditprestatie zonder VorigReferentieNummer"))
                        continue
                    credits.append((header.ontvanger, header.afzender, p.vorig_referentie_nummer,
                                    p.referentie_nummer, p.ingediend_bedrag, bron))
                    continue
                if key in debits:
                    fouten.append(Jw323Fout(bron, p.referentie_nummer, "ReferentieNummer komt dubbel voor"))
                    continue
                debits[key] = {
                    "bron": bron,
                    "referentie": p.referentie_nummer,
                    "bsn": client.bsn,
                    "betaler": header.ontvanger,
                    "aanbieder": header.afzender,
                    "product": f"{p.product_categorie}/{p.product_code}",
                    "begin": p.product_periode.begindatum,
                    "einde": p.product_periode.einddatum,
                    "bedrag": p.ingediend_bedrag,
                    "betaaldatum": betaald,
                }
    for betaler, aanbieder, vorig, ref, bedrag, bron in credits:
        debit = debits.get((betaler, aanbieder, vorig))
        if debit is None:
            fouten.append(Jw323Fout(bron, ref, f"VorigReferentieNummer {vorig} staat niet in de "
                                               "aangeboden debetprestaties"))
            continue
        if bedrag > debit["bedrag"]:
            fouten.append(Jw323Fout(bron, ref, f"credit {bedrag} is groter dan het resterende "
                                               f"debetbedrag {debit['bedrag']} van {vorig}"))
            continue
        debit["bedrag"] -= bedrag
    result: list[Factuur] = []
    for debit in debits.values():
        if debit["bedrag"] == 0:
            continue  # credited in full: nothing was paid
        bron = debit.pop("bron")
        try:
            factuur = Factuur(**debit)
        except OngeldigeFactuur as exc:
            fouten += [Jw323Fout(bron, debit["referentie"], str(f)) for f in exc.fouten]
            continue
        bounds = buiten_grenzen(factuur)
        if bounds:
            fouten += [Jw323Fout(bron, debit["referentie"], str(f)) for f in bounds]
        else:
            result.append(factuur)
    if fouten:
        raise Jw323ImportFout(fouten)
    return tuple(result)
