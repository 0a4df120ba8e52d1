"""The bundled sample data and the start-up that loads it."""

from __future__ import annotations

from collections import Counter

from argon2 import PasswordHasher
from sqlalchemy import func, select

from wpb.cli.service import prepare_database
from wpb.law.bsn import is_valid_bsn
from wpb.service import sample_data
from wpb.service.audit import trail as audit
from wpb.service.auth.credentials import authenticate_password
from wpb.service.components.beheer.models import Gebruiker
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.db import make_engine, make_sessionmaker, transaction
from wpb.service.settings import Settings


def test_seeded_sample_has_every_state_and_test_bsns(engine):
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        users = sample_data.seed(session)
    with transaction(factory) as session:
        transfers = session.scalars(select(Overdracht)).all()
        assert 25 <= len(transfers) <= 40
        assert set(Counter(o.status for o in transfers)) == {
            "aangeleverd", "geaccepteerd", "afgewezen", "afgerond", "doorgestuurd"
        }
        assert all(is_valid_bsn(o.bsn) and o.bsn.startswith("9999") for o in transfers)
        redirected = [o for o in transfers if o.status == "doorgestuurd"]
        assert all(session.get(Overdracht, o.volgende_id).vorige_id == o.id for o in redirected)
        assert audit.verify_chain(session).intact
        first = users[0]
        assert authenticate_password(session, first.gebruikersnaam, first.wachtwoord) is not None
        user = session.scalar(select(Gebruiker).where(Gebruiker.gebruikersnaam == first.gebruikersnaam))
        assert not PasswordHasher().check_needs_rehash(user.wachtwoord_hash)  # upgraded at login


def test_sample_data_only_into_a_new_default_database(tmp_path):
    default = Settings.from_env({"WPB_DATA_DIR": str(tmp_path / "a")})
    engine = make_engine(default.database_url)
    def transfers() -> int:
        with make_sessionmaker(engine)() as session:
            return session.scalar(select(func.count()).select_from(Overdracht)) or 0

    assert prepare_database(default, engine) == sample_data.DEMO_USERS
    seeded = transfers()
    assert seeded > 0
    assert prepare_database(default, engine) == sample_data.DEMO_USERS
    assert transfers() == seeded  # not seeded twice
    engine.dispose()

    other_url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    other = Settings.from_env({"WPB_DATA_DIR": str(tmp_path / "a"), "WPB_DATABASE_URL": other_url})
    engine = make_engine(other_url)
    assert prepare_database(other, engine) is None
    with make_sessionmaker(engine)() as session:
        assert sample_data.is_empty(session)
    engine.dispose()
    asked = other.with_(sample_data="ja")
    engine = make_engine(other_url)
    assert prepare_database(asked, engine) == sample_data.DEMO_USERS
    engine.dispose()
