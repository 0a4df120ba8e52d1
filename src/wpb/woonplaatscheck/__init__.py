"""The woonplaatscheck: every client of a gemeente's caseload decided on one day.

- :mod:`.cases`: a client's toewijzingen and BRP data turned into the facts of the law that
  applies (Jeugdwet or Wmo beschermd wonen).
- :mod:`.check`: decide every client, add ``vanaf``, derive the signalen.
- :mod:`.uitvoer`: the three files (``beslissingen.jsonl``, ``signalen.csv``,
  ``aanlevering.csv``) and the summary counts.
"""
