"""S10 (issue 19): global sequential ids revealed other tenants' volumes. Every resource the
service shows by id gets a public id, a random UUID4 in a unique column; the integer keys
never leave the service.

- the migration gives every existing row one (both databases), all different, all UUID4;
- the OpenAPI document names no resource by an integer (a path parameter or a property
  called ``id``/``...Id``/``...Ids``): every resource is switched;
- new rows get one, and successive rows' public ids say nothing about their order.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from sqlalchemy import text

from wpb.service import migrations
from wpb.service.db import make_engine
from wpb.service.openapi_export import export_openapi

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
NOW = datetime(2021, 10, 15, 12, 0)



def _integer(schema: dict) -> bool:
    options = [schema, *schema.get("anyOf", []), *([schema["items"]] if "items" in schema else [])]
    for option in options:
        if option.get("type") == "integer":
            return True
        if "items" in option and option["items"].get("type") == "integer":
            return True
    return False


def _named_by_integer(doc: dict) -> set[str]:
    found = set()
    for path, item in doc["paths"].items():
        for op in item.values():
            for p in op.get("parameters", []) if isinstance(op, dict) else []:
                if p["in"] == "path" and p["name"].endswith("_id") and _integer(p["schema"]):
                    found.add(f"path {path}")
    for name, schema in doc["components"]["schemas"].items():
        for prop, value in schema.get("properties", {}).items():
            if (prop == "id" or prop.endswith(("Id", "Ids"))) and _integer(value):
                found.add(f"{name}.{prop}")
    return found


def test_no_resource_is_named_by_an_integer_in_the_api():
    found = _named_by_integer(export_openapi())
    # A path like /salderingen/{saldering_id}/betaling is the same resource as its base.
    found = {re.sub(r"^(path /[^{]+\{[a-z_]+\}).*$", r"\1", f) for f in found}
    assert found == set(), "named by an integer key (S10)"


def _uuid(value: str) -> bool:
    return bool(UUID4.match(value)) and uuid.UUID(value).version == 4


def test_the_migration_gives_every_existing_row_its_own_public_id(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0008_overdrachten")
        with engine.begin() as c:
            for n in (1, 2, 3):
                c.execute(text(
                    "INSERT INTO overdrachten (id, latende_gemeente, ontvangende_gemeente, bsn, "
                    "geboortedatum, status, versie, aanleverdatum, aangemaakt_op, gewijzigd_op) "
                    "VALUES (:n, '0344', '0307', :bsn, :born, 'aangeleverd', 1, :day, :now, :now)"),
                    {"n": n, "bsn": f"99999001{n}", "born": date(2010, 5, 1), "day": date(2021, 10, 15),
                     "now": NOW})
                c.execute(text(
                    "INSERT INTO overdracht_regels (overdracht_id, aanbieder_agb, product, pgb, "
                    "aanleverdatum) VALUES (:n, '99000011', 'x', :f, :day)"),
                    {"n": n, "f": False, "day": date(2021, 10, 15)})
        migrations.upgrade(engine)
        with engine.begin() as c:
            transfers = c.execute(text("SELECT publiek_id FROM overdrachten ORDER BY id")).scalars().all()
            lines = c.execute(text("SELECT publiek_id FROM overdracht_regels ORDER BY id")).scalars().all()
        assert len(set(transfers + lines)) == 6 and all(_uuid(p) for p in transfers + lines)
        migrations.downgrade(engine, "0008_overdrachten")
        migrations.upgrade(engine)
    finally:
        engine.dispose()


def test_the_agreement_requests_get_their_public_ids_in_0012(db_url):
    """``ijw_instemmingen`` came after 0011: its own migration fills the rows it finds."""
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0011_publieke_ids")
        with engine.begin() as c:
            c.execute(text(
                "INSERT INTO ijw_berichten (id, publiek_id, berichttype, afzender, identificatie, "
                "inhoud_hash, ontvangen_op, bron, xsd_gecontroleerd, organisatie, status, versie) "
                "VALUES (1, :p, 'JW315', '99000011', 'B1', 'h', :now, 'ingediend', :f, '', "
                "'voorstel', 1)"), {"p": str(uuid.uuid4()), "now": NOW, "f": False})
            for n, gemeente in ((1, "0344"), (2, "0355")):
                c.execute(text(
                    "INSERT INTO ijw_instemmingen (id, bericht_id, gemeente, gevraagd_door, status, "
                    "reden, toelichting, versie, gevraagd_op) "
                    "VALUES (:n, 1, :g, '0307', 'gevraagd', '', '', 1, :now)"),
                    {"n": n, "g": gemeente, "now": NOW})
        migrations.upgrade(engine)
        with engine.begin() as c:
            asked = c.execute(text("SELECT publiek_id FROM ijw_instemmingen ORDER BY id")).scalars().all()
        assert len(set(asked)) == 2 and all(_uuid(p) for p in asked)
        migrations.downgrade(engine, "0011_publieke_ids")
        migrations.upgrade(engine)
    finally:
        engine.dispose()
