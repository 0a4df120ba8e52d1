"""Helpers of the transfer-service tests: clock, tenants, upload files, counting rows."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from wpb.refdata import gemeente_register
from wpb.service.auth.principal import Principal, Soort, principal_of
from wpb.service.components.beheer.models import Gebruiker, Organisatie
from wpb.service.components.overdrachten import upload_check, upload_file, upload_store
from wpb.service.context import Context
from wpb.service.db import transaction
from wpb.service.settings import Settings


class SettableClock:
    """A clock the test moves by hand; starts on 2021-10-15 12:00 UTC."""

    def __init__(self, moment: datetime | None = None):
        self.moment = moment or datetime(2021, 10, 15, 12, 0, tzinfo=UTC)

    def set(self, *args: int) -> None:
        self.moment = datetime(*args, 12, 0, tzinfo=UTC) if len(args) == 3 else datetime(*args, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def make_context(settings: Settings, clock, **extra) -> Context:
    return Context(settings=settings, register=gemeente_register(), clock=clock, **extra)


@dataclass
class Tenants:
    """One principal per role: gemeenten A, B, C, providers P and Q, the coordinator."""

    a: Principal  # Utrecht 0344
    b: Principal  # Amersfoort 0307
    c: Principal  # Zeist 0355
    p: Principal  # provider 99000011
    q: Principal  # provider 99000022
    coordinator: Principal


# A fixed argon2 hash (of "wachtwoord-test"): hashing anew per test costs time for nothing.
TEST_PASSWORD = "wachtwoord-test"
_TEST_HASH = None


def _password_hash() -> str:
    global _TEST_HASH
    if _TEST_HASH is None:
        from wpb.service.auth.credentials import hash_password

        _TEST_HASH = hash_password(TEST_PASSWORD)
    return _TEST_HASH


def make_tenants(factory) -> Tenants:
    specs = {
        "a": (Soort.GEMEENTE, "0344", "Utrecht"),
        "b": (Soort.GEMEENTE, "0307", "Amersfoort"),
        "c": (Soort.GEMEENTE, "0355", "Zeist"),
        "p": (Soort.AANBIEDER, "99000011", "Aanbieder P"),
        "q": (Soort.AANBIEDER, "99000022", "Aanbieder Q"),
        "coordinator": (Soort.COORDINATOR, "coordinator", "Coördinator"),
    }
    result = {}
    with transaction(factory) as session:
        for key, (soort, code, naam) in specs.items():
            org = Organisatie(soort=soort.value, code=code, naam=naam)
            user = Gebruiker(
                organisatie=org, gebruikersnaam=f"user-{key}", naam=naam,
                wachtwoord_hash=_password_hash(), actief=True,
                aangemaakt_op=datetime(2021, 1, 1),
            )
            session.add(user)
            session.flush()
            result[key] = principal_of(user)
    return Tenants(**result)



_PUBLIC_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def bsn_like(url: str) -> bool:
    """Nine digits in a row in ``url``, leaving out public ids (a UUID holds nine digits in
    a row by chance about once in twenty)."""
    return bool(re.search(r"\d{9}", _PUBLIC_ID.sub("", url)))


def by_public_id(session, model, ref: int | str):
    """The row with this public id (S10: what responses, URLs and stored uploads name); an
    int is an internal key, as tests that insert rows themselves have."""
    if isinstance(ref, int):
        return session.get(model, ref)
    return session.scalar(select(model).where(model.publiek_id == ref))


def internal_id(factory, model, public: str) -> int:
    with transaction(factory) as session:
        return session.scalar(select(model.id).where(model.publiek_id == public))


def count(factory, model, *where) -> int:
    with transaction(factory) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


HEADER = list(upload_file.COLUMNS)


def row(
    bsn: str = "999990019",
    ontvangende: str = "0307",
    agb: str = "99000011",
    product: str = "Ambulante jeugdhulp",
    geboortedatum: str = "2010-05-01",
    einde: str = "2021-12-31",
    pgb: str = "nee",
) -> list[str]:
    return [bsn, geboortedatum, ontvangende, agb, product, einde, pgb]


def csv_bytes(rows: list[list[str]], header: list[str] | None = None, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def deliver(factory, principal: Principal, ctx: Context, rows: list[list[str]], name: str = "levering.csv",
            header: list[str] | None = None):
    """Check a file and store its valid rows, as a user who confirms would."""
    content = csv_bytes(rows, header=header)
    with transaction(factory) as session:
        check = upload_check.check_upload(
            session, principal, content, name, register=ctx.register, limits=ctx.limits, now=ctx.now()
        )
    with transaction(factory) as session:
        return upload_store.store_upload(
            session, principal, content, name, check.controle,
            register=ctx.register, limits=ctx.limits, now=ctx.now(),
        )


def valid_bsns(n: int) -> list[str]:
    from wpb.service.sample_data import synthetic_bsns as gen

    g = gen(999900000)
    return [next(g) for _ in range(n)]
