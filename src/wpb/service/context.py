"""What every service function needs besides the session and the principal.

The register of municipalities, the rule dates of the 1-november-maatregel, the clock and
the settings travel together in one :class:`Context`, built once per application. Tests
give it a fixed clock and a fake BRP transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import httpx

from wpb.law.gemeenten import GemeenteRegister
from wpb.law.overgang import FACTSHEET, Termijnen
from wpb.service.brp_client import BrpClient
from wpb.service.clock import Clock, dutch_date, system_clock
from wpb.service.settings import Settings


@dataclass(frozen=True)
class Limits:
    """The bounds of an uploaded file: its size in bytes and its number of rows."""

    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class Context:
    settings: Settings
    register: GemeenteRegister
    clock: Clock = system_clock
    termijnen: Termijnen = FACTSHEET
    brp_transport: httpx.BaseTransport | None = field(default=None, repr=False)
    # The bulk client's transport (wpb.brp.bulk is async): a test's or the demo's in-process
    # BRP proefomgeving; None talks to WPB_BRP_BASE_URL over the network.
    brp_async_transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return dutch_date(self.clock())

    @property
    def limits(self) -> Limits:
        return Limits(self.settings.max_upload_bytes, self.settings.max_upload_rows)

    def brp_client(self) -> BrpClient:
        return BrpClient(
            self.settings.brp_base_url,
            self.settings.brp_api_key,
            timeout=self.settings.brp_timeout,
            transport=self.brp_transport,
        )
