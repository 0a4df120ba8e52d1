"""Bulk BRP fetches that run in the background while the page shows their progress.

One fetch per organisation at a time, held in this process's memory (like the pending
uploads): the page starts it, then polls its progress (done of total) and, when it has
finished, shows the report of what failed. The report holds BSNs, so it is shown only to
the organisation that started the fetch and dropped after :data:`TTL` seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

from wpb.service.auth.principal import Principal
from wpb.service.components.brp.bron import Ophaalverslag, fetch_into_store
from wpb.service.errors import Problem
from wpb.service.state import ServiceState

TTL = 60 * 60


@dataclass
class Taak:
    totaal: int
    gedaan: int = 0
    klaar: bool = False
    verslag: Ophaalverslag | None = None
    fout: str | None = None
    begonnen: float = field(default_factory=time.monotonic)


class Ophaaltaken:
    def __init__(self):
        self._taken: dict[int, Taak] = {}
        self._lock = threading.Lock()

    def get(self, organisatie_id: int) -> Taak | None:
        with self._lock:
            taak = self._taken.get(organisatie_id)
            if taak and taak.klaar and time.monotonic() - taak.begonnen > TTL:
                del self._taken[organisatie_id]
                return None
            return taak

    def start(self, state: ServiceState, principal: Principal, bsns: list[str],
              peildatum: date) -> Taak:
        """Start a fetch unless one of this organisation is still running (then that one)."""
        with self._lock:
            running = self._taken.get(principal.organisatie_id)
            if running is not None and not running.klaar:
                return running
            taak = Taak(len(bsns))
            self._taken[principal.organisatie_id] = taak

        def progress(done: int, total: int) -> None:
            taak.gedaan = done

        def work() -> None:
            try:
                taak.verslag = fetch_into_store(state.factory, principal, state.ctx, bsns,
                                                peildatum, voortgang=progress)
            except Problem as exc:
                taak.fout = exc.detail
            except Exception as exc:  # a crashed fetch must still end the progress page
                taak.fout = f"het ophalen is afgebroken ({type(exc).__name__})"
            finally:
                taak.klaar = True

        threading.Thread(target=work, name="brp-ophalen", daemon=True).start()
        return taak
