"""``wpb ijw validate`` and ``wpb ijw antwoord``, driven through typer's CliRunner.

Invalid input exits with 2 and names the element, the value and the rule.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijw_builders import BSN, SAMPLES, XSD_DIR, aangevraagd, jw301, jw315, jw319, retour_van
from wpb.cli.ijw import ijw_app
from wpb.ijw.xml_read import read_bericht
from wpb.ijw.xml_write import write_bericht

runner = CliRunner()

BRP = {
    "peildatum": "2026-04-01",
    "jeugdige": {
        "burgerservicenummer": BSN,
        "geboorte": {"datum": {"type": "Datum", "datum": "2012-03-04"}},
        "verblijfplaatshistorie": [{
            "type": "Adres",
            "datumVan": {"type": "Datum", "datum": "2012-03-04"},
            "gemeenteVanInschrijving": {"code": "0307"},
            "verblijfadres": {"korteStraatnaam": "Langestraat", "huisnummer": 9,
                              "postcode": "3811AA", "woonplaats": "Amersfoort"},
        }],
    },
    "jeugdhulp": [],
}


def _file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_validate_a_valid_message(tmp_path):
    path = _file(tmp_path, "JW319.xml", write_bericht(jw319()))
    result = runner.invoke(ijw_app, ["validate", str(path), "--vandaag", "2026-05-01"])
    assert result.exit_code == 0, result.output
    assert "geldig JW319" in result.output and "XSD niet gecontroleerd" in result.output


def test_validate_names_element_value_and_rule_and_exits_2(tmp_path):
    data = write_bericht(jw315()).replace(b"2026-12-31", b"2026-12-32")
    path = _file(tmp_path, "JW315.xml", data)
    result = runner.invoke(ijw_app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "AangevraagdProduct[1]/ToewijzingEinddatum" in result.stderr
    assert "'2026-12-32'" in result.stderr and "[XSD]" in result.stderr


def test_validate_reports_rule_breaches(tmp_path):
    path = _file(tmp_path, "JW319.xml", write_bericht(jw319(gemeente=None), check=False))
    result = runner.invoke(ijw_app, ["validate", str(path), "--vandaag", "2026-05-01"])
    assert result.exit_code == 2
    assert "/Bericht/Antwoord/Woonplaatsbeginsel" in result.stderr and "TR377" in result.stderr


def test_validate_json(tmp_path):
    path = _file(tmp_path, "JW319.xml", write_bericht(jw319(reden="5"), check=False))
    result = runner.invoke(ijw_app, ["validate", str(path), "-f", "json",
                                     "--vandaag", "2026-05-01"])
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["geldig"] is False and out["berichttype"] == "JW319"
    assert out["problemen"] == [{
        "element": "/Bericht/Antwoord/Woonplaatsbeginsel", "regel": "TR409",
        "probleem": "Woonplaatsbeginsel mag alleen bij RedenAfwijzingVerzoek 8; hier is de "
                    "reden 5", "waarde": "0344", "retourcode": "0001"}]


def test_validate_hostile_and_missing_files(tmp_path):
    path = _file(tmp_path, "x.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                    b"<x>&e;</x>")
    result = runner.invoke(ijw_app, ["validate", str(path)])
    assert result.exit_code == 2 and "XML-DTD" in result.stderr
    result = runner.invoke(ijw_app, ["validate", str(tmp_path / "nergens.xml")])
    assert result.exit_code == 2 and "niet gevonden" in result.stderr


def test_validate_with_an_unusable_xsd_directory(tmp_path):
    path = _file(tmp_path, "JW319.xml", write_bericht(jw319()))
    result = runner.invoke(ijw_app, ["validate", str(path), "--xsd", str(tmp_path / "geen")])
    assert result.exit_code == 2 and "--xsd" in result.stderr


@pytest.mark.shared
@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/data/ijw/samples ontbreekt")
def test_validate_the_jw315_sample_with_the_impossible_date():
    args = ["validate", str(SAMPLES / "JW315.xml")]
    if XSD_DIR.is_dir():
        args += ["--xsd", str(XSD_DIR)]
    result = runner.invoke(ijw_app, args)
    assert result.exit_code == 2
    assert "ToewijzingEinddatum" in result.stderr and "2027-06-31" in result.stderr


def test_antwoord_proposes_a_toewijzing_and_writes_it(tmp_path):
    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315(aangevraagd("REF-9"),
                                                           gemeente="0307")))
    brp = _file(tmp_path, "case.json", json.dumps(BRP).encode())
    uit = tmp_path / "uit"
    result = runner.invoke(ijw_app, ["antwoord", str(vot), "--brp", str(brp), "--ontvangen",
                                     "2026-04-02", "--uit", str(uit), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    (product,) = out["producten"]
    assert (product["soort"], product["verantwoordelijkeGemeente"]) == ("toewijzing", "0307")
    assert product["uiterlijk"] == "2026-04-10"
    assert out["ontbrekend"] == [] and BSN not in result.stdout
    (written,) = out["geschreven"]
    toewijzing = read_bericht(Path(written).read_bytes())
    assert toewijzing.type.value == "JW301"
    assert toewijzing.client.contactgegevens[0].adres.postcode == "3811AA"
    assert toewijzing.client.toegewezen_producten[0].referentie_aanbieder == "REF-9"


def test_antwoord_rejection_text(tmp_path):
    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315(gemeente="0344")))
    brp = _file(tmp_path, "case.json", json.dumps(BRP).encode())
    result = runner.invoke(ijw_app, ["antwoord", str(vot), "--brp", str(brp),
                                     "--ontvangen", date.today().isoformat()])
    assert result.exit_code == 0, result.stderr
    assert "afwijzing_woonplaatsbeginsel" in result.stdout and "OP359" in result.stdout
    assert "Amersfoort (0307)" in result.stdout


def test_antwoord_without_brp_waits_for_a_person(tmp_path):
    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315()))
    result = runner.invoke(ijw_app, ["antwoord", str(vot), "-f", "json"])
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["wachtOpPersoon"] is True and out["producten"][0]["soort"] == "in_onderzoek"


def test_antwoord_refuses_other_message_types_and_bad_input(tmp_path):
    antwoord = _file(tmp_path, "JW319.xml", write_bericht(jw319()))
    result = runner.invoke(ijw_app, ["antwoord", str(antwoord)])
    assert result.exit_code == 2 and "verwacht een JW315" in result.stderr

    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315(bsn="999900006")))
    brp = _file(tmp_path, "case.json", json.dumps(BRP).encode())
    result = runner.invoke(ijw_app, ["antwoord", str(vot), "--brp", str(brp)])
    assert result.exit_code == 2 and "andere jeugdige" in result.stderr
    assert BSN not in result.stderr

    kapot = _file(tmp_path, "kapot.json", b"{niet json")
    result = runner.invoke(ijw_app, ["antwoord", str(vot), "--brp", str(kapot)])
    assert result.exit_code == 2 and "geen geldige JSON" in result.stderr

    result = runner.invoke(ijw_app, ["antwoord", str(vot), "--ontvangen", "2026-13-01"])
    assert result.exit_code == 2 and "--ontvangen" in result.stderr


def test_antwoord_stamps_dagtekening_and_time_in_dutch_time(tmp_path, monkeypatch):
    # 22:30 UTC on Saturday 24 October 2026 is 00:30 CEST on Sunday 25 October (summer
    # time, UTC+2, ends at 03:00 that night): the messages carry the Dutch day and time.
    from datetime import UTC, datetime

    from wpb.ijw import tijd

    monkeypatch.setattr(tijd, "utc_nu", lambda: datetime(2026, 10, 24, 22, 30, 5, tzinfo=UTC))
    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315(aangevraagd("REF-9"),
                                                           gemeente="0307")))
    brp = _file(tmp_path, "case.json", json.dumps(BRP).encode())
    uit = tmp_path / "uit"
    result = runner.invoke(ijw_app, ["antwoord", str(vot), "--brp", str(brp), "--uit", str(uit),
                                     "-f", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["ontvangenOp"] == "2026-10-25"
    toewijzing = read_bericht(Path(out["geschreven"][0]).read_bytes())
    assert toewijzing.header.bericht_identificatie.dagtekening == date(2026, 10, 25)
    (tp,) = toewijzing.client.toegewezen_producten
    assert (tp.toewijzingsdatum, tp.toewijzingstijd.isoformat()) == (date(2026, 10, 25), "00:30:05")


def _xsd_args() -> list[str]:
    return ["--xsd", str(XSD_DIR)] if XSD_DIR.is_dir() else []


def test_validate_accepts_valid_retourberichten(tmp_path):
    for sent in (jw301(), jw319()):
        path = _file(tmp_path, f"retour-{sent.type.value}.xml", retour_van(sent))
        result = runner.invoke(ijw_app, ["validate", str(path), *_xsd_args()])
        assert result.exit_code == 0, result.output
        assert "geldig JW3" in result.output and "ongeldig" not in result.output


def test_validate_says_niet_ondersteund_with_its_own_exit_code(tmp_path):
    path = _file(tmp_path, "JW399.xml", b'<?xml version="1.0" encoding="UTF-8"?>'
                 b'<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw399/schema"/>')
    result = runner.invoke(ijw_app, ["validate", str(path)])
    assert result.exit_code == 3
    assert "niet ondersteund" in result.stderr and "[XSD]" not in result.stderr


def test_retour_writes_the_jw316_on_a_vot(tmp_path):
    from wpb.ijw.ontvangst import valideer

    vot = _file(tmp_path, "JW315.xml", write_bericht(jw315()))
    uit = tmp_path / "uit"
    result = runner.invoke(ijw_app, ["retour", str(vot), "--uit", str(uit), "--ontvangen",
                                     "2026-04-30", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["berichttype"] == "JW316" and out["beantwoordt"]["berichttype"] == "JW315"
    # OP090: Thursday 30 April 2026 + 3 werkdagen: 1 May, 4 May, 6 May (5 May is a feestdag).
    assert out["termijn"]["uiterlijk"] == "2026-05-06"
    written = Path(out["geschreven"])
    check = valideer(written.read_bytes(), xsd_dir=XSD_DIR if XSD_DIR.is_dir() else None)
    assert check.geldig, check.problems
    assert BSN not in result.stdout


def test_retour_reads_a_jw302_and_matches_it_to_the_sent_jw301(tmp_path):
    sent = jw301()
    sent_path = _file(tmp_path, "JW301.xml", write_bericht(sent))
    path = _file(tmp_path, "JW302.xml", retour_van(sent, {"ToegewezenProduct": "9056"}))
    result = runner.invoke(ijw_app, ["retour", str(path), "--verzonden", str(sent_path)])
    assert result.exit_code == 0, result.output
    assert "Gekoppeld aan het verzonden bericht" in result.output
    assert "ToegewezenProduct[1]: 9056" in result.output
