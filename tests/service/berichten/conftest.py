"""Fixtures of the iJw message tests."""

from __future__ import annotations

from datetime import datetime

import pytest

from ijw_builders import AANBIEDER
from wpb.service.auth.principal import principal_of
from wpb.service.components.beheer.models import Gebruiker, Organisatie
from wpb.service.db import transaction


@pytest.fixture
def provider(factory):
    """The provider of the builders' messages (AGB 42420001)."""
    with transaction(factory) as session:
        org = Organisatie(soort="aanbieder", code=AANBIEDER, naam="Aanbieder iJw")
        user = Gebruiker(organisatie=org, gebruikersnaam="user-ijw", naam="iJw",
                         wachtwoord_hash="x", actief=True, aangemaakt_op=datetime(2026, 1, 1))
        session.add(user)
        session.flush()
        return principal_of(user)


@pytest.fixture
def wired():
    """The ports of the berichten component wired as the service's assembly wires them
    (the caseload as register of toewijzingen, geschillen for an objection); unwired after."""
    from wpb.service.app import wire_ports
    from wpb.service.components.berichten import ports

    wire_ports()
    yield ports.PORTS
    ports.reset()


@pytest.fixture
def unwired():
    """The ports as a service not assembled has them (an earlier app in this process may
    have wired them); unwired after as well."""
    from wpb.service.components.berichten import ports

    ports.reset()
    yield ports.PORTS
    ports.reset()
