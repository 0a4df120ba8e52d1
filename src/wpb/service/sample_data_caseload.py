"""The demo's caseloads (cliëntenbestanden) and its local BRP proefomgeving (issue 20).

Utrecht, Amersfoort and Zeist each get a 2026 caseload of invented youths: moves during
ambulant care, stays that begin and end, a youth turning 18, and a few that need a person
(one unknown to the BRP, a beschermd-wonen client without its aanmelding). Dates are set
relative to the day the demo is started, so the signalen appear on its first start.

The proefomgeving (:mod:`wpb.brp.proefomgeving`) answers the Haal Centraal personen and
historie APIs for these youths and for every youth of the sample transfers. At seed time it
is reached in-process; ``wpb serve`` mounts it at :data:`PAD` and points the service's BRP
setting at it, so the same client code that talks to a real BRP (``WPB_BRP_BASE_URL``)
fetches from it. Everything here is synthetic: test BSNs, AGB codes starting with 99.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wpb.brp import gba
from wpb.brp.proefomgeving import build_app, personen_uit_gba
from wpb.refdata import gemeente_register
from wpb.service.auth.principal import Principal, principal_of
from wpb.service.clock import Clock, system_clock
from wpb.service.components.beheer.models import Gebruiker
from wpb.service.components.brp.bron import fetch_into_store
from wpb.service.components.clientenbestand import invoer, signalen, views
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.sample_data import synthetic_bsns
from wpb.service.settings import Settings

PAD = "/brp-proef"
BSN_RANGE_START = 999_950_000  # apart from the transfers' (999990000) and messages' (999970000)
LOGINS = {"0344": "utrecht", "0307": "amersfoort", "0355": "zeist"}
KOLOMMEN = ("bsn", "geboortedatum", "aanbieder_agb", "productcategorie", "productcode",
            "begindatum", "einddatum", "verblijf", "wet", "vorm", "toewijzingnummer")


@dataclass(frozen=True)
class Jeugdige:
    gemeente: str  # whose caseload
    geboren: date
    adressen: tuple[tuple[str, date], ...]  # (gemeente, from), oldest first
    toewijzingen: tuple[dict, ...]
    in_brp: bool = True


def _t(agb: str, categorie: str, code: str, begin: date, einde: date | None = None, **extra) -> dict:
    return {"aanbieder_agb": agb, "productcategorie": categorie, "productcode": code,
            "begindatum": begin, "einddatum": einde, **extra}


def jeugdigen(today: date) -> list[Jeugdige]:
    """The demo youths, dated around ``today`` (so the signalen are always current)."""
    d = lambda days: today + timedelta(days=days)  # noqa: E731
    jan = date(today.year, 1, 5)
    return [
        # Utrecht: moved to Zeist during ambulant care -> andere_gemeente (Zeist, from the move).
        Jeugdige("0344", date(2014, 4, 10), (("0344", date(2014, 4, 10)), ("0355", d(-80))),
                 (_t("99000033", "45", "45A48", jan),)),
        # Utrecht: a stay that began while registered in Amersfoort -> Amersfoort (2°).
        Jeugdige("0344", date(2011, 2, 2), (("0307", date(2011, 2, 2)), ("0344", d(-200))),
                 (_t("99000011", "43", "43A03", d(-230), vorm="jeugdhulpaanbieder"),)),
        # Utrecht: a stay ending within 60 days, registered in Zeist meanwhile -> wijziging_gepland.
        Jeugdige("0344", date(2010, 6, 6), (("0344", date(2010, 6, 6)), ("0355", d(-300))),
                 (_t("99000011", "43", "43A03", d(-400), d(30), vorm="jeugdhulpaanbieder"),)),
        # Utrecht: turns 18 within 60 days; the care ends the day before -> einde_jeugdige.
        Jeugdige("0344", _years_before(d(40), 18), (("0344", _years_before(d(40), 18)),),
                 (_t("99000033", "45", "45A48", jan, d(39)),)),
        # Utrecht: unknown to the BRP -> review.
        Jeugdige("0344", date(2012, 8, 8), (), (_t("99000033", "45", "45A48", jan),), in_brp=False),
        # Utrecht: beschermd wonen without the aanmelding -> review (gegevens_ontbreken).
        Jeugdige("0344", date(2000, 3, 3), (("0344", date(2000, 3, 3)),),
                 (_t("99000011", "", "", jan, wet="wmo-bw"),)),
        # Utrecht: nothing to do.
        Jeugdige("0344", date(2013, 9, 9), (("0344", date(2013, 9, 9)),),
                 (_t("99000033", "45", "45A48", jan),)),
        # Amersfoort: moved to Utrecht during ambulant care; and one who stays.
        Jeugdige("0307", date(2015, 5, 5), (("0307", date(2015, 5, 5)), ("0344", d(-45))),
                 (_t("99000033", "45", "45A48", jan),)),
        Jeugdige("0307", date(2012, 12, 12), (("0307", date(2012, 12, 12)),),
                 (_t("99000022", "44", "44A05", jan, vorm="pleegouder"),)),
        # Zeist: moved to Amersfoort during ambulant care.
        Jeugdige("0355", date(2013, 3, 13), (("0355", date(2013, 3, 13)), ("0307", d(-20))),
                 (_t("99000033", "45", "45A48", jan),)),
    ]


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years) if (day.month, day.day) != (2, 29) else \
        date(day.year - years, 2, 28)


def _datum(day: date) -> dict:
    return {"type": "Datum", "datum": day.isoformat()}


def _persoon(bsn: str, geboren: date, adressen) -> dict:
    records = []
    for i, (code, van) in enumerate(adressen):
        record = {"type": "Adres", "datumVan": _datum(van),
                  "gemeenteVanInschrijving": {"code": code}}
        if i + 1 < len(adressen):
            record["datumTot"] = _datum(adressen[i + 1][1])
        records.append(record)
    return {"burgerservicenummer": bsn, "geboorte": {"datum": _datum(geboren)},
            "verblijfplaatsen": records[::-1]}


def _met_bsn(today: date) -> list[tuple[str, Jeugdige]]:
    bsns = synthetic_bsns(BSN_RANGE_START)
    return [(next(bsns), j) for j in jeugdigen(today)]


def personen(session: Session, today: date) -> dict[str, dict]:
    """The proefomgeving's persons: the caseload youths and every sample transfer's youth
    (with the history kept on the transfer, else born in the latende gemeente and moved to
    the ontvangende 200 days before delivery, as the sample transfers say)."""
    found = {bsn: _persoon(bsn, j.geboren, j.adressen) for bsn, j in _met_bsn(today) if j.in_brp}
    for o in session.scalars(select(Overdracht).order_by(Overdracht.id)):
        if o.bsn in found:
            continue
        history = (json.loads(o.brp_document) if o.brp_document else {}).get("verblijfplaatsen")
        if history:
            found[o.bsn] = {"burgerservicenummer": o.bsn,
                            "geboorte": {"datum": _datum(o.geboortedatum)},
                            "verblijfplaatsen": history}
        else:
            moved = max(o.geboortedatum, o.aanleverdatum - timedelta(days=200))
            found[o.bsn] = _persoon(o.bsn, o.geboortedatum, (
                (o.latende_gemeente, o.geboortedatum), (o.ontvangende_gemeente, moved)))
    return found


def caseload_file(gemeente: str, today: date) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(KOLOMMEN)
    number = 0
    for bsn, j in _met_bsn(today):
        if j.gemeente != gemeente:
            continue
        for t in j.toewijzingen:
            number += 1
            verblijf = "" if t.get("wet") == "wmo-bw" else (
                "ja" if t["productcategorie"] in ("43", "44") else "nee")
            writer.writerow([bsn, j.geboren.isoformat(), t["aanbieder_agb"], t["productcategorie"],
                             t["productcode"], t["begindatum"].isoformat(),
                             t["einddatum"].isoformat() if t["einddatum"] else "", verblijf,
                             t.get("wet", ""), t.get("vorm", ""), f"DEMO-{gemeente}-{number}"])
    return buffer.getvalue().encode("utf-8")


def _principals(session: Session) -> dict[str, Principal]:
    users = session.scalars(select(Gebruiker).where(Gebruiker.gebruikersnaam.in_(LOGINS.values())))
    by_login = {u.gebruikersnaam: principal_of(u) for u in users}
    missing = sorted(set(LOGINS.values()) - set(by_login))
    if missing:
        raise ValueError("het voorbeeld-cliëntenbestand vraagt eerst de gewone voorbeelddata; "
                         f"ontbrekende demo-gebruikers: {', '.join(missing)}")
    return {code: by_login[login] for code, login in LOGINS.items()}


def seed(factory: sessionmaker[Session], settings: Settings, *, clock: Clock = system_clock) -> dict[str, dict]:
    """Import each demo gemeente's caseload, fetch its BRP data from the proefomgeving (in
    process, through the Haal Centraal client) and run the woonplaatscheck. Returns the
    check's counts per gemeente."""
    register = gemeente_register()
    ctx = Context(settings=settings.with_(brp_base_url="http://brp-proefomgeving"),
                  register=register, clock=clock)
    today = ctx.today()
    with transaction(factory) as session:
        principals = _principals(session)
        persons = personen(session, today)
    ctx = Context(settings=ctx.settings, register=register, clock=clock,
                  brp_async_transport=httpx.ASGITransport(app=build_app(persons)))
    runs = {}
    for gemeente, principal in principals.items():
        content = caseload_file(gemeente, today)
        with transaction(factory) as session:
            check = invoer.check_import(session, principal, content, "demo.csv", register)
            invoer.store_import(session, principal, content, "demo.csv", check.controle,
                                register, ctx.now())
            bsns = views.running_clients(session, principal, today)
        fetch_into_store(factory, principal, ctx, bsns, today)
        with transaction(factory) as session:
            runs[gemeente] = signalen.run_check(session, principal, ctx, today).to_json()
    return runs


def proefomgeving(factory: sessionmaker[Session], settings: Settings, *,
                  clock: Clock = system_clock) -> tuple[Settings, FastAPI]:
    """For ``wpb serve`` with the demo data and no BRP configured: the proefomgeving app to
    mount at :data:`PAD`, and the settings that point the service's BRP client at it."""
    with transaction(factory) as session:
        persons = personen(session, Context(settings=settings, register=gemeente_register(),
                                            clock=clock).today())
    if settings.brp_proef_gba is not None:  # named in a setting; never looked for
        extract = gba.read_extract(settings.brp_proef_gba, skip_invalid=True,
                                   bron_naam=settings.brp_proef_gba.name)
        persons = {**personen_uit_gba(extract), **persons}
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return settings.with_(brp_base_url=f"http://{host}:{settings.port}{PAD}"), build_app(persons)
