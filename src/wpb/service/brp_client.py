"""Client for the Haal Centraal BRP historie API: a youth's verblijfplaatshistorie.

The API (BRP-API, "BRP historie bevragen" 2.0) takes ``POST /verblijfplaatshistorie`` with
a JSON query: ``type`` ``RaadpleegMetPeriode`` with ``burgerservicenummer``, ``datumVan``
and ``datumTot`` (a half-open period), or ``RaadpleegMetPeildatum`` with ``peildatum``.
It answers ``{"verblijfplaatsen": [...]}`` with records typed ``Adres``, ``Locatie``,
``VerblijfplaatsBuitenland`` or ``VerblijfplaatsOnbekend``, newest first, and errors as
``application/problem+json``. The API key goes in the ``X-API-KEY`` header.

The woonplaatsbeginsel looks at the address history before care began, so the service asks
for the whole period from the birth date up to and including the peildatum.

Errors never contain the BSN: the problem details of the BRP are passed on by title and
status only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from wpb.service.errors import NotConfigured, UpstreamError

PATH = "/verblijfplaatshistorie"
_NINE_DIGITS = re.compile(r"[0-9]{9}")
MAX_RESPONSE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class BrpQuery:
    burgerservicenummer: str
    datum_van: date
    datum_tot: date  # exclusive

    def to_json(self) -> dict:
        return {
            "type": "RaadpleegMetPeriode",
            "burgerservicenummer": self.burgerservicenummer,
            "datumVan": self.datum_van.isoformat(),
            "datumTot": self.datum_tot.isoformat(),
        }


def query_until(bsn: str, geboortedatum: date, peildatum: date) -> BrpQuery:
    """The history from birth up to and including the peildatum."""
    return BrpQuery(bsn, geboortedatum, peildatum + timedelta(days=1))


class BrpClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ):
        if not base_url:
            raise NotConfigured(
                "Er is geen BRP-koppeling ingesteld (WPB_BRP_BASE_URL); "
                "koppel de BRP-gegevens als JSON-document."
            )
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.transport = transport

    def verblijfplaatshistorie(self, query: BrpQuery) -> dict[str, Any]:
        """The API's answer: a dict with ``verblijfplaatsen``; raises :class:`UpstreamError`."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.api_key:
            headers["X-API-KEY"] = self.api_key
        try:
            with httpx.Client(timeout=self.timeout, transport=self.transport) as client:
                response = client.post(self.base_url + PATH, json=query.to_json(), headers=headers)
        except httpx.TimeoutException:
            raise UpstreamError("De BRP-bevraging duurde te lang; probeer het later opnieuw.") from None
        except httpx.HTTPError as exc:
            raise UpstreamError(
                f"De BRP is niet bereikbaar ({type(exc).__name__}); probeer het later opnieuw."
            ) from None
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise UpstreamError("Het antwoord van de BRP is te groot.")
        if response.status_code != 200:
            raise UpstreamError(
                f"De BRP antwoordde met status {response.status_code}"
                + _problem_title(response)
                + ".",
                extra={"brpStatus": response.status_code},
            )
        try:
            body = response.json()
        except ValueError:
            raise UpstreamError("Het antwoord van de BRP is geen JSON.") from None
        if not isinstance(body, dict) or not isinstance(body.get("verblijfplaatsen", []), list):
            raise UpstreamError(
                "Het antwoord van de BRP heeft geen lijst 'verblijfplaatsen'."
            )
        body.setdefault("verblijfplaatsen", [])
        return body


def bulk_settings(settings) -> tuple[str, str]:
    """The base URLs of the personen and historie APIs for bulk fetches
    (:class:`wpb.brp.bulk.HaalCentraalBron`). ``WPB_BRP_BASE_URL`` names the historie API
    (as for one transfer); ``WPB_BRP_PERSONEN_URL`` the personen API when it lives elsewhere
    (the real BRP), else the same URL (the proefomgeving answers both)."""
    if not settings.brp_base_url:
        raise NotConfigured(
            "Er is geen BRP-koppeling ingesteld (WPB_BRP_BASE_URL); "
            "koppel de BRP-gegevens als JSON-document."
        )
    return settings.brp_personen_url or settings.brp_base_url, settings.brp_base_url


def _problem_title(response: httpx.Response) -> str:
    if "json" not in response.headers.get("content-type", ""):
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    title = body.get("title") if isinstance(body, dict) else None
    if isinstance(title, str) and title.strip():
        # The BRP's own title, cut short; its detail or instance may echo the query.
        return ": " + _NINE_DIGITS.sub("…", title.strip()[:120])
    return ""
