"""Reports from a batch result: counts per municipality, the migration matrix, its chart.

The migration matrix is the "CBS simulation": for every youth in care on the peildatum
(an episode, with or without stay, that covers that day) the municipality responsible
under the rule in force before 2022 (gezag-based, Jeugdwet 2015) against the one under the
2022 rule (address-based). A youth whose answer differs is part of the migratiegroep.
Review answers are kept in the matrix with their reason instead of a municipality, so
the totals add up to every youth in care.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from wpb.law.gemeenten import GemeenteRegister


def _names(register: GemeenteRegister) -> pl.DataFrame:
    return pl.DataFrame(
        {"code": [g.code for g in register], "naam": [g.naam for g in register]},
        schema={"code": pl.String, "naam": pl.String},
    )


def per_gemeente(result: pl.DataFrame, register: GemeenteRegister) -> pl.DataFrame:
    """Per municipality: answers per onderdeel, and review answers per reason.

    Decided youths count at the responsible municipality; review cases count at the
    municipality where the youth is registered on the peildatum (``inschrijvingsgemeente``;
    "onbekend" when the registration itself is uncertain or abroad).
    """
    decided = (
        result.filter(pl.col("status") == "bepaald")
        .group_by("gemeente", "onderdeel")
        .len()
        .with_columns(("onderdeel_" + pl.col("onderdeel").cast(pl.String)).alias("kolom"))
        .select(pl.col("gemeente").alias("code"), "kolom", "len")
    )
    reviewed = (
        result.filter(pl.col("status") == "review")
        .group_by("inschrijvingsgemeente", "reden")
        .len()
        .select(
            pl.col("inschrijvingsgemeente").fill_null("onbekend").alias("code"),
            ("review_" + pl.col("reden")).alias("kolom"),
            "len",
        )
    )
    long = pl.concat([decided, reviewed])
    if long.height == 0:
        return pl.DataFrame(schema={"code": pl.String, "naam": pl.String, "bepaald": pl.UInt32, "review": pl.UInt32})
    wide = long.pivot(on="kolom", index="code", values="len", aggregate_function="sum").fill_null(0)
    columns = sorted(c for c in wide.columns if c != "code")
    wide = wide.select("code", *columns)
    decided_cols = [c for c in columns if c.startswith("onderdeel_")]
    review_cols = [c for c in columns if c.startswith("review_")]
    return (
        wide.with_columns(
            pl.sum_horizontal(decided_cols).alias("bepaald") if decided_cols else pl.lit(0).alias("bepaald"),
            pl.sum_horizontal(review_cols).alias("review") if review_cols else pl.lit(0).alias("review"),
        )
        .join(_names(register), on="code", how="left")
        .select("code", "naam", "bepaald", "review", *columns)
        .sort("code")
    )


def in_care_on(jeugdhulp: pl.DataFrame, peildatum: date) -> pl.Series:
    """persoon_ids with a care episode covering the peildatum."""
    covering = (pl.col("begin") <= peildatum) & (pl.col("einde").is_null() | (pl.col("einde") >= peildatum))
    return jeugdhulp.filter(covering)["persoon_id"].unique().sort()


def _answer(prefix: str) -> list[pl.Expr]:
    return [
        pl.col("gemeente").alias(f"gemeente_{prefix}"),
        pl.col("onderdeel").alias(f"onderdeel_{prefix}"),
        pl.when(pl.col("status") == "review").then(pl.col("reden")).alias(f"review_{prefix}"),
    ]


def migration_matrix(before: pl.DataFrame, after: pl.DataFrame, register: GemeenteRegister) -> pl.DataFrame:
    """Counts of (answer under the pre-2022 rule, answer under the 2022 rule).

    ``before`` and ``after`` are batch results for the same youths (the youths in care).
    """
    pairs = before.select("persoon_id", *_answer("voor_2022")).join(
        after.select("persoon_id", *_answer("2022")), on="persoon_id", how="inner"
    )
    keys = ["gemeente_voor_2022", "review_voor_2022", "gemeente_2022", "review_2022"]
    names = _names(register)
    matrix = (
        pairs.group_by(keys).len("aantal")
        .with_columns(pl.col("aantal").cast(pl.Int64))  # signed: flows subtract counts
        .join(names.rename({"code": "gemeente_voor_2022", "naam": "naam_voor_2022"}), on="gemeente_voor_2022", how="left")
        .join(names.rename({"code": "gemeente_2022", "naam": "naam_2022"}), on="gemeente_2022", how="left")
        .with_columns(
            (pl.col("gemeente_voor_2022").eq_missing(pl.col("gemeente_2022"))
             & pl.col("review_voor_2022").eq_missing(pl.col("review_2022"))).not_().alias("verschuift"),
        )
        .select(
            "gemeente_voor_2022", "naam_voor_2022", "review_voor_2022",
            "gemeente_2022", "naam_2022", "review_2022", "verschuift", "aantal",
        )
        .sort("aantal", "gemeente_voor_2022", "gemeente_2022", descending=[True, False, False], nulls_last=True)
    )
    return matrix


def net_flows(matrix: pl.DataFrame, register: GemeenteRegister) -> pl.DataFrame:
    """Per municipality: youths gained and lost by the rule change (both answers decided)."""
    moved = matrix.filter(
        pl.col("gemeente_voor_2022").is_not_null() & pl.col("gemeente_2022").is_not_null()
        & (pl.col("gemeente_voor_2022") != pl.col("gemeente_2022"))
    )
    inflow = moved.group_by(pl.col("gemeente_2022").alias("code")).agg(pl.col("aantal").sum().alias("instroom"))
    outflow = moved.group_by(pl.col("gemeente_voor_2022").alias("code")).agg(pl.col("aantal").sum().alias("uitstroom"))
    return (
        inflow.join(outflow, on="code", how="full", coalesce=True)
        .fill_null(0)
        .with_columns((pl.col("instroom") - pl.col("uitstroom")).alias("netto"))
        .join(_names(register), on="code", how="left")
        .select("code", "naam", "instroom", "uitstroom", "netto")
        .sort("netto", "code", descending=[True, False])
    )


def flow_chart(flows: pl.DataFrame, path: Path, *, peildatum: date, top: int = 15) -> None:
    """A horizontal bar chart (PNG) of the largest net in- and outflows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gains = flows.filter(pl.col("netto") > 0).sort("netto", descending=True).head(top)
    losses = flows.filter(pl.col("netto") < 0).sort("netto").head(top)
    shown = pl.concat([gains, losses.reverse()]) if losses.height else gains
    labels = [f"{n or c} ({c})" for c, n in zip(shown["code"], shown["naam"], strict=True)]
    values = shown["netto"].to_list()
    height = max(3.0, 0.28 * len(values) + 1.5)
    fig, ax = plt.subplots(figsize=(9, height))
    colors = ["#2e7d32" if v > 0 else "#c62828" for v in values]
    ax.barh(range(len(values)), values, color=colors)
    ax.set_yticks(range(len(values)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("netto jeugdigen in zorg (regel 2022 min regel vóór 2022)")
    ax.set_title(
        f"Grootste netto in- en uitstroom door het nieuwe woonplaatsbeginsel, peildatum {peildatum.isoformat()}",
        fontsize=10,
    )
    if not values:
        ax.text(0.5, 0.5, "geen verschuivingen", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


__all__ = ["flow_chart", "in_care_on", "migration_matrix", "net_flows", "per_gemeente"]
