"""Wmo 2015 beschermd wonen (bill 36 288) for every client of a population, with polars.

This executor gives the answers of the reference engine (:func:`wpb.law.wmo.decide_wmo_bw`)
column-wise for all clients at once. The clauses are declared once, beside their legal text,
in :mod:`wpb.law.wmo.beschermd_wonen` as route tables over the predicates of
:mod:`wpb.law.wmo.predicates` and :mod:`wpb.law.predicates`; this package compiles those tables
(:mod:`wpb.batch.compile`) and gives each route's ``gevolg`` its outcome columns
(:func:`.routes._route_outcome`):

- ``REGEL_ROUTES`` (which rule applies) and ``OVERGANG_ROUTES`` (the transitional rule):
  :func:`.decide.decide_wmo_population`;
- ``EERDER_ROUTES`` (art. 1.2.1a lid 1 onder a) and ``UITZONDERINGEN_ROUTES`` (b to d):
  :func:`.readings._hoofdregel`;
- ``WOONADRES_ROUTES`` (art. 1.2.1 onder b, each reading of the BRP):
  :func:`.woonadres._woonadres_keys`.

What stays here, because the term language states no folds over several facts (see
docs/architecture.md): the readings of the earlier placements (running, ended, the last one
and its twelve months), the nieuwe cliënt (a fold over placements and applications in the
region), and how many readings are reduced to one answer. Outcomes are the Jeugdwet batch
engine's outcome columns (:mod:`wpb.batch.engine`), the Wmo clauses numbered by their place in
``ONDERDELEN`` (:func:`onderdeel_nr`) and named again at the end.

How readings are replicated. The reference evaluates every *reading* of uncertain facts
and decides only when all agree (:func:`wpb.law.outcome.combine`, comparing
:attr:`wpb.law.outcome.Outcome.key`: status, gemeente, ``grondslag.onderdeel`` -- which is
None for every Wmo clause -- and, for a review, the candidate gemeenten as a set; not the
reden). When they agree, the first reading's outcome is the answer, its reden included. Each
reading is reduced to a :class:`WmoKey` such that two readings give equal outcomes exactly
when their keys are equal. Every single-reading review here lists the successors of one code
on the peildatum: a woonadres in a split code (gesplitste_gemeente) or in a code without
successor (the empty set, gemeente_zonder_opvolger), a woonadres with an aantekening (its own
code), the vangnet (the aanmeldgemeente), exception a in a split code or one without
successor. So the vangnet, an aantekening and a split woonadres agree when their successor
sets are the same (the case ``haaren-onbekende-begindatum-vangnet`` in the conformance file).

Per client the smallest and largest key tell whether all readings agree, and the reden of the
first reading (``w_reden``, ``first_reden``) is the reden of the agreed review. A woonadres
review that combines differing readings (onvolledige_datum) lists a union of candidates that
these columns do not carry (:attr:`WmoKey.COMBINED`).

Where the keys cannot tell -- the readings of the placements whose state on the day of the
request is uncertain (not begun / running / ended), or exception a for a split gemeente against
such a union -- the readings are compared on their candidate sets (:func:`.settlement._agreement`): each
reading's candidates are rows of gemeentecodes (a key's successors, :func:`.keys.set_members`), and
the readings agree when their sorted sets and statuses are equal. The product of placement
states is not formed: the review of running beschermd wonen lists the running placements'
successors and the woonadres candidates, which grow with the set of running placements, so the
largest and the smallest sets stand for all of them (a subset test); the readings in which none
runs are exception a for each placement that may have ended last, and the woonadres.

What is routed to the reference engine (``via_referentie``) and counted: only clients for whom
that comparison needs a gemeentecode the register lacks. No client goes back where the readings
of the placements do not decide the answer (a running indication at the request ends the clause
before them, and when exceptions b-d are not excluded the answer is a review under the clause
of the first reading alone), nor where the columns compare the readings by their keys
(``_voor_or_ended``, ``readings_differ`` in :func:`.readings._hoofdregel`).

The package, by rule step: :mod:`~wpb.batch.wmo.routes` (clause numbers, the route tables
walked), :mod:`~wpb.batch.wmo.keys` (municipalities as keys, successor sets, days),
:mod:`~wpb.batch.wmo.woonadres` (the BRP on the day of the request),
:mod:`~wpb.batch.wmo.placements` (the earlier placements' states and the last one),
:mod:`~wpb.batch.wmo.readings` (art. 1.2.1a over those readings, compared on their keys),
:mod:`~wpb.batch.wmo.settlement` (compared on their candidate sets),
:mod:`~wpb.batch.wmo.nieuwe_client` and :mod:`~wpb.batch.wmo.decide` (the whole decision).
"""

from __future__ import annotations

from wpb.batch.wmo.decide import RESULT_SCHEMA, decide_wmo_population
from wpb.batch.wmo.keys import WmoKey, code_keys, set_members, successor_epochs
from wpb.batch.wmo.routes import onderdeel_codes, onderdeel_nr

__all__ = [
    "RESULT_SCHEMA",
    "WmoKey",
    "code_keys",
    "decide_wmo_population",
    "onderdeel_codes",
    "onderdeel_nr",
    "set_members",
    "successor_epochs",
]
