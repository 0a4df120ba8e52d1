"""The demo's caseloads (issue 20 item 6): on the first start every demo gemeente has a
caseload with BRP data from the local proefomgeving, and Utrecht has a signal of each kind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from woonplaatscheck.helpers import GBA_TESTSET
from wpb.service import sample_data, sample_data_caseload, sample_data_extra
from wpb.service.components.brp.models import BrpDocument
from wpb.service.components.clientenbestand.models import ClientToewijzing, Signaal
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import transaction

from ..helpers import SettableClock, count


def test_the_demo_gemeenten_get_a_caseload_and_signalen_of_every_kind(sqlite_factory, settings):
    clock = SettableClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    with transaction(sqlite_factory) as session:
        sample_data.seed(session)
        sample_data_extra.seed(session, settings, clock=clock)
    runs = sample_data_caseload.seed(sqlite_factory, settings, clock=clock)
    assert set(runs) == {"0344", "0307", "0355"}
    # Utrecht: a move to Zeist in ambulant care (1°), a stay begun while registered in
    # Amersfoort (2°), a stay that ends (then 1°: Zeist), a youth turning 18, two reviews.
    assert runs["0344"]["perSoort"] == {
        "andere_gemeente": 2, "review": 2, "einde_jeugdige": 1, "wijziging_gepland": 1}
    assert runs["0307"]["perSoort"] == {"andere_gemeente": 1}
    assert runs["0355"]["perSoort"] == {"andere_gemeente": 1}
    assert count(sqlite_factory, ClientToewijzing) == 10
    # All but the youth unknown to the BRP, and the two documents the message demo's
    # gemeenten attached to their transfers (kept in their own stores).
    assert count(sqlite_factory, BrpDocument) == 11
    with transaction(sqlite_factory) as session:
        moves = session.scalars(select(Signaal).where(Signaal.soort == "andere_gemeente")).all()
    assert sorted(s.verantwoordelijke_gemeente for s in moves) == ["0307", "0307", "0344", "0355"]


def _ask(app, bsn: str) -> list:
    from fastapi.testclient import TestClient

    answer = TestClient(app).post("/personen", json={
        "type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [bsn]})
    return answer.json()["personen"]


def test_the_mounted_proefomgeving_knows_the_sample_transfers_youths(sqlite_factory, settings):
    with transaction(sqlite_factory) as session:
        sample_data.seed(session)
        transfer_bsn = session.scalar(select(Overdracht.bsn).order_by(Overdracht.id))
    served, app = sample_data_caseload.proefomgeving(
        sqlite_factory, settings.with_(host="0.0.0.0", port=8123))
    assert served.brp_base_url == "http://127.0.0.1:8123/brp-proef"
    (person,) = _ask(app, transfer_bsn)
    assert person["burgerservicenummer"] == transfer_bsn
    assert _ask(app, "999999990") == []  # nobody else


@pytest.mark.shared
@pytest.mark.skipif(not GBA_TESTSET.exists(), reason="../shared GBA-V proefomgeving set absent")
def test_a_gba_v_extract_named_in_a_setting_is_answered_too(sqlite_factory, settings):
    from wpb.brp import gba

    extract = gba.read_extract(GBA_TESTSET, skip_invalid=True)
    some = next(p.bsn for p in extract.personen if p.bsn and len(extract.met_bsn(p.bsn)) == 1)
    with transaction(sqlite_factory) as session:
        sample_data.seed(session)
    _, without = sample_data_caseload.proefomgeving(sqlite_factory, settings)
    assert _ask(without, some) == []
    _, app = sample_data_caseload.proefomgeving(
        sqlite_factory, settings.with_(brp_proef_gba=GBA_TESTSET))
    assert [p["burgerservicenummer"] for p in _ask(app, some)] == [some]
