"""Bundled synthetic sample data, so the service shows something on its first start.

Five municipalities of the Utrecht area plus Amsterdam and Rotterdam, three providers
and a coordinator, each with one demo user, and about thirty transfers in every state:
a 2021 cohort around the 1-november-maatregel (delivered before, on and after
2021-11-01; rejected before and after; afgerond before and after 2022-01-01) and a
recent cohort. Everything is invented: the BSNs are test numbers from the 9999xxxxx range
that pass the 11-proef, the AGB codes start with 99, the names are made up.

The demo passwords are public (printed at start-up) and only meant for a local demo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wpb.law.bsn import is_valid_bsn
from wpb.service.audit import trail as audit
from wpb.service.auth.principal import Soort
from wpb.service.components.beheer.accounts import create_gebruiker, create_organisatie
from wpb.service.components.beheer.models import Gebruiker, Organisatie
from wpb.service.components.overdrachten.models import (
    Gebeurtenis,
    Overdracht,
    OverdrachtRegel,
    TaakStatus,
)


@dataclass(frozen=True)
class DemoUser:
    gebruikersnaam: str
    wachtwoord: str
    organisatie: str


ORGANISATIES = (
    (Soort.GEMEENTE, "0344", "Gemeente Utrecht", "utrecht"),
    (Soort.GEMEENTE, "0307", "Gemeente Amersfoort", "amersfoort"),
    (Soort.GEMEENTE, "0355", "Gemeente Zeist", "zeist"),
    (Soort.GEMEENTE, "0363", "Gemeente Amsterdam", "amsterdam"),
    (Soort.GEMEENTE, "0599", "Gemeente Rotterdam", "rotterdam"),
    (Soort.AANBIEDER, "99000011", "Jeugdzorg De Voorbeeldhoeve", "voorbeeldhoeve"),
    (Soort.AANBIEDER, "99000022", "Pleegzorg Proefland", "proefland"),
    (Soort.AANBIEDER, "99000033", "Ambulant Team Testdorp", "testdorp"),
    (Soort.COORDINATOR, "coordinator", "Coördinatie overdrachten (demo)", "coordinator"),
)

# The demo passwords are public, so their hashes need no strength; a cheap hash keeps the
# first start quick. A demo user's hash is upgraded at its first login.
_DEMO_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)

DEMO_USERS = tuple(
    DemoUser(login, f"demo-{login}-wpb", naam) for _, _, naam, login in ORGANISATIES
)

_PRODUCTS = {
    "99000011": ("Jeugdhulp met verblijf", "Behandeling groep"),
    "99000022": ("Pleegzorg", "Pleegzorg crisis"),
    "99000033": ("Ambulante jeugdhulp", "Dagbehandeling"),
}


def synthetic_bsns(start: int = 999990000):
    """Test BSNs (9999xxxxx) that pass the 11-proef, in increasing order."""
    n = start
    while n <= 999999999:
        if is_valid_bsn(str(n)):
            yield str(n)
        n += 1


@dataclass(frozen=True)
class _Spec:
    latende: str
    ontvangende: str
    aanleverdatum: date
    regels: tuple[tuple[str, int, bool], ...]  # (agb, product index, pgb)
    geaccepteerd: date | None = None
    afgewezen: tuple[date, str] | None = None
    afgerond: tuple[date, date, str] | None = None  # (afgerond, toewijzing ingang, referentie)
    doorgestuurd: tuple[date, str] | None = None  # (datum, naar gemeente)
    brp: bool = False
    taken_gedaan: tuple[tuple[str, str], ...] = ()  # (partij_code, taak)


D = date

_SPECS: tuple[_Spec, ...] = (
    # 2021 cohort: the 1-november-maatregel.
    _Spec("0344", "0307", D(2021, 10, 4), (("99000011", 0, False),), geaccepteerd=D(2021, 10, 20),
          afgerond=(D(2022, 1, 10), D(2022, 1, 1), "TW-2022-0001")),
    _Spec("0344", "0307", D(2021, 10, 11), (("99000033", 0, False), ("99000011", 1, False)),
          geaccepteerd=D(2021, 11, 5), brp=True,
          taken_gedaan=(("gemeente:0307", "ontvangende.contracteren"),
                        ("gemeente:0344", "latende.aanbieder_informeren"))),
    _Spec("0344", "0355", D(2021, 10, 15), (("99000022", 0, True),), brp=True),
    _Spec("0344", "0363", D(2021, 10, 18), (("99000011", 0, False),),
          afgewezen=(D(2021, 10, 28), "Volgens de BRP woonde de jeugdige voor het verblijf in "
                     "Rotterdam; Amsterdam is niet verantwoordelijk."),
          doorgestuurd=(D(2021, 11, 10), "0599")),
    _Spec("0307", "0344", D(2021, 11, 8), (("99000033", 0, False),)),
    _Spec("0307", "0344", D(2021, 11, 15), (("99000011", 1, False),), geaccepteerd=D(2021, 11, 30),
          afgerond=(D(2022, 3, 1), D(2022, 3, 1), "TW-2022-0107")),
    _Spec("0307", "0344", D(2021, 9, 20), (("99000022", 0, False),), geaccepteerd=D(2021, 10, 1),
          afgerond=(D(2021, 12, 15), D(2022, 1, 1), "TW-2021-0950")),
    _Spec("0307", "0355", D(2021, 10, 25), (("99000033", 1, False),),
          afgewezen=(D(2021, 11, 12), "De jeugdige stond voor de opname niet in Zeist "
                     "ingeschreven.")),
    _Spec("0355", "0344", D(2021, 10, 29), (("99000022", 1, True),), geaccepteerd=D(2021, 11, 2)),
    _Spec("0355", "0307", D(2021, 11, 22), (("99000011", 0, False),),
          afgewezen=(D(2021, 12, 3), "Woonplaats voor het verblijf was Zeist zelf.")),
    _Spec("0363", "0344", D(2021, 10, 1), (("99000033", 0, False),), geaccepteerd=D(2021, 10, 8),
          afgerond=(D(2021, 11, 20), D(2021, 12, 1), "TW-2021-0811")),
    _Spec("0599", "0344", D(2021, 10, 27), (("99000022", 0, True), ("99000033", 0, False))),
    _Spec("0344", "0307", D(2021, 11, 1), (("99000033", 1, False),)),
    _Spec("0344", "0599", D(2021, 10, 31), (("99000011", 1, False),), geaccepteerd=D(2021, 12, 20)),
    _Spec("0599", "0363", D(2021, 12, 6), (("99000011", 0, False),), geaccepteerd=D(2021, 12, 10),
          afgerond=(D(2022, 4, 4), D(2022, 4, 1), "TW-2022-0404")),
    # Recent cohort: the ordinary transfer, in every state.
    _Spec("0344", "0307", D(2025, 9, 1), (("99000033", 0, False),)),
    _Spec("0344", "0355", D(2025, 9, 8), (("99000011", 0, False),), geaccepteerd=D(2025, 9, 15)),
    _Spec("0344", "0363", D(2025, 9, 15), (("99000022", 0, True),), geaccepteerd=D(2025, 9, 22),
          afgerond=(D(2025, 10, 6), D(2025, 10, 1), "TW-2025-1001")),
    _Spec("0307", "0344", D(2025, 9, 22), (("99000033", 1, False),)),
    _Spec("0307", "0344", D(2025, 10, 6), (("99000011", 1, False), ("99000022", 1, False)), brp=True),
    _Spec("0307", "0599", D(2025, 10, 13), (("99000033", 0, False),),
          afgewezen=(D(2025, 10, 20), "Jeugdige woonde voor de jeugdhulp in Amersfoort.")),
    _Spec("0355", "0344", D(2025, 10, 20), (("99000011", 0, False),), geaccepteerd=D(2025, 10, 27)),
    _Spec("0355", "0307", D(2025, 11, 3), (("99000022", 0, False),),
          afgewezen=(D(2025, 11, 10), "Niet onze inwoner volgens BRP."),
          doorgestuurd=(D(2025, 11, 17), "0344")),
    _Spec("0363", "0344", D(2025, 11, 10), (("99000033", 0, False),)),
    _Spec("0363", "0307", D(2025, 11, 17), (("99000011", 1, False),), geaccepteerd=D(2025, 11, 24),
          afgerond=(D(2025, 12, 8), D(2025, 12, 1), "TW-2025-1208")),
    _Spec("0599", "0344", D(2025, 12, 1), (("99000022", 1, True),)),
    _Spec("0599", "0355", D(2025, 12, 8), (("99000033", 1, False),), geaccepteerd=D(2025, 12, 15)),
    _Spec("0344", "0599", D(2026, 1, 5), (("99000011", 0, False), ("99000033", 0, False))),
)


def _history(latende: str, ontvangende: str, geboren: date, verhuisd: date) -> dict:
    """A Haal Centraal historie answer: born in the latende, moved to the ontvangende."""

    def datum(d: date) -> dict:
        return {"type": "Datum", "datum": d.isoformat(), "langFormaat": d.isoformat()}

    return {
        "verblijfplaatsen": [
            {
                "type": "Adres",
                "datumVan": datum(verhuisd),
                "gemeenteVanInschrijving": {"code": ontvangende},
            },
            {
                "type": "Adres",
                "datumVan": datum(geboren),
                "datumTot": datum(verhuisd),
                "gemeenteVanInschrijving": {"code": latende},
            },
        ]
    }


def _stamp(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0))


def is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Organisatie)) or 0) == 0


def has_demo_users(session: Session) -> bool:
    names = [u.gebruikersnaam for u in DEMO_USERS]
    found = session.scalar(
        select(func.count()).select_from(Gebruiker).where(Gebruiker.gebruikersnaam.in_(names))
    )
    return found == len(names)


def seed(session: Session) -> tuple[DemoUser, ...]:
    """Fill an empty database with the sample organisations, users and transfers."""
    if not is_empty(session):
        raise ValueError("de database bevat al organisaties; voorbeelddata alleen in een lege database")
    created = datetime(2021, 9, 1, tzinfo=UTC).replace(tzinfo=None)
    for soort, code, naam, login in ORGANISATIES:
        org = create_organisatie(session, soort, code, naam)
        create_gebruiker(
            session, org, login, f"Demo {naam}", f"demo-{login}-wpb", now=created,
            hasher=_DEMO_HASHER,
        )
    bsns = synthetic_bsns()
    events: list[audit.AuditEvent] = []
    for index, spec in enumerate(_SPECS):
        bsn = next(bsns)
        geboren = date(2006 + index % 12, 1 + index % 12, 1 + (index * 7) % 28)
        previous = None
        for transfer in _build(spec, bsn, geboren):
            if previous is not None:
                transfer.vorige_id = previous.id
            session.add(transfer)
            session.flush()
            if previous is not None:
                previous.volgende_id = transfer.id
            previous = transfer
            for partij, taak in spec.taken_gedaan if transfer.vorige_id is None else ():
                session.add(
                    TaakStatus(
                        overdracht_id=transfer.id, partij_code=partij, taak=taak, gedaan=True,
                        gewijzigd_op=_stamp(transfer.aanleverdatum + timedelta(days=14)),
                    )
                )
            events.append(audit.AuditEvent("voorbeelddata.laden", transfer.id, transfer.bsn))
    session.flush()
    audit.record_many(session, None, events)
    return DEMO_USERS


def _build(spec: _Spec, bsn: str, geboren: date) -> list[Overdracht]:
    def new(ontvangende: str, aanleverdatum: date, organisatie: str, toelichting: str) -> Overdracht:
        o = Overdracht(
            latende_gemeente=spec.latende,
            ontvangende_gemeente=ontvangende,
            bsn=bsn,
            geboortedatum=geboren,
            status="aangeleverd",
            versie=1,
            aanleverdatum=aanleverdatum,
            aangemaakt_op=_stamp(aanleverdatum),
            gewijzigd_op=_stamp(aanleverdatum),
        )
        for agb, product, pgb in spec.regels:
            o.regels.append(
                OverdrachtRegel(
                    aanbieder_agb=agb,
                    product=_PRODUCTS[agb][product],
                    toewijzing_einddatum=(
                        date(2021, 12, 31) if aanleverdatum.year == 2021 else date(aanleverdatum.year + 1, 6, 30)
                    ),
                    pgb=pgb,
                    aanleverdatum=aanleverdatum,
                )
            )
        o.gebeurtenissen.append(
            Gebeurtenis(
                tijdstip=_stamp(aanleverdatum), datum=aanleverdatum, soort="aangeleverd",
                van_status=None, naar_status="aangeleverd", organisatie=organisatie,
                toelichting=toelichting,
            )
        )
        return o

    def step(o: Overdracht, d: date, soort: str, naar: str, wie: str, toelichting: str) -> None:
        o.gebeurtenissen.append(
            Gebeurtenis(
                tijdstip=_stamp(d, 14), datum=d, soort=soort, van_status=o.status, naar_status=naar,
                organisatie=wie, toelichting=toelichting,
            )
        )
        o.status = naar
        o.versie += 1
        o.gewijzigd_op = _stamp(d, 14)

    first = new(spec.ontvangende, spec.aanleverdatum, f"gemeente:{spec.latende}",
                "aangeleverd (voorbeelddata)")
    ontvangende = f"gemeente:{spec.ontvangende}"
    if spec.brp:
        first.brp_document = json.dumps(
            _history(spec.latende, spec.ontvangende, geboren, spec.aanleverdatum - timedelta(days=200)),
            sort_keys=True,
        )
        first.brp_bron = "upload"
        first.brp_ontvangen_op = _stamp(spec.aanleverdatum, 11)
    if spec.geaccepteerd:
        first.geaccepteerd_op = spec.geaccepteerd
        step(first, spec.geaccepteerd, "accepteren", "geaccepteerd", ontvangende, "overdracht geaccepteerd")
    if spec.afgewezen:
        d, onderbouwing = spec.afgewezen
        first.afgewezen_op = d
        first.onderbouwing = onderbouwing
        step(first, d, "afwijzen", "afgewezen", ontvangende, "overdracht afgewezen met onderbouwing")
    if spec.afgerond:
        d, ingang, ref = spec.afgerond
        first.afgerond_op = d
        first.toewijzing_ingangsdatum = ingang
        first.toewijzing_referentie = ref
        step(first, d, "afronden", "afgerond", ontvangende,
             f"toewijzing {ref} met ingang van {ingang.isoformat()} verstuurd")
    result = [first]
    if spec.doorgestuurd:
        d, naar = spec.doorgestuurd
        first.doorgestuurd_op = d
        step(first, d, "doorsturen", "doorgestuurd", f"gemeente:{spec.latende}",
             f"doorgestuurd naar gemeente {naar}")
        second = new(naar, d, f"gemeente:{spec.latende}", "doorgestuurd (voorbeelddata)")
        result.append(second)
    return result
