"""Verrekening: settling what one gemeente paid while another was responsible.

The gemeente responsible under the woonplaatsbeginsel (Jeugdwet art. 1.1) bears the cost
of a youth's jeugdhulp; Jeugdwet art. 8.2.1 leaves the settlement between municipalities
to them, and no iJw message exists for it. The Factsheet 1-november-maatregel (VNG en VWS, 2021-11-02) asks
them to settle paid invoices once the responsible gemeente is known. The modules:

- :mod:`.tijdlijn` — per youth, who pays for the time being and who bears the cost under the
  law on which days, and what settlement follows;
- :mod:`.factuur` — a paid invoice;
- :mod:`.prorata` — splitting an invoice period per day, exact to the cent;
- :mod:`.claims` — claims, their states and recomputation with corrections;
- :mod:`.netting` — multilateral netting into at most n − 1 payments;
- :mod:`.overzicht` — the statement of one gemeente per counterparty;
- :mod:`.vangnet` — claims the settlement does not resolve;
- :mod:`.pseudoniem` — the keyed reference that replaces the BSN in every output;
- :mod:`.iban` — the ISO 13616 check of a gemeente's bank account for payments out.

Pure: no files, storage or web. See docs/verrekening.md for every rule and its source.
"""
