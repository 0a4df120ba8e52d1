"""Budget rules that follow responsibility: beschermd wonen and voogdij/18+.

Pure functions over exact money (integer eurocents, :class:`fractions.Fraction` for shares):

- :mod:`.ingroeipad` — beschermd wonen from the historical distribution over the
  centrumgemeenten to the objective distribution over all gemeenten, by a yearly weight.
- :mod:`.wlz` — the withdrawal for clients who move to the Wlz: ex ante by share of the
  historical budget, corrected ex post from the actual outflow.
- :mod:`.t2` — voogdij/18+ budgets for year t from care use in t−2, as registered and as
  re-attributed under the 2022 woonplaats rule.

Every year's amounts are apportioned with :func:`.money.apportion` so they add up to the
cent. The sources each rule follows are in :mod:`.sources`. Nothing here reads files: the
adapters in :mod:`wpb.budget` build the inputs and write the results.
"""
