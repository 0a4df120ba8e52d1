"""Growing delays after failed logins, per account and per address, against password guessing.

A fixed lock-out (ten failures, then fifteen minutes shut) lets anyone lock a named colleague out,
and behind one municipal proxy lets one person's typos lock out the whole team. Instead each key
(the account name, and the client address) earns a delay that doubles with every failure after a
few free ones, up to a cap:

- an account: 5 free failures, then 1, 2, 4, … seconds, at most 30 seconds. The owner with the
  right password waits half a minute at worst, while a guesser gets about 2,900 tries a day
  instead of millions;
- an address: 20 free failures (many people may share one), then the same doubling up to
  5 minutes, against one machine trying many accounts.

A key is forgotten after 15 minutes without failures; a successful login clears its account
(not its address, so one valid account does not reset a guessing address). The client address
is the connection's peer, or the forwarded one only when the peer is a configured proxy
(``WPB_TRUSTED_PROXIES``; uvicorn applies it). State lives in memory per process; behind
several processes the limits add up per process, so put a limit in the reverse proxy as well.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """How one kind of key is slowed down."""

    free_failures: int
    first_delay: float
    max_delay: float

    def delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failures."""
        over = failures - self.free_failures
        if over < 0:
            return 0.0
        if over >= 64:  # 2**64 seconds is past any cap; avoid a float overflow
            return self.max_delay
        return min(self.first_delay * 2.0**over, self.max_delay)


ACCOUNT = Backoff(free_failures=5, first_delay=1.0, max_delay=30.0)
ADDRESS = Backoff(free_failures=20, first_delay=1.0, max_delay=300.0)


@dataclass
class _Record:
    failures: int
    last: float


class LoginThrottle:
    def __init__(
        self,
        account: Backoff = ACCOUNT,
        address: Backoff = ADDRESS,
        forget_after: float = 900.0,
        clock=time.monotonic,
    ):
        self.account = account
        self.address = address
        self.forget_after = forget_after
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()
        self._next_sweep = clock() + forget_after

    def _keys(self, gebruikersnaam: str, adres: str | None) -> list[tuple[str, Backoff]]:
        keys = [(f"u:{gebruikersnaam.strip().lower()}", self.account)]
        if adres:
            keys.append((f"a:{adres}", self.address))
        return keys

    def _current(self, key: str, now: float) -> _Record | None:
        record = self._records.get(key)
        if record is not None and now - record.last > self.forget_after:
            del self._records[key]
            return None
        return record

    def retry_after(self, gebruikersnaam: str, adres: str | None) -> int:
        """Whole seconds to wait before another attempt; 0 when an attempt is allowed now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key, backoff in self._keys(gebruikersnaam, adres):
                record = self._current(key, now)
                if record is not None:
                    # Delay minus time passed, not last + delay - now: on a large clock the
                    # sum rounds up (30.000000000000004) and the wait would exceed the cap.
                    wait = max(wait, backoff.delay(record.failures) - (now - record.last))
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, gebruikersnaam: str, adres: str | None) -> None:
        now = self.clock()
        with self._lock:
            self._sweep(now)
            for key, _ in self._keys(gebruikersnaam, adres):
                record = self._current(key, now)
                if record is None:
                    self._records[key] = _Record(failures=1, last=now)
                else:
                    record.failures += 1
                    record.last = now

    def _sweep(self, now: float) -> None:
        """Drop forgotten keys now and then, so names made up by a guesser do not pile up."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.forget_after
        for key in [k for k, r in self._records.items() if now - r.last > self.forget_after]:
            del self._records[key]

    def succeeded(self, gebruikersnaam: str) -> None:
        with self._lock:
            self._records.pop(f"u:{gebruikersnaam.strip().lower()}", None)
