"""A short-lived, per-process memory of checked API tokens.

Checking a token costs a database round trip and a transaction on every API request; with
many requests per second that is a large share of the work. A token found valid is
therefore remembered for a few seconds (``WPB_TOKEN_CACHE_SECONDS``). What that costs, and
why it is acceptable: a token revoked through ``DELETE /tokens/huidig`` is forgotten at once
by the process that revoked it, but another worker process, or a user deactivated directly
in the database, keeps working for at most that many seconds. The token's own end date is
checked on every use, remembered or not. Only the SHA-256 of a token is used as the key.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from wpb.service.auth.credentials import TokenCheck, hash_token
from wpb.service.auth.principal import Principal

MAX_ENTRIES = 10_000


class TokenCache:
    def __init__(self, seconds: float, *, monotonic: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._monotonic = monotonic
        self._entries: OrderedDict[str, tuple[float, TokenCheck]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str, now: datetime) -> Principal | None:
        """The remembered principal, if the token was found valid less than ``seconds`` ago."""
        if self.seconds <= 0:
            return None
        key = hash_token(token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            checked_at, check = entry
            if self._monotonic() - checked_at > self.seconds:
                del self._entries[key]
                return None
        if check.verloopt_op is not None and check.verloopt_op <= now:
            self.forget(token)
            return None
        return check.principal

    def put(self, token: str, check: TokenCheck) -> None:
        if self.seconds <= 0:
            return
        key = hash_token(token)
        with self._lock:
            self._entries[key] = (self._monotonic(), check)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def forget(self, token: str) -> None:
        with self._lock:
            self._entries.pop(hash_token(token), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
