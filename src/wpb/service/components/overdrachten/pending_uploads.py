"""Checked upload files waiting for the user's confirmation on the upload page.

The upload page checks a file, shows the result row by row and asks "alleen de geldige
regels opslaan?". Storing needs the same file again (``uploads.store_upload`` checks it
once more and compares the ``controle`` code), and a browser cannot send back a file it
uploaded before. So the checked file is held here, in memory, under a random key that
the confirmation form sends back; only the user who uploaded it can use the key.

Entries expire after :data:`TTL` seconds and the whole store is bounded in count and
bytes (the oldest entries go first), so abandoned checks do not pile up. The store lives
in one process, like the login throttle: enough for ``wpb serve``; behind several worker
processes the confirmation must reach the same process (sticky sessions), otherwise the
user is asked to upload the file again. Nothing here is ever written to disk or logged.

The rejected rows of a check are held the same way (``soort="afgewezen"``), for the
uploader's download of them; an entry of one kind is never found as the other, so a
download key cannot confirm an upload.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

TTL = 30 * 60  # seconds
MAX_ENTRIES = 200
MAX_TOTAL_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class PendingUpload:
    gebruiker_id: int
    bestandsnaam: str
    content: bytes
    controle: str
    expires: float
    soort: str = "bestand"  # or "afgewezen": the rejected rows as CSV


class PendingUploads:
    def __init__(
        self,
        *,
        ttl: float = TTL,
        max_entries: int = MAX_ENTRIES,
        max_total_bytes: int = MAX_TOTAL_BYTES,
        clock=time.monotonic,
    ):
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_total_bytes = max_total_bytes
        self.clock = clock
        self._entries: OrderedDict[str, PendingUpload] = OrderedDict()
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        for key in [k for k, e in self._entries.items() if e.expires <= now]:
            del self._entries[key]
        total = sum(len(e.content) for e in self._entries.values())
        while self._entries and (
            len(self._entries) > self.max_entries or total > self.max_total_bytes
        ):
            _, oldest = self._entries.popitem(last=False)
            total -= len(oldest.content)

    def put(self, gebruiker_id: int, bestandsnaam: str, content: bytes, controle: str,
            *, soort: str = "bestand") -> str:
        key = secrets.token_urlsafe(24)
        now = self.clock()
        with self._lock:
            self._entries[key] = PendingUpload(
                gebruiker_id, bestandsnaam, content, controle, now + self.ttl, soort
            )
            self._prune(now)
        return key

    def get(self, key: str, gebruiker_id: int, *, soort: str = "bestand") -> PendingUpload | None:
        """The entry for ``key`` if it exists, has not expired, is of this kind and belongs
        to the user."""
        with self._lock:
            self._prune(self.clock())
            entry = self._entries.get(key)
        if entry is None or entry.gebruiker_id != gebruiker_id or entry.soort != soort:
            return None
        return entry

    def discard(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
