"""The pure domain core: dates, municipalities through time, and the laws.

Nothing in this package performs I/O or imports a framework, a file format or
storage. Adapters (``wpb.brp``, ``wpb.refdata``, ``wpb.cli``, ...) build the
core's values and call it; the core never calls them.
"""
