"""Benchmark: the batch engine on a national-size synthetic population.

    .venv/bin/python benchmarks/batch_national.py --personen 4500000 --dir /tmp/wpb-bench

Generates the population once (in a child process, so its memory does not count) or
reuses it from ``--dir``; then, in this process: reads the files once to warm the page
cache, runs the whole batch (read + checks + every youth under the rule in force + the
other rule for the youths in care + reports, without writing), and a baseline that reads
the same three Parquet files and takes each person's latest address with one polars
group-by. Prints persons/s, peak memory (ru_maxrss of this process), the ratio batch /
baseline, and the single-case reference engine's cases per second on a sample.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

from wpb import refdata
from wpb.batch.run import run_batch
from wpb.law.engine import decide
from wpb.population.schema import TABLES, Population, file_name, population_to_cases


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def _ensure_population(folder: Path, personen: int, seed: int) -> None:
    marker = folder / "bench.json"
    wanted = {"personen": personen, "seed": seed}
    if marker.is_file() and json.loads(marker.read_text()) == wanted and all(
        (folder / file_name(t)).is_file() for t in TABLES
    ):
        print(f"populatie hergebruikt uit {folder}")
        return
    print(f"populatie genereren in {folder} ({personen:,} jeugdigen, seed {seed}) ...", flush=True)
    started = time.perf_counter()
    code = (
        "import sys; from wpb.cli.batch import app; "
        "app(['synth', '--personen', sys.argv[1], '--seed', sys.argv[2], '--out', sys.argv[3]])"
    )
    subprocess.run([sys.executable, "-c", code, str(personen), str(seed), str(folder)], check=True)
    marker.write_text(json.dumps(wanted))
    print(f"gegenereerd in {time.perf_counter() - started:.1f} s")


def baseline(folder: Path) -> tuple[float, int]:
    """Read the same files; each person's latest address with one group-by."""
    started = time.perf_counter()
    tables = {t: pl.read_parquet(folder / file_name(t)) for t in TABLES}
    latest = tables["verblijfplaatsen"].group_by("persoon_id").agg(
        pl.col("gemeente_code").sort_by("van_vroegst").last()
    )
    return time.perf_counter() - started, latest.height


def reference_rate(folder: Path, peildatum: date, sample: int, seed: int) -> float:
    """Cases per second of the single-case engine on a random sample of youths.

    Only the sampled youths and their mothers and parents are read into Python objects.
    """
    personen = pl.read_parquet(folder / file_name("personen"))
    youths = personen.filter(pl.col("is_jeugdige"))["persoon_id"].to_list()
    ids = random.Random(seed).sample(youths, min(sample, len(youths)))
    rows = personen.filter(pl.col("persoon_id").is_in(ids))
    related = pl.concat([rows["persoon_id"], rows["moeder_id"], rows["gezag_ouder_id"]]).drop_nulls().unique()
    population = Population(*(
        pl.scan_parquet(folder / file_name(t)).filter(pl.col("persoon_id").is_in(related.implode())).collect()
        for t in TABLES
    ))
    cases = [case for _, case in population_to_cases(population, peildatum, ids)]
    register = refdata.gemeente_register()
    started = time.perf_counter()
    for case in cases:
        decide(case, register)
    return len(cases) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--personen", type=int, default=4_500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peildatum", default="2024-10-01")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/wpb-bench"))
    parser.add_argument("--sample", type=int, default=2000, help="cases for the single-case engine")
    args = parser.parse_args(argv)
    peildatum = date.fromisoformat(args.peildatum)
    folder = args.dir / f"n{args.personen}-s{args.seed}"
    folder.mkdir(parents=True, exist_ok=True)
    _ensure_population(folder, args.personen, args.seed)

    register = refdata.gemeente_register()
    for t in TABLES:  # warm the page cache for both contenders
        (folder / file_name(t)).read_bytes()
    records = pl.scan_parquet(folder / file_name("verblijfplaatsen")).select(pl.len()).collect().item()

    phases: list[tuple[str, float]] = []
    last = [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        phases.append((name, now - last[0]))
        last[0] = now

    started = last[0] = time.perf_counter()
    run = run_batch(folder, peildatum, register, step=step)
    batch_s = time.perf_counter() - started
    step("einde")
    youths = run.result.height
    routed = int(run.result["via_referentie"].sum())
    in_care, regel = run.in_care, run.regel
    peak_after_batch = _peak_mb()
    del run  # the baseline should not pay for the batch's memory
    gc.collect()

    base_s, base_rows = baseline(folder)
    rate = reference_rate(folder, peildatum, args.sample, args.seed)

    print()
    print(f"machine:            {platform.processor() or platform.machine()}, python {platform.python_version()}, polars {pl.__version__}")
    print(f"populatie:          {youths:,} jeugdigen, {base_rows:,} personen met historie, {records:,} verblijfplaatsen")
    print(f"peildatum:          {peildatum} (regel {regel})")
    print(f"batch:              {batch_s:.1f} s  ({youths / batch_s:,.0f} jeugdigen/s)")
    print(f"  via referentie:   {routed:,}")
    # Each step's time is printed against the step that ran (a step is named when it starts).
    names = ["(start)"] + [name for name, _ in phases]
    for name, seconds in zip(names, [s for _, s in phases], strict=False):
        print(f"    {seconds:6.1f} s  {name}")
    print(f"  in zorg:          {in_care:,} (migratiematrix)")
    print(f"baseline:           {base_s:.1f} s  (lezen + laatste adres per persoon)")
    print(f"verhouding:         {batch_s / base_s:.2f}  (batch / baseline)")
    print(f"piekgeheugen:       {peak_after_batch:,.0f} MB tot en met de batch; {_peak_mb():,.0f} MB over het hele proces (ru_maxrss)")
    print(f"referentie-engine:  {rate:,.0f} casussen/s (steekproef van {args.sample})")


if __name__ == "__main__":
    main()
