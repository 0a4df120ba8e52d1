"""A whole Wmo beschermd-wonen batch run: check the input, decide every client, count per
municipality, write the files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from wpb.batch.engine import Step
from wpb.batch.wmo import decide_wmo_population
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.predicates import holds
from wpb.law.wmo import INWERKINGTREDING
from wpb.law.wmo.beschermd_wonen import (
    ONDERDEEL_AANMELDGEMEENTE,
    ONDERDEEL_OVERGANG,
    ONDERDEEL_UITZONDERING_A,
    ONDERDEEL_WOONADRES,
    REGEL_AANMELDGEMEENTE,
    REGEL_WOONPLAATSBEGINSEL,
    instelling_label,
)
from wpb.law.wmo.predicates import AANMELDGEMEENTE_GELDT, WmoFacts
from wpb.population.wmo_validate import read_wmo_population

# Column names for the clauses in the per-municipality counts.
_KOLOM = {
    ONDERDEEL_AANMELDGEMEENTE: "aanmeldgemeente",
    ONDERDEEL_WOONADRES: "woonadres",
    ONDERDEEL_UITZONDERING_A: "uitzondering_a",
    ONDERDEEL_OVERGANG: "overgangsrecht",
}


@dataclass
class WmoBatchRun:
    peildatum: date
    inwerkingtreding: date | None  # the installation's setting; None: the bill is not in force
    result: pl.DataFrame
    gemeenten: pl.DataFrame
    rejected: pl.DataFrame
    rejected_persons: int

    @property
    def metadata(self) -> dict[str, str]:
        """Which rule and which setting decided every row, kept in the result file."""
        return {
            "wet": "wmo-bw",
            "peildatum": self.peildatum.isoformat(),
            "regel": self.regel,
            "inwerkingtreding": instelling_label(self.inwerkingtreding),
        }

    @property
    def regel(self) -> str:
        """The version of art. 1.2.1 onder b applied on the peildatum, under the setting."""
        on_peildatum = WmoFacts(self.peildatum, self.peildatum, self.inwerkingtreding)
        if holds(AANMELDGEMEENTE_GELDT, on_peildatum):
            return REGEL_AANMELDGEMEENTE
        return REGEL_WOONPLAATSBEGINSEL


def run_wmo_batch(folder: Path, peildatum: date, register: GemeenteRegister, *,
                  inwerkingtreding: date | None = INWERKINGTREDING, skip_invalid: bool = False,
                  step: Step = lambda _: None) -> WmoBatchRun:
    step("invoer lezen en controleren")
    checked = read_wmo_population(folder, register, peildatum, skip_invalid=skip_invalid)
    result = decide_wmo_population(checked.population, peildatum, register,
                                   inwerkingtreding=inwerkingtreding, step=step)
    step("rapportage per gemeente")
    return WmoBatchRun(
        peildatum=peildatum,
        inwerkingtreding=inwerkingtreding,
        result=result,
        gemeenten=per_gemeente(result, register),
        rejected=checked.rejected,
        rejected_persons=checked.rejected_persons,
    )


def per_gemeente(result: pl.DataFrame, register: GemeenteRegister) -> pl.DataFrame:
    """Per municipality: decided clients per clause, reviews per reason, nieuwe cliënten and
    current clients.

    A decided client counts at the responsible municipality (``bepaald_<clause>``); a review
    at the aanmeldgemeente, which received the request and must have it looked at
    (``review_<reason>``). Nieuwe cliënten (``nieuwe_client_ja/_nee/_onbekend``) count at the
    aanmeldgemeente, whose region the definition speaks of; current clients
    and clients who are not a nieuwe cliënt (``bestaande_clienten``) at their centrumgemeente.
    """
    names = _KOLOM
    parts = [
        result.filter(pl.col("status") == "bepaald").select(
            pl.col("gemeente").alias("code"),
            ("bepaald_" + pl.col("onderdeel").replace_strict(names, default="onbekend")).alias("kolom"),
        ),
        result.filter(pl.col("status") == "review").select(
            pl.col("aanmeldgemeente").alias("code"), ("review_" + pl.col("reden")).alias("kolom"),
        ),
        result.select(
            pl.col("aanmeldgemeente").alias("code"),
            pl.when(pl.col("nieuwe_client")).then(pl.lit("nieuwe_client_ja"))
            .when(~pl.col("nieuwe_client")).then(pl.lit("nieuwe_client_nee"))
            .otherwise(pl.lit("nieuwe_client_onbekend")).alias("kolom"),
        ),
        result.filter(pl.col("centrumgemeente").is_not_null()).select(
            pl.col("centrumgemeente").alias("code"), pl.lit("bestaande_clienten").alias("kolom"),
        ),
    ]
    long = pl.concat(parts).group_by("code", "kolom").len()
    names_df = pl.DataFrame(
        {"code": [g.code for g in register], "naam": [g.naam for g in register]},
        schema={"code": pl.String, "naam": pl.String},
    )
    if long.height == 0:
        return pl.DataFrame(schema={"code": pl.String, "naam": pl.String, "bepaald": pl.UInt32,
                                    "review": pl.UInt32})
    wide = long.pivot(on="kolom", index="code", values="len").fill_null(0)
    cols = sorted(c for c in wide.columns if c != "code")
    bepaald = [c for c in cols if c.startswith("bepaald_")]
    reviews = [c for c in cols if c.startswith("review_")]
    return (
        wide.with_columns(
            (pl.sum_horizontal(bepaald) if bepaald else pl.lit(0, pl.UInt32)).alias("bepaald"),
            (pl.sum_horizontal(reviews) if reviews else pl.lit(0, pl.UInt32)).alias("review"),
        )
        .join(names_df, on="code", how="left")
        .select("code", "naam", "bepaald", "review", *cols)
        .sort("code")
    )


def output_paths(out: Path) -> dict[str, Path]:
    stem = out.with_suffix("")
    return {
        "resultaat": out,
        "gemeenten_parquet": Path(f"{stem}.gemeenten.parquet"),
        "gemeenten_csv": Path(f"{stem}.gemeenten.csv"),
        "afgewezen": Path(f"{stem}.afgewezen.csv"),
    }


def write_wmo_outputs(run: WmoBatchRun, out: Path) -> dict[str, Path]:
    paths = output_paths(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    run.result.write_parquet(paths["resultaat"], compression="zstd", metadata=run.metadata)
    run.gemeenten.write_parquet(paths["gemeenten_parquet"])
    run.gemeenten.write_csv(paths["gemeenten_csv"])
    written = {k: v for k, v in paths.items() if k != "afgewezen"}
    if run.rejected.height:
        run.rejected.write_csv(paths["afgewezen"])
        written["afgewezen"] = paths["afgewezen"]
    return written


__all__ = ["WmoBatchRun", "output_paths", "per_gemeente", "run_wmo_batch", "write_wmo_outputs"]
