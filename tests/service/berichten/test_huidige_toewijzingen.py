"""Issue 18 item 10 in the service: the proposal of a JW301 names the client's other current
toewijzingen at that provider (IV094/OP087), read through ``voorstel.huidige_toewijzingen``.
That register is empty until the caseload is a service component; here it is filled by
hand to show the wiring: such a JW301 waits for a person and is not sent.
"""

from __future__ import annotations

from datetime import date

import pytest

from ijw_builders import AANBIEDER, jw315
from wpb.ijw.toewijzingen import HuidigeToewijzing
from wpb.service.components.berichten import antwoord, views, voorstel
from wpb.service.db import transaction
from wpb.service.errors import Conflict

from ..helpers import SettableClock
from .test_berichten import LIVES_IN_AMERSFOORT, RECEIPT, _transfer_with_brp, submit


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)


def test_the_register_is_empty_until_the_caseload_exists(factory):
    with transaction(factory) as session:
        assert voorstel.huidige_toewijzingen(session, "0307", "999990019") == ()


def test_a_current_toewijzing_in_the_register_holds_the_jw301_back(
    factory, tenants, provider, ctx, monkeypatch
):
    running = HuidigeToewijzing(AANBIEDER, date(2025, 1, 1), None, "7001", "45A01")
    monkeypatch.setattr(voorstel, "huidige_toewijzingen", lambda *_: (running,))
    monkeypatch.setattr(antwoord, "huidige_toewijzingen", lambda *_: (running,))
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT)
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with transaction(factory) as session:
        view = views.read_bericht_view(session, tenants.b, ctx, rid)
    (line,) = view["voorstel"]["ontbrekend"]
    assert "toewijzing 7001" in line and "OP087" in line
    with pytest.raises(Conflict, match="kan nog niet worden verstuurd"), \
            transaction(factory) as session:
        antwoord.approve_antwoord(session, tenants.b, ctx, rid)
