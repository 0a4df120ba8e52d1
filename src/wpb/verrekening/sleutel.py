"""The key behind the youths' pseudonymous references, from the environment.

``WPB_PSEUDONIEM_SLEUTEL`` holds the secret (at least 16 characters; generate one with
``python -c "import secrets; print(secrets.token_urlsafe(32))"``). The service must use
the same key to resolve a reference for a party; a random key per run would give
references nobody can resolve, so there is no default: without the key nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from wpb.law.verrekening.pseudoniem import MIN_SLEUTEL_BYTES, pseudoniem

ENV = "WPB_PSEUDONIEM_SLEUTEL"


class SleutelFout(ValueError):
    """The key is not set, or too short."""


def pseudoniem_sleutel(env: Mapping[str, str] | None = None) -> bytes:
    env = os.environ if env is None else env
    raw = (env.get(ENV) or "").strip()
    if not raw:
        raise SleutelFout(
            f"{ENV} is niet gezet: de jeugdigen krijgen een pseudoniem met deze geheime sleutel "
            "(dezelfde als in de dienst), zodat er nergens een BSN op papier komt"
        )
    key = raw.encode("utf-8")
    if len(key) < MIN_SLEUTEL_BYTES:
        raise SleutelFout(f"{ENV} is te kort: gebruik minstens {MIN_SLEUTEL_BYTES} tekens")
    return key


def pseudonimiseerder(env: Mapping[str, str] | None = None) -> Callable[[str], str]:
    """A function BSN → reference under the configured key (memoised per run)."""
    key = pseudoniem_sleutel(env)
    cache: dict[str, str] = {}

    def apply(bsn: str) -> str:
        if bsn not in cache:
            cache[bsn] = pseudoniem(bsn, key)
        return cache[bsn]

    return apply
