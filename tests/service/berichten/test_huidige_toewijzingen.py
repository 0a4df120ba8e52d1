"""Issue 18 item 10 in the service: a proposed JW301 answering a verzoek names the client's
other current toewijzingen at that provider (IV094/OP087). The register of current
toewijzingen is the addressed gemeente's own caseload (the clientenbestand component),
read through the berichten component's port as the service's assembly wires it.
"""

from __future__ import annotations

import pytest

from ijw_builders import AANBIEDER, BSN, jw315
from wpb.service.components.berichten import antwoord, views, voorstel
from wpb.service.components.clientenbestand import invoer
from wpb.service.db import transaction
from wpb.service.errors import Conflict

from ..caseload.files import export, regel
from ..helpers import SettableClock
from .test_berichten import LIVES_IN_AMERSFOORT, RECEIPT, _transfer_with_brp, submit


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(RECEIPT)  # 2026-04-02


def _caseload(factory, who, ctx, *rows: list[str]) -> None:
    """Import a caseload the way a gemeente does: check, then confirm."""
    content = export(*rows)
    with transaction(factory) as session:
        controle = invoer.check_import(session, who, content, "c.csv", ctx.register).controle
    with transaction(factory) as session:
        invoer.store_import(session, who, content, "c.csv", controle, ctx.register, ctx.now())


def _proposal(factory, tenants, provider, ctx) -> tuple[int, dict]:
    _transfer_with_brp(factory, LIVES_IN_AMERSFOORT)  # 0307 answers with a JW301
    rid = submit(factory, provider, ctx, jw315()).bericht_id
    with transaction(factory) as session:
        return rid, views.read_bericht_view(session, tenants.b, ctx, rid)["voorstel"]


def test_a_running_toewijzing_in_the_caseload_holds_the_jw301_back(
    factory, tenants, provider, ctx, wired
):
    # 0307's caseload: a toewijzing 7001 at the same provider since 2025-01-01, still
    # running on 2026-04-02 (OP087: it must be in the JW301 too).
    _caseload(factory, tenants.b, ctx,
              regel(BSN, agb=AANBIEDER, begin="2025-01-01", nummer="7001"))
    rid, proposal = _proposal(factory, tenants, provider, ctx)
    (line,) = proposal["ontbrekend"]
    assert "toewijzing 7001" in line and "45A01" in line and "OP087" in line
    with pytest.raises(Conflict, match="kan nog niet worden verstuurd"), \
            transaction(factory) as session:
        antwoord.approve_antwoord(session, tenants.b, ctx, rid)


def test_only_current_jeugdwet_toewijzingen_at_that_provider_count(
    factory, tenants, provider, ctx, wired
):
    _caseload(
        factory, tenants.b, ctx,
        regel(BSN, agb=AANBIEDER, begin="2025-01-01", einde="2026-03-31", nummer="7002"),  # ended
        regel(BSN, agb="99000011", begin="2025-01-01", nummer="7003"),  # another provider
    )
    _, proposal = _proposal(factory, tenants, provider, ctx)
    assert proposal["ontbrekend"] == []


def test_another_gemeentes_caseload_is_never_read(factory, tenants, provider, ctx, wired):
    # 0344 (tenants.a) has the youth at this provider; the JW315 is addressed to 0307.
    _caseload(factory, tenants.a, ctx, regel(BSN, agb=AANBIEDER, begin="2025-01-01", nummer="9"))
    _, proposal = _proposal(factory, tenants, provider, ctx)
    assert proposal["ontbrekend"] == []
    with transaction(factory) as session:
        assert voorstel.huidige_toewijzingen(session, "0307", BSN) == ()
        (t,) = voorstel.huidige_toewijzingen(session, "0344", BSN)
    assert (t.aanbieder, t.toewijzingnummer, t.einddatum) == (AANBIEDER, "9", None)


def test_unwired_the_register_is_empty(factory, tenants, ctx, unwired):
    _caseload(factory, tenants.b, ctx, regel(BSN, agb=AANBIEDER, begin="2025-01-01", nummer="1"))
    with transaction(factory) as session:
        assert voorstel.huidige_toewijzingen(session, "0307", BSN) == ()
