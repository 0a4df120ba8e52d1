"""The database connection: SQLAlchemy 2 engines for SQLite and PostgreSQL.

SQLite is the zero-configuration default. Three pragmas make it behave: ``foreign_keys``
(SQLite ignores foreign keys unless asked), WAL journaling (readers do not block the
writer) and a busy timeout. Every transaction starts with ``BEGIN IMMEDIATE``: each
request writes at least an audit entry, and a deferred transaction that reads first and
writes later fails outright (SQLITE_BUSY_SNAPSHOT) when another writer committed in
between. Taking the write lock up front makes concurrent requests queue instead.

PostgreSQL runs through psycopg 3; a plain ``postgresql://`` URL is given that driver.
The service recovers by itself after the database restarts: a pooled connection whose
server hung up is replaced when it is taken from the pool (:func:`_server_hung_up`).
``hide_parameters`` keeps statement parameters (BSNs among them) out of error messages,
so an error that reaches a log carries no personal data.
"""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_S = 30


def normalise_url(url: str) -> str:
    """Give PostgreSQL URLs the psycopg 3 driver; leave the rest alone."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
        )
        _configure_sqlite(engine)
        return engine
    engine = create_engine(
        url, echo=echo, hide_parameters=True, pool_size=10, max_overflow=10,
        # TCP keepalive: a connection cut without a close (network, failover) errors its
        # socket within about a minute, which the checkout poll then sees.
        connect_args={"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                      "keepalives_count": 3},
    )
    event.listen(engine, "checkout", _replace_if_hung_up)
    return engine


def _server_hung_up(dbapi_connection) -> bool:
    """Whether the server ended this idle connection (it restarted, or ended the session).

    An idle connection between transactions has nothing to read: the server speaks only
    when asked. When it ends a session it sends a last message and closes the socket, so
    input waiting (or a hang-up) on the socket means the connection is dead. A poll with
    no timeout answers this without a round trip, where ``pool_pre_ping`` would send a
    ``SELECT 1`` before every request. (A connection cut without any close is found by TCP
    keepalive; until then, its request fails with 503 and the pool replaces it.)
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


def _replace_if_hung_up(dbapi_connection, _record, _proxy) -> None:
    if _server_hung_up(dbapi_connection):
        # The pool discards this connection and tries a fresh one (others as they are taken).
        raise exc.DisconnectionError("de databaseserver heeft de verbinding beëindigd")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine, *, info: dict | None = None) -> sessionmaker[Session]:
    """Sessions for ``engine``; ``info`` is copied into every session (e.g. the audit key)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info=dict(info or {}))


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends normally, roll back otherwise."""
    with factory() as session, session.begin():
        yield session
