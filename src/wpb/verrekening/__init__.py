"""Adapters of the settlement (verrekening): files in, overzichten (statements) out.

- :mod:`.invoices` — paid facturen from CSV/XLSX and from iJw JW323 declaraties;
- :mod:`.overdrachten` — transfers with the youth's BSN (CSV/XLSX);
- :mod:`.beslissingen` — woonplaats decisions that correct a timeline (JSON);
- :mod:`.register` — the claim register as a JSON file (pseudonymised);
- :mod:`.statements` — the overzicht per gemeente (XLSX, PDF) and the net positions chart;
- :mod:`.sleutel` — the pseudonym key from ``WPB_PSEUDONIEM_SLEUTEL``;
- :mod:`.betalingen` — the netting result as SEPA pain.001 files and a CSV, with the IBAN table;
- :mod:`.optioneel` — optional columns of a table.

The rules are in the pure core :mod:`wpb.law.verrekening`. Names follow docs/glossary.md: a
factuur is a paid invoice line, a declaratie is only the iJw JW323 message it may come from.
"""
