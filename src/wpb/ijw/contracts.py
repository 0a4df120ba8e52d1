"""Contracts between a gemeente and a provider, and the keuzehulp for a transferred youth.

A toewijzing presumes a contract: the iStandaarden leave products, units and prices to
"contractafspraken" between gemeente and aanbieder (UP028, OP296, TR418). wpb keeps of a
contract exactly what the messages need: the product (categorie and code), the eenheid,
the prijs per eenheid in eurocent (IV024: amounts in 1/100 euro), the frequentie and the
period. That is also the whole of the "light" maatwerkovereenkomst the
1-november-maatregel proposes: product, eenheid, prijs per eenheid, frequentie.

The keuzehulp (factsheet 1-november-maatregel, VNG/VWS 2021-11-02) for the ontvangende
gemeente of a transferred youth:

- option 1: it has a contract with the provider for the product: use it;
- option 4: otherwise it proposes a light maatwerkovereenkomst, prefilled from the
  latende gemeente's toewijzing (product, eenheid, frequentie) and, when known, the
  latende gemeente's price for it.

The keuzehulp's options 2 and 3 (joining another gemeente's or the regio's contract) are
not modelled: they are choices between contracts outside wpb.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum, IntEnum

from wpb.errors import FieldError, InvalidInput
from wpb.ijw import codelists as cl
from wpb.ijw import datatypes as dt
from wpb.ijw.models import Product, ToegewezenProduct


class ContractSoort(str, Enum):
    CONTRACT = "contract"
    LICHTE_MAATWERKOVEREENKOMST = "lichte_maatwerkovereenkomst"


def _contract_problems(*, gemeente: str | None, aanbieder: str | None, product: Product | None,
                       eenheid: str | None, prijs: int | None, frequentie: str | None,
                       ingangsdatum: date | None, einddatum: date | None) -> list[FieldError]:
    out: list[FieldError] = []

    def check(veld: str, ldt: dt.Ldt, value: object) -> None:
        if value is None:
            out.append(FieldError(veld, "ontbreekt"))
            return
        problem = ldt.problem(value)
        if problem:
            out.append(FieldError(veld, problem[1]))

    check("gemeente", dt.GEMEENTE, gemeente)
    check("aanbieder", dt.AGB_CODE, aanbieder)
    if product is None:
        out.append(FieldError("product", "ontbreekt"))
    else:
        check("product.categorie", dt.PRODUCT_CATEGORIE, product.categorie)
        if product.code is not None:
            check("product.code", dt.PRODUCT_CODE, product.code)
    check("eenheid", dt.EENHEID, eenheid)
    check("frequentie", dt.FREQUENTIE, frequentie)
    # CD087 on the declaration side: a price per unit exists unless the unit is euro's.
    if eenheid == cl.EENHEID_EURO:
        if prijs is not None:
            out.append(FieldError("prijs_per_eenheid", "hoort leeg te zijn bij eenheid 83 "
                                                       "(euro's): het volume is het bedrag"))
    else:
        check("prijs_per_eenheid", dt.BEDRAG, prijs)
    if ingangsdatum is None:
        out.append(FieldError("ingangsdatum", "ontbreekt"))
    elif einddatum is not None and einddatum < ingangsdatum:
        out.append(FieldError("einddatum", f"{einddatum} ligt vóór ingangsdatum {ingangsdatum}"))
    return out


@dataclass(frozen=True, kw_only=True)
class Contract:
    """A contract line between a gemeente and an aanbieder for one product."""

    gemeente: str  # CBS gemeentecode
    aanbieder: str  # AGB code
    product: Product  # a Product without code covers the whole categorie
    eenheid: str  # WJ756
    prijs_per_eenheid: int | None  # eurocent; None only with eenheid 83 (euro's)
    frequentie: str  # WMO757
    ingangsdatum: date
    einddatum: date | None = None  # last day (inclusive); None: open-ended
    soort: ContractSoort = ContractSoort.CONTRACT
    kenmerk: str | None = None

    def __post_init__(self) -> None:
        problems = _contract_problems(
            gemeente=self.gemeente, aanbieder=self.aanbieder, product=self.product,
            eenheid=self.eenheid, prijs=self.prijs_per_eenheid, frequentie=self.frequentie,
            ingangsdatum=self.ingangsdatum, einddatum=self.einddatum,
        )
        if problems:
            raise InvalidInput(problems, bron="contract")

    def geldig_op(self, dag: date) -> bool:
        return self.ingangsdatum <= dag and (self.einddatum is None or dag <= self.einddatum)

    def dekt(self, product: Product) -> bool:
        """True when this contract line covers ``product`` (same code, or same categorie
        when the contract names no code)."""
        if product.categorie != self.product.categorie:
            return False
        return self.product.code is None or self.product.code == product.code


def find_contract(contracten: Iterable[Contract], *, gemeente: str, aanbieder: str,
                  product: Product, op: date) -> Contract | None:
    """The contract of ``gemeente`` with ``aanbieder`` covering ``product`` on ``op``.

    A line naming the product code wins over a line for the whole categorie.
    """
    matches = [
        c for c in contracten
        if c.gemeente == gemeente and c.aanbieder == aanbieder and c.geldig_op(op)
        and c.dekt(product)
    ]
    matches.sort(key=lambda c: c.product.code is None)
    return matches[0] if matches else None


@dataclass(frozen=True, kw_only=True)
class ContractVoorstel:
    """A light maatwerkovereenkomst as proposed: every field, some maybe still empty."""

    gemeente: str
    aanbieder: str
    product: Product | None
    eenheid: str | None
    prijs_per_eenheid: int | None
    frequentie: str | None
    ingangsdatum: date
    einddatum: date | None
    bron: str  # where the prefilled values come from

    @property
    def ontbrekend(self) -> list[FieldError]:
        return _contract_problems(
            gemeente=self.gemeente, aanbieder=self.aanbieder, product=self.product,
            eenheid=self.eenheid, prijs=self.prijs_per_eenheid, frequentie=self.frequentie,
            ingangsdatum=self.ingangsdatum, einddatum=self.einddatum,
        )

    def als_contract(self, **aanvulling: object) -> Contract:
        """The contract once the missing fields are supplied (``prijs_per_eenheid=...``)."""
        values = {
            "gemeente": self.gemeente, "aanbieder": self.aanbieder, "product": self.product,
            "eenheid": self.eenheid, "prijs_per_eenheid": self.prijs_per_eenheid,
            "frequentie": self.frequentie, "ingangsdatum": self.ingangsdatum,
            "einddatum": self.einddatum,
        }
        unknown = set(aanvulling) - set(values)
        if unknown:
            raise TypeError(f"onbekende velden: {', '.join(sorted(unknown))}")
        values.update(aanvulling)
        return Contract(soort=ContractSoort.LICHTE_MAATWERKOVEREENKOMST, **values)  # type: ignore[arg-type]

    def to_json(self) -> dict:
        return {
            "gemeente": self.gemeente,
            "aanbieder": self.aanbieder,
            "product": (
                {"categorie": self.product.categorie, "code": self.product.code}
                if self.product else None
            ),
            "eenheid": self.eenheid,
            "prijsPerEenheid": self.prijs_per_eenheid,
            "frequentie": self.frequentie,
            "ingangsdatum": self.ingangsdatum.isoformat(),
            "einddatum": self.einddatum.isoformat() if self.einddatum else None,
            "bron": self.bron,
            "ontbrekend": [e.to_json() for e in self.ontbrekend],
        }


class KeuzehulpOptie(IntEnum):
    BESTAAND_CONTRACT = 1
    LICHTE_MAATWERKOVEREENKOMST = 4


@dataclass(frozen=True)
class KeuzehulpAdvies:
    optie: KeuzehulpOptie
    toelichting: str
    contract: Contract | None = None  # option 1
    voorstel: ContractVoorstel | None = None  # option 4

    def to_json(self) -> dict:
        return {
            "optie": int(self.optie),
            "toelichting": self.toelichting,
            "contract": None if self.contract is None else {
                "gemeente": self.contract.gemeente,
                "aanbieder": self.contract.aanbieder,
                "kenmerk": self.contract.kenmerk,
                "soort": self.contract.soort.value,
            },
            "voorstel": self.voorstel.to_json() if self.voorstel else None,
        }


def keuzehulp(
    *,
    ontvangende_gemeente: str,
    aanbieder: str,
    toewijzing: ToegewezenProduct,
    contracten: Iterable[Contract],
    op: date,
    latende_contract: Contract | None = None,
) -> KeuzehulpAdvies:
    """Which contract the ontvangende gemeente uses for the youth's care from ``op``.

    ``toewijzing`` is the latende gemeente's current toewijzing at ``aanbieder``;
    ``latende_contract`` its contract line for that product, when known, to take the price.
    """
    contracten = list(contracten)
    if toewijzing.product is not None:
        found = find_contract(contracten, gemeente=ontvangende_gemeente, aanbieder=aanbieder,
                              product=toewijzing.product, op=op)
        if found is not None:
            return KeuzehulpAdvies(
                KeuzehulpOptie.BESTAAND_CONTRACT,
                f"Gemeente {ontvangende_gemeente} heeft een contract met aanbieder {aanbieder} "
                f"voor dit product op {op.isoformat()}: gebruik dat (keuzehulp optie 1).",
                contract=found,
            )

    omvang = toewijzing.omvang
    if omvang is not None:
        eenheid, frequentie = omvang.eenheid, omvang.frequentie
    elif toewijzing.budget is not None:
        # A budget is an amount over the toewijzing's period.
        eenheid, frequentie = cl.EENHEID_EURO, cl.FREQUENTIE_TOTAAL
    else:
        eenheid = frequentie = None
    prijs = None
    bron = f"toewijzing {toewijzing.toewijzing_nummer} van de latende gemeente"
    if eenheid is not None and eenheid != cl.EENHEID_EURO and latende_contract is not None \
            and toewijzing.product is not None and latende_contract.dekt(toewijzing.product) \
            and latende_contract.eenheid == eenheid:
        prijs = latende_contract.prijs_per_eenheid
        bron += f" en het tarief uit het contract van gemeente {latende_contract.gemeente}"
    voorstel = ContractVoorstel(
        gemeente=ontvangende_gemeente,
        aanbieder=aanbieder,
        product=toewijzing.product,
        eenheid=eenheid,
        prijs_per_eenheid=prijs,
        frequentie=frequentie,
        ingangsdatum=op,
        einddatum=toewijzing.einddatum,
        bron=bron,
    )
    missing = ", ".join(e.pad for e in voorstel.ontbrekend)
    return KeuzehulpAdvies(
        KeuzehulpOptie.LICHTE_MAATWERKOVEREENKOMST,
        f"Gemeente {ontvangende_gemeente} heeft geen contract met aanbieder {aanbieder} voor "
        "dit product: stel een lichte maatwerkovereenkomst voor (keuzehulp optie 4), "
        f"ingevuld uit {bron}." + (f" Nog in te vullen: {missing}." if missing else ""),
        voorstel=voorstel,
    )


# --- contract lines from a table (CSV/XLSX, read by the caller) ------------------------------

CONTRACT_KOLOMMEN = ("gemeente", "aanbieder", "productcategorie", "productcode", "eenheid",
                     "prijs_per_eenheid", "frequentie", "ingangsdatum", "einddatum", "kenmerk")
"""The columns of a contract table: codes as in the iJw codelists (WJ756 eenheid, WMO757
frequentie), the price in eurocent (empty with eenheid 83), dates JJJJ-MM-DD."""


def _cell(value: object) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    return text or None


def contract_of_row(waarden: dict[str, object], bron: str) -> Contract:
    """One contract line from a table row (keyed by :data:`CONTRACT_KOLOMMEN`);
    :class:`~wpb.errors.InvalidInput` names every field at fault at once."""
    cells = {k: _cell(waarden.get(k)) for k in CONTRACT_KOLOMMEN}
    problems: list[FieldError] = []

    def day(veld: str) -> date | None:
        text = cells[veld]
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            problems.append(FieldError(veld, f"{text!r} is geen datum JJJJ-MM-DD"))
            return None

    prijs = None
    if cells["prijs_per_eenheid"] is not None:
        try:
            prijs = int(cells["prijs_per_eenheid"])  # type: ignore[arg-type]
        except ValueError:
            problems.append(FieldError("prijs_per_eenheid",
                                       "verwacht een bedrag in eurocent (een geheel getal)"))
    ingang, einde = day("ingangsdatum"), day("einddatum")
    categorie = cells["productcategorie"]
    product = Product(categorie=categorie, code=cells["productcode"]) if categorie else None
    problems += [p for p in _contract_problems(
        gemeente=cells["gemeente"], aanbieder=cells["aanbieder"], product=product,
        eenheid=cells["eenheid"], prijs=prijs, frequentie=cells["frequentie"],
        ingangsdatum=ingang, einddatum=einde) if p.pad not in {q.pad for q in problems}]
    if problems:
        raise InvalidInput(problems, bron=bron)
    return Contract(gemeente=cells["gemeente"], aanbieder=cells["aanbieder"],  # type: ignore[arg-type]
                    product=product, eenheid=cells["eenheid"],  # type: ignore[arg-type]
                    prijs_per_eenheid=prijs, frequentie=cells["frequentie"],  # type: ignore[arg-type]
                    ingangsdatum=ingang, einddatum=einde,  # type: ignore[arg-type]
                    kenmerk=cells["kenmerk"])
