"""Core BRP facts written back in the Haal Centraal field names (the reverse of
:mod:`wpb.brp.haal_centraal`), so a GBA-V extract can be answered by the proefomgeving."""

from __future__ import annotations

from wpb.law.dates import PartialDate, Precision
from wpb.law.facts import Verblijfplaats, VerblijfplaatsSoort


def datum(d: PartialDate) -> dict:
    if d.precision is Precision.DAY:
        return {"type": "Datum", "datum": d.earliest.isoformat()}
    if d.precision is Precision.MONTH:
        return {"type": "JaarMaandDatum", "jaar": d.earliest.year, "maand": d.earliest.month}
    if d.precision is Precision.YEAR:
        return {"type": "JaarDatum", "jaar": d.earliest.year}
    return {"type": "DatumOnbekend"}


def verblijfplaats(record: Verblijfplaats) -> dict:
    out: dict = {"type": record.soort.value, "datumVan": datum(record.periode.van)}
    if record.periode.tot is not None:
        out["datumTot"] = datum(record.periode.tot)
    if record.gemeente_code is not None:
        gemeente = {"code": record.gemeente_code}
        if record.gemeente_omschrijving:
            gemeente["omschrijving"] = record.gemeente_omschrijving
        out["gemeenteVanInschrijving"] = gemeente
    if record.soort is VerblijfplaatsSoort.BUITENLAND and record.land_code:
        out["verblijfadres"] = {"land": {"code": record.land_code,
                                         "omschrijving": record.land_omschrijving or ""}}
    if record.in_onderzoek:
        onderzoek: dict = {"type": "Adres"}
        if record.onderzoek_vanaf is not None:
            onderzoek["datumIngangOnderzoek"] = datum(record.onderzoek_vanaf)
        out["inOnderzoek"] = onderzoek
    if record.vastgesteld_niet_op_adres and record.niet_op_adres_vanaf is None:
        out["indicatieVastgesteldVerblijftNietOpAdres"] = True
    if record.niet_op_adres_vanaf is not None:
        out["verblijftNietOpAdresVanaf"] = datum(record.niet_op_adres_vanaf)
    if record.briefadres:
        out["functieAdres"] = {"code": "B", "omschrijving": "briefadres"}
    return out
