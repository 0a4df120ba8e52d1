"""Populations as tables: the Parquet layout, a synthetic generator and input checks.

A population is three tables (see :mod:`wpb.population.schema` and docs/population.md):
``personen``, ``verblijfplaatsen`` and ``jeugdhulp``. Mothers and parents with gezag are
persons too, referred to by id. This package is an adapter: it turns tables into the
core's facts (:class:`wpb.law.facts.Case`) and back, so both executors see the same input.
Beschermd-wonen clients add their own tables (:mod:`wpb.population.wmo_schema`: placements,
aanmelding, indicatie) with their generator (:mod:`wpb.population.wmo_synth`).
"""
