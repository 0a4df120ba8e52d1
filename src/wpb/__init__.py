"""wpb — the woonplaatsbeginsel as explainable code.

The pure legal core lives in :mod:`wpb.law`; everything that reads files, parses
formats or talks to users is an adapter around it (see docs/architecture.md).
"""

__version__ = "0.1.0"
