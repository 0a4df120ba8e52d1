"""The transfer's state machine, who may do what, redirecting, rules and tasks.

Allowed transitions (issue 4): aangeleverd → geaccepteerd → afgerond; aangeleverd →
afgewezen (with mandatory onderbouwing) → doorgestuurd (a new transfer to another
municipality). Afgerond needs the toewijzing's date and reference.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import select

from wpb.domain import overdracht
from wpb.domain.overdracht import Actie, Status
from wpb.service.components.overdrachten import access, changes, listing, transitions
from wpb.service.components.overdrachten import tasks as task_rules
from wpb.service.components.overdrachten.models import Overdracht, OverdrachtRegel
from wpb.service.db import transaction
from wpb.service.errors import Conflict, Forbidden, InvalidRequest, NotFound

from ..helpers import by_public_id, deliver, row

BSN = "999990019"


def new_transfer(f, t, ctx, **kwargs) -> int:
    """A transfer from A (Utrecht) to B (Amersfoort) with one line for provider P."""
    stored = deliver(f, t.a, ctx, [row(**kwargs)])
    return stored.nieuwe_overdrachten[0]


_corrections = itertools.count()


def act(f, principal, ctx, actie: Actie, overdracht_id: int, **kwargs) -> dict:
    """Take ``actie`` through the service function the API and the pages call."""
    with transaction(f) as session:
        if actie is Actie.CORRIGEREN:
            line = session.scalar(select(OverdrachtRegel.publiek_id).join(Overdracht).where(
                Overdracht.publiek_id == overdracht_id).order_by(OverdrachtRegel.id))
            kwargs.setdefault("regel_id", line or "geen")
            kwargs.setdefault("product", f"Gecorrigeerd product {next(_corrections)}")
            return changes.correct(session, principal, ctx, overdracht_id, **kwargs)
        if actie is Actie.INTREKKEN:
            kwargs.setdefault("reden", "verkeerde jeugdige")
            return changes.withdraw(session, principal, ctx, overdracht_id, **kwargs)
        if actie is Actie.HEROVERWEGEN:
            return changes.reconsider(session, principal, ctx, overdracht_id, **kwargs)
        if actie is Actie.TERUGNEMEN:
            return changes.take_back(session, principal, ctx, overdracht_id, **kwargs)
        if actie is Actie.ACCEPTEREN:
            return transitions.accept(session, principal, ctx, overdracht_id, **kwargs)
        if actie is Actie.AFWIJZEN:
            kwargs.setdefault("onderbouwing", "Jeugdige woonde voor het verblijf in Zeist.")
            return transitions.reject(session, principal, ctx, overdracht_id, **kwargs)
        if actie is Actie.AFRONDEN:
            kwargs.setdefault("toewijzing_ingangsdatum", date(2022, 1, 1))
            kwargs.setdefault("toewijzing_referentie", "TW-1")
            return transitions.complete(session, principal, ctx, overdracht_id, **kwargs)
        kwargs.setdefault("gemeente", "0355")
        return transitions.redirect(session, principal, ctx, overdracht_id, **kwargs)


def actor(t, actie: Actie):
    latende = {Actie.DOORSTUREN, Actie.CORRIGEREN, Actie.INTREKKEN, Actie.TERUGNEMEN}
    return t.a if actie in latende else t.b


def in_status(f, t, ctx, status: Status) -> int:
    oid = new_transfer(f, t, ctx)
    path = {
        Status.AANGELEVERD: [],
        Status.GEACCEPTEERD: [Actie.ACCEPTEREN],
        Status.AFGEROND: [Actie.ACCEPTEREN, Actie.AFRONDEN],
        Status.AFGEWEZEN: [Actie.AFWIJZEN],
        Status.DOORGESTUURD: [Actie.AFWIJZEN, Actie.DOORSTUREN],
        Status.INGETROKKEN: [Actie.INTREKKEN],
        Status.TERUGGENOMEN: [Actie.AFWIJZEN, Actie.TERUGNEMEN],
    }[status]
    for actie in path:
        act(f, actor(t, actie), ctx, actie, oid)
    return oid


def status_of(f, oid: int) -> str:
    with transaction(f) as session:
        return by_public_id(session, Overdracht, oid).status


ALLOWED = {
    (Status.AANGELEVERD, Actie.ACCEPTEREN): Status.GEACCEPTEERD,
    (Status.AANGELEVERD, Actie.AFWIJZEN): Status.AFGEWEZEN,
    (Status.GEACCEPTEERD, Actie.AFRONDEN): Status.AFGEROND,
    (Status.AFGEWEZEN, Actie.DOORSTUREN): Status.DOORGESTUURD,
    # Issue 16 item 4: a correction keeps the status; withdrawal while being handled;
    # reconsideration and take-back after a rejection.
    **{(s, Actie.CORRIGEREN): s for s in (Status.AANGELEVERD, Status.GEACCEPTEERD, Status.AFGEWEZEN)},
    **{(s, Actie.INTREKKEN): Status.INGETROKKEN
       for s in (Status.AANGELEVERD, Status.GEACCEPTEERD, Status.AFGEWEZEN)},
    (Status.AFGEWEZEN, Actie.HEROVERWEGEN): Status.GEACCEPTEERD,
    (Status.AFGEWEZEN, Actie.TERUGNEMEN): Status.TERUGGENOMEN,
}


def test_the_table_in_the_code_is_the_one_of_the_issue():
    assert {
        (van, actie): t.naar_vanuit(van) for actie, t in overdracht.TRANSITIONS.items() for van in t.van
    } == ALLOWED


@pytest.mark.parametrize("actie", list(Actie))
@pytest.mark.parametrize("status", list(Status))
def test_every_transition_allowed_or_refused(f, t, ctx, status, actie):
    oid = in_status(f, t, ctx, status)
    if (status, actie) in ALLOWED:
        act(f, actor(t, actie), ctx, actie, oid)
        assert status_of(f, oid) == ALLOWED[(status, actie)].value
    else:
        with pytest.raises(Conflict) as info:
            act(f, actor(t, actie), ctx, actie, oid)
        assert info.value.extra["huidigeStatus"] == status.value
        assert status_of(f, oid) == status.value


@pytest.mark.parametrize(
    ("actie", "who", "error"),
    [
        (Actie.ACCEPTEREN, "a", Forbidden),  # the latende cannot accept its own transfer
        (Actie.ACCEPTEREN, "p", Forbidden),  # the provider sees it, but may not act
        (Actie.ACCEPTEREN, "coordinator", Forbidden),
        (Actie.ACCEPTEREN, "c", NotFound),  # not a party: does not even see it
        (Actie.ACCEPTEREN, "q", NotFound),  # a provider without a line in it
        (Actie.AFWIJZEN, "a", Forbidden),
        (Actie.AFWIJZEN, "c", NotFound),
    ],
)
def test_only_the_ontvangende_gemeente_accepts_or_rejects(f, t, ctx, actie, who, error):
    oid = new_transfer(f, t, ctx)
    with pytest.raises(error):
        act(f, getattr(t, who), ctx, actie, oid)
    assert status_of(f, oid) == "aangeleverd"


def test_only_the_ontvangende_gemeente_completes(f, t, ctx):
    oid = in_status(f, t, ctx, Status.GEACCEPTEERD)
    for who, error in (("a", Forbidden), ("p", Forbidden), ("c", NotFound)):
        with pytest.raises(error):
            act(f, getattr(t, who), ctx, Actie.AFRONDEN, oid)
    assert status_of(f, oid) == "geaccepteerd"


def test_redirect_by_latende_or_coordinator_only(f, t, ctx):
    oid = in_status(f, t, ctx, Status.AFGEWEZEN)
    for who, error in (("b", Forbidden), ("p", Forbidden), ("c", NotFound)):
        with pytest.raises(error):
            act(f, getattr(t, who), ctx, Actie.DOORSTUREN, oid)
    new = act(f, t.coordinator, ctx, Actie.DOORSTUREN, oid)
    assert new["status"] == "aangeleverd"


# --- what each action needs ----------------------------------------------------------------


@pytest.mark.parametrize("onderbouwing", [None, "", "   "])
def test_reject_needs_an_onderbouwing(f, t, ctx, onderbouwing):
    oid = new_transfer(f, t, ctx)
    with pytest.raises(InvalidRequest) as info:
        act(f, t.b, ctx, Actie.AFWIJZEN, oid, onderbouwing=onderbouwing)
    assert [name for name, _ in info.value.invalid_params] == ["onderbouwing"]
    assert status_of(f, oid) == "aangeleverd"


def test_reject_with_the_woonplaats_decision_needs_one(f, t, ctx):
    oid = new_transfer(f, t, ctx)
    with pytest.raises(InvalidRequest) as info:
        act(f, t.b, ctx, Actie.AFWIJZEN, oid, onderbouwing=None, gebruik_woonplaatsbeslissing=True)
    assert info.value.invalid_params[0][0] == "gebruikWoonplaatsbeslissing"


def test_reject_stores_the_onderbouwing_and_date(f, t, ctx, clock):
    oid = new_transfer(f, t, ctx)
    clock.set(2021, 10, 28)
    view = act(f, t.b, ctx, Actie.AFWIJZEN, oid, onderbouwing="Niet onze inwoner.")
    assert view["afwijzing"] == {"datum": "2021-10-28", "onderbouwing": "Niet onze inwoner.", "beslissing": None}


def test_complete_needs_date_and_reference_all_reported_at_once(f, t, ctx):
    oid = in_status(f, t, ctx, Status.GEACCEPTEERD)
    with pytest.raises(InvalidRequest) as info:
        act(f, t.b, ctx, Actie.AFRONDEN, oid, toewijzing_ingangsdatum=None, toewijzing_referentie=" ")
    assert [n for n, _ in info.value.invalid_params] == ["toewijzingIngangsdatum", "toewijzingReferentie"]
    assert status_of(f, oid) == "geaccepteerd"


def test_complete_records_the_toewijzing(f, t, ctx, clock):
    oid = in_status(f, t, ctx, Status.GEACCEPTEERD)
    clock.set(2022, 1, 10)
    view = act(f, t.b, ctx, Actie.AFRONDEN, oid, toewijzing_ingangsdatum=date(2022, 1, 1),
               toewijzing_referentie="TW-2022-7")
    assert view["afronding"] == {
        "datum": "2022-01-10", "toewijzingIngangsdatum": "2022-01-01", "toewijzingReferentie": "TW-2022-7"
    }


@pytest.mark.parametrize(
    ("gemeente", "reason"),
    [
        (None, "verplicht"),
        ("0344", "latende gemeente zelf"),
        ("0307", "afwees"),
        ("9999", "onbekende gemeentecode"),
        ("03", "4 cijfers"),
        ("0003", "bestaat niet op"),  # Appingedam ended in 2021
    ],
)
def test_redirect_needs_another_existing_municipality(f, t, ctx, gemeente, reason):
    oid = in_status(f, t, ctx, Status.AFGEWEZEN)
    with pytest.raises(InvalidRequest) as info:
        act(f, t.a, ctx, Actie.DOORSTUREN, oid, gemeente=gemeente)
    assert reason in info.value.invalid_params[0][1]
    assert status_of(f, oid) == "afgewezen"


def test_redirect_creates_a_new_transfer_delivered_today(f, t, ctx, clock):
    oid = in_status(f, t, ctx, Status.AFGEWEZEN)
    clock.set(2021, 11, 10)
    new = act(f, t.a, ctx, Actie.DOORSTUREN, oid, gemeente="0355")
    assert new["ontvangendeGemeente"]["code"] == "0355"
    assert new["aanleverdatum"] == "2021-11-10" and new["vorigeOverdrachtId"] == oid
    assert [r["aanbiederAgb"] for r in new["regels"]] == ["99000011"]
    with transaction(f) as session:
        old = by_public_id(session, Overdracht, oid)
        assert (old.status, by_public_id(session, Overdracht, old.volgende_id).publiek_id,
                old.doorgestuurd_op) == ("doorgestuurd", new["id"], date(2021, 11, 10)
        )
        # The new municipality sees the new transfer; the one that rejected only the old one.
        access.get_visible(session, t.c, new["id"])
        access.get_visible(session, t.b, oid)
        with pytest.raises(NotFound):
            access.get_visible(session, t.b, new["id"])
        with pytest.raises(NotFound):
            access.get_visible(session, t.c, oid)


def test_stale_versie_is_a_conflict(f, t, ctx):
    oid = new_transfer(f, t, ctx)
    with pytest.raises(Conflict) as info:
        act(f, t.b, ctx, Actie.ACCEPTEREN, oid, versie=7)
    assert info.value.extra["huidigeVersie"] == 1
    view = act(f, t.b, ctx, Actie.ACCEPTEREN, oid, versie=1)
    assert view["versie"] == 2


def test_timeline_records_each_step(f, t, ctx):
    oid = in_status(f, t, ctx, Status.AFGEROND)
    with transaction(f) as session:
        view = listing.read_transfer(session, t.a, ctx, oid)
    assert [(g["soort"], g["vanStatus"], g["naarStatus"], g["organisatie"]) for g in view["gebeurtenissen"]] == [
        ("aangeleverd", None, "aangeleverd", "gemeente:0344"),
        ("accepteren", "aangeleverd", "geaccepteerd", "gemeente:0307"),
        ("afronden", "geaccepteerd", "afgerond", "gemeente:0307"),
    ]


def test_possible_actions_depend_on_role_and_state(f, t, ctx):
    oid = new_transfer(f, t, ctx)
    with transaction(f) as session:
        assert listing.read_transfer(session, t.b, ctx, oid)["mogelijkeActies"] == ["accepteren", "afwijzen"]
        assert listing.read_transfer(session, t.a, ctx, oid)["mogelijkeActies"] == ["corrigeren", "intrekken"]
        assert listing.read_transfer(session, t.p, ctx, oid)["mogelijkeActies"] == []


# --- responsibility (1-november-maatregel) ------------------------------------------------


def responsible(f, principal, ctx, oid, day: date) -> str:
    with transaction(f) as session:
        return task_rules.read_responsibility(session, principal, ctx, oid, day)["gemeente"]["code"]


def test_delivered_before_1_november_makes_the_ontvangende_responsible(f, t, ctx, clock):
    clock.set(2021, 10, 31)
    oid = new_transfer(f, t, ctx)
    assert responsible(f, t.a, ctx, oid, date(2021, 12, 31)) == "0344"  # before 2022: latende
    assert responsible(f, t.a, ctx, oid, date(2022, 1, 1)) == "0307"


def test_delivered_on_1_november_is_not_in_time(f, t, ctx, clock):
    clock.set(2021, 11, 1)
    oid = new_transfer(f, t, ctx)
    assert responsible(f, t.b, ctx, oid, date(2022, 1, 1)) == "0344"
    act(f, t.b, ctx, Actie.ACCEPTEREN, oid)
    clock.set(2022, 2, 1)
    act(f, t.b, ctx, Actie.AFRONDEN, oid)
    assert responsible(f, t.b, ctx, oid, date(2022, 1, 31)) == "0344"
    assert responsible(f, t.b, ctx, oid, date(2022, 2, 1)) == "0307"


def test_rejected_before_1_november_keeps_the_latende_responsible(f, t, ctx, clock):
    oid = new_transfer(f, t, ctx)
    clock.set(2021, 10, 29)
    act(f, t.b, ctx, Actie.AFWIJZEN, oid)
    with transaction(f) as session:
        result = task_rules.read_responsibility(session, t.a, ctx, oid, date(2022, 3, 1))
    assert result["gemeente"]["code"] == "0344"
    assert result["tak"]["code"] == "b_tijdig_afgewezen"
    assert result["bron"]["titel"] == "Factsheet 1-november-maatregel"


def test_detail_shows_the_timeline_of_responsibility(f, t, ctx):
    oid = new_transfer(f, t, ctx)
    with transaction(f) as session:
        view = listing.read_transfer(session, t.p, ctx, oid)
    [period] = view["verantwoordelijkheid"]["tijdlijn"]
    assert (period["van"], period["tot"], period["gemeente"]["code"]) == ("2022-01-01", None, "0307")


# --- tasks ---------------------------------------------------------------------------------


def task_codes(tasks: list[dict]) -> list[str]:
    return [task["code"] for task in tasks]


def test_tasks_per_party_follow_the_rule(f, t, ctx):
    oid = new_transfer(f, t, ctx)  # delivered 2021-10-15: onderdeel A
    with transaction(f) as session:
        for_gemeente = task_rules.read_tasks(session, t.b, ctx, oid)
        for_provider = task_rules.read_tasks(session, t.p, ctx, oid)
    assert "ontvangende.accepteren" in task_codes(for_gemeente)
    assert "latende.aanbieder_informeren" in task_codes(for_gemeente)
    assert set(task_codes(for_provider)) == {c for c in task_codes(for_gemeente) if c.startswith("aanbieder.")}
    assert all(task["partij"] == "aanbieder" for task in for_provider)


def test_a_party_marks_its_own_task_done(f, t, ctx):
    oid = new_transfer(f, t, ctx)
    with transaction(f) as session:
        task = task_rules.mark_task(session, t.b, ctx, oid, "ontvangende.contracteren", True)
    assert task["gedaan"] and task["gedaanDoor"] == "gemarkeerd" and task["status"] == "gedaan"
    with transaction(f) as session:
        seen_by_a = {x["code"]: x for x in task_rules.read_tasks(session, t.a, ctx, oid)}
    assert seen_by_a["ontvangende.contracteren"]["gedaan"] is True
    with transaction(f) as session:
        task = task_rules.mark_task(session, t.b, ctx, oid, "ontvangende.contracteren", False)
    assert task["gedaan"] is False


@pytest.mark.parametrize(
    ("who", "code", "error"),
    [
        ("a", "ontvangende.contracteren", Forbidden),  # the other gemeente's task
        ("b", "latende.aanbieder_informeren", Forbidden),
        ("p", "ontvangende.contracteren", NotFound),  # a provider does not see gemeente tasks
        ("coordinator", "ontvangende.contracteren", Forbidden),
        ("b", "bestaat.niet", NotFound),
        ("c", "ontvangende.contracteren", NotFound),
    ],
)
def test_nobody_marks_another_partys_task(f, t, ctx, who, code, error):
    oid = new_transfer(f, t, ctx)
    with pytest.raises(error), transaction(f) as session:
        task_rules.mark_task(session, getattr(t, who), ctx, oid, code, True)


def test_each_provider_marks_its_own_provider_tasks(f, t, ctx):
    stored = deliver(f, t.a, ctx, [row(), row(agb="99000022")])
    [oid] = stored.nieuwe_overdrachten
    code = "aanbieder.gemeente_nagaan"
    with transaction(f) as session:
        task_rules.mark_task(session, t.p, ctx, oid, code, True)
    with transaction(f) as session:
        p_view = {x["code"]: x["gedaan"] for x in task_rules.read_tasks(session, t.p, ctx, oid)}
        q_view = {x["code"]: x["gedaan"] for x in task_rules.read_tasks(session, t.q, ctx, oid)}
        b_view = {x["code"]: x["gedaan"] for x in task_rules.read_tasks(session, t.b, ctx, oid)}
    assert (p_view[code], q_view[code], b_view[code]) == (True, False, False)
    with transaction(f) as session:
        task_rules.mark_task(session, t.q, ctx, oid, code, True)
        b_view = {x["code"]: x["gedaan"] for x in task_rules.read_tasks(session, t.b, ctx, oid)}
    assert b_view[code] is True  # done for the gemeente once every provider did it


def test_overdue_tasks_in_the_list_and_overview(f, t, ctx, clock):
    oid = new_transfer(f, t, ctx)
    clock.set(2022, 1, 5)
    with transaction(f) as session:
        overdue = task_rules.task_list(session, t.b, ctx, alleen_te_laat=True)
        overview = task_rules.overview(session, t.b, ctx)
    assert overdue and all(x["teLaat"] and x["overdrachtId"] == oid for x in overdue)
    assert all(x["gemeente"]["code"] == "0307" for x in overdue)
    [entry] = overview["gemeenten"]
    assert entry["gemeente"]["code"] == "0307"
    assert entry["inkomend"]["aangeleverd"] == 1 and entry["takenTeLaat"] == len(overdue)


def test_an_acceptance_in_time_makes_the_accept_task_done_not_overdue(f, t, ctx, clock):
    # Onderdeel A: "accepteer zonder voorafgaande toets" vóór 2022-01-01. The acceptance
    # itself is the fact that shows the task done; nobody has to tick it off as well.
    oid = new_transfer(f, t, ctx)  # delivered 2021-10-15
    other = new_transfer(f, t, ctx, bsn="999990020")  # never accepted
    clock.set(2021, 12, 1)
    act(f, t.b, ctx, Actie.ACCEPTEREN, oid)
    clock.set(2022, 1, 5)
    with transaction(f) as session:
        tasks = {x["code"]: x for x in task_rules.read_tasks(session, t.b, ctx, oid)}
        overdue = task_rules.task_list(session, t.b, ctx, alleen_te_laat=True)
    accept = tasks["ontvangende.accepteren"]
    assert accept["gedaan"] and not accept["teLaat"] and accept["status"] == "gedaan"
    assert accept["gedaanDoor"] == "overdracht geaccepteerd op 2021-12-01"
    assert not tasks["ontvangende.toewijzing_sturen"]["gedaan"]
    late = {(x["overdrachtId"], x["code"]) for x in overdue}
    assert (oid, "ontvangende.accepteren") not in late
    assert (other, "ontvangende.accepteren") in late


def test_transfers_after_the_measure_have_no_tasks(f, t, ctx, clock):
    clock.set(2025, 9, 1)
    oid = new_transfer(f, t, ctx)
    with transaction(f) as session:
        assert task_rules.read_tasks(session, t.b, ctx, oid) == []


# --- lists and search ----------------------------------------------------------------------


def test_list_by_direction_and_status(f, t, ctx):
    out = new_transfer(f, t, ctx)  # A → B
    incoming = deliver(f, t.b, ctx, [row("999990020", ontvangende="0344")]).nieuwe_overdrachten[0]
    act(f, t.a, ctx, Actie.ACCEPTEREN, incoming)
    with transaction(f) as session:
        ids = lambda **kw: [o["id"] for o in listing.list_transfers(session, t.a, ctx, **kw).items]  # noqa: E731
        assert ids(richting=listing.Richting.UITGAAND) == [out]
        assert ids(richting=listing.Richting.INKOMEND) == [incoming]
        assert ids(status=[Status.GEACCEPTEERD]) == [incoming]
        assert sorted(ids()) == sorted([out, incoming])
        with pytest.raises(InvalidRequest):
            listing.list_transfers(session, t.p, ctx, richting=listing.Richting.INKOMEND)
        with pytest.raises(InvalidRequest):
            listing.list_transfers(session, t.a, ctx, pagina_grootte=0)


def test_search_by_bsn_only_finds_visible_transfers(f, t, ctx):
    oid = new_transfer(f, t, ctx)
    with transaction(f) as session:
        assert [o["id"] for o in listing.search_by_bsn(session, t.b, ctx, BSN)] == [oid]
        assert listing.search_by_bsn(session, t.c, ctx, BSN) == []
        with pytest.raises(InvalidRequest):
            listing.search_by_bsn(session, t.b, ctx, "123456789")


def test_export_has_one_row_per_line_with_the_aanleverdatum(f, t, ctx):
    stored = deliver(f, t.a, ctx, [row(), row(agb="99000022")])
    [oid] = stored.nieuwe_overdrachten
    with transaction(f) as session:
        rows = listing.export_rows(session, t.b, ctx, richting=listing.Richting.INKOMEND)
        provider_rows = listing.export_rows(session, t.q, ctx)
    assert [(r["overdracht_id"], r["aanbieder_agb"], r["aanleverdatum"]) for r in rows] == [
        (oid, "99000011", date(2021, 10, 15)),
        (oid, "99000022", date(2021, 10, 15)),
    ]
    assert [r["aanbieder_agb"] for r in provider_rows] == ["99000022"]
