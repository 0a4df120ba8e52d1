"""The whole decision for every client (reference: ``decide_wmo_bw``, ``woonplaatsbeginsel``),
and the hand-back to the reference engine."""

from __future__ import annotations

from datetime import date

import polars as pl

from wpb.batch.compile import compile_enige_opvolger, compile_route_index, compile_term
from wpb.batch.engine import (
    REDENEN,
    STATUS_BEPAALD,
    Key,
    Step,
    columns,
    day_number,
    named,
    prepare,
    resolved,
    review,
)
from wpb.batch.wmo.compile import compile_eerste_gegeven
from wpb.batch.wmo.keys import _days, _lookup, code_keys, set_members, successor_epochs
from wpb.batch.wmo.nieuwe_client import _nieuwe_client
from wpb.batch.wmo.placements import _placements
from wpb.batch.wmo.readings import _eerder, _hoofdregel
from wpb.batch.wmo.routes import (
    _by_gevolg,
    _onderdeel_of,
    _reden,
    _route_outcome,
    _route_value,
    onderdeel_codes,
    onderdeel_nr,
)
from wpb.batch.wmo.settlement import _agreement
from wpb.batch.wmo.woonadres import _woonadres_candidates, _woonadres_keys
from wpb.law.decision import Status
from wpb.law.gemeenten import GemeenteRegister
from wpb.law.predicates import EnigeOpvolger
from wpb.law.wmo import INWERKINGTREDING, decide_wmo_bw
from wpb.law.wmo.beschermd_wonen import (
    CENTRUMGEMEENTE_ROUTES,
    EERDER_ROUTES,
    HOOFDREGEL_GEMEENTE,
    HOOFDREGEL_WIJST_CENTRUMGEMEENTE,
    NIEUWE_CLIENT_ONBEKEND_ROUTES,
    ONDERDEEL_OVERGANG,
    OVERGANG_ROUTES,
    REGEL_ROUTES,
    UITZONDERINGEN_ROUTES,
    WEGING_FEITEN,
    onderdeel_code,
)
from wpb.law.wmo.predicates import (
    AANMELDDATUM,
    DAG_VAN_DE_MELDING,
    EERDER_BINNEN_TWAALF_MAANDEN,
    INDICATIE_BEGIN,
    INDICATIE_EINDE,
    LOPEND_BESCHERMD_WONEN,
    MELDDATUM,
    NIEUWE_CLIENT,
    PEILDATUM,
    REGIO_CENTRUMGEMEENTE,
    UITZONDERING_B,
    UITZONDERING_C,
    UITZONDERING_D,
)
from wpb.law.wmo.predicates import INWERKINGTREDING as INWERKINGTREDING_DAG
from wpb.population.wmo_schema import WmoCaseAssembler, WmoPopulation

_WEGING = WEGING_FEITEN[HOOFDREGEL_WIJST_CENTRUMGEMEENTE.name]
assert isinstance(_WEGING, EnigeOpvolger)


def _no_step(_: str) -> None:
    return None


RESULT_SCHEMA = {
    "persoon_id": pl.Int64,
    "status": pl.String,
    "gemeente": pl.String,
    "onderdeel": pl.String,
    "reden": pl.String,
    "nieuwe_client": pl.Boolean,
    "centrumgemeente": pl.String,
    "aanmeldgemeente": pl.String,
    "via_referentie": pl.Boolean,
}


