"""The batch executor: Jeugdwet art. 1.1 for a whole population at once, columnar.

:mod:`wpb.batch.engine` replicates the reference engine (:func:`wpb.law.engine.decide`)
with polars expressions over the tables of :mod:`wpb.population.schema`;
:mod:`wpb.batch.report` derives the per-municipality counts, the migration matrix and its
chart. :mod:`wpb.batch.wmo` does the same for the Wmo beschermd-wonen law
(:func:`wpb.law.wmo.decide_wmo_bw`), with :mod:`wpb.batch.wmo_run` for its reports. The
reference engines stay the authority: ``tests/test_batch_equivalence.py`` and
``tests/test_batch_wmo_equivalence.py`` require identical answers.
"""
