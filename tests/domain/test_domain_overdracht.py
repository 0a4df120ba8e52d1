"""The transfer state machine (wpb.domain.overdracht), checked against its table.

The expected rows are written here from the procedure (who may accept, reject, complete or
redirect a transfer, and from which state), not read from the module.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wpb.domain.overdracht import TRANSITIONS, Actie, Rol, Status, allowed_actions

# action: (from, to, by)
PROCEDURE = {
    Actie.ACCEPTEREN: ({Status.AANGELEVERD}, Status.GEACCEPTEERD, {Rol.ONTVANGENDE}),
    Actie.AFWIJZEN: ({Status.AANGELEVERD}, Status.AFGEWEZEN, {Rol.ONTVANGENDE}),
    Actie.AFRONDEN: ({Status.GEACCEPTEERD}, Status.AFGEROND, {Rol.ONTVANGENDE}),
    Actie.DOORSTUREN: ({Status.AFGEWEZEN}, Status.DOORGESTUURD, {Rol.LATENDE, Rol.COORDINATOR}),
    # Issue 16 item 4: the latende corrects or withdraws what it delivered while the transfer
    # is being handled; the ontvangende reconsiders a rejection and accepts after all; the
    # latende takes a rejected youth back.
    Actie.CORRIGEREN: ({Status.AANGELEVERD, Status.GEACCEPTEERD, Status.AFGEWEZEN}, None, {Rol.LATENDE}),
    Actie.INTREKKEN: ({Status.AANGELEVERD, Status.GEACCEPTEERD, Status.AFGEWEZEN}, Status.INGETROKKEN,
                      {Rol.LATENDE}),
    Actie.HEROVERWEGEN: ({Status.AFGEWEZEN}, Status.GEACCEPTEERD, {Rol.ONTVANGENDE}),
    Actie.TERUGNEMEN: ({Status.AFGEWEZEN}, Status.TERUGGENOMEN, {Rol.LATENDE}),
}
FINAL = {Status.AFGEROND, Status.DOORGESTUURD, Status.INGETROKKEN, Status.TERUGGENOMEN}


def test_every_action_follows_the_procedure():
    assert set(TRANSITIONS) == set(PROCEDURE)
    for actie, (van, naar, door) in PROCEDURE.items():
        t = TRANSITIONS[actie]
        assert (set(t.van), t.naar, set(t.door)) == (van, naar, door)


def test_completed_redirected_withdrawn_and_taken_back_transfers_are_final():
    assert allowed_actions(Status.AFGEROND) == ()
    assert allowed_actions("doorgestuurd") == ()
    assert allowed_actions("ingetrokken") == () and allowed_actions("teruggenomen") == ()


def test_a_provider_never_acts_on_a_transfer():
    assert all(Rol.AANBIEDER not in t.door for t in TRANSITIONS.values())


@given(st.sampled_from(list(Status)))
def test_allowed_actions_are_exactly_those_starting_in_the_status(status):
    expected = {a for a, (van, _naar, _door) in PROCEDURE.items() if status in van}
    assert set(allowed_actions(status)) == expected
    # Every action but a correction leads to another state; a correction keeps it.
    for a in allowed_actions(status):
        t = TRANSITIONS[a]
        assert (t.naar_vanuit(status) == status) == (a is Actie.CORRIGEREN)
    assert (allowed_actions(status) == ()) == (status in FINAL)
