"""wpb — the woonplaatsbeginsel as explainable code.

The pure legal core lives in :mod:`wpb.law`; everything that reads files, parses
formats or talks to users is an adapter around it (see docs/architecture.md).
"""

from wpb.engine_id import engine_id

__version__ = "0.1.0"
# The code that decides, for every receipt: the version plus a hash of the law's sources,
# computed here because the core does no I/O (see wpb.engine_id).
__engine__ = engine_id(__version__)
