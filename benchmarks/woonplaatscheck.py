"""The woonplaatscheck of a large city's caseload, against plain JSON parsing in the same run.

    PYTHONPATH=src .venv/bin/python benchmarks/woonplaatscheck.py [--clienten 20000] [--dir /tmp/wpb-wpc]

Generates a synthetic caseload (one or two toewijzingen per client; moves during ambulant care,
stays, youths near 18) and a folder of ``<bsn>.json`` BRP documents, then times:

1. the baseline: reading and ``json.loads`` of every document;
2. the woonplaatscheck from the folder (reading the caseload CSV included), with the national
   executor (``--uitvoering kolom``, the default) and/or the reference engine for every client
   (``referentie``), in each number of worker processes named by ``--werkers`` (default: the
   usable cores, as ``wpb woonplaatscheck``);
3. the same over HTTP (the first executor named): the local proefomgeving in a separate
   process, fetched in bulk (``--gelijktijdig`` requests at a time, default 8);
4. with ``--nationaal N``: the national executor (``wpb.batch.run.run_batch``, the batch's
   public entry point) on a synthetic population of N youths (``wpb synth``).

Targets (issue 20): 2 within 10x the baseline and under 30 s; 3 under 60 s; 4 under 60 s.

Each check is reported in wall-clock seconds and in CPU seconds: of this process and of its
worker processes together (``resource.getrusage``, ``RUSAGE_SELF`` + ``RUSAGE_CHILDREN``), each
against the same measure of the baseline. With workers the wall clock can fall while the CPU
time grows; the load of other work on the machine disturbs the CPU time far less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from wpb import refdata
from wpb.brp.bronnen import MapBron
from wpb.brp.bulk import HaalCentraalBron
from wpb.caseload.read import bevestig, read_file
from wpb.law.bsn import is_valid_bsn
from wpb.woonplaatscheck.check import (
    KOLOM,
    UITVOERINGEN,
    beschikbare_kernen,
    startmethode,
    woonplaatscheck,
)

PEILDATUM = date(2026, 12, 1)
EIGEN = "0344"


def bsns(n: int) -> list[str]:
    out, candidate = [], 100_000_000
    while len(out) < n:
        if is_valid_bsn(str(candidate)):
            out.append(str(candidate))
        candidate += 1
    return out


def _adres(van: date, code: str, tot: date | None) -> dict:
    r = {"type": "Adres", "datumVan": {"type": "Datum", "datum": van.isoformat()},
         "gemeenteVanInschrijving": {"code": code}}
    if tot:
        r["datumTot"] = {"type": "Datum", "datum": tot.isoformat()}
    return r


def generate(folder: Path, n: int, seed: int = 1, elders: float | None = None) -> Path:
    """``elders``: the share of moves that leave the gemeente (default: 10 of 16, as in the
    first runs; about 45 % of the clients then live elsewhere and raise a signal)."""
    rng = random.Random(seed)
    register = refdata.gemeente_register()
    codes = [g.code for g in register.on(PEILDATUM)]
    near = [EIGEN] * 6 + rng.sample(codes, 10)
    brp = folder / "brp"
    brp.mkdir(parents=True, exist_ok=True)
    lines = ["bsn;geboortedatum;aanbieder_agb;productcategorie;productcode;begindatum;einddatum;verblijf"]
    for bsn in bsns(n):
        born = PEILDATUM - timedelta(days=rng.randint(2 * 365, 19 * 365))
        moves = sorted(rng.sample(range(30, (PEILDATUM - born).days - 1), k=rng.randint(0, 3)))
        days = [born] + [born + timedelta(days=d) for d in moves]
        if elders is None:
            places = [EIGEN] + [rng.choice(near) for _ in moves]
        else:
            places = [EIGEN] + [rng.choice(near[6:]) if rng.random() < elders else EIGEN
                                for _ in moves]
        records = [_adres(d, g, days[i + 1] if i + 1 < len(days) else None)
                   for i, (d, g) in enumerate(zip(days, places, strict=True))]
        doc = {"jeugdige": {"burgerservicenummer": bsn,
                            "geboorte": {"datum": {"type": "Datum", "datum": born.isoformat()}},
                            "verblijfplaatshistorie": records}}
        (brp / f"{bsn}.json").write_text(json.dumps(doc), encoding="utf-8")
        begin = max(born, PEILDATUM - timedelta(days=rng.randint(10, 1500)))
        stay = rng.random() < 0.3
        einde = "" if rng.random() < 0.7 else (PEILDATUM + timedelta(days=rng.randint(1, 200))).isoformat()
        lines.append(f"{bsn};{born};12345678;{'43' if stay else '45'};P1;{begin};{einde};")
        if rng.random() < 0.2:
            lines.append(f"{bsn};{born};87654321;54;P2;{begin};;nee")
    clienten = folder / "clienten.csv"
    clienten.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return clienten


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its ended worker processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(brp: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of reading and parsing every document."""
    start, cpu = time.perf_counter(), cpu_seconds()
    for path in brp.iterdir():
        json.loads(path.read_bytes())
    return time.perf_counter() - start, cpu_seconds() - cpu


