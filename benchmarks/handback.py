"""Measure how often the national executor hands a youth back to the reference engine.

    PYTHONPATH=src .venv/bin/python benchmarks/handback.py            # everything below
    PYTHONPATH=src .venv/bin/python benchmarks/handback.py --alleen adversarieel

Counts ``via_referentie`` (issue 15 item 4) and checks every answer against the reference
engine (status, gemeente, onderdeel, reden), on:

- adversarial cases: ``--draws`` draws of 12 cases each from the strategy ``cases()`` of
  ``tests/batch/test_batch_equivalence.py`` (partial dates, aantekeningen, series of stays
  and contradictory episodes on the deciding days), peildatum 2023-06-15, under the 2022
  and the 2015 text; "derandomized" is hypothesis' fixed sample, the other samples are
  drawn with ``@seed(7)`` and ``@seed(11)``;
- adversarial Wmo beschermd-wonen cases (``--alleen wmo``): ``--draws`` draws
  of a peildatum and 12 cases from ``wmo_cases()`` of
  ``tests/batch/test_batch_wmo_equivalence.py``, with the bill in force on its target date,
  same samples;
- synthetic populations: 100,000 youths (seed 2024) on 2024-11-01 and 2023-01-01, and
  20,000 youths with every rare situation 25 times as common (seed 99) on the peildata
  and texts of ``test_rare_situations_same_answers``.

Prints one line per sample: handed back, of how many, and how many answers differed from
the reference (that must be 0). ``--toon`` prints the handed-back adversarial cases (Jeugdwet
and Wmo; for the Wmo with the reference's answer and without the client's BSN).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from wpb import refdata
from wpb.batch.engine import REGEL_2015, REGEL_2022, REGEL_AUTO, decide_population
from wpb.population.schema import cases_to_population, population_to_cases
from wpb.population.synth import Rates, SynthConfig, generate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.batch.test_batch_equivalence import P, _reference, cases  # noqa: E402
from tests.batch.test_batch_wmo_equivalence import DAYS, IN_FORCE, wmo_cases  # noqa: E402
from tests.batch.test_batch_wmo_equivalence import reference as wmo_reference  # noqa: E402

SEEDS = (None, 7, 11)  # None: derandomized
CASES_PER_DRAW = 12


def adversarial_draws(draws: int, sample_seed: int | None, strategy=None) -> list:
    """The cases of ``draws`` draws of 12 from ``cases()`` (or ``strategy``), in order."""
    got: list = []
    if strategy is None:
        strategy = st.lists(cases(), min_size=CASES_PER_DRAW, max_size=CASES_PER_DRAW)

    @settings(max_examples=draws, database=None, deadline=None, derandomize=sample_seed is None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(case_list):
        got.extend(case_list)

    if sample_seed is not None:
        collect = seed(sample_seed)(collect)
    collect()
    return got


def count(population, peildatum: date, register, regel: str, reference) -> tuple[int, int, int, list]:
    """(handed back, youths, answers unlike the reference, handed-back persoon_ids)."""
    result = decide_population(population, peildatum, register, regel=regel)
    routed = result.filter(pl.col("via_referentie"))["persoon_id"].to_list()
    answers = {r[0]: r[1:] for r in result.select(
        "persoon_id", "status", "gemeente", "onderdeel", "reden").iter_rows()}
    wrong = sum(answers.get(pid) != expected for pid, expected in reference)
    return len(routed), result.height, wrong, routed


def _line(label: str, routed: int, total: int, wrong: int, seconds: float) -> None:
    share = 100 * routed / total if total else 0.0
    print(f"{label:<58} {routed:>5} van {total:>7,} ({share:.3f} %)  afwijkend: {wrong}  [{seconds:.0f} s]",
          flush=True)


def adversarial(register, draws: int, show: bool) -> None:
    for sample_seed in SEEDS:
        name = "derandomized" if sample_seed is None else f"seed {sample_seed}"
        case_list = adversarial_draws(draws, sample_seed)
        population, ids = cases_to_population(case_list)
        for regel in (REGEL_2022, REGEL_2015):
            t = time.perf_counter()
            reference = [(pid, _reference(c, register, regel)) for pid, c in zip(ids, case_list, strict=True)]
            routed, total, wrong, which = count(population, P, register, regel, reference)
            _line(f"adversarieel {name}, {draws} x {CASES_PER_DRAW}, tekst {regel}", routed, total, wrong,
                  time.perf_counter() - t)
            if show:
                by_id = dict(zip(ids, case_list, strict=True))
                for pid in which:
                    print(f"  {pid}: {by_id[pid]!r}")


def wmo_adversarial(register, draws: int, show: bool) -> None:
    from wpb.batch.wmo import decide_wmo_population
    from wpb.population.wmo_schema import wmo_cases_to_population

    strategy = st.sampled_from(DAYS).flatmap(
        lambda p: st.lists(wmo_cases(p), min_size=CASES_PER_DRAW, max_size=CASES_PER_DRAW))
    for sample_seed in SEEDS:
        name = "derandomized" if sample_seed is None else f"seed {sample_seed}"
        t = time.perf_counter()
        case_list = adversarial_draws(draws, sample_seed, strategy)
        routed = total = wrong = 0
        for i in range(0, len(case_list), CASES_PER_DRAW):
            draw = case_list[i:i + CASES_PER_DRAW]
            population, ids = wmo_cases_to_population(draw)
            result = decide_wmo_population(population, draw[0].peildatum, register, inwerkingtreding=IN_FORCE)
            got = {r[0]: r[1:] for r in result.select(
                "persoon_id", "status", "gemeente", "onderdeel", "reden", "nieuwe_client",
                "centrumgemeente").iter_rows()}
            routed += int(result["via_referentie"].sum())
            total += result.height
            wrong += sum(got.get(pid) != wmo_reference(c, register, IN_FORCE) for pid, c in zip(ids, draw, strict=True))
            if show:
                by_id = dict(zip(ids, draw, strict=True))
                for pid in result.filter(pl.col("via_referentie"))["persoon_id"].to_list():
                    case = by_id[pid]
                    case = replace(case, client=replace(case.client, burgerservicenummer=None))
                    print(f"  {pid}: referentie {wmo_reference(case, register, IN_FORCE)}\n    {case!r}")
        _line(f"wmo adversarieel {name}, {draws} x {CASES_PER_DRAW}", routed, total, wrong, time.perf_counter() - t)


def synthetic(register) -> None:
    samples = [
        (SynthConfig(100_000, seed=2024), "synthetisch 100.000 (seed 2024)",
         [(date(2024, 11, 1), REGEL_AUTO), (date(2023, 1, 1), REGEL_AUTO)]),
        (SynthConfig(20_000, seed=99, rates=Rates().scaled(25)), "zeldzaam x25, 20.000 (seed 99)",
         [(date(2024, 6, 1), REGEL_AUTO), (date(2024, 6, 1), REGEL_2015), (date(2022, 1, 1), REGEL_AUTO),
          (date(2021, 12, 31), REGEL_AUTO), (date(2019, 3, 1), REGEL_2022)]),
    ]
    for config, name, days in samples:
        population = generate(config, register)
        for peildatum, regel in days:
            t = time.perf_counter()
            reference = [(pid, _reference(case, register, regel))
                         for pid, case in population_to_cases(population, peildatum)]
            routed, total, wrong, _ = count(population, peildatum, register, regel, reference)
            _line(f"{name}, {peildatum}, regel {regel}", routed, total, wrong, time.perf_counter() - t)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alleen", choices=["adversarieel", "synthetisch", "wmo"])
    parser.add_argument("--draws", type=int, default=300)
    parser.add_argument("--toon", action="store_true", help="print the handed-back adversarial cases")
    args = parser.parse_args(argv)
    register = refdata.gemeente_register()
    if args.alleen in (None, "adversarieel"):
        adversarial(register, args.draws, args.toon)
    if args.alleen in (None, "synthetisch"):
        synthetic(register)
    if args.alleen == "wmo":
        wmo_adversarial(register, args.draws, args.toon)


if __name__ == "__main__":
    main()
