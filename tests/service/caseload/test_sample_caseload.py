"""The demo's caseloads (issue 20 item 6): on the first start every demo gemeente has a
caseload with BRP data from the local proefomgeving, and Utrecht has a signal of each kind."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from wpb.service import sample_data, sample_data_caseload, sample_data_extra
from wpb.service.components.brp.models import BrpDocument
from wpb.service.components.clientenbestand.models import ClientToewijzing, Signaal
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
    assert count(sqlite_factory, BrpDocument) == 9  # all but the youth unknown to the BRP
    with transaction(sqlite_factory) as session:
        moves = session.scalars(select(Signaal).where(Signaal.soort == "andere_gemeente")).all()
    assert sorted(s.verantwoordelijke_gemeente for s in moves) == ["0307", "0307", "0344", "0355"]
