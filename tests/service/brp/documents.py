"""BRP documents of synthetic youths, in Haal Centraal field names, for the store's tests."""

from __future__ import annotations


def datum(d: str) -> dict:
    return {"type": "Datum", "datum": d}


def adres(code: str, van: str, tot: str | None = None) -> dict:
    record = {"type": "Adres", "datumVan": datum(van), "gemeenteVanInschrijving": {"code": code}}
    if tot:
        record["datumTot"] = datum(tot)
    return record


def document(bsn: str, geboren: str, *adressen: dict) -> dict:
    return {"jeugdige": {"burgerservicenummer": bsn, "geboorte": {"datum": datum(geboren)},
                         "verblijfplaatshistorie": list(adressen)}}


def hc_persoon(bsn: str, geboren: str, *adressen: dict) -> dict:
    """A person as the proefomgeving holds it (wpb.brp.proefomgeving.build_app)."""
    return {"burgerservicenummer": bsn, "geboorte": {"datum": datum(geboren)},
            "verblijfplaatsen": list(adressen)}
