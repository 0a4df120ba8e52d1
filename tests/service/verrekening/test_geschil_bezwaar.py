"""The settlement's side of issue 18 item 12: an objection to a JW319 with reden 8 opens a
geschil about the youth between the two gemeenten, through the berichten component's port
(the service's assembly wires it; berichten itself never imports the geschillen)."""

from __future__ import annotations

import pytest

from wpb.service.app import wire_ports
from wpb.service.components.berichten import ports
from wpb.service.components.verrekening import geschillen
from wpb.service.db import transaction
from wpb.service.errors import NotFound

BSN = "999990019"


@pytest.fixture
def settings(settings):
    return settings.with_(pseudoniem_sleutel="sleutel-voor-de-test")


def test_the_assembly_wires_the_objection_to_the_geschillen():
    try:
        wire_ports()
        assert ports.PORTS.geschil is geschillen.open_geschil_for_bezwaar
        assert ports.PORTS.geschil_naam is geschillen.public_id_of
    finally:
        ports.reset()


def test_an_objection_is_a_geschil_about_the_youth_of_the_two_gemeenten(factory, tenants, ctx):
    # Utrecht (0344, a) objects to Amersfoort (0307, b) naming it with reden 8.
    with transaction(factory) as session:
        gid = geschillen.open_geschil_for_bezwaar(
            session, tenants.a, ctx, bsn=BSN, andere_gemeente="0307",
            omschrijving="Bezwaar tegen reden 8: de jeugdige woont in Amersfoort.")
        gid = geschillen.public_id_of(session, gid)  # the internal key, kept with the request
    for party in (tenants.a, tenants.b):
        with transaction(factory) as session:
            g = geschillen.read_geschil(session, party, ctx, gid)
        assert (g["onderwerp"], g["status"], g["niveau"], g["ingediendDoor"]) == (
            "jeugdige", "open", "regioadviseur", "gemeente:0344")
        assert {p["code"] for p in g["partijen"]} == {"0307", "0344"}
        assert g["jeugdige"] and BSN not in str(g)  # the youth by pseudonym only
    with pytest.raises(NotFound), transaction(factory) as session:
        geschillen.read_geschil(session, tenants.c, ctx, gid)