class Timed:
    """A BRP source that adds up the time spent fetching."""

    def __init__(self, inner):
        self.inner = inner
        self.naam = inner.naam
        self.seconds = 0.0

    def fetch(self, *args, **kw):
        start = time.perf_counter()
        try:
            return self.inner.fetch(*args, **kw)
        finally:
            self.seconds += time.perf_counter() - start

    def met_moeder(self, *args, **kw):
        start = time.perf_counter()
        try:
            return self.inner.met_moeder(*args, **kw)
        finally:
            self.seconds += time.perf_counter() - start


def check(clienten: Path, bron_factory, uitvoering: str = KOLOM,
          werkers: int = 1) -> tuple[float, int, float, int, float]:
    """(seconds in all, clients decided, seconds of it fetching BRP data in this process (with
    workers: none, they fetch their own), clients with a signal: those get the reference
    engine's full explanation, CPU seconds of this process and its workers: the load of
    other work disturbs it far less than the wall clock)."""
    register = refdata.gemeente_register()
    start, cpu = time.perf_counter(), cpu_seconds()
    toewijzingen = bevestig(read_file(clienten, register))
    bron = Timed(bron_factory(register))
    result = woonplaatscheck(toewijzingen, bron, EIGEN, PEILDATUM, register, uitvoering=uitvoering,
                             werkers=werkers)
    return (time.perf_counter() - start, len(result.uitkomsten), bron.seconds,
            len({s.bsn for s in result.signalen}), cpu_seconds() - cpu)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clienten", type=int, default=20_000, help="0: skip the caseload runs")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/wpb-woonplaatscheck"))
    parser.add_argument("--nationaal", type=int, default=0)
    parser.add_argument("--gelijktijdig", type=int, default=8, help="concurrent BRP requests")
    parser.add_argument("--uitvoering", nargs="+", choices=UITVOERINGEN, default=[KOLOM],
                        help="executors to time from the folder (the first also over HTTP)")
    parser.add_argument("--elders", type=float, default=None,
                        help="share of moves to another gemeente (default: 10 of 16)")
    parser.add_argument("--zonder-http", action="store_true", help="skip the run over HTTP")
    parser.add_argument("--werkers", type=int, nargs="+", default=[beschikbare_kernen()],
                        help="worker processes, each number timed from the folder (the first "
                             "also over HTTP); default: the usable cores")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    if args.clienten:
        caseload(args)
    if args.nationaal:
        nationaal(args)
    print(f"load average after: {os.getloadavg()}")


def caseload(args: argparse.Namespace) -> None:
    clienten = generate(args.dir, args.clienten, elders=args.elders)
    brp = args.dir / "brp"

    base, base_cpu = baseline(brp)
    # (the runs with workers first: once this process has run polars' thread pool, it may
    # no longer fork, and its workers would be spawned; startmethode() says which)
    timings = {}
    for w in sorted(args.werkers, reverse=True):
        for u in args.uitvoering:
            methode = startmethode() if w > 1 else "in-process"
            timings[u, w, methode] = check(clienten, lambda reg: MapBron(brp, reg), u, w)
    base_after, base_cpu_after = baseline(brp)
    cpu_base = min(base_cpu, base_cpu_after)
    print(f"baseline json.loads of {args.clienten} documents: {base:.2f} s (again after: {base_after:.2f} s;"
          f" CPU {base_cpu:.2f} s / {base_cpu_after:.2f} s)")
    for (uitvoering, werkers, methode), (t_map, decided, fetch_map, signalled, cpu) in timings.items():
        print(f"woonplaatscheck from the folder ({uitvoering}, {werkers} worker(s), {methode}): {t_map:.2f} s "
              f"for {decided} clients ({t_map / min(base, base_after):.1f}x the baseline's wall "
              f"clock; reading the documents in this process {fetch_map:.1f} s; {signalled} "
              f"clients with a signal; CPU {cpu:.2f} s with the workers', "
              f"{cpu / cpu_base:.1f}x the baseline's CPU)")

    if args.zonder_http:
        return
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "wpb.brp.proefomgeving", "--map", str(brp),
                               "--port", str(port)])
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}"
        t_http, decided_http, fetch_http, _, cpu_http = check(
            clienten, lambda reg: HaalCentraalBron(url, reg, gelijktijdig=args.gelijktijdig),
            args.uitvoering[0], args.werkers[0])
        print(f"woonplaatscheck over HTTP ({args.uitvoering[0]}, {args.werkers[0]} worker(s)): "
              f"{t_http:.1f} s for {decided_http} clients ({t_http / min(base, base_after):.1f}x "
              f"the baseline; fetching in this process {fetch_http:.1f} s; CPU of the client "
              f"{cpu_http:.1f} s with the workers')")
    finally:
        server.terminate()
        server.wait(timeout=10)



def nationaal(args: argparse.Namespace) -> None:
    """The national executor through the batch's public entry point, on a synthetic
    population of ``--nationaal`` youths (not fed from caseloads: see docs/performance.md)."""
    from wpb.batch.run import run_batch

    pop = args.dir / "populatie"
    subprocess.run([sys.executable, "-c", "from wpb.cli import app; app()", "synth", "--personen",
                    str(args.nationaal), "--seed", "1", "--out", str(pop)], check=True,
                   stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    run = run_batch(pop, PEILDATUM, refdata.gemeente_register())
    print(f"national executor: {time.perf_counter() - start:.1f} s for {run.result.height} youths")


if __name__ == "__main__":
    main()
