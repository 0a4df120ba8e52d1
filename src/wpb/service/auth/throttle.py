"""A small in-process limit on failed logins, against password guessing.

After ``max_failures`` failed attempts for one user name (from any address) or from one
address (for any user name) within ``window`` seconds, further attempts are refused until
the window has passed. The state lives in memory: one process, reset on restart, which is
enough for the single-process ``wpb serve``; behind several processes put a limit in the
reverse proxy as well.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, max_failures: int = 10, window: float = 900.0, clock=time.monotonic):
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _keys(self, gebruikersnaam: str, adres: str | None) -> list[str]:
        keys = [f"u:{gebruikersnaam.lower()}"]
        if adres:
            keys.append(f"a:{adres}")
        return keys

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self._failures[key]
            return deque()
        return q

    def retry_after(self, gebruikersnaam: str, adres: str | None) -> int:
        """Seconds to wait before another attempt; 0 when an attempt is allowed."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(gebruikersnaam, adres):
                q = self._prune(key, now)
                if len(q) >= self.max_failures:
                    wait = max(wait, q[0] + self.window - now)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, gebruikersnaam: str, adres: str | None) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(gebruikersnaam, adres):
                self._failures[key].append(now)

    def succeeded(self, gebruikersnaam: str) -> None:
        with self._lock:
            self._failures.pop(f"u:{gebruikersnaam.lower()}", None)
