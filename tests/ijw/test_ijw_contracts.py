"""Contracts and the keuzehulp (wpb.ijw.contracts).

Factsheet 1-november-maatregel: the ontvangende gemeente uses its existing contract with
the provider (option 1), otherwise proposes a light maatwerkovereenkomst: product,
eenheid, prijs per eenheid, frequentie (option 4).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijw_builders import AANBIEDER, toegewezen
from wpb.errors import InvalidInput
from wpb.ijw import models as m
from wpb.ijw.contracts import (
    CONTRACT_KOLOMMEN,
    Contract,
    ContractSoort,
    KeuzehulpOptie,
    contract_of_row,
    find_contract,
    keuzehulp,
)

A03 = m.Product(categorie="45", code="45A03")
CAT45 = m.Product(categorie="45")
OP = date(2022, 1, 1)


def contract(gemeente="0307", product=A03, prijs=7500, eenheid="04", frequentie="2",
             ingang=date(2021, 1, 1), eind=None, **kw) -> Contract:
    return Contract(gemeente=gemeente, aanbieder=AANBIEDER, product=product, eenheid=eenheid,
                    prijs_per_eenheid=prijs, frequentie=frequentie, ingangsdatum=ingang,
                    einddatum=eind, **kw)


def test_contract_fields_are_checked_all_at_once():
    with pytest.raises(InvalidInput) as info:
        Contract(gemeente="307", aanbieder="123", product=m.Product(categorie="99"),
                 eenheid="05", prijs_per_eenheid=-1, frequentie="3",
                 ingangsdatum=date(2022, 2, 1), einddatum=date(2022, 1, 1))
    assert {e.pad for e in info.value.errors} == {
        "gemeente", "aanbieder", "product.categorie", "eenheid", "frequentie",
        "prijs_per_eenheid", "einddatum"}


def test_price_in_eurocent_required_unless_the_unit_is_euros():
    with pytest.raises(InvalidInput, match="prijs_per_eenheid: ontbreekt"):
        contract(prijs=None)
    euro = contract(eenheid="83", prijs=None, frequentie="4")
    assert euro.prijs_per_eenheid is None
    with pytest.raises(InvalidInput, match="eenheid 83"):
        contract(eenheid="83", prijs=100)


def test_validity_period_is_inclusive():
    c = contract(ingang=date(2022, 1, 1), eind=date(2022, 12, 31))
    assert c.geldig_op(date(2022, 1, 1)) and c.geldig_op(date(2022, 12, 31))
    assert not c.geldig_op(date(2021, 12, 31)) and not c.geldig_op(date(2023, 1, 1))


def test_a_contract_covers_its_code_or_its_whole_categorie():
    assert contract().dekt(A03)
    assert not contract().dekt(m.Product(categorie="45", code="45A04"))
    assert contract(product=CAT45).dekt(m.Product(categorie="45", code="45A04"))
    assert not contract(product=CAT45).dekt(m.Product(categorie="43", code="43A01"))


def test_zoek_contract_prefers_the_specific_line_and_checks_parties_and_date():
    general = contract(product=CAT45, kenmerk="raam")
    specific = contract(kenmerk="specifiek")
    others = [contract(gemeente="0344", kenmerk="andere gemeente"),
              contract(ingang=date(2023, 1, 1), kenmerk="later")]
    found = find_contract([general, *others, specific], gemeente="0307", aanbieder=AANBIEDER,
                          product=A03, op=OP)
    assert found is specific
    assert find_contract(others, gemeente="0307", aanbieder=AANBIEDER, product=A03, op=OP) is None
    assert find_contract([general], gemeente="0307", aanbieder="65656055", product=A03,
                         op=OP) is None


def test_option_1_existing_contract_of_the_ontvangende_gemeente():
    existing = contract(kenmerk="C-1")
    advies = keuzehulp(ontvangende_gemeente="0307", aanbieder=AANBIEDER,
                       toewijzing=toegewezen(), contracten=[existing], op=OP)
    assert advies.optie is KeuzehulpOptie.BESTAAND_CONTRACT and advies.contract is existing
    assert advies.voorstel is None and "optie 1" in advies.toelichting
    assert advies.to_json()["optie"] == 1


def test_option_4_light_maatwerkovereenkomst_prefilled_from_the_latende_toewijzing():
    latende = contract(gemeente="0344", prijs=8125)
    advies = keuzehulp(ontvangende_gemeente="0307", aanbieder=AANBIEDER,
                       toewijzing=toegewezen(eind=date(2022, 7, 1)),
                       contracten=[contract(gemeente="0344")], op=OP, latende_contract=latende)
    assert advies.optie is KeuzehulpOptie.LICHTE_MAATWERKOVEREENKOMST and advies.contract is None
    v = advies.voorstel
    assert (v.gemeente, v.aanbieder, v.product, v.eenheid, v.frequentie, v.prijs_per_eenheid,
            v.ingangsdatum, v.einddatum) == ("0307", AANBIEDER, A03, "04", "2", 8125, OP,
                                             date(2022, 7, 1))
    assert v.ontbrekend == []
    made = v.als_contract()
    assert made.soort is ContractSoort.LICHTE_MAATWERKOVEREENKOMST and made.prijs_per_eenheid == 8125


def test_option_4_without_a_known_price_asks_for_it():
    advies = keuzehulp(ontvangende_gemeente="0307", aanbieder=AANBIEDER, toewijzing=toegewezen(),
                       contracten=[], op=OP)
    v = advies.voorstel
    assert v.prijs_per_eenheid is None
    assert [e.pad for e in v.ontbrekend] == ["prijs_per_eenheid"]
    assert "prijs_per_eenheid" in advies.toelichting
    with pytest.raises(InvalidInput):
        v.als_contract()
    assert v.als_contract(prijs_per_eenheid=9000).prijs_per_eenheid == 9000
    with pytest.raises(TypeError):
        v.als_contract(tarief=1)


def test_option_4_does_not_take_a_price_for_another_unit():
    per_dagdeel = contract(gemeente="0344", eenheid="16", prijs=30_000)
    advies = keuzehulp(ontvangende_gemeente="0307", aanbieder=AANBIEDER, toewijzing=toegewezen(),
                       contracten=[], op=OP, latende_contract=per_dagdeel)
    assert advies.voorstel.prijs_per_eenheid is None


def test_option_4_for_a_budget_toewijzing_is_in_euros():
    budget = toegewezen(product=CAT45, omvang=None, budget=250_000, eind=date(2022, 7, 1))
    advies = keuzehulp(ontvangende_gemeente="0307", aanbieder=AANBIEDER, toewijzing=budget,
                       contracten=[], op=OP)
    v = advies.voorstel
    assert (v.eenheid, v.frequentie, v.prijs_per_eenheid, v.ontbrekend) == ("83", "6", None, [])


def test_expired_contract_does_not_count():
    expired = contract(eind=date(2021, 12, 31))
    advies = keuzehulp(ontvangende_gemeente="0307", aanbieder=AANBIEDER, toewijzing=toegewezen(),
                       contracten=[expired], op=OP)
    assert advies.optie is KeuzehulpOptie.LICHTE_MAATWERKOVEREENKOMST


# --- contract lines from a table (wpb ijw verhuizing --contracten) ----------------------------


@given(
    gemeente=st.sampled_from(["0307", "0344", "0363"]),
    code=st.sampled_from([None, "45A03", "45A48"]),
    eenheid_prijs=st.one_of(st.tuples(st.just("04"), st.integers(0, 10_000_000)),
                            st.just(("83", None))),
    ingang=st.dates(date(2015, 1, 1), date(2030, 12, 31)),
    dagen=st.one_of(st.none(), st.integers(0, 3000)),
    as_text=st.booleans(),
)
def test_a_contract_line_reads_back_from_its_table_row(gemeente, code, eenheid_prijs, ingang,
                                                       dagen, as_text):
    """Whatever a valid contract says, written as a table row (text as in a CSV, or typed
    cells as in XLSX) it reads back as the same contract."""
    eenheid, prijs = eenheid_prijs
    eind = None if dagen is None else ingang + timedelta(days=dagen)
    c = contract(gemeente=gemeente, product=m.Product(categorie="45", code=code), prijs=prijs,
                 eenheid=eenheid, ingang=ingang, eind=eind, kenmerk="K-1")
    cells = [c.gemeente, c.aanbieder, "45", code, eenheid, prijs, c.frequentie, ingang, eind, "K-1"]
    if as_text:
        cells = ["" if v is None else (v.isoformat() if isinstance(v, date) else str(v))
                 for v in cells]
    assert contract_of_row(dict(zip(CONTRACT_KOLOMMEN, cells, strict=True)), "regel 2") == c


def test_a_bad_contract_row_names_every_field():
    row = dict(zip(CONTRACT_KOLOMMEN, ["307", "123", "45", "", "04", "zeven", "2",
                                       "2026-13-01", "", ""], strict=True))
    with pytest.raises(InvalidInput) as caught:
        contract_of_row(row, "contracten.csv regel 3")
    assert {e.pad for e in caught.value.errors} == {
        "gemeente", "aanbieder", "prijs_per_eenheid", "ingangsdatum"}
    assert caught.value.bron == "contracten.csv regel 3"
