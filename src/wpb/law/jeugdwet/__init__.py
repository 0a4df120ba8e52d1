"""Jeugdwet (BWBR0034925), art. 1.1 "woonplaats": one module per version in force.

- :mod:`.woonplaats_2015`: 2015-01-01 to 2021-12-31, the woonplaats of the parent
  with gezag (Burgerlijk Wetboek boek 1).
- :mod:`.woonplaats_2022`: from 2022-01-01 (Wet wijziging woonplaatsbeginsel,
  Stb. 2020, 78), the BRP woonadres, before a stay where relevant.
"""
