"""Pure things that are not law, in the standard library only (tests/test_architecture.py):

- ``overdracht`` and ``claim``: the state machines of a transfer and of a claim;
- ``money``: amounts in cents, apportionment without losing a cent, Dutch formatting.

``wpb.law`` may use them; they never use ``wpb.law``.
"""
