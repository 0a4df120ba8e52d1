"""The figures behind the overview's charts: flows between gemeenten (from/to), transfers by
status per month of aanleverdatum, and overdue tasks per gemeente, each with the address of
the filtered list it drills down to and as rows for a download.

Scope is the visibility rule of every list (:func:`access.visible_clause`): the coordinator
sees the national figures; a gemeente only the transfers it is party to (its own flows in
and out) and only its own overdue tasks; a provider its own clients. Counts only, no
personal data, so these reads are not audited per youth.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wpb.domain.overdracht import Status
from wpb.service.auth.principal import Principal
from wpb.service.components.overdrachten.access import visible_clause
from wpb.service.components.overdrachten.models import Overdracht
from wpb.service.context import Context

STATUSES = tuple(s.value for s in Status)
CHARTS = ("stromen", "statussen", "taken")

# The columns of each chart's download.
DOWNLOAD_COLUMNS = {
    "stromen": ("latende_gemeente", "ontvangende_gemeente", "aantal"),
    "statussen": ("maand", *STATUSES, "totaal"),
    "taken": ("gemeente", "taken_te_laat"),
}


def _list_url(path: str, **params: str | list[str]) -> str:
    query = urlencode({k: v for k, v in params.items() if v}, doseq=True)
    return f"{path}?{query}" if query else path


# A flow counts every transfer but a forwarded one (it counts where it went in the end), so
# its list has these statuses.
FLOW_STATUSES = [s for s in STATUSES if s != Status.DOORGESTUURD.value]


def flow_url(principal: Principal, latende: str, ontvangende: str) -> str:
    """The list of exactly the transfers of one flow: a gemeente's own flow in its outgoing
    list to the ontvangende or its incoming list from the latende; otherwise the list of
    both directions filtered on the latende and the ontvangende gemeente."""
    if principal.is_gemeente and principal.code == latende:
        return _list_url("/overdrachten/uitgaand", gemeente=ontvangende, status=FLOW_STATUSES)
    if principal.is_gemeente and principal.code == ontvangende:
        return _list_url("/overdrachten/inkomend", gemeente=latende, status=FLOW_STATUSES)
    return _list_url("/overdrachten", latende=latende, ontvangende=ontvangende, status=FLOW_STATUSES)


def month_url(month: date, status: str | None) -> str:
    """The transfers delivered in ``month`` (with this status now)."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return _list_url("/overdrachten", status=status or "", van=month.isoformat(), tot=last.isoformat())


def tasks_url(gemeente: str) -> str:
    return _list_url("/taken", welke="te_laat", gemeente=gemeente)


def flows(session: Session, principal: Principal) -> list[dict]:
    """Transfers per (latende, ontvangende) pair, most first; a forwarded transfer counts
    once, under the gemeente it went to in the end."""
    rows = session.execute(
        select(Overdracht.latende_gemeente, Overdracht.ontvangende_gemeente, func.count())
        .where(visible_clause(principal), Overdracht.status != Status.DOORGESTUURD.value)
        .group_by(Overdracht.latende_gemeente, Overdracht.ontvangende_gemeente)
    ).all()
    result = [
        {"latende": van, "ontvangende": naar, "aantal": int(n),
         "href": flow_url(principal, van, naar)}
        for van, naar, n in rows
    ]
    return sorted(result, key=lambda r: (-r["aantal"], r["latende"], r["ontvangende"]))


def statuses_per_month(session: Session, principal: Principal) -> list[dict]:
    """Per month of aanleverdatum, oldest first: the transfers delivered then, by status now."""
    rows = session.execute(
        select(Overdracht.aanleverdatum, Overdracht.status, func.count())
        .where(visible_clause(principal))
        .group_by(Overdracht.aanleverdatum, Overdracht.status)
    ).all()
    per: dict[date, Counter] = {}
    for day, status, n in rows:
        per.setdefault(day.replace(day=1), Counter())[status] += int(n)
    return [
        {
            "maand": month,
            "aantallen": {s: per[month].get(s, 0) for s in STATUSES},
            "totaal": sum(per[month].values()),
            "hrefs": {s: month_url(month, s) for s in STATUSES},
            "href": month_url(month, None),
        }
        for month in sorted(per)
    ]


def overdue_per_gemeente(overview: dict) -> list[dict]:
    """From :func:`tasks.overview`: overdue tasks per gemeente with any, most first."""
    result = [
        {"gemeente": g["gemeente"]["code"], "aantal": g["takenTeLaat"],
         "href": tasks_url(g["gemeente"]["code"])}
        for g in overview["gemeenten"] if g["takenTeLaat"]
    ]
    return sorted(result, key=lambda r: (-r["aantal"], r["gemeente"]))


def chart_data(session: Session, principal: Principal, ctx: Context, overview: dict) -> dict:
    return {
        "stromen": flows(session, principal),
        "statussen": statuses_per_month(session, principal),
        "taken": overdue_per_gemeente(overview),
    }


def download_rows(chart: str, data: dict) -> list[dict]:
    """The rows of one chart's download (:data:`DOWNLOAD_COLUMNS`)."""
    if chart == "stromen":
        return [{"latende_gemeente": f["latende"], "ontvangende_gemeente": f["ontvangende"],
                 "aantal": f["aantal"]} for f in data["stromen"]]
    if chart == "statussen":
        return [{"maand": m["maand"].strftime("%Y-%m"), **m["aantallen"], "totaal": m["totaal"]}
                for m in data["statussen"]]
    return [{"gemeente": t["gemeente"], "taken_te_laat": t["aantal"]} for t in data["taken"]]


__all__ = ["CHARTS", "DOWNLOAD_COLUMNS", "chart_data", "download_rows", "flows", "statuses_per_month"]
