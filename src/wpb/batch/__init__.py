"""The batch executor: Jeugdwet art. 1.1 for a whole population at once, columnar.

:mod:`wpb.batch.engine` replicates the reference engine (:func:`wpb.law.engine.decide`)
with polars expressions over the tables of :mod:`wpb.population.schema`;
:mod:`wpb.batch.report` derives the per-municipality counts, the migration matrix and its
chart. The reference engine stays the authority: ``tests/test_batch_equivalence.py``
requires identical answers from both.
"""
