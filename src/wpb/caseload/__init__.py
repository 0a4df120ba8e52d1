"""A gemeente's caseload (cliëntenbestand): the toewijzingen it issued, read and compared.

- :mod:`.model`: one toewijzing row (:class:`Toewijzing`) and its identity.
- :mod:`.table`: bytes of a CSV or XLSX export to rows (the one place that decodes files).
- :mod:`.read`: rows to toewijzingen, naming every bad row (row, column, reason; a BSN masked).
- :mod:`.jw301`: toewijzingen from iJw JW301 messages; a later message ending a product ends it.
- :mod:`.diff`: what a re-import changes (new, ended, changed), as a pure function.
"""
