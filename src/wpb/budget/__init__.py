"""Adapter for the budget rules (:mod:`wpb.law.budget`): files in, workbooks and charts out.

- :mod:`.tables` reads CSV, XLSX and Parquet tables and their cells, naming file, row and
  field for every bad value;
- :mod:`.inputs` turns them into the rules' values, and reads the date-keyed parameter
  files in ``wpb/data/budget``;
- :mod:`.report` writes the results as XLSX and PNG charts;
- :mod:`.t2_batch` builds the voogdij/18+ T-2 table from a population and the national run;
- :mod:`.example` builds the synthetic example inputs in ``wpb/data/budget/voorbeeld``.

The command line is :mod:`wpb.cli.budget` (``wpb budget ...``).
"""
