"""The ``wpb`` command line: adapters that read files, call the core and print answers.

One module per command group (``woonplaats``, ``gemeente``, ``gba``, ``wmo``, ``batch``,
``budget``, ``verrekening``, ``ijw``, ``overgang``, ``service``); what they share (exit
codes, date options, :func:`~wpb.cli.output.print_decision`) is in :mod:`wpb.cli.output`;
:mod:`wpb.cli.main` assembles them. The console script is ``wpb = "wpb.cli:app"``.
"""

from wpb.cli.main import app

__all__ = ["app"]
