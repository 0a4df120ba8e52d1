"""iJw 3.2 messages in the service: receive, keep once, propose the woonplaats answer, send it.

Every function takes the database session (or the session factory, where a BRP lookup
must happen outside any transaction), the acting
:class:`~wpb.service.auth.principal.Principal` and the :class:`~wpb.service.context.Context`;
the REST API (:mod:`.api`) and the web pages both call these.

**Receiving** (:func:`receive_and_process`). A message is checked on every layer of
:func:`wpb.ijw.ontvangst.valideer` (safe XML, the XSDs when ``WPB_IJW_XSD_DIR`` is set,
structure and datatypes, the iStandaarden rules, TR378 against the municipality table).
Only the sender itself may submit it (S2): a provider under its own AGB code, a gemeente
under its own code. TR056, "processed once", rests on the unique constraint on
(berichttype, afzender, identificatie, submitting organisation) of ``ijw_berichten``
(:class:`DbBerichtStore`): of two requests with the same message exactly one insert
wins; the other finds the first receipt and answers with it, not processing again. The
same key with other content is refused (TR056, 409).

**The woonplaats answer on a VOT (OP359).** For a JW315 the service runs
:func:`wpb.ijw.woonplaats_antwoord.propose_woonplaats_antwoord` with the BRP data it has for the
youth that belong to the receiving gemeente itself (S1, :func:`.voorstel.brp_van_gemeente`):
the newest BRP document it attached to one of the youth's transfers, else (when
``WPB_BRP_BASE_URL`` is set) the verblijfplaatshistorie fetched from the Haal Centraal
BRP API on its behalf, without a database transaction open during the call. Another
gemeente's document is never used. Without BRP data the
proposal is "aanvraag in onderzoek" and waits for a person. The proposal keeps the
decision's explanation and the deadlines (OP274 5 werkdagen, OP359 2 weeks; Dutch
feestdagen counted by :mod:`wpb.law.termijnen`). A JW317 gets its OP346 deadline.

**Sending the answer** (:func:`approve_antwoord`). The addressed gemeente approves
the proposal; the service then makes the JW301 toewijzing and/or JW319 antwoordberichten
with fresh numbers (BerichtIdentificatie ``WPB`` + 9 digits, ToewijzingNummer from a
counter; unique over this service, so unique per gemeente as TR056/OP275 ask), checks
them against the datatypes (and the XSDs when configured) and keeps them as sent
messages the provider can fetch. Numbers are handed out at approval, not at proposal:
the proposal shows none. An "in onderzoek" answer is sent once per product (CD086);
products already answered definitively are not answered again.

**Who sees what.** The gemeente that is party to a message (the addressee of a request,
the sender of an answer) and the provider that is party to it; nobody else, not the
coordinator either: messages hold a youth's personal data and are exchanged between these
two parties only. The proposal (with the BRP-based explanation) is the gemeente's own
until it sends the answer. Anything not visible is answered as if it did not exist. Every
read or change of a youth's message is written to the audit log. No BSN is ever put in
an error message.
"""
