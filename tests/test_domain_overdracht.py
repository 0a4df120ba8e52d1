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
}


def test_every_action_follows_the_procedure():
    assert set(TRANSITIONS) == set(PROCEDURE)
    for actie, (van, naar, door) in PROCEDURE.items():
        t = TRANSITIONS[actie]
        assert (set(t.van), t.naar, set(t.door)) == (van, naar, door)


def test_completed_and_redirected_transfers_are_final():
    assert allowed_actions(Status.AFGEROND) == ()
    assert allowed_actions("doorgestuurd") == ()


def test_a_provider_never_acts_on_a_transfer():
    assert all(Rol.AANBIEDER not in t.door for t in TRANSITIONS.values())


@given(st.sampled_from(list(Status)))
def test_allowed_actions_are_exactly_those_starting_in_the_status(status):
    expected = {a for a, (van, _naar, _door) in PROCEDURE.items() if status in van}
    assert set(allowed_actions(status)) == expected
    # Every action leads to another state: no action keeps a transfer where it is.
    assert all(TRANSITIONS[a].naar != status for a in allowed_actions(status))
