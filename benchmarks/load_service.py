"""Load test of the transfer service on loopback: PostgreSQL, uvicorn in a subprocess.

    .venv/bin/python benchmarks/load_service.py                  # 60 s or 20 000 requests
    .venv/bin/python benchmarks/load_service.py --duration 30 --requests 5000 --concurrency 16
    .venv/bin/python benchmarks/load_service.py --rate 200 --concurrency 16   # fixed arrival rate

What it does, and stops by itself:

1. creates a database of its own on the PostgreSQL server (``--server``, default
   ``postgresql://postgres@127.0.0.1:5432/postgres``), migrates it and adds ``--tenants``
   gemeenten, one user and API token each;
2. seeds ``--seed`` transfers between them through the service's own upload code, so the
   reads have something to read;
3. starts the service: ``--workers`` uvicorn processes (no access log), each on a free
   loopback port of its own, and waits until they answer. The virtual users' connections
   are spread over them in turn, as a reverse proxy would (one uvicorn with ``--workers``
   lets whichever process wakes first accept all keep-alive connections, which left one
   process doing nearly all the work);
4. runs ``--concurrency`` virtual users (httpx + asyncio) that pick, by weight: list
   incoming transfers, read one transfer, search by BSN (reads); upload a file of new
   youths (check + store), accept or reject an incoming transfer (writes). Each transfer
   is accepted or rejected by at most one user, so a 409 is a failure, not luck. It stops
   after ``--requests`` requests or ``--duration`` seconds, whichever comes first;
5. reports throughput, p50/p95/p99 latency per kind and errors (any non-2xx answer or
   exception), and then checks the database: every upload answered 201 created exactly its
   transfers (none lost, none twice), no youth has two open transfers from one gemeente,
   every accepted/rejected answer is the transfer's state now, every state and timeline is
   a legal path of the state machine, and the audit chain is intact and fully sealed;
6. stops the service and drops the database (``--keep`` keeps it).

Exit status 0 when there were no errors and every check held; 1 otherwise. The target in
docs/reliability.md: 200 requests/s with p95 < 100 ms for reads and no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import lean_http
import psycopg

from wpb.service import context
from wpb.service.components.overdrachten import upload_check, upload_store

V1 = "/api/v1"
GEMEENTEN = [("0344", "Utrecht"), ("0307", "Amersfoort"), ("0355", "Zeist"),
             ("0363", "Amsterdam"), ("0599", "Rotterdam"), ("0518", "'s-Gravenhage")]
PROVIDER = "99000011"
WEIGHTS = {"lijst": 35, "lezen": 35, "zoeken": 10, "aanleveren": 6, "accepteren": 8, "afwijzen": 6}
# A comparison: only the caller's profile (logged in, but no transfer data and no audit entry).
PROFILE_ONLY = {"profiel": 1}
READS = ("lijst", "lezen", "zoeken", "profiel")
UPLOAD_ROWS = 5


# --- the app the uvicorn subprocess serves -------------------------------------------------------


def app_factory():
    """Used by uvicorn (``--factory load_service:app_factory``); settings from the environment."""
    from wpb.service.app import create_app

    return create_app()


# --- setup -----------------------------------------------------------------------------------------


def _bsns(start: int):
    from wpb.law.bsn import is_valid_bsn

    n = start
    while True:
        if is_valid_bsn(str(n)):
            yield str(n)
        n += 1


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["bsn", "geboortedatum", "ontvangende_gemeente", "aanbieder_agb", "product",
                     "toewijzing_einddatum", "pgb"])
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(bsn: str, ontvangende: str) -> list[str]:
    return [bsn, "2012-03-04", ontvangende, PROVIDER, "Jeugdhulp met verblijf", "2027-12-31", "nee"]


@dataclass
class Setup:
    url: str
    database: str
    tokens: dict[str, str]  # gemeentecode -> token
    incoming: dict[str, deque] = field(default_factory=dict)  # code -> ids to accept/reject
    known: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # code -> (id, bsn)
    seeded: int = 0


def setup_database(server: str, tenants: int, seed: int, bsns) -> Setup:
    from wpb.refdata import gemeente_register
    from wpb.service import migrations
    from wpb.service.auth.principal import load_principal
    from wpb.service.components.beheer.models import Gebruiker, Organisatie
    from wpb.service.components.beheer.tokens import issue_token
    from wpb.service.db import make_engine, make_sessionmaker, transaction

    name = f"wpb_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://")
    engine = make_engine(url)
    migrations.upgrade(engine)
    factory = make_sessionmaker(engine)
    codes = [code for code, _ in GEMEENTEN[:tenants]]
    tokens, users = {}, {}
    with transaction(factory) as session:
        for code, naam in GEMEENTEN[:tenants]:
            user = Gebruiker(organisatie=Organisatie(soort="gemeente", code=code, naam=naam),
                             gebruikersnaam=f"load-{code}", naam=naam, wachtwoord_hash="x",
                             actief=True, aangemaakt_op=datetime(2026, 1, 1))
            session.add(user)
            session.flush()
            tokens[code] = issue_token(session, user.id)
            users[code] = user.id
    s = Setup(url=url, database=name, tokens=tokens,
              incoming={c: deque() for c in codes}, known={c: [] for c in codes})
    register = gemeente_register()
    limits = context.Limits(10_000_000, 100_000)
    per_tenant = seed // tenants
    for i, code in enumerate(codes):
        receivers = [c for c in codes if c != code]
        rows = [_row(next(bsns), receivers[j % len(receivers)]) for j in range(per_tenant)]
        content = _csv(rows)
        with transaction(factory) as session:
            principal = load_principal(session, users[code])
            check = upload_check.check_upload(session, principal, content, f"seed-{i}.csv",
                                         register=register, limits=limits)
            stored = upload_store.store_upload(session, principal, content, f"seed-{i}.csv",
                                          check.controle, register=register, limits=limits)
        for transfer_id, row in zip(stored.nieuwe_overdrachten, rows, strict=True):
            s.incoming[row[2]].append(transfer_id)
            s.known[code].append((transfer_id, row[0]))
            s.known[row[2]].append((transfer_id, row[0]))
        s.seeded += len(stored.nieuwe_overdrachten)
    engine.dispose()
    return s


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_services(url: str, workers: int) -> list[tuple[subprocess.Popen, int]]:
    """``workers`` single-process services, each on a port of its own."""
    started: list[tuple[subprocess.Popen, int]] = []
    try:
        for _ in range(workers):
            port = free_port()
            started.append((start_service(url, port, 1), port))
    except BaseException:
        for process, _ in started:
            stop_service(process)
        raise
    return started


def start_service(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "WPB_DATABASE_URL": url, "WPB_SECRET_KEY": "belasting",
           "WPB_SAMPLE_DATA": "nee", "WPB_DATA_DIR": f"/tmp/wpb-load-{port}"}
    command = [sys.executable, "-m", "uvicorn", "--factory", "load_service:app_factory",
               "--app-dir", str(Path(__file__).resolve().parent), "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--no-access-log",
               "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"uvicorn stopte meteen (exit {process.returncode})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{V1}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_service(process)
    raise SystemExit("uvicorn antwoordde niet binnen 60 s")


def stop_service(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def cpu_seconds(service_pids: set[int]) -> dict[str, float]:
    """CPU seconds used so far by the service (all its processes), PostgreSQL and this generator."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {"dienst": 0.0, "postgres": 0.0, "belasting": 0.0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                command = f.read()
            group = os.getpgid(int(entry))
        except OSError:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(entry) == os.getpid():
            used["belasting"] += seconds
        elif group in service_pids:  # each uvicorn runs in a session (and group) of its own
            used["dienst"] += seconds
        elif command.startswith(b"postgres"):
            used["postgres"] += seconds
    return used


