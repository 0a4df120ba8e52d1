"""The API list of transfers sorts and filters as the pages do (issue 16 item 5): query
parameters for the order, the other gemeente, the aanleverdatum and free text; a BSN only
in the body of ``POST .../_zoek``. Every sort key of the statements is offered, no other."""

from __future__ import annotations

from typing import get_args

import pytest
from sqlalchemy import select

from wpb.service.components.beheer.tokens import issue_token
from wpb.service.components.overdrachten import queries, schemas
from wpb.service.db import transaction

from ..helpers import deliver, row, valid_bsns

V1 = "/api/v1"


@pytest.fixture
def auth(f, t):
    with transaction(f) as session:
        return {key: {"Authorization": f"Bearer {issue_token(session, getattr(t, key).gebruiker_id)}"}
                for key in ("a", "b", "p")}


@pytest.fixture
def five(f, t, ctx, clock):
    bsns = valid_bsns(5)
    ids = []
    for day, bsn, agb in zip((20, 12, 28, 5, 15), bsns, ("99000011", "99000022", "99000011",
                                                         "99000022", "99000011"), strict=True):
        clock.set(2021, 10, day)
        ids += deliver(f, t.a, ctx, [row(bsn=bsn, agb=agb)]).nieuwe_overdrachten
    return ids


def test_the_sort_keys_of_the_api_are_those_of_the_statements():
    assert set(get_args(schemas.SorteerLiteral)) == set(queries.SORT_KEYS)


def test_sort_filter_and_page_through_query_parameters(client, auth, five):
    def ids(**params):
        response = client.get(f"{V1}/overdrachten", headers=auth["b"], params=params)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["overdrachten"]]

    by_date = [five[3], five[1], five[4], five[0], five[2]]  # 5, 12, 15, 20, 28 October
    assert ids(sorteer="aanleverdatum") == by_date
    assert ids(sorteer="aanleverdatum", volgorde="aflopend") == by_date[::-1]
    assert ids(sorteer="aanleverdatum", paginaGrootte=2, pagina=2) == by_date[2:4]
    assert ids(sorteer="aanleverdatum", aanleverdatumVan="2021-10-12", aanleverdatumTot="2021-10-20") == by_date[1:4]
    assert ids(tekst="aanbieder q", sorteer="aanleverdatum") == [five[3], five[1]]
    assert ids(gemeente="0344", richting="inkomend", paginaGrootte=10) != []
    # All awaiting the answer under onderdeel A: one deadline, so the order they were made decides.
    assert ids() == five
    first = client.get(f"{V1}/overdrachten", headers=auth["b"]).json()["overdrachten"][0]
    assert first["termijn"] == "2021-12-31" and first["verantwoordelijkNu"]["code"] == "0307"
    assert first["aanbieder"] == {"agb": "99000011", "naam": "Aanbieder P", "aantal": 1}


@pytest.mark.parametrize("params", [{"sorteer": "bsn desc"}, {"volgorde": "omhoog"},
                                    {"tekst": "999990019"}, {"paginaGrootte": 201}])
def test_bad_list_parameters_are_400_naming_the_parameter(client, auth, five, params):
    response = client.get(f"{V1}/overdrachten", headers=auth["b"], params=params)
    assert response.status_code == 400
    names = {p["name"].removeprefix("query.") for p in response.json()["invalidParams"]}
    assert names == set(params)


def test_a_bsn_is_searched_in_the_body_with_the_list_columns(client, auth, five):
    with transaction(client.app.state.wpb.factory) as session:
        bsn = session.scalars(select(queries.Overdracht.bsn).where(
            queries.Overdracht.publiek_id == five[2])).one()
    found = client.post(f"{V1}/overdrachten/_zoek", headers=auth["b"], json={"bsn": bsn}).json()
    assert [o["id"] for o in found["overdrachten"]] == [five[2]]
    assert found["overdrachten"][0]["termijn"] == "2021-12-31"
