"""Wmo 2015 (BWBR0035362): the woonplaatsbeginsel for beschermd wonen.

- :mod:`.beschermd_wonen`: art. 1.2.1 onderdeel b by the rule in force (the aanmeldgemeente
  from 2015; from the entry into force of bill 36 288, an installation's setting that is off
  by default, the woonadres, with art. 1.2.1a lid 1 onder a and the transitional rule), and
  the entry point :func:`decide_wmo_bw`.
- :mod:`.predicates`: the fact predicates the clauses' route tables are built from, declared
  once for the reference engine and the national executor (wpb.batch.wmo).
- :mod:`.facts`: the beschermd-wonen facts (aanmelding, earlier placements and applications,
  indication, the intake's findings on exceptions b to d).
- :mod:`.termijnen`: twelve calendar months and 365 days, counted exactly, declared once.
- :mod:`.spans`: the states of an earlier placement on the day of the request and the window
  of the nieuwe cliënt, declared once for both executors (compiled by wpb.batch.wmo.compile).
- :mod:`.nieuwe_client`: whether the client is a *nieuwe cliënt*.
- :mod:`.open_vragen`: the parts of the bill wpb does not settle, most answered with ``review``
  (the entry into force is a setting; the overlegbepaling gives a task).
"""

from wpb.law.wmo.beschermd_wonen import (
    BEOOGDE_INWERKINGTREDING,
    INWERKINGTREDING,
    OVERGANG_TOT,
    WET,
    decide_wmo_bw,
)

__all__ = ["BEOOGDE_INWERKINGTREDING", "INWERKINGTREDING", "OVERGANG_TOT", "WET", "decide_wmo_bw"]
