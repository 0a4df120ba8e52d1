"""The transfer list pages: filters from the address, the BSN filter held on the server, the
order, the page size and the page numbers.

Everything but the BSN is in the address (GET), so a list can be bookmarked and shared.
The BSN is posted (``POST`` to the list's own path) and held here under a random token
that only the same user can use (:class:`HeldBsn`); the address carries the token
(``zoek=...``), never the BSN. A token expires after :data:`HELD_SECONDS`; the page then
says so and lists without it. Like the pending uploads, the tokens live in one process.
The download link carries every filter of the page, the token included; a download with
an expired token is refused (it would hold far more than the youth's transfers).

The list of both directions also filters on the exact latende and ontvangende gemeente
(``latende``, ``ontvangende``): one flow of the overview.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from wpb.domain.overdracht import Status
from wpb.law.bsn import bsn_problem
from wpb.service.components.overdrachten import queries
from wpb.service.components.overdrachten.filters import (
    PAGE_SIZES,
    TransferFilter,
    list_filtered,
    other_gemeenten,
)
from wpb.service.components.overdrachten.listing import Richting
from wpb.service.errors import InvalidRequest, NotFound, Problem
from wpb.service.web.forms import errors_of, parse_date, text_of
from wpb.service.web.pages import PAGE_SIZE, Acting, Pages, Viewer

HELD_SECONDS = 30 * 60
MAX_HELD = 10_000

TITLES = {
    "inkomend": "Inkomende overdrachten",
    "uitgaand": "Uitgaande overdrachten",
}
GEMEENTE_LABELS = {
    "inkomend": "Latende gemeente",
    "uitgaand": "Ontvangende gemeente",
    "alle": "Gemeente (latend of ontvangend)",
}
ANCHORS = {
    "status": "status-aangeleverd",
    "gemeente": "gemeente",
    "latendeGemeente": "latende",
    "ontvangendeGemeente": "ontvangende",
    "aanleverdatumVan": "van",
    "aanleverdatumTot": "tot",
    "pagina": "resultaten",
    "tekst": "tekst",
    "bsn": "bsn-filter",
    "sorteer": "resultaten",
    "per": "per",
}
# Parameters that are not filters: a link to another order or page leaves them out.
_NOT_FILTERS = ("pagina", "melding", "sorteer", "volgorde")


@dataclass(frozen=True)
class _Held:
    gebruiker_id: int
    bsn: str
    expires: float


class HeldBsn:
    """BSN filters held on the server under random tokens, per user, for a while."""

    def __init__(self, *, ttl: float = HELD_SECONDS, clock=time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()

    def put(self, gebruiker_id: int, bsn: str) -> str:
        token = secrets.token_urlsafe(18)
        now = self.clock()
        with self._lock:
            self._held = {k: h for k, h in self._held.items() if h.expires > now}
            while len(self._held) >= MAX_HELD:
                self._held.pop(next(iter(self._held)))
            self._held[token] = _Held(gebruiker_id, bsn, now + self.ttl)
        return token

    def get(self, token: str, gebruiker_id: int) -> str | None:
        with self._lock:
            held = self._held.get(token)
        if held is None or held.gebruiker_id != gebruiker_id or held.expires <= self.clock():
            return None
        return held.bsn


def lijst_of(richting: Richting | None) -> str:
    return richting.value if richting else "alle"


def parse_filter(request: Request, richting: Richting | None, bsn: str | None = None, *,
                 paged: bool = True) -> TransferFilter:
    params = request.query_params
    problems: list[tuple[str, str]] = []
    statuses: list[Status] = []
    for raw in params.getlist("status"):
        try:
            statuses.append(Status(raw))
        except ValueError:
            problems.append(("status", "onbekende status"))
    van = parse_date(params.get("van"), "aanleverdatumVan", problems)
    tot = parse_date(params.get("tot"), "aanleverdatumTot", problems)
    pagina = 1
    if paged:
        raw_page = params.get("pagina", "1")
        if raw_page.isdigit() and 1 <= int(raw_page) <= 1_000_000:
            pagina = int(raw_page)
        else:
            problems.append(("pagina", "moet een getal van 1 of hoger zijn"))
    per = params.get("per", str(PAGE_SIZE))
    if not (per.isdigit() and int(per) in PAGE_SIZES):
        problems.append(("per", "kies " + ", ".join(str(n) for n in PAGE_SIZES)))
    volgorde = params.get("volgorde", "oplopend")
    if volgorde not in ("oplopend", "aflopend"):
        problems.append(("sorteer", "volgorde is oplopend of aflopend"))
    return TransferFilter(
        richting=richting,
        statussen=tuple(statuses),
        gemeente=(params.get("gemeente") or "").strip() or None,
        latende=(params.get("latende") or "").strip() or None,
        ontvangende=(params.get("ontvangende") or "").strip() or None,
        aanleverdatum_van=van,
        aanleverdatum_tot=tot,
        pagina=pagina,
        pagina_grootte=int(per) if per.isdigit() and int(per) in PAGE_SIZES else PAGE_SIZE,
        tekst=(params.get("tekst") or "").strip() or None,
        bsn=bsn,
        sorteer=params.get("sorteer", queries.DEFAULT_SORT),
        aflopend=volgorde == "aflopend",
        problems=tuple(problems),
    )


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """The page numbers to link: the first, the last and ``around`` either side of the
    current one; None where numbers are left out."""
    wanted = {1, last, *range(max(1, current - around), min(last, current + around) + 1)}
    result: list[int | None] = []
    for n in sorted(wanted):
        if result and n - (result[-1] or 0) > 1:
            result.append(None)
        result.append(n)
    return result


class ListPages:
    """Renders a list page and takes its posted BSN filter."""

    def __init__(self, pages: Pages):
        self.pages = pages
        self.held = HeldBsn()

    def held_bsn(self, request: Request, viewer: Viewer) -> tuple[str | None, bool]:
        """The BSN of the address's token, and whether a token was there but is not valid."""
        token = request.query_params.get("zoek")
        if not token:
            return None, False
        bsn = self.held.get(token, viewer.principal.gebruiker_id)
        return bsn, bsn is None

    def post_bsn(self, request: Request, act: Acting, richting: Richting | None) -> Response:
        """Hold the posted BSN and show the list with it (303 to the list with its token)."""
        bsn = text_of(act.form, "bsn").strip().replace(" ", "").replace(".", "")[:20]
        problem = bsn_problem(bsn) if bsn else "vul een BSN in"
        if problem:
            return self.render(request, act, richting,
                               problem=InvalidRequest("Het BSN is ongeldig.", [("bsn", problem)]))
        token = self.held.put(act.principal.gebruiker_id, bsn)
        keep = [(k, v) for k, v in request.query_params.multi_items()
                if k not in ("zoek", "pagina", "melding")]
        return RedirectResponse(f"{request.url.path}?{urlencode([*keep, ('zoek', token)])}",
                                status_code=303)

    def render(self, request: Request, viewer: Viewer, richting: Richting | None,
               problem: Problem | None = None) -> Response:
        if richting is not None and not viewer.principal.is_gemeente:
            raise NotFound("Deze lijst bestaat niet.")
        bsn, expired = self.held_bsn(request, viewer)
        f = parse_filter(request, richting, bsn)
        page = None
        try:
            if problem is not None:
                raise problem
            with self.pages.transaction() as db:
                page = list_filtered(db, viewer.principal, self.pages.ctx, f)
        except InvalidRequest as exc:
            problem = exc
        with self.pages.transaction() as db:
            codes = other_gemeenten(db, viewer.principal, richting)
        lijst = lijst_of(richting)
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in _NOT_FILTERS]
        last = max(1, -(-page.totaal // page.pagina_grootte)) if page is not None else 0
        title = TITLES.get(lijst) or ("Mijn cliënten" if viewer.principal.is_aanbieder else "Overdrachten")
        return self.pages.render(
            request, "overdrachten.html", viewer=viewer,
            status=problem.status if problem else 200,
            errors=errors_of(problem, ANCHORS) if problem else (),
            titel=title, lijst=lijst, pagina=page, paginas=last, filter=f,
            paginanummers=page_numbers(page.pagina, last) if page else [],
            gemeente_label=GEMEENTE_LABELS[lijst],
            gemeenten=[(c, self.pages.gemeente_label(c)) for c in codes],
            gekozen_statussen={s.value for s in f.statussen},
            waarden={k: request.query_params.get(k, "")
                     for k in ("gemeente", "latende", "ontvangende", "van", "tot", "tekst")},
            paginagroottes=PAGE_SIZES,
            bsn_actief=f.bsn is not None, bsn_verlopen=expired,
            request_zoek=request.query_params.get("zoek", ""),
            bsn_waarde=text_of(viewer.form, "bsn") if isinstance(viewer, Acting) else "",
            eigen=viewer.principal.code if viewer.principal.is_gemeente else None,
            query_zonder_pagina=urlencode([(k, v) for k, v in request.query_params.multi_items()
                                           if k not in ("pagina", "melding")]),
            query_zonder_orde=urlencode(params),
            query_zonder_bsn=urlencode([(k, v) for k, v in request.query_params.multi_items()
                                        if k not in ("zoek", "pagina", "melding")]),
            # Every filter of the page, the BSN's token included (never the BSN itself).
            download_query=urlencode([("lijst", lijst), *[(k, v) for k, v in params
                                                          if k not in ("formaat", "per")]]),
        )
