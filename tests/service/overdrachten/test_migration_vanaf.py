"""Migration 0008_overdrachten on both databases: ``vanaf`` and a running toewijzing can be
stored, and the file names stored before (which may hold a BSN, issue 19 S9) are replaced
by a neutral label in the uploads and in the transfers' timelines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import text

from wpb.service import migrations
from wpb.service.db import make_engine

SHA = "ab" * 32
NOW = datetime(2021, 10, 15, 12, 0)


def test_stored_file_names_become_a_label_and_vanaf_is_added(db_url):
    engine = make_engine(db_url)
    try:
        migrations.upgrade(engine, "0004")
        with engine.begin() as c:
            c.execute(text(
                "INSERT INTO aanleveringen (id, gemeente, tijdstip, datum, bestandsnaam, sha256, "
                "regels_totaal, regels_opgeslagen, regels_afgewezen) VALUES "
                "(1, '0344', :now, :day, '999990019 dossier.csv', :sha, 1, 1, 0)"),
                {"now": NOW, "day": date(2021, 10, 15), "sha": SHA})
            c.execute(text(
                "INSERT INTO overdrachten (id, latende_gemeente, ontvangende_gemeente, bsn, "
                "geboortedatum, status, versie, aanleverdatum, aanlevering_id, aangemaakt_op, "
                "gewijzigd_op) VALUES (1, '0344', '0307', '999990019', :born, 'aangeleverd', 1, "
                ":day, 1, :now, :now)"),
                {"born": date(2010, 5, 1), "day": date(2021, 10, 15), "now": NOW})
            for soort, toelichting in [
                ("aangeleverd", "aangeleverd in 999990019 dossier.csv"),
                ("aangevuld", "regels toegevoegd uit 999990019 b.csv; aanleverdatum blijft 2021-10-15"),
                ("geaccepteerd", "geaccepteerd"),
            ]:
                c.execute(text(
                    "INSERT INTO overdracht_gebeurtenissen (overdracht_id, tijdstip, datum, soort, "
                    "organisatie, toelichting) VALUES (1, :now, :day, :soort, 'gemeente:0344', :t)"),
                    {"now": NOW, "day": date(2021, 10, 15), "soort": soort, "t": toelichting})
        migrations.upgrade(engine, "0008_overdrachten")
        with engine.begin() as c:
            assert c.execute(text("SELECT bestandsnaam FROM aanleveringen")).scalar_one() == (
                "bestand abababababab")
            texts = c.execute(text(
                "SELECT toelichting FROM overdracht_gebeurtenissen ORDER BY id")).scalars().all()
            assert texts == [
                "aangeleverd in bestand abababababab",
                "regels toegevoegd uit een later bestand; aanleverdatum blijft 2021-10-15",
                "geaccepteerd",
            ]
            c.execute(text("UPDATE overdrachten SET vanaf = :v"), {"v": date(2026, 11, 2)})
            c.execute(text(
                "INSERT INTO overdracht_regels (overdracht_id, aanbieder_agb, product, "
                "toewijzing_einddatum, pgb, aanleverdatum) VALUES (1, '99000011', 'x', NULL, "
                ":f, :day)"), {"f": False, "day": date(2021, 10, 15)})
            assert c.execute(text("SELECT vanaf FROM overdrachten")).scalar_one() in (
                date(2026, 11, 2), "2026-11-02")
    finally:
        engine.dispose()