# --- the load -----------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    accepted: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    uploaded: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # code -> BSNs
    created: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # code -> ids
    skipped: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds during the load, per party
    # Read latencies per second of the run (by when the request was sent or due): shows
    # whether a high p95 is spread over the run or comes from a few stalled seconds.
    reads_per_second: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    reference_ms: tuple[float, float] = (float("nan"), float("nan"))  # before and after the load


def reference_loop_ms() -> float:
    """Milliseconds for a fixed pure-Python loop on one core, best of three: how fast the
    machine is at the moment of the run. This host's speed drifts by a third over the day
    (the same loop seen here between 1.7 and 2.8 s at 20 million steps), and every figure
    of the load test drifts with it; the ratio to this loop does not."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000


async def run_load(ports: list[int], s: Setup, *, requests: int, duration: float, concurrency: int,
                   seed: int, bsns, mix: dict[str, int] = WEIGHTS,
                   rate: float | None = None) -> tuple[Results, float]:
    """Closed loop (``rate`` None): ``concurrency`` users, each sending its next request when
    the previous one is answered. Fixed rate: a request is due every 1/``rate`` s whatever
    the answers do, sent on a free one of ``concurrency`` connections; its latency counts
    from the moment it was due, so time spent waiting for a free connection is included
    (no "coordinated omission")."""
    rng = random.Random(seed)
    results = Results()
    codes = list(s.tokens)
    kinds = list(mix)
    weights = [mix[k] for k in kinds]
    stop_at = time.monotonic() + duration
    t0 = time.perf_counter()
    # One keep-alive connection per virtual user (see lean_http for why not httpx), spread
    # over the service processes in turn.
    connections = [lean_http.Connection("127.0.0.1", ports[i % len(ports)]) for i in range(concurrency)]

    async def call(conn: lean_http.Connection, kind: str, method: str, url: str, code: str, *,
                   files=None, data=None, due: float | None = None, **kwargs) -> lean_http.Response | None:
        headers = {"Authorization": f"Bearer {s.tokens[code]}"}
        if files is not None:
            kwargs["body"], kwargs["content_type"] = lean_http.multipart(files, data)
        started = time.perf_counter() if due is None else due
        try:
            response = await conn.request(method, url, headers=headers, **kwargs)
        except lean_http.HttpError as exc:
            results.errors.append(f"{kind}: {exc}")
            return None
        finally:
            results.requests += 1
        latency = time.perf_counter() - started
        results.latencies[kind].append(latency)
        if kind in READS:
            results.reads_per_second[int(started - t0)].append(latency)
        if not 200 <= response.status_code < 300:
            results.errors.append(f"{kind}: {response.status_code} {response.text[:160]}")
            return None
        return response

    async def act(conn: lean_http.Connection, local: random.Random, due: float | None = None) -> None:
        """One action of the mix (an upload is two requests: check, then store)."""
        kind = local.choices(kinds, weights)[0]
        code = local.choice(codes)
        if kind == "profiel":
            await call(conn, kind, "GET", f"{V1}/gebruikersprofiel", code, due=due)
        elif kind == "lijst":
            await call(conn, kind, "GET", f"{V1}/overdrachten", code, due=due,
                       params={"richting": "inkomend", "paginaGrootte": 20, "pagina": local.randint(1, 5)})
        elif kind == "lezen":
            transfer_id, _ = local.choice(s.known[code])
            await call(conn, kind, "GET", f"{V1}/overdrachten/{transfer_id}", code, due=due)
        elif kind == "zoeken":
            _, bsn = local.choice(s.known[code])
            await call(conn, kind, "POST", f"{V1}/overdrachten/_zoek", code, json={"bsn": bsn}, due=due)
        elif kind == "aanleveren":
            receivers = [c for c in codes if c != code]
            rows = [_row(next(bsns), local.choice(receivers)) for _ in range(UPLOAD_ROWS)]
            content = _csv(rows)
            files = {"bestand": ("load.csv", content, "text/csv")}
            check = await call(conn, "aanleveren-controle", "POST", f"{V1}/aanleveringen/_controleer",
                               code, files=files, due=due)
            if check is None:
                return
            stored = await call(conn, kind, "POST", f"{V1}/aanleveringen", code, files=files,
                                data={"controle": check.json()["controle"]})
            if stored is None:
                return
            ids = stored.json()["nieuweOverdrachten"]
            results.uploaded[code] += [r[0] for r in rows]
            results.created[code] += ids
            for transfer_id, row in zip(ids, rows, strict=True):
                s.incoming[row[2]].append(transfer_id)
                s.known[code].append((transfer_id, row[0]))
                s.known[row[2]].append((transfer_id, row[0]))
        else:
            queue = s.incoming[code]
            if not queue:
                results.skipped += 1
                return
            transfer_id = queue.popleft()
            if kind == "accepteren":
                if await call(conn, kind, "POST", f"{V1}/overdrachten/{transfer_id}/acceptatie",
                              code, json={}, due=due):
                    results.accepted.append(transfer_id)
            elif await call(conn, kind, "POST", f"{V1}/overdrachten/{transfer_id}/afwijzing",
                            code, json={"onderbouwing": "woont niet in deze gemeente"}, due=due):
                results.rejected.append(transfer_id)

    async def user(number: int) -> None:
        local = random.Random(rng.random())
        while results.requests < requests and time.monotonic() < stop_at:
            await act(connections[number], local)

    async def fixed_rate() -> None:
        free: asyncio.Queue = asyncio.Queue()
        for conn in connections:
            free.put_nowait(conn)
        local = random.Random(rng.random())
        interval = 1 / rate
        due = time.perf_counter()
        end = due + duration
        pending = set()

        async def one(at: float) -> None:
            conn = await free.get()
            try:
                await act(conn, local, due=at)
            finally:
                free.put_nowait(conn)

        sent = 0
        while due < end and sent < requests:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(due))
            pending.add(task)
            task.add_done_callback(pending.discard)
            sent += 1
            due += interval
        await asyncio.gather(*pending)

    started = time.perf_counter()
    if rate:
        await fixed_rate()
    else:
        await asyncio.gather(*(user(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - started
    for conn in connections:
        await conn.close()
    return results, elapsed


# --- checks afterwards -----------------------------------------------------------------------------


def check_database(s: Setup, results: Results) -> list[str]:
    from sqlalchemy import func, select

    from wpb.domain.overdracht import TRANSITIONS, Status
    from wpb.service.audit.trail import verify_chain
    from wpb.service.components.overdrachten.models import Gebeurtenis, Overdracht
    from wpb.service.db import make_engine, make_sessionmaker, transaction

    problems: list[str] = []
    engine = make_engine(s.url)
    legal_steps = {(None, Status.AANGELEVERD.value)} | {
        # a transition without naar keeps the status (a correction)
        (van.value, (t.naar or van).value) for t in TRANSITIONS.values() for van in t.van
    }
    with transaction(make_sessionmaker(engine)) as session:
        total = session.scalar(select(func.count()).select_from(Overdracht))
        created = sum(len(ids) for ids in results.created.values())
        uploaded = sum(len(b) for b in results.uploaded.values())
        if created != uploaded:
            problems.append(f"{uploaded} jeugdigen aangeleverd (201), {created} overdrachten gemaakt")
        if total != s.seeded + created:
            problems.append(f"{total} overdrachten; verwacht {s.seeded} + {created}")
        duplicates = session.execute(
            select(Overdracht.latende_gemeente, Overdracht.bsn, func.count())
            .group_by(Overdracht.latende_gemeente, Overdracht.bsn).having(func.count() > 1)
        ).all()
        if duplicates:
            problems.append(f"{len(duplicates)} jeugdigen twee keer overgedragen door één gemeente")
        for code, bsns in results.uploaded.items():
            found = set(session.scalars(select(Overdracht.bsn).where(
                Overdracht.latende_gemeente == code, Overdracht.bsn.in_(bsns))))
            if found != set(bsns):
                problems.append(f"{code}: {len(set(bsns) - found)} aangeleverde jeugdigen ontbreken")
        status = dict(session.execute(select(Overdracht.id, Overdracht.status)).all())
        # The answers name transfers by their public id (issue 19, S10).
        public = dict(session.execute(select(Overdracht.publiek_id, Overdracht.status)).all())
        wrong = [i for i in results.accepted if public.get(i) != "geaccepteerd"]
        wrong += [i for i in results.rejected if public.get(i) != "afgewezen"]
        if wrong:
            problems.append(f"{len(wrong)} overdrachten niet in de status die het antwoord meldde")
        if set(results.accepted) & set(results.rejected):
            problems.append("overdrachten zowel geaccepteerd als afgewezen")
        illegal = [i for i, st in status.items() if st not in {x.value for x in Status}]
        if illegal:
            problems.append(f"{len(illegal)} overdrachten in een onbekende status")
        steps = defaultdict(list)
        for oid, van, naar in session.execute(
            select(Gebeurtenis.overdracht_id, Gebeurtenis.van_status, Gebeurtenis.naar_status)
            .where(Gebeurtenis.naar_status.is_not(None)).order_by(Gebeurtenis.id)
        ):
            if van != naar:
                steps[oid].append((van, naar))
        bad_paths = 0
        for oid, st in status.items():
            path = steps.get(oid, [])
            if not path or path[-1][1] != st or any(step not in legal_steps for step in path) or any(
                a[1] != b[0] for a, b in zip(path, path[1:], strict=False)
            ):
                bad_paths += 1
        if bad_paths:
            problems.append(f"{bad_paths} overdrachten met een tijdlijn die geen geldige weg is")
        report = verify_chain(session)
        if not report.intact:
            problems.append(f"auditketen niet intact: {report.problems[:3]}")
        if report.waiting:  # the service seals what waits when it stops
            problems.append(f"{report.waiting} auditregels niet verzegeld na het stoppen van de dienst")
        audit_entries = report.entries
    engine.dispose()
    results.latencies["_audit"] = [audit_entries]  # reported, not a latency
    return problems


# --- reporting ---------------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def report(results: Results, elapsed: float, args, problems: list[str]) -> dict:
    audit_entries = results.latencies.pop("_audit", [0])[0]
    reads = [v for k in READS for v in results.latencies.get(k, [])]
    writes = [v for k, vs in results.latencies.items() if k not in READS for v in vs]
    # p95 of the reads in each whole second of the run (the last, partial one left out).
    seconds = [_ms(v, 95) for k, v in sorted(results.reads_per_second.items())
               if len(v) >= 20 and k < int(elapsed)]
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "instellingen": {"requests": args.requests, "duration": args.duration,
                         "concurrency": args.concurrency, "tenants": args.tenants,
                         "seed": args.seed, "workers": args.workers, "mix": args.mix,
                         "rate": args.rate},
        "verzoeken": results.requests,
        "seconden": round(elapsed, 2),
        "verzoeken_per_seconde": round(results.requests / elapsed, 1) if elapsed else 0,
        "fouten": len(results.errors),
        "lezen": {"aantal": len(reads), "p50_ms": round(_ms(reads, 50), 1),
                  "p95_ms": round(_ms(reads, 95), 1), "p99_ms": round(_ms(reads, 99), 1)},
        "schrijven": {"aantal": len(writes), "p50_ms": round(_ms(writes, 50), 1),
                      "p95_ms": round(_ms(writes, 95), 1), "p99_ms": round(_ms(writes, 99), 1)},
        "per_soort": {k: {"aantal": len(v), "p50_ms": round(_ms(v, 50), 1),
                          "p95_ms": round(_ms(v, 95), 1), "p99_ms": round(_ms(v, 99), 1)}
                      for k, v in sorted(results.latencies.items())},
        "p95_lezen_per_seconde": {
            "mediaan_ms": round(statistics.median(seconds), 1) if seconds else None,
            "slechtste_ms": round(max(seconds), 1) if seconds else None,
            "seconden_boven_100_ms": sum(1 for v in seconds if v > 100),
        },
        "geaccepteerd": len(results.accepted), "afgewezen": len(results.rejected),
        "aangeleverd": sum(len(v) for v in results.uploaded.values()),
        "overgeslagen_geen_werk": results.skipped,
        "auditregels": audit_entries,
        "cpu_ms_per_verzoek": {k: round(v * 1000 / max(results.requests, 1), 2)
                               for k, v in results.cpu.items()},
        "cpu_kernen_bezet": {k: round(v / elapsed, 2) for k, v in results.cpu.items()} if elapsed else {},
        "referentielus_ms": [round(v, 1) for v in results.reference_ms],
        "dienst_cpu_per_verzoek_in_referentielussen": (
            round(results.cpu["dienst"] * 1000 / max(results.requests, 1) / results.reference_ms[0], 4)
            if "dienst" in results.cpu else None),
        "controles": problems or ["alles klopt"],
        "eerste_fouten": results.errors[:10],
    }
    print(f"\n{summary['machine']}")
    print(f"{results.requests} verzoeken in {elapsed:.1f} s = {summary['verzoeken_per_seconde']} per s, "
          f"{len(results.errors)} fouten ("
          + (f"vast tempo {args.rate:g}/s over {args.concurrency} verbindingen, " if args.rate
             else f"{args.concurrency} gelijktijdige gebruikers, ")
          + f"{args.workers} dienstproces(sen))")
    print(f"{'soort':<22}{'aantal':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, row in [("LEZEN (alle)", summary["lezen"]), ("SCHRIJVEN (alle)", summary["schrijven"]),
                      *summary["per_soort"].items()]:
        print(f"{name:<22}{row['aantal']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}")
    print(f"geaccepteerd {summary['geaccepteerd']}, afgewezen {summary['afgewezen']}, "
          f"aangeleverd {summary['aangeleverd']} jeugdigen, auditregels {audit_entries}")
    if results.cpu:
        print("CPU per verzoek (ms) / kernen bezet: " + ", ".join(
            f"{k} {summary['cpu_ms_per_verzoek'][k]} / {summary['cpu_kernen_bezet'][k]}"
            for k in results.cpu))
    before, after = summary["referentielus_ms"]
    print(f"referentielus (snelheid van de machine, lager is sneller): {before} ms voor, {after} ms na; "
          f"dienst-CPU per verzoek = {summary['dienst_cpu_per_verzoek_in_referentielussen']} referentielus")
    if seconds:
        print(f"p95 lezen per seconde: mediaan {summary['p95_lezen_per_seconde']['mediaan_ms']} ms, "
              f"slechtste {summary['p95_lezen_per_seconde']['slechtste_ms']} ms; "
              f"{summary['p95_lezen_per_seconde']['seconden_boven_100_ms']} van {len(seconds)} "
              "seconden boven 100 ms")
    print("controles na afloop: " + "; ".join(summary["controles"]))
    for error in results.errors[:10]:
        print(f"  fout: {error}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get(
        "WPB_LOAD_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server (URL of an existing database to connect to for CREATE DATABASE)")
    parser.add_argument("--requests", type=int, default=20_000, help="stop after this many requests")
    parser.add_argument("--duration", type=float, default=60.0, help="stop after this many seconds")
    parser.add_argument("--concurrency", type=int, default=8, help="virtual users at once")
    parser.add_argument("--tenants", type=int, default=4, choices=range(2, len(GEMEENTEN) + 1))
    parser.add_argument("--seed-transfers", dest="seed_transfers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=20260507, help="random seed of the mix")
    parser.add_argument("--rate", type=float, default=None,
                        help="fixed arrival rate (requests/s) instead of a closed loop; --concurrency "
                             "then is the number of connections")
    parser.add_argument("--workers", type=int, default=2,
                        help="service processes (uvicorn, each on a port of its own)")
    parser.add_argument("--mix", choices=("standaard", "profiel"), default="standaard",
                        help="standaard: the mix above; profiel: only GET /gebruikersprofiel "
                        "(logged in, no audit entry), to compare")
    parser.add_argument("--json", type=Path, help="also write the summary as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    args.tenants = int(args.tenants)

    bsns = _bsns(999_000_000)
    print(f"database maken en {args.seed_transfers} overdrachten klaarzetten ...", flush=True)
    s = setup_database(args.server, args.tenants, args.seed_transfers, bsns)
    services: list[tuple[subprocess.Popen, int]] = []
    try:
        services = start_services(s.url, args.workers)
        ports = [port for _, port in services]
        pids = {process.pid for process, _ in services}
        print(f"dienst op 127.0.0.1, poort(en) {', '.join(map(str, ports))}; belasting: "
              f"{args.concurrency} gebruikers, hoogstens {args.requests} verzoeken of "
              f"{args.duration:.0f} s ...", flush=True)
        reference_before = reference_loop_ms()
        cpu_before = cpu_seconds(pids)
        results, elapsed = asyncio.run(run_load(
            ports, s, requests=args.requests, duration=args.duration,
            concurrency=args.concurrency, seed=args.seed, bsns=bsns,
            mix=PROFILE_ONLY if args.mix == "profiel" else WEIGHTS, rate=args.rate))
        cpu_after = cpu_seconds(pids)
        results.cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_after}
        results.reference_ms = (reference_before, reference_loop_ms())
        for process, _ in services:
            stop_service(process)  # each seals its waiting audit entries as it stops
        services = []
        problems = check_database(s, results)
        summary = report(results, elapsed, args, problems)
        if args.json:
            args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0 if not results.errors and not problems else 1
    finally:
        for process, _ in services:
            stop_service(process)
        if not args.keep:
            drop_database(args.server, s.database)
        else:
            print(f"database bewaard: {s.url}")


if __name__ == "__main__":
    sys.exit(main())
