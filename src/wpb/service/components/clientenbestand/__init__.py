"""A gemeente's caseload (cliëntenbestand) in the service: import, BRP data, the
woonplaatscheck and its signalen (issue 20)."""
