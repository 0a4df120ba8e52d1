"""The nieuwe cliënt (reference: :func:`wpb.law.wmo.nieuwe_client.bepaal`)."""

from __future__ import annotations

import polars as pl

from wpb.batch.compile import compile_opvolging, compile_route_index, compile_term
from wpb.batch.wmo.compile import compile_route_value, placement_env
from wpb.batch.wmo.keys import _days
from wpb.law.wmo.nieuwe_client import (
    ACTIVITEIT_ROUTES,
    GEMEENTE_CODE,
    IN_REGIO_FEITEN,
    IN_REGIO_ROUTES,
    IN_REGIO_WAARDE,
    NIEUWE_CLIENT_ROUTES,
    NIEUWE_CLIENT_WAARDE,
)
from wpb.law.wmo.predicates import MELDDATUM
from wpb.law.wmo.spans import (
    AANVRAAG_MOGELIJK_IN_VENSTER,
    AANVRAAG_ZEKER_IN_VENSTER,
    GEBRUIK_MOGELIJK_IN_VENSTER,
    GEBRUIK_ZEKER_IN_VENSTER,
)
from wpb.population.wmo_schema import WmoPopulation

# The columns of the declared facts (wpb.law.wmo.spans.PlaatsingOpDag, AanvraagOpDag): the
# placements' and applications' days beside the day of the request, as day numbers.
_USED = placement_env({"melddatum": pl.col("m"), **{
    f: _days(f) for f in ("begin_vroegst", "begin_laatst", "einde_vroegst", "einde_laatst")}})
_APPLIED = placement_env({"melddatum": pl.col("m"), "datum_vroegst": _days("datum_vroegst"),
                          "datum_laatst": _days("datum_laatst")})


def _nieuwe_client(population: WmoPopulation, clients: pl.DataFrame,
                   epochs: pl.DataFrame) -> pl.DataFrame:
    """(pid, nieuwe_client): true, false or null (the facts do not decide)."""
    base = clients.select("pid", "m")
    used = population.plaatsingen.join(base, left_on="persoon_id", right_on="pid").filter(
        compile_term(GEBRUIK_MOGELIJK_IN_VENSTER, _USED)
    ).select(
        pl.col("persoon_id").alias("pid"), "m", pl.col("locatie_gemeente").alias("code"),
        compile_term(GEBRUIK_ZEKER_IN_VENSTER, _USED).alias("certain"),
    )
    known = clients.filter(pl.col("aanvragen_bekend")).select("pid", "m")
    applied = population.aanvragen.join(known, left_on="persoon_id", right_on="pid").filter(
        compile_term(AANVRAAG_MOGELIJK_IN_VENSTER, _APPLIED)
    ).select(
        pl.col("persoon_id").alias("pid"), "m", pl.col("gemeente").alias("code"),
        compile_term(AANVRAAG_ZEKER_IN_VENSTER, _APPLIED).alias("certain"),
    )
    acts = pl.concat([used, applied]).with_row_index("aid")

    # Reference: _in_regio, IN_REGIO_ROUTES over the declared facts IN_REGIO_FEITEN (codes
    # compared by their successors on the day of the request), compiled.
    regio = clients.select("pid", "aanmeldgemeente", "regio_gemeenten")
    acts = compile_opvolging(
        list(IN_REGIO_FEITEN.values()),
        acts.join(regio, on="pid", how="left").rename({"code": GEMEENTE_CODE.name, "m": MELDDATUM.name}),
        epochs, by="aid",
    )
    facts = {name: pl.col(name) for name in acts.columns}
    in_regio = compile_route_value(IN_REGIO_ROUTES, IN_REGIO_WAARDE, {
        name: compile_term(term, facts) for name, term in IN_REGIO_FEITEN.items()})
    # The declared step per placement or application (reference: bepaal, ACTIVITEIT_ROUTES).
    stap = compile_activiteit(in_regio, pl.col("certain"))
    per_client = acts.with_columns(stap.alias("stap")).group_by("pid").agg(
        (pl.col("stap") == _STAP["zeker"]).any().alias("zeker"),
        (pl.col("stap") == _STAP["misschien"]).any().alias("misschien"),
    )
    # The declared reduction (reference: bepaal, NIEUWE_CLIENT_ROUTES).
    env = {name: pl.col(name) for name in ("zeker", "misschien", "aanvragen_bekend")}
    return clients.select("pid", "aanvragen_bekend").join(per_client, on="pid", how="left").select(
        "pid", compile_nieuwe_client(env).alias("nieuwe_client"),
    )


_STAP = {route.gevolg: i for i, route in enumerate(ACTIVITEIT_ROUTES)}


def compile_activiteit(in_regio: pl.Expr, zeker_in_venster: pl.Expr) -> pl.Expr:
    """The position in ACTIVITEIT_ROUTES of the route that applies to a placement or
    application (whether it counts in the region: true, false, null; whether it certainly
    falls in the window)."""
    return compile_route_index(ACTIVITEIT_ROUTES, {"in_regio": in_regio,
                                                   "zeker_in_venster": zeker_in_venster})


def compile_nieuwe_client(env: dict[str, pl.Expr]) -> pl.Expr:
    """True, false or null (the facts do not decide): the value of the first route of
    NIEUWE_CLIENT_ROUTES that holds, from the columns of ActiviteitenFacts in ``env``."""
    return compile_route_value(NIEUWE_CLIENT_ROUTES, NIEUWE_CLIENT_WAARDE, env)
