"""The bundled example inputs: synthetic, built from the project's own reference data.

Every number in ``wpb/data/budget/voorbeeld`` is made up. The gemeenten are real (from
:mod:`wpb.refdata`): four jeugdhulpregio's stand in for beschermd-wonen regions, each with a
chosen centrumgemeente, together a small "voorbeeldland" whose objective shares add up to 1.
The amounts, keys, shares, Wlz outflow and the T-2 care use are drawn from a seeded
generator, so the files can be rebuilt exactly (``python -m wpb.budget.example DIR``) and
a test checks that the bundled files are what this module builds.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path

from wpb.domain.money import apportion
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.regios import RegioIndeling

SEED = 20210101

# jeugdregio (standing in for the beschermd-wonen region) → centrumgemeente, historical
# budget in euros. Synthetic amounts.
REGIOS: dict[str, tuple[str, int]] = {
    "Groningen": ("0014", 62_400_000),
    "Drenthe": ("0106", 38_750_000),
    "Flevoland": ("0034", 29_300_000),
    "Gooi-en Vechtstreek": ("0402", 21_900_000),
}
# centrumgemeente → (clients who moved to the Wlz, costs that actually fell away as a
# multiple of the ex-ante withdrawal). The withdrawal is 30 % of the region's historical
# budget, because the historical budgets add up to the 2021 macro budget of macrobudget.csv.
# Synthetic; they cover the three scenarios.
UITSTROOM: dict[str, tuple[int, Fraction]] = {
    "0014": (668, Fraction(3, 2)),  # more costs fell away than withdrawn: pays back
    "0106": (222, Fraction(4, 5)),  # fewer fell away: receives back
    "0034": (209, Fraction(1)),  # as withdrawn: no correction
    "0402": (351, Fraction(9, 4)),  # the national ratio 27,000 / 12,000: pays back most
}
UITNAME = Fraction(3, 10)
T2_JAREN = (2020,)  # care in 2020 → budget 2022, the one T-2 year under the new rule
T2_PER_JAAR = 320
# Special cases in the T-2 table: a merger (Appingedam → Eemsdelta, 2021-01-01) and a split
# (Haaren, 2021-01-01) between the year of care and the budget year, and Weesp, which still
# exists on 2022-01-01 (it merged into Amsterdam on 2022-03-24).
T2_BIJZONDER = [
    (2020, "0003", "0003", "voogdij", 2_040_000),
    (2020, "0457", "0034", "voogdij", 2_150_000),
    (2020, "0788", "0402", "18+", 1_875_000),
]
REVIEW_REDENEN = ("onvolledige_datum", "tegenstrijdige_jeugdhulp", "gesplitste_gemeente")


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def build_example(register: GemeenteRegister, indeling: RegioIndeling) -> dict[str, str]:
    """File name → CSV text of every bundled example input."""
    rng = random.Random(SEED)
    members: dict[str, list[str]] = {}
    key: dict[str, int] = {}
    need: dict[str, Fraction] = {}
    for regio, (centrum, _) in REGIOS.items():
        codes = list(indeling.regio(regio).gemeenten)
        if centrum not in codes:
            raise ValueError(f"centrumgemeente {centrum} ligt niet in jeugdregio {regio}")
        members[centrum] = codes
        for code in codes:
            key[code] = (
                rng.randint(120_000, 230_000) if code == centrum else rng.randint(8_000, 60_000)
            )
            # the objective model weighs need, not just size: a factor of 0.6–1.6
            need[code] = key[code] * Fraction(rng.randint(60, 160), 100)
    micro = apportion(10**6, need)  # shares in millionths that add up to exactly 1

    files: dict[str, str] = {}
    files["regios.csv"] = _csv(
        ["gemeentecode", "gemeentenaam", "centrumgemeente", "sleutel"],
        [
            [c, register.naam(c), centrum, key[c]]
            for centrum, codes in members.items()
            for c in codes
        ],
    )
    files["historisch.csv"] = _csv(
        ["centrumgemeente", "gemeentenaam", "bedrag"],
        [[centrum, register.naam(centrum), f"{amount}.00"] for centrum, amount in REGIOS.values()],
    )
    files["objectief.csv"] = _csv(
        ["gemeentecode", "gemeentenaam", "aandeel"],
        [[c, register.naam(c), f"0.{micro[c]:06d}"] for c in sorted(micro)],
    )
    historical = {centrum: amount for centrum, amount in REGIOS.values()}
    files["wlz_uitstroom.csv"] = _csv(
        ["centrumgemeente", "gemeentenaam", "wegvallende_kosten", "clienten"],
        [
            [c, register.naam(c), _euros(int(historical[c] * 100 * UITNAME * factor)), clients]
            for c, (clients, factor) in UITSTROOM.items()
        ],
    )
    files["t2_zorggebruik.csv"] = _t2(rng, key, register)
    return files


def _t2(rng: random.Random, key: dict[str, int], register: GemeenteRegister) -> str:
    rows: list[list[object]] = []
    for year in T2_JAREN:
        # only gemeenten that existed all that year (Eemsdelta began in 2021)
        codes = [
            c
            for c in sorted(key)
            if register.exists_on(c, date(year, 1, 1)) and register.exists_on(c, date(year, 12, 31))
        ]
        weights = [key[c] for c in codes]
        for n in range(1, T2_PER_JAAR + 1):
            soort = "voogdij" if rng.random() < 0.6 else "18+"
            registered = rng.choices(codes, weights)[0]
            draw = rng.random()
            if draw < 0.03:
                new, reason = "", rng.choice(REVIEW_REDENEN)
            elif draw < 0.28:
                # under the 2022 rule the youth belongs elsewhere (e.g. where it lived before
                # the stay), more often a larger gemeente
                new, reason = rng.choices(codes, weights)[0], ""
            else:
                new, reason = registered, ""
            low, high = (1_200_000, 3_800_000) if soort == "voogdij" else (900_000, 5_600_000)
            cents = rng.randint(low, high)
            rows.append([f"P{year}-{n:04d}", year, soort, registered, new, reason, _euros(cents)])
        special = [row for row in T2_BIJZONDER if row[0] == year]
        for i, (_, registered, new, soort, cents) in enumerate(special, start=1):
            rows.append([f"P{year}-X{i:02d}", year, soort, registered, new, "", _euros(cents)])
    return _csv(
        [
            "persoon",
            "jaar",
            "soort",
            "gemeente_geregistreerd",
            "gemeente_2022",
            "reden_review",
            "kosten",
        ],
        rows,
    )


def main(argv: list[str]) -> int:  # pragma: no cover - a maintenance script
    from wpb import refdata

    target = (
        Path(argv[0])
        if argv
        else Path(__file__).resolve().parents[1] / "data" / "budget" / "voorbeeld"
    )
    target.mkdir(parents=True, exist_ok=True)
    files = build_example(refdata.gemeente_register(), refdata.jeugdregio_indeling())
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    print(f"{len(files)} bestanden geschreven naar {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
