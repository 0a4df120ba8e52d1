"""Verrekening in the service: invoices, registered decisions, claims, netting, statements,
vangnet, compensatie and disputes (issue 6; rules in docs/verrekening.md).

Every function takes the database session, the acting
:class:`~wpb.service.auth.principal.Principal` and the :class:`~wpb.service.context.Context`;
the REST API (the ``api_*`` modules) and the web pages call these. The
rules themselves are the pure core's (:mod:`wpb.law.verrekening`): these modules store
their inputs and outcomes and decides who may do what.

**Who sees what.** A gemeente sees the claims, statements and netting payments it is party
to (as schuldeiser or schuldenaar), the invoices it paid and the disputes it is party to;
a provider sees only its own invoices and the disputes it is party to; the coordinator
sees everything. Anything else is answered as if it did not exist (:class:`NotFound`).
Every read or change of a youth's data is written to the audit log (with the BSN, which
the log may hold); no response and no error message carries a BSN except the explicit,
audited look-up of a pseudonym by a party to it.

**Who does what.** A gemeente imports the invoices it paid (all-or-nothing: every bad
row is reported, nothing is kept); the coordinator may import for any gemeente. A
gemeente party to a transfer, or the coordinator, registers the transfer's woonplaats
decision as binding for the settlement. Claim states follow the core's state machine
with these rights: the schuldenaar acknowledges (``erkend``) or disputes (``betwist``);
the schuldeiser withdraws (``ingetrokken``) and confirms payment (``betaald``); the
coordinator resolves a disputed claim. Every change is a conditional ``UPDATE ... WHERE
versie = :gelezen``. Recomputation (:func:`recompute_claims`) only inserts new claims and
withdraws pending ones (``open``/``betwist``): an ``erkend`` or ``betaald`` claim is never
altered (the core's ``recompute``; a correction is a new claim), and the UPDATE itself is
limited to pending claims. The coordinator runs netting; each gemeente with a balance
accepts (or the coordinator for all); then its open claims become ``erkend``, and once
the coordinator confirms the payments, ``betaald``. Disputed claims stay out of netting.

Settlement needs ``WPB_PSEUDONIEM_SLEUTEL``: without it the functions that make or show
pseudonyms answer :class:`NotConfigured` (503).
"""
