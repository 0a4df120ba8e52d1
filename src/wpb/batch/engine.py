"""Jeugdwet art. 1.1 "woonplaats" for every youth of a population, with polars.

This executor gives the answers of the reference engine (:mod:`wpb.law.jeugdwet`), but
works column-wise over all persons at once instead of one case at a time. The legal text
and the interpretations live beside the reference clauses (``woonplaats_2022.py``,
``woonplaats_2015.py``). What is declared there is compiled, not restated
(:mod:`wpb.batch.compile`): the fact predicates (woonadres, buitenland, ingezetene, a
contradictory episode), the predicates over time (the series of stays, the chain of
jeugdhulp, the dates from which an aantekening holds: :mod:`wpb.law.spans`) and, for the 2022
text, the routes ``CLAUSE_ROUTES`` (which onderdeel applies first), ``WOONADRES_ROUTES`` (what
a registration leads to) and ``MOEDER_ROUTES`` / ``MOEDER_INSCHRIJVING_ROUTES`` (3°). The rest mirrors the
reference's control flow and says, per step, which reference function it stands for.

How uncertainty is replicated. The reference evaluates every *reading* of the facts
(:func:`wpb.law.registration.readings_between`) and decides only when all readings agree on
status, gemeente, onderdeel and the set of candidate gemeenten
(:attr:`wpb.law.outcome.Outcome.key`). Here each reading of a registration is reduced to a
:class:`Key` (an Int32 whose values are documented there): two readings give the same
outcome exactly when their keys are equal, so per person only the smallest key, the largest
key and the key of the first reading are needed. Candidate sets travel in the outcome
column ``kand`` (:class:`Kandidaten`).

Where that is not enough -- an evaluation that ends in a review with a non-empty set of
candidates the columns do not carry, compared with another (``combine``, possibly inside
``combine``) -- the sets are formed and compared for the few persons concerned
(``_settle_candidate_sets``): a stay that may have begun at a partially known birth
(``woonplaats_2022.sub_2``: 3° against the woonadres the day before), a contradictory
episode read both ways (``woonplaats_2022.decide``), and the two nested; so is an address
before the stay that got an aantekening after the stay began (an open question read both
ways, ``woonplaats_2022._aantekening_after_stay_began``). Only a person whose set cannot be
formed that way is decided by the reference engine itself and counted (``via_referentie``).
Under the 2015 text no set decides (nothing compares its reviews with another), so nobody is
handed back.

The executor lives in :mod:`wpb.batch.jeugdwet`, one module per rule step (beside the
reference clauses in :mod:`wpb.law.jeugdwet`): ``outcomes`` (the outcome columns, ``Key`` and
``Kandidaten``), ``prepare`` (the tables reduced to day numbers and keys), ``readings`` (the
readings of a registration over a day or a span), ``stays`` (the series of stays, an
aantekening placed after a stay began), ``jeugdige`` (who is a jeugdige), ``woonplaats_2022``
and ``woonplaats_2015`` (the two texts), ``settle`` (the candidate sets compared one by one)
and ``decide`` (the version in force, the result columns, the hand-back). This module keeps
the names the rest of the project imports.
"""

from __future__ import annotations

from wpb.batch.jeugdwet.decide import (
    REGEL_2015,
    REGEL_2022,
    REGEL_AUTO,
    RESULT_SCHEMA,
    decide_population,
    regel_for,
)
from wpb.batch.jeugdwet.jeugdige import (
    adult_facts,
    age_env,
    check_adult,
    check_jeugdige,
)
from wpb.batch.jeugdwet.outcomes import (
    GESPLITST,
    K_SUB3,
    K_SUB4,
    NO_SUCCESSOR,
    ONV,
    REDEN_CODE,
    REDENEN,
    SPLIT_BASE,
    STATUS_BEPAALD,
    STATUS_REVIEW,
    ZONDER_OPVOLGER,
    Kandidaten,
    Key,
    Outcome,
    agree,
    bepaald,
    choose,
    columns,
    named,
    resolved,
    review,
    route_outcomes,
)
from wpb.batch.jeugdwet.prepare import (
    Prepared,
    Step,
    aantekening_columns,
    day_number,
    prepare,
    resolve_table,
)
from wpb.batch.jeugdwet.readings import (
    no_registration,
    readings_for,
    readings_on_peildatum,
)
from wpb.batch.jeugdwet.stays import (
    places_of_stay,
    series_begin,
    stay_begin_env,
)
from wpb.batch.jeugdwet.woonplaats_2015 import (
    decide_2015,
)
from wpb.batch.jeugdwet.woonplaats_2022 import (
    decide_2022,
)

__all__ = [
    "GESPLITST",
    "K_SUB3",
    "K_SUB4",
    "Kandidaten",
    "Key",
    "NO_SUCCESSOR",
    "ONV",
    "Outcome",
    "Prepared",
    "REDENEN",
    "REDEN_CODE",
    "REGEL_2015",
    "REGEL_2022",
    "REGEL_AUTO",
    "RESULT_SCHEMA",
    "SPLIT_BASE",
    "STATUS_BEPAALD",
    "STATUS_REVIEW",
    "Step",
    "ZONDER_OPVOLGER",
    "aantekening_columns",
    "adult_facts",
    "age_env",
    "agree",
    "bepaald",
    "check_adult",
    "check_jeugdige",
    "choose",
    "columns",
    "day_number",
    "decide_2015",
    "decide_2022",
    "decide_population",
    "named",
    "no_registration",
    "places_of_stay",
    "prepare",
    "readings_for",
    "readings_on_peildatum",
    "regel_for",
    "resolve_table",
    "resolved",
    "review",
    "route_outcomes",
    "series_begin",
    "stay_begin_env",
]
