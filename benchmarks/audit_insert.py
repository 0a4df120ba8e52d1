"""The audit insert of one request on PostgreSQL: eight arrays (``unnest``) against one JSON
text (``json_to_recordset``), both in one process, alternating, on a scratch table.

    .venv/bin/python benchmarks/audit_insert.py [--url postgresql+psycopg://...] [--rounds 3]

Prints, per round and way, the client CPU and the wall time per insert of ``--entries``
entries (a list page audits 20); the service uses the JSON way (wpb.service.audit.trail).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime

from sqlalchemy import create_engine

from wpb.service.audit import trail as audit

TABLE = "audit_insert_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--inserts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = create_engine(args.url)
    columns = audit._CONTENT
    rows = [{"tijdstip": datetime.now(), "gebruiker_id": 3, "gebruikersnaam": "belasting",
             "organisatie": "gemeente:0344", "actie": "overdracht.lijst", "overdracht_id": i,
             "bsn": "999990019", "details": "{}"} for i in range(args.entries)]
    arrays = (f"INSERT INTO {TABLE} ({', '.join(columns)}) SELECT * FROM unnest("
              + ", ".join(f"%s::{t}[]" for t in audit._PG_TYPES) + ")")
    as_json = audit._PG_INSERT.replace("audit_log", TABLE)
    ways = {
        "arrays (unnest)": lambda c: c.exec_driver_sql(arrays, tuple([r[n] for r in rows] for n in columns)),
        "json_to_recordset": lambda c: c.exec_driver_sql(as_json, (audit._as_json(rows),)),
    }
    with engine.begin() as c:
        c.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")
        c.exec_driver_sql(f"CREATE TABLE {TABLE} (id bigserial PRIMARY KEY, tijdstip timestamp, "
                          "gebruiker_id int, gebruikersnaam text, organisatie text, actie text, "
                          "overdracht_id int, bsn text, details text)")
    try:
        with engine.connect() as c:
            for round_ in range(1, args.rounds + 1):
                for name, insert in ways.items():
                    for _ in range(50):  # let psycopg prepare the statement
                        insert(c)
                    cpu, wall = time.process_time(), time.perf_counter()
                    for _ in range(args.inserts):
                        insert(c)
                    cpu = (time.process_time() - cpu) / args.inserts * 1e6
                    wall = (time.perf_counter() - wall) / args.inserts * 1e6
                    print(f"ronde {round_} {name:<20} client-CPU {cpu:6.0f} µs, wandtijd {wall:6.0f} µs "
                          f"per insert van {args.entries} regels")
                c.commit()
    finally:
        with engine.begin() as c:
            c.exec_driver_sql(f"DROP TABLE {TABLE}")


if __name__ == "__main__":
    main()
