"""The overview page ``/overzicht``: counts per status and gemeente, and three charts (flows
between gemeenten, transfers by status per month, overdue tasks per gemeente), each drawn
as server-side SVG (:mod:`wpb.service.web.charts`) beside a table with the same numbers,
with drill-down links to the filtered lists and a download (CSV or XLSX).

What a user sees is scoped as every list is (:mod:`.overview`): national figures for the
coordinator only.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from wpb.service.components.overdrachten import downloads, overview, tasks
from wpb.service.errors import NotFound
from wpb.service.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, to_csv, to_xlsx
from wpb.service.state import Ctx
from wpb.service.web.charts import Bar, Column, bar_chart, stacked_columns
from wpb.service.web.dutch import dutch_date, dutch_month
from wpb.service.web.labels import STATUS_LABELS
from wpb.service.web.pages import PageRoute, Pages, Web, Who

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _short_month(month) -> str:
    """``december 2026`` → ``dec 2026`` (a column's label; the table has the whole month)."""
    words, year = dutch_month(month).split(" ")
    return f"{words[:3]} {year}"


def _charts(pages: Pages, data: dict, peildatum: str) -> dict:
    name = pages.gemeente_label
    flows = [Bar(f"{name(f['latende'])} → {name(f['ontvangende'])}", f["aantal"], f["href"])
             for f in data["stromen"]]
    months = [Column(_short_month(m["maand"]), tuple(m["aantallen"].values()),
                     tuple(m["hrefs"].values()))
              for m in data["statussen"]]
    overdue = [Bar(name(t["gemeente"]), t["aantal"], t["href"]) for t in data["taken"]]
    total = sum(f["aantal"] for f in data["stromen"])
    return {
        "stromen": bar_chart(
            "grafiek-stromen", "Overdrachten van gemeente naar gemeente",
            f"{total} overdrachten in {len(flows)} stromen van latende naar ontvangende gemeente, "
            "de grootste stroom eerst. Dezelfde cijfers staan in de tabel onder de grafiek.",
            flows, label_width=420,
        ) if flows else None,
        "statussen": stacked_columns(
            "grafiek-statussen", "Overdrachten per maand van aanlevering, naar status",
            f"Per maand het aantal aangeleverde overdrachten, opgedeeld naar hun status op "
            f"{dutch_date(peildatum)}. Dezelfde cijfers staan in de tabel onder de grafiek.",
            [STATUS_LABELS[s] for s in overview.STATUSES], months,
        ) if months else None,
        "taken": bar_chart(
            "grafiek-taken", "Taken die te laat zijn, per gemeente",
            f"{sum(t['aantal'] for t in data['taken'])} taken te laat bij {len(overdue)} gemeenten, "
            "de meeste eerst. Dezelfde cijfers staan in de tabel onder de grafiek.",
            overdue, colour="#b3261e",
        ) if overdue else None,
    }


def _load(pages: Pages, ctx: Ctx, viewer) -> tuple[dict, dict]:
    with pages.transaction() as db:
        counts = tasks.overview(db, viewer.principal, ctx)
        data = overview.chart_data(db, viewer.principal, ctx, counts)
    return counts, data


@router.get("/overzicht")
def overview_page(pages: Web, ctx: Ctx, request: Request, viewer: Who) -> Response:
    counts, data = _load(pages, ctx, viewer)
    return pages.render(
        request, "overzicht.html", viewer=viewer, overzicht=counts, statussen=list(overview.STATUSES),
        grafieken=_charts(pages, data, counts["peildatum"]), cijfers=data,
        landelijk=viewer.principal.is_coordinator,
    )


@router.get("/overzicht/download")
def overview_download(pages: Web, ctx: Ctx, request: Request, viewer: Who) -> Response:
    chart = request.query_params.get("grafiek", "")
    formaat = request.query_params.get("formaat", "csv")
    if chart not in overview.CHARTS or formaat not in ("csv", "xlsx"):
        raise NotFound("Deze download bestaat niet.")
    _, data = _load(pages, ctx, viewer)
    columns = overview.DOWNLOAD_COLUMNS[chart]
    rows = overview.download_rows(chart, data)
    if formaat == "csv":
        content, media = to_csv(columns, rows), CSV_MEDIA_TYPE + "; charset=utf-8"
    else:
        content = to_xlsx(columns, rows, sheet=chart, names=downloads.gemeente_names(ctx.register))
        media = XLSX_MEDIA_TYPE
    name = f"overzicht-{chart}-{ctx.today().isoformat()}.{formaat}"
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
