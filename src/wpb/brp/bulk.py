"""Fetch BRP data for a whole caseload from the Haal Centraal personen and historie APIs.

Per youth: the person (``POST {base}/personen``, ``RaadpleegMetBurgerservicenummer``, up to
20 BSNs per request: birth date and parents) and the verblijfplaatshistorie from birth up to
and including the peildatum (``POST {base}/verblijfplaatshistorie``, ``RaadpleegMetPeriode``).
The mother's registration at the birth (needed for 3° only) is fetched on request
(:meth:`HaalCentraalBron.met_moeder`).

Requests run concurrently up to ``gelijktijdig``; a 429 or 5xx answer, a timeout or a broken
connection is retried with exponential backoff (honouring ``Retry-After``) up to
``pogingen`` times. What still fails is reported per BSN with a reason that never holds the
BSN. Each answer is kept with its fetch time and SHA-256 (:class:`~wpb.brp.bronnen.Herkomst`).
The BSN is sent only in request bodies, never in a URL.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import httpx

from wpb.brp.bronnen import BrpGegevens, Herkomst, Ophaling, Voortgang, nu, read_document, sha256
from wpb.errors import InvalidInput
from wpb.law.gemeenten import GemeenteRegister

PERSONEN = "/personen"
HISTORIE = "/verblijfplaatshistorie"
PER_VRAAG = 20
MAX_ANTWOORD = 5 * 1024 * 1024
_NEGEN = re.compile(r"[0-9]{9}")
_FIELDS = ["burgerservicenummer", "geboorte", "geslacht", "ouders"]



def _run(coroutine):
    """Run a coroutine to the end from synchronous code.

    A thread that already runs an event loop (a caller inside async code, or a library such
    as Playwright's sync API) cannot start another one, so there the coroutine gets a fresh
    loop in a worker thread; elsewhere it runs here.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()

class Mislukt(Exception):
    """A request that failed for good; ``reden`` never holds a BSN."""

    def __init__(self, reden: str):
        self.reden = _NEGEN.sub("…", reden)
        super().__init__(self.reden)


class HaalCentraalBron:
    def __init__(
        self,
        base_url: str,
        register: GemeenteRegister,
        *,
        api_key: str = "",
        gelijktijdig: int = 8,
        pogingen: int = 5,
        wachttijd: float = 0.5,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        historie_url: str | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        # The real personen and historie APIs live under different paths; the proefomgeving
        # answers both under one.
        self.historie_url = (historie_url or base_url).rstrip("/")
        self.register = register
        self.api_key = api_key
        self.gelijktijdig = gelijktijdig
        self.pogingen = pogingen
        self.wachttijd = wachttijd
        self.timeout = timeout
        self.transport = transport
        self.naam = f"Haal Centraal {self.base_url}"
        self.verzoeken = 0  # requests sent, retries included

    # --- the public, synchronous entry points (from async code: the *_async ones) --------

    def fetch(self, bsns: Iterable[str], peildatum: date, *,
                voortgang: Voortgang | None = None) -> Ophaling:
        return _run(self.fetch_async(list(dict.fromkeys(bsns)), peildatum, voortgang))

    def met_moeder(self, gegevens: Iterable[BrpGegevens], *,
                   voortgang: Voortgang | None = None) -> Ophaling:
        return _run(self.met_moeder_async(list(gegevens), voortgang))

    # --- async -----------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return (self.historie_url if path == HISTORIE else self.base_url) + path

    def _client(self) -> httpx.AsyncClient:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["X-API-KEY"] = self.api_key
        limits = httpx.Limits(max_connections=self.gelijktijdig)
        return httpx.AsyncClient(headers=headers, timeout=self.timeout,
                                 transport=self.transport, limits=limits)

    async def fetch_async(self, bsns: list[str], peildatum: date,
                            voortgang: Voortgang | None = None) -> Ophaling:
        result = Ophaling()
        gate = asyncio.Semaphore(self.gelijktijdig)
        done = 0
        async with self._client() as client:
            batches = [bsns[i:i + PER_VRAAG] for i in range(0, len(bsns), PER_VRAAG)]
            persons: dict[str, tuple[dict, Herkomst]] = {}

            async def fetch_persons(batch: list[str]) -> None:
                try:
                    body, herkomst = await self._post(client, gate, PERSONEN, {
                        "type": "RaadpleegMetBurgerservicenummer",
                        "burgerservicenummer": batch, "fields": _FIELDS,
                    })
                except Mislukt as exc:
                    for bsn in batch:
                        result.mislukt[bsn] = f"personen: {exc.reden}"
                    return
                found = body.get("personen") if isinstance(body, dict) else None
                for p in found if isinstance(found, list) else []:
                    if isinstance(p, dict) and p.get("burgerservicenummer") in batch:
                        persons[p["burgerservicenummer"]] = (p, herkomst)
                for bsn in batch:
                    if bsn not in persons and bsn not in result.mislukt:
                        result.mislukt[bsn] = "personen: niet gevonden in de BRP"

            await asyncio.gather(*(fetch_persons(b) for b in batches))

            async def fetch_history(bsn: str) -> None:
                nonlocal done
                persoon, herkomst_p = persons[bsn]
                try:
                    begin = _geboorte(persoon)
                    body, herkomst_h = await self._post(client, gate, HISTORIE, {
                        "type": "RaadpleegMetPeriode", "burgerservicenummer": bsn,
                        "datumVan": begin.isoformat(),
                        "datumTot": (peildatum + timedelta(days=1)).isoformat(),
                    })
                    history = _verblijfplaatsen(body)
                    doc = {"jeugdige": {**persoon, "verblijfplaatshistorie": history}}
                    jeugdige, _ = read_document(doc, self.register, "Haal Centraal")
                except Mislukt as exc:
                    result.mislukt[bsn] = f"verblijfplaatshistorie: {exc.reden}"
                except InvalidInput as exc:
                    result.mislukt[bsn] = "antwoord onbruikbaar: " + "; ".join(
                        str(e) for e in exc.errors[:3])
                else:
                    result.gegevens[bsn] = BrpGegevens(
                        bsn, jeugdige, None, (herkomst_p, herkomst_h),
                        moeder_bsn=_moeder_bsn(persoon),
                    )
                done += 1
                if voortgang:
                    voortgang(done, len(persons))

            await asyncio.gather(*(fetch_history(bsn) for bsn in list(persons)))
        return result

    async def met_moeder_async(self, gegevens: list[BrpGegevens],
                               voortgang: Voortgang | None = None) -> Ophaling:
        """Add the mother's registration around the youth's birth where her BSN is known."""
        result = Ophaling()
        gate = asyncio.Semaphore(self.gelijktijdig)
        done = 0
        async with self._client() as client:

            async def one(g: BrpGegevens) -> None:
                nonlocal done
                birth = g.jeugdige.geboortedatum
                if g.moeder_bsn is None or birth is None:
                    result.gegevens[g.bsn] = g
                    result.mislukt[g.bsn] = "moeder: geen BSN van een ouder met geslacht V"
                else:
                    try:
                        body, herkomst = await self._post(client, gate, HISTORIE, {
                            "type": "RaadpleegMetPeriode", "burgerservicenummer": g.moeder_bsn,
                            "datumVan": birth.earliest.isoformat(),
                            "datumTot": (birth.latest + timedelta(days=1)).isoformat(),
                        })
                        doc = {"jeugdige": {"verblijfplaatshistorie": []},
                               "moeder": {"verblijfplaatshistorie": _verblijfplaatsen(body)}}
                        _, moeder = read_document(doc, self.register, "Haal Centraal")
                        result.gegevens[g.bsn] = replace(g, moeder=moeder,
                                                         herkomst=(*g.herkomst, herkomst))
                    except (Mislukt, InvalidInput) as exc:
                        result.gegevens[g.bsn] = g
                        reden = exc.reden if isinstance(exc, Mislukt) else "antwoord onbruikbaar"
                        result.mislukt[g.bsn] = f"moeder: {reden}"
                done += 1
                if voortgang:
                    voortgang(done, len(gegevens))

            await asyncio.gather(*(one(g) for g in gegevens))
        return result

    async def _post(self, client: httpx.AsyncClient, gate: asyncio.Semaphore, path: str,
                    query: dict) -> tuple[Any, Herkomst]:
        reden = "onbekend"
        for poging in range(self.pogingen):
            retry_after: float | None = None
            async with gate:
                self.verzoeken += 1
                try:
                    response = await client.post(self._url(path), json=query)
                except httpx.TimeoutException:
                    reden = "geen antwoord binnen de tijd"
                except httpx.HTTPError as exc:
                    reden = f"niet bereikbaar ({type(exc).__name__})"
                else:
                    if response.status_code == 200:
                        return self._parse(response, path)
                    reden = f"status {response.status_code}{_title(response)}"
                    if response.status_code != 429 and response.status_code < 500:
                        raise Mislukt(reden)
                    retry_after = _retry_after(response)
            if poging + 1 < self.pogingen:
                await asyncio.sleep(min(30.0, retry_after if retry_after is not None
                                        else self.wachttijd * 2 ** poging))
        raise Mislukt(f"{reden} (na {self.pogingen} pogingen)")

    def _parse(self, response: httpx.Response, path: str) -> tuple[Any, Herkomst]:
        data = response.content
        if len(data) > MAX_ANTWOORD:
            raise Mislukt("antwoord te groot")
        try:
            body = json.loads(data)
        except ValueError:
            raise Mislukt("antwoord is geen JSON") from None
        return body, Herkomst(self._url(path), nu(), sha256(data))


def _verblijfplaatsen(body: Any) -> list:
    if not isinstance(body, dict) or not isinstance(body.get("verblijfplaatsen", []), list):
        raise Mislukt("antwoord zonder lijst verblijfplaatsen")
    return body.get("verblijfplaatsen", [])


def _geboorte(persoon: dict) -> date:
    """The first day of the history to ask for: the (earliest possible) birth date."""
    datum = (persoon.get("geboorte") or {}).get("datum") or {}
    try:
        if datum.get("type") == "Datum":
            return date.fromisoformat(datum["datum"])
        if datum.get("type") in ("JaarMaandDatum", "JaarDatum"):
            return date(datum["jaar"], datum.get("maand", 1), 1)
    except (KeyError, TypeError, ValueError):
        pass
    raise Mislukt("personen: geen bruikbare geboortedatum")


def _moeder_bsn(persoon: dict) -> str | None:
    ouders = persoon.get("ouders")
    vrouwen = [
        o for o in ouders if isinstance(o, dict)
        and (o.get("geslacht") or {}).get("code") == "V" and o.get("burgerservicenummer")
    ] if isinstance(ouders, list) else []
    return vrouwen[0]["burgerservicenummer"] if len(vrouwen) == 1 else None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _title(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    title = body.get("title") if isinstance(body, dict) else None
    return f": {str(title)[:120]}" if title else ""
