"""One page of a transfer list by each order and filter, against the newest-first order the
lists had before (issue 16 item 5), on PostgreSQL and SQLite, in one run.

    .venv/bin/python benchmarks/transfer_list.py [--transfers 20000] [--repeat 30]
        [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Seeds ``--transfers`` transfers between 10 gemeenten (a third of them today's, with
``vanaf``; a mix of states; one or two provider lines each) into a scratch PostgreSQL
database (created and dropped) and a temporary SQLite file. Then times the list statement
(:func:`queries.page_statements`, page 1 of 50, as a gemeente and as the coordinator) per
order, with the free-text filter and with one flow (latende and ontvangende gemeente). Prints the median wall time per page and its ratio to
``id`` descending (the old order) measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

from wpb.law.overgang import FACTSHEET
from wpb.service.base import Base
from wpb.service.components.overdrachten import queries
from wpb.service.components.overdrachten.models import Overdracht, OverdrachtRegel

GEMEENTEN = ["0344", "0307", "0355", "0363", "0599", "0518", "0014", "0080", "0193", "0202"]
STATES = ["aangeleverd"] * 4 + ["geaccepteerd", "afgewezen", "afgerond", "doorgestuurd", "ingetrokken"]
ORDERS = [("id", True), ("termijn", False), ("verantwoordelijk", False), ("aanbieder", False),
          ("aanleverdatum", False), ("status", True)]


def seed(engine, n: int) -> None:
    rnd = random.Random(16)
    Base.metadata.create_all(engine)
    moment = datetime(2026, 12, 1, 12)
    transfers, lines = [], []
    for i in range(1, n + 1):
        lat, ont = rnd.sample(GEMEENTEN, 2)
        today = rnd.random() < 1 / 3
        aangeleverd = (date(2026, 9, 1) if today else date(2021, 9, 1)) + timedelta(days=rnd.randrange(90))
        status = rnd.choice(STATES)
        transfers.append({
            "id": i, "latende_gemeente": lat, "ontvangende_gemeente": ont, "bsn": f"{100000000 + i}",
            "geboortedatum": date(2010, 1, 1), "status": status, "versie": 1,
            "aanleverdatum": aangeleverd, "aangemaakt_op": moment, "gewijzigd_op": moment,
            "wet": "jeugdwet", "vanaf": aangeleverd + timedelta(days=30) if today else None,
            "afgewezen_op": aangeleverd + timedelta(days=5) if status in ("afgewezen", "doorgestuurd") else None,
            "afgerond_op": aangeleverd + timedelta(days=40) if status == "afgerond" else None,
            "geaccepteerd_op": aangeleverd + timedelta(days=3) if status in ("geaccepteerd", "afgerond") else None,
        })
        for k in range(rnd.choice((1, 1, 2))):
            lines.append({"overdracht_id": i, "aanbieder_agb": f"9900{rnd.randrange(1000):04d}",
                          "product": f"product {k}", "pgb": False, "aanleverdatum": aangeleverd})
    with engine.begin() as c:
        for start in range(0, n, 5000):
            c.execute(insert(Overdracht.__table__), transfers[start:start + 5000])
        for start in range(0, len(lines), 5000):
            c.execute(insert(OverdrachtRegel.__table__), lines[start:start + 5000])
        if engine.dialect.name == "postgresql":
            c.exec_driver_sql("ANALYZE")


def run(name: str, engine, repeat: int) -> None:
    """Every variant once per round, in turn, so that the machine's load falls on all alike."""
    text_filter = {"tekst": "%9900012%", "tekst_id": -1, "tekst_codes": []}
    for kind, code in (("gemeente", "0344"), ("coordinator", "")):
        variants = [(f"sorteer {sort:<16} {'af' if desc else 'op'}",
                     queries.ListShape(kind, sort=sort, descending=desc), {}) for sort, desc in ORDERS]
        variants.append(("vrije tekst (AGB)          ", queries.ListShape(kind, with_tekst=True), text_filter))
        variants.append(("stroom 0344 → 0307         ",
                         queries.ListShape(kind, with_latende=True, with_ontvangende=True),
                         {"latende": "0344", "ontvangende": "0307"}))
        times: dict[str, list[float]] = {label: [] for label, _, _ in variants}
        base = {**queries.rule_parameters(date(2026, 12, 7), FACTSHEET), "code": code, "offset": 0, "limit": 50}
        with engine.connect() as c:
            for round_ in range(repeat + 3):
                for label, shape, params in variants:
                    statement = queries.page_statements(shape)[1]
                    start = time.perf_counter()
                    rows = c.execute(statement, {**base, **params}).all()
                    if round_ >= 3:  # the first rounds warm the caches
                        times[label].append(time.perf_counter() - start)
                    assert rows, f"{label}: the page is empty"
        reference = statistics.median(times[variants[0][0]])
        for label, _, _ in variants:
            t = statistics.median(times[label])
            print(f"{name:<10} {kind:<11} {label}: {t * 1000:7.2f} ms per pagina, "
                  f"{t / reference:5.2f} × id aflopend")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    scratch = f"wpb_list_bench_{int(time.time())}"
    admin = create_engine(args.server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        pg = create_engine(args.server.rsplit("/", 1)[0] + f"/{scratch}")
        seed(pg, args.transfers)
        run("postgresql", pg, args.repeat)
        pg.dispose()
        with tempfile.TemporaryDirectory() as tmp:
            lite = create_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
            seed(lite, args.transfers)
            run("sqlite", lite, args.repeat)
            lite.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{scratch}"'))


if __name__ == "__main__":
    main()