def decide_wmo_population(
    population: WmoPopulation,
    peildatum: date,
    register: GemeenteRegister,
    *,
    inwerkingtreding: date | None = INWERKINGTREDING,
    step: Step = _no_step,
) -> pl.DataFrame:
    """One row per client (a row of ``bw_aanmeldingen``) with the answer on the peildatum.

    Columns (:data:`RESULT_SCHEMA`): status, gemeente, onderdeel (the reference's
    ``onderdeel_code``), reden, nieuwe_client (true/false/null), centrumgemeente (for a
    current client: the centrumgemeente that stays responsible), aanmeldgemeente (for the
    reports) and via_referentie (decided by the reference engine, see the module docstring).
    ``inwerkingtreding`` is the installation's setting for the entry into force of bill
    36 288 (set by royal decree); None: not in force, the aanmeldgemeente on every day.
    """
    p = day_number(peildatum)
    keys = code_keys(register, peildatum)
    step("verblijfplaatshistorie ordenen")
    prep = prepare(population.brp, peildatum, register)

    step("aanmeldingen en indicaties")
    a = population.aanmeldingen
    clients = a.select(
        pl.col("persoon_id").alias("pid"),
        "aanmeldgemeente",
        compile_eerste_gegeven(DAG_VAN_DE_MELDING, {
            AANMELDDATUM.name: _days("datum"), PEILDATUM.name: pl.lit(p, pl.Int32)}).alias("m"),
        _lookup(keys, "aanmeldgemeente").alias("aanmeld_key"),
        "uitzondering_b", "uitzondering_c", "uitzondering_d",
        "aanvragen_bekend",
        "regio_gemeenten",
        _lookup(keys, "regio_centrumgemeente").alias("regio_centrum_key"),
        "regio_centrumgemeente",
    ).with_columns(
        # Reference: _vangnet: a review listing the aanmeldgemeente's successors.
        _lookup(keys, "aanmeldgemeente", "set_key").alias("v_key"),
    )
    indicaties = population.indicaties.select(
        pl.col("persoon_id").alias("pid"),
        "centrumgemeente",
        _lookup(keys, "centrumgemeente").alias("centrum_key"),
        _days("toegekend").alias("ind_b"),
        _days("einde").alias("ind_e"),
    )
    clients = clients.join(indicaties, on="pid", how="left")

    step("woonadres op de dag van de melding")
    woon, woon_readings = _woonadres_keys(prep, clients, keys)
    step("eerder beschermd wonen")
    placements, placement_rows = _placements(population, clients, keys)
    # The clients whose readings may need their candidate sets compared (_agreement).
    compared = placements.join(woon.select("pid", "w_same"), on="pid", how="left").filter(
        pl.col("any_multi") | (pl.col("has_a").fill_null(False) & ~pl.col("w_same").fill_null(False))
    ).select("pid")
    woon_compared = woon.join(compared, on="pid", how="semi")
    agreement = _agreement(placement_rows.join(compared, on="pid", how="semi"), woon_compared,
                           _woonadres_candidates(woon_compared, woon_readings),
                           set_members(register, peildatum))
    step("nieuwe cliënt")
    epochs = successor_epochs(register)
    nieuw_frame = _nieuwe_client(population, clients, epochs)

    step("uitkomsten")
    # The fields the declared predicates read (wpb.law.wmo.predicates): days as Date columns.
    env = {
        MELDDATUM.name: pl.col("m").cast(pl.Date),
        PEILDATUM.name: pl.lit(peildatum, dtype=pl.Date),
        INWERKINGTREDING_DAG.name: pl.lit(inwerkingtreding, dtype=pl.Date),
        INDICATIE_BEGIN.name: pl.col("ind_b").cast(pl.Date),
        INDICATIE_EINDE.name: pl.col("ind_e").cast(pl.Date),
        NIEUWE_CLIENT.name: pl.col("nieuwe_client"),
        REGIO_CENTRUMGEMEENTE.name: pl.col("regio_centrumgemeente"),
        LOPEND_BESCHERMD_WONEN.name: pl.col("any_runs"),
        EERDER_BINNEN_TWAALF_MAANDEN.name: pl.col("has_a").fill_null(False),
        UITZONDERING_B.name: pl.col("uitzondering_b"),
        UITZONDERING_C.name: pl.col("uitzondering_c"),
        UITZONDERING_D.name: pl.col("uitzondering_d"),
    }
    regio_centrum = pl.col("regio_centrum_key")
    hoofdregel, hand_back = _hoofdregel(columns("s"), env)
    lf = (
        clients.lazy()
        .join(woon.lazy(), on="pid", how="left")
        .join(placements.lazy(), on="pid", how="left")
        .join(nieuw_frame.lazy(), on="pid", how="left")
        .join(agreement.lazy(), on="pid", how="left")
        .with_columns(pl.col("any_runs").fill_null(False), pl.col("any_multi").fill_null(False))
        # Each declared table, compiled: the position of the route that applies.
        .with_columns(
            compile_route_index(REGEL_ROUTES, env).alias("regel_route"),
            compile_route_index(OVERGANG_ROUTES, env).alias("overgang_route"),
            compile_route_index(EERDER_ROUTES, env).alias("eerder_route"),
            compile_route_index(UITZONDERINGEN_ROUTES, env).alias("uitzonderingen_route"),
        )
        .with_columns(*named(_eerder(env), "s"))
        .with_columns(*named(hoofdregel, "h"), hand_back.alias("hand_back"))
    )
    rest = columns("h")
    overgang = onderdeel_nr(ONDERDEEL_OVERGANG)
    # The key and the code of the centrumgemeente each gevolg of OVERGANG_ROUTES and
    # CENTRUMGEMEENTE_ROUTES names (reference: _centrum_code).
    centrum_of = {
        "centrumgemeente_indicatie": (pl.col("centrum_key"), pl.col("centrumgemeente")),
        "centrumgemeente_regio": (regio_centrum, pl.col("regio_centrumgemeente")),
    }
    # Reference: _nieuwe_client_onbekend, NIEUWE_CLIENT_ONBEKEND_ROUTES compiled: decided only
    # when the woonplaatsbeginsel gives the region's centrumgemeente itself (its declared
    # fact WEGING_FEITEN, the core's EnigeOpvolger on the peildatum's table of successors).
    weging_env = compile_enige_opvolger(_WEGING, {
        HOOFDREGEL_GEMEENTE.name: pl.when(rest["status"] == STATUS_BEPAALD).then(rest["gemeente"]),
        REGIO_CENTRUMGEMEENTE.name: pl.col("regio_centrumgemeente"),
    }, keys)
    weging = compile_route_index(NIEUWE_CLIENT_ONBEKEND_ROUTES, {
        HOOFDREGEL_WIJST_CENTRUMGEMEENTE.name: compile_term(_WEGING, weging_env)})
    overgang_index = pl.col("overgang_route")
    woonplaatsbeginsel = _route_outcome(OVERGANG_ROUTES, overgang_index, {
        **{gevolg: resolved(key, overgang) for gevolg, (key, _) in centrum_of.items()},
        "nieuwe_client_onbekend": _route_outcome(NIEUWE_CLIENT_ONBEKEND_ROUTES, weging,
                                                 {"hoofdregel": rest}),
        "hoofdregel": rest,
    })
    regel_index = pl.col("regel_route")
    outcome = _route_outcome(REGEL_ROUTES, regel_index, {
        "geen_wmo": review(_reden(_by_gevolg(REGEL_ROUTES, "geen_wmo")), None),
        "aanmeldgemeente": resolved(pl.col("aanmeld_key"), _onderdeel_of(REGEL_ROUTES, "aanmeldgemeente")),
        "woonplaatsbeginsel": woonplaatsbeginsel,
    })
    # Decided before the woonplaatsbeginsel's own readings are weighed: no hand-back.
    to_hoofdregel = [i for i, r in enumerate(OVERGANG_ROUTES)
                     if r.gevolg in ("nieuwe_client_onbekend", "hoofdregel")]
    # Nieuwe cliënt unknown: the hoofdregel's readings matter only where they may all name
    # the region's centrumgemeente. They can only if the first readings do (``rest`` is
    # theirs where the placements' states are uncertain; a union of woonadres readings is
    # never a decision).
    unknown = overgang_index == OVERGANG_ROUTES.index(_by_gevolg(OVERGANG_ROUTES, "nieuwe_client_onbekend"))
    weighed_review = weging == NIEUWE_CLIENT_ONBEKEND_ROUTES.index(
        _by_gevolg(NIEUWE_CLIENT_ONBEKEND_ROUTES, "nieuwe_client_onbekend"))
    decided_earlier = (
        (regel_index != REGEL_ROUTES.index(_by_gevolg(REGEL_ROUTES, "woonplaatsbeginsel")))
        | ~overgang_index.is_in(to_hoofdregel)
        | (unknown & weighed_review)
    ).fill_null(False)
    # Reference: _centrumgemeente, CENTRUMGEMEENTE_ROUTES compiled: the centrumgemeente its
    # gevolg names (one successor on the peildatum: that one; else the code given).
    centrum_index = compile_route_index(CENTRUMGEMEENTE_ROUTES, env)
    nothing = (pl.lit(None, pl.Int32), pl.lit(None, pl.String))
    centrum_key = _route_value(CENTRUMGEMEENTE_ROUTES, centrum_index, {
        r.gevolg: centrum_of.get(r.gevolg, nothing)[0] for r in CENTRUMGEMEENTE_ROUTES})
    centrum_code = _route_value(CENTRUMGEMEENTE_ROUTES, centrum_index, {
        r.gevolg: centrum_of.get(r.gevolg, nothing)[1] for r in CENTRUMGEMEENTE_ROUTES})
    centrum = (
        pl.when(Key.is_gemeente(centrum_key))
        .then(centrum_key.cast(pl.String).str.zfill(4))
        .otherwise(centrum_code)
    )
    names = onderdeel_codes()
    result = lf.select(
        pl.col("pid").alias("persoon_id"),
        *named(outcome, "u"),
        centrum.alias("centrumgemeente"),
        "aanmeldgemeente",
        "nieuwe_client",
        (~decided_earlier & pl.col("hand_back")).alias("via_referentie"),
    ).collect().select(
        "persoon_id",
        pl.when(pl.col("u_status") == STATUS_BEPAALD).then(pl.lit(Status.BEPAALD.value))
        .otherwise(pl.lit(Status.REVIEW.value)).alias("status"),
        pl.col("u_gemeente").cast(pl.String).str.zfill(4).alias("gemeente"),
        pl.col("u_onderdeel").replace_strict(
            list(names), list(names.values()), default=None, return_dtype=pl.String
        ).alias("onderdeel"),
        pl.col("u_reden").replace_strict(
            list(range(len(REDENEN))), [r.value for r in REDENEN], default=None,
            return_dtype=pl.String,
        ).alias("reden"),
        "nieuwe_client",
        "centrumgemeente",
        "aanmeldgemeente",
        "via_referentie",
    ).sort("persoon_id")
    routed = result.filter(pl.col("via_referentie"))
    if routed.height:
        step(f"{routed.height} cliënten via de referentie-engine")
        result = _decide_by_reference(result, routed["persoon_id"], population, peildatum,
                                      register, inwerkingtreding)
    return result


def _decide_by_reference(result: pl.DataFrame, ids: pl.Series, population: WmoPopulation,
                         peildatum: date, register: GemeenteRegister,
                         inwerkingtreding: date | None) -> pl.DataFrame:
    """The reference engine's answer for the clients the columnar rules route to it."""
    assembler = WmoCaseAssembler(population.filter_persons(ids.to_list()))
    rows = []
    for pid in ids.to_list():
        decision = decide_wmo_bw(assembler.case(pid, peildatum), register,
                                 inwerkingtreding=inwerkingtreding)
        centrum = decision.extra.get("centrumgemeente")
        rows.append({
            "persoon_id": pid,
            "status": decision.status.value,
            "gemeente": decision.gemeente_code,
            "onderdeel": onderdeel_code(decision.grondslag),
            "reden": decision.reden.value if decision.reden else None,
            "nieuwe_client": decision.extra.get("nieuweClient"),
            "centrumgemeente": centrum["code"] if centrum else None,
        })
    schema = {k: v for k, v in RESULT_SCHEMA.items() if k not in ("aanmeldgemeente", "via_referentie")}
    return result.update(pl.DataFrame(rows, schema=schema), on="persoon_id", include_nulls=True)
