"""iJw 3.2 messages (iStandaarden): models, safe XML, checks, and the woonplaats answer.

An adapter around the core: it reads and writes the messages municipalities and providers
exchange, and uses :mod:`wpb.law` for the woonplaats decision and the deadlines. See
``docs/ijw.md``.
"""
