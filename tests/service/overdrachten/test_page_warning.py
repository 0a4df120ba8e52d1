"""Issue 16 item 6: when the woonplaatstoets names another gemeente, the transfer page warns
and makes rejecting with that decision the primary action (accepting comes after it, as a
secondary button)."""

from __future__ import annotations

import json
from html import unescape

from wpb.service.app import create_app
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import by_public_id, deliver, row
from .test_pages import Browser


def page_with_decision(f, t, ctx, settings, clock, sqlite_engine, gemeente: str) -> str:
    [oid] = deliver(f, t.a, ctx, [row()]).nieuwe_overdrachten
    with transaction(f) as session:
        by_public_id(session, Overdracht, oid).woonplaats_beslissing = json.dumps({
            "wet": "jeugdwet", "status": "bepaald", "peildatum": "2021-10-15",
            "gemeente": {"code": gemeente, "naam": ctx.register.naam(gemeente)}, "toelichting": "verblijf", "reden": None,
            "grondslag": {"citeertitel": "Jeugdwet art. 1.1"}, "kandidaten": [], "ontbrekend": []})
    app = create_app(settings, clock=clock, engine=sqlite_engine)
    return unescape(Browser(app, "user-b").get(f"/overdrachten/{oid}").text)


def test_another_gemeente_named_makes_rejecting_primary(f, t, ctx, settings, clock, sqlite_engine):
    page = page_with_decision(f, t, ctx, settings, clock, sqlite_engine, "0355")
    assert "wijst Zeist (0355) aan als verantwoordelijke gemeente, niet uw gemeente" in page
    reject = page.index("Afwijzen met de woonplaatsbeslissing")
    accept = page.index("Overdracht accepteren")
    assert reject < accept
    assert 'class="knop knop-secundair">Overdracht accepteren' in page
    assert 'name="gebruikWoonplaatsbeslissing" value="ja" checked' in page


def test_own_gemeente_named_keeps_accepting_primary(f, t, ctx, settings, clock, sqlite_engine):
    page = page_with_decision(f, t, ctx, settings, clock, sqlite_engine, "0307")
    assert "niet uw gemeente" not in page
    assert page.index("Overdracht accepteren") < page.index("Overdracht afwijzen")
    assert 'class="knop">Overdracht accepteren' in page
