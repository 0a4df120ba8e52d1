"""Toewijzingen and the actions on them (wpb.ijw.toewijzingen).

- Omvang or Budget, never both; a Budget needs an Einddatum (CD075, CD077, CD078).
- A change is the same ToewijzingNummer with a RedenWijziging in a new JW301 holding all
  current toewijzingen (OP033x1, IV066, IV099, OP087).
- 1-november-maatregel: latende extends to 2022-07-01; ontvangende assigns from 2022-01-01.
- A move (RedenWijziging 07): the old toewijzing ends only once the follow-on exists, the
  day before it starts.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from ijw_builders import AANBIEDER, jw301, toegewezen
from wpb.ijw import models as m
from wpb.ijw import rules
from wpb.ijw.problems import BerichtOngeldig
from wpb.ijw.toewijzingen import (
    ActieSoort,
    end_on_move,
    extend_for_1_november,
    nieuwe_toewijzing,
    toewijzing_ontvangende_gemeente,
    verleng,
)
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht

NU = datetime(2021, 11, 15, 14, 5, 30, 123456)
OMVANG = m.Omvang(volume=3, eenheid="04", frequentie="2")
PRODUCT = m.Product(categorie="45", code="45A03")


def latende() -> m.JW301:
    return jw301(
        toegewezen(2001, ingang=date(2021, 3, 1), eind=date(2021, 12, 31), ref="VOT-7"),
        toegewezen(2002, ingang=date(2021, 3, 1), eind=date(2021, 12, 31),
                   product=m.Product(categorie="45", code="45A04"), reden="04"),
        gemeente="0344", dagtekening=date(2021, 3, 1),
    )


# --- a toewijzing: Omvang or Budget --------------------------------------------------------

def test_new_toewijzing_with_omvang():
    t = nieuwe_toewijzing(toewijzing_nummer=1, ingangsdatum=date(2022, 1, 1), toegewezen_op=NU,
                          product=PRODUCT, einddatum=date(2022, 6, 30), omvang=OMVANG)
    assert (t.toewijzingsdatum, t.toewijzingstijd.isoformat()) == (date(2021, 11, 15), "14:05:30")
    assert t.reden_wijziging is None


def test_new_toewijzing_with_both_omvang_and_budget_is_refused():
    with pytest.raises(BerichtOngeldig) as info:
        nieuwe_toewijzing(toewijzing_nummer=1, ingangsdatum=date(2022, 1, 1), toegewezen_op=NU,
                          product=PRODUCT, einddatum=date(2022, 6, 30), omvang=OMVANG,
                          budget=10_000)
    assert [p.regel for p in info.value.problems] == ["CD077"]


def test_budget_needs_an_einddatum():
    with pytest.raises(BerichtOngeldig) as info:
        nieuwe_toewijzing(toewijzing_nummer=1, ingangsdatum=date(2022, 1, 1), toegewezen_op=NU,
                          product=m.Product(categorie="45"), budget=10_000)
    assert [p.regel for p in info.value.problems] == ["CD075"]
    ok = nieuwe_toewijzing(toewijzing_nummer=1, ingangsdatum=date(2022, 1, 1), toegewezen_op=NU,
                           product=m.Product(categorie="45"), budget=10_000,
                           einddatum=date(2022, 12, 31))
    assert ok.budget == 10_000 and ok.omvang is None


# --- verlengen -------------------------------------------------------------------------

def test_verleng_1_november_extends_to_2022_07_01():
    actie = extend_for_1_november(latende(), 2001, nu=NU, identificatie="VERL00000001")
    assert actie.soort is ActieSoort.VERLENGEN and not actie.geblokkeerd
    assert actie.gemeente == "0344" and "1-november-maatregel" in actie.toelichting
    b = actie.bericht
    assert (b.header.afzender, b.header.ontvanger, b.header.identificatie, b.header.dagtekening) \
        == ("0344", AANBIEDER, "VERL00000001", date(2021, 11, 15))
    changed, other = b.client.toegewezen_producten
    assert (changed.toewijzing_nummer, changed.einddatum, changed.reden_wijziging) == (
        2001, date(2022, 7, 1), "04")
    assert changed.ingangsdatum == date(2021, 3, 1)  # same toewijzing, later end
    assert changed.referentie_aanbieder is None  # the gemeente's own change (IV097)
    assert (changed.toewijzingsdatum, changed.toewijzingstijd.isoformat()) == (
        date(2021, 11, 15), "14:05:30")  # IV013: this is now the current version
    # OP087: the other current toewijzing goes along, unchanged, without a RedenWijziging.
    assert other.toewijzing_nummer == 2002 and other.einddatum == date(2021, 12, 31)
    assert other.reden_wijziging is None
    assert rules.check(b) == []
    assert read_bericht(write_bericht(b)) == b


def test_verleng_refuses_what_is_no_extension():
    assert verleng(latende(), 2001, date(2021, 12, 1), nu=NU, identificatie="X").geblokkeerd
    open_ended = jw301(toegewezen(2001, eind=None, omvang=m.Omvang(volume=1, eenheid="04",
                                                                   frequentie="4")))
    assert verleng(open_ended, 2001, date(2022, 7, 1), nu=NU, identificatie="X").geblokkeerd
    with pytest.raises(KeyError, match="2001, 2002"):
        verleng(latende(), 9999, date(2022, 7, 1), nu=NU, identificatie="X")


def test_ended_toewijzingen_are_left_out_of_the_next_message():
    laatste = jw301(toegewezen(2001, ingang=date(2021, 3, 1), eind=date(2021, 12, 31)),
                    toegewezen(2003, ingang=date(2021, 1, 1), eind=date(2021, 2, 28),
                               product=m.Product(categorie="45", code="45A05")),
                    gemeente="0344")
    actie = verleng(laatste, 2001, date(2022, 3, 31), nu=NU, identificatie="X")
    assert [p.toewijzing_nummer for p in actie.bericht.client.toegewezen_producten] == [2001]


# --- ontvangende gemeente --------------------------------------------------------------------

def test_ontvangende_gemeente_assigns_from_2022_01_01():
    actie = toewijzing_ontvangende_gemeente(latende(), 2001, ontvangende_gemeente="0307",
                                            nieuw_nummer=7001, nu=NU, identificatie="NIEUW0000001",
                                            einddatum=date(2022, 12, 31))
    assert actie.soort is ActieSoort.NIEUWE_TOEWIJZING and actie.gemeente == "0307"
    b = actie.bericht
    assert (b.header.afzender, b.header.ontvanger) == ("0307", AANBIEDER)
    (t,) = b.client.toegewezen_producten
    assert (t.toewijzing_nummer, t.ingangsdatum, t.einddatum, t.product, t.omvang) == (
        7001, date(2022, 1, 1), date(2022, 12, 31), PRODUCT, latende().client
        .toegewezen_producten[0].omvang)
    assert t.reden_wijziging is None and t.referentie_aanbieder is None  # initial (IV066)
    assert b.client.bsn == latende().client.bsn
    assert rules.check(b) == []
    assert actie.aandachtspunten  # a contract must be in place (keuzehulp)


def test_ontvangende_without_einddatum_takes_the_latende_end():
    verlengd = extend_for_1_november(latende(), 2001, nu=NU, identificatie="X").bericht
    actie = toewijzing_ontvangende_gemeente(verlengd, 2001, ontvangende_gemeente="0307",
                                            nieuw_nummer=7001, nu=NU, identificatie="Y")
    assert actie.bericht.client.toegewezen_producten[0].einddatum == date(2022, 7, 1)
    ended = toewijzing_ontvangende_gemeente(latende(), 2001, ontvangende_gemeente="0307",
                                            nieuw_nummer=7001, nu=NU, identificatie="Y",
                                            ingangsdatum=date(2022, 1, 1))
    assert ended.geblokkeerd and ended.bericht is None  # latende ends 2021-12-31


# --- verhuizing: RedenWijziging 07 --------------------------------------------------------------

def opvolger(ingang: date) -> m.ToegewezenProduct:
    return nieuwe_toewijzing(toewijzing_nummer=8001, ingangsdatum=ingang, toegewezen_op=NU,
                             product=PRODUCT, einddatum=date(2022, 12, 31), omvang=OMVANG)


def test_move_is_blocked_until_the_follow_on_toewijzing_exists():
    actie = end_on_move(latende(), 2001, None, nu=NU, identificatie="X")
    assert actie.geblokkeerd and actie.bericht is None
    assert "bestaat nog niet" in actie.toelichting


def test_move_ends_the_old_toewijzing_the_day_before_the_follow_on():
    actie = end_on_move(latende(), 2001, opvolger(date(2021, 12, 1)), nu=NU,
                                    identificatie="EIND00000001")
    assert actie.soort is ActieSoort.BEEINDIGEN_VERHUIZING and not actie.geblokkeerd
    changed = actie.bericht.client.toegewezen_producten[0]
    assert (changed.toewijzing_nummer, changed.einddatum, changed.reden_wijziging) == (
        2001, date(2021, 11, 30), "07")
    assert actie.aandachtspunten == ()  # not in the past
    assert rules.check(actie.bericht) == []


def test_move_ending_in_the_past_needs_the_providers_agreement():
    actie = end_on_move(latende(), 2001, opvolger(date(2021, 10, 1)), nu=NU,
                                    identificatie="X")
    assert actie.bericht.client.toegewezen_producten[0].einddatum == date(2021, 9, 30)
    assert any("OP186" in note for note in actie.aandachtspunten)


def test_move_with_a_follow_on_starting_too_early_or_late():
    too_early = end_on_move(latende(), 2001, opvolger(date(2021, 3, 1)), nu=NU,
                                        identificatie="X")
    assert too_early.geblokkeerd
    after_end = end_on_move(latende(), 2001, opvolger(date(2022, 1, 1)), nu=NU,
                                        identificatie="X")
    assert not after_end.geblokkeerd and after_end.bericht is None  # nothing to end early


def test_actions_serialise_without_the_bsn():
    actie = extend_for_1_november(latende(), 2001, nu=NU, identificatie="X")
    out = actie.to_json()
    assert out["bericht"] == {"berichttype": "JW301", "identificatie": "X"}
    assert latende().client.bsn not in str(out)


def test_unchanged_messages_keep_their_client_data():
    actie = verleng(latende(), 2001, date(2022, 3, 31), nu=NU, identificatie="X")
    assert dataclasses.replace(actie.bericht.client, toegewezen_producten=()) == \
        dataclasses.replace(latende().client, toegewezen_producten=())
