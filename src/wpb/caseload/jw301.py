"""A caseload from the iJw JW301 toewijzing messages a gemeente sent.

Each ToegewezenProduct is a toewijzing: its ToewijzingNummer is its identity, the message's
receiver (an AGB code) its provider, the client's BSN and birth date its client. A later
message about the same ToewijzingNummer replaces the earlier one (iJw: a change is the
toewijzing sent again with a RedenWijziging), so a later JW301 that gives an Einddatum ends
the product in the caseload. "Later" is by Toewijzingsdatum and -tijd of the product, then the
message's dagtekening, then the order of the files.

The product category decides ``verblijf`` (:mod:`wpb.law.verblijf_categorie`); a product
whose category does not settle it is listed as a problem naming the message and the product.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wpb.caseload.model import JEUGDWET, Toewijzing
from wpb.caseload.read import Inlezing, RijFout
from wpb.ijw import models as m
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.xml_read import read_bericht
from wpb.law.verblijf_categorie import verblijf_volgens_categorie


def read_berichten(files: Iterable[Path], *, gemeente: str | None = None) -> Inlezing:
    """Every JW301 in ``files``; problems are listed per file (its name as the row's place)."""
    fouten: list[RijFout] = []
    gelezen: list[tuple[str, m.JW301]] = []
    for path in sorted(files):
        try:
            bericht = read_bericht(path.read_bytes(), bron=path.name)
        except BerichtOngeldig as exc:
            fouten += [RijFout(None, path.name, str(p)) for p in exc.problems]
            continue
        if not isinstance(bericht, m.JW301):
            fouten.append(RijFout(None, path.name, f"geen JW301 maar {bericht.type.value}"))
            continue
        if gemeente is not None and bericht.header.afzender != gemeente:
            fouten.append(RijFout(None, path.name, f"verzonden door gemeente "
                                  f"{bericht.header.afzender}, niet door {gemeente}"))
            continue
        gelezen.append((path.name, bericht))
    return uit_jw301(gelezen, fouten)


def uit_jw301(berichten: Iterable[tuple[str, m.JW301]], fouten: list[RijFout] | None = None) -> Inlezing:
    """The caseload the messages leave: the newest state of each ToewijzingNummer."""
    fouten = list(fouten or [])
    newest: dict[tuple[str, int], tuple[tuple, Toewijzing]] = {}
    count = 0
    for order, (naam, bericht) in enumerate(berichten):
        client = bericht.client
        for product in client.toegewezen_producten:
            count += 1
            bron = f"{naam}, toewijzing {product.toewijzing_nummer}"
            categorie = product.product.categorie if product.product else None
            verblijf = verblijf_volgens_categorie(categorie) if categorie else None
            if verblijf is None:
                fouten.append(RijFout(None, bron, f"productcategorie {categorie or 'ontbreekt'} "
                                      "zegt niet of er verblijf is; lever de toewijzing als "
                                      "regel in een export met de kolom verblijf"))
                continue
            when = (product.toewijzingsdatum, product.toewijzingstijd,
                    bericht.header.dagtekening, order)
            t = Toewijzing(
                bron=bron, bsn=client.bsn, geboortedatum=client.geboortedatum.datum,
                aanbieder_agb=bericht.header.ontvanger, productcategorie=categorie,
                productcode=product.product.code if product.product else None,
                begindatum=product.ingangsdatum, einddatum=product.einddatum,
                verblijf=verblijf, verblijf_uit_categorie=True, wet=JEUGDWET,
                toewijzingnummer=str(product.toewijzing_nummer),
            )
            key = (bericht.header.afzender, product.toewijzing_nummer)
            if key not in newest or newest[key][0] <= when:
                newest[key] = (when, t)
    kept = tuple(t for _, t in newest.values())
    return Inlezing("JW301-berichten", kept, tuple(fouten), count)
