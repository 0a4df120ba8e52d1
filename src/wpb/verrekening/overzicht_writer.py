"""Statements per gemeente as XLSX and PDF, and a chart of net positions (PNG).

A statement (:func:`wpb.law.verrekening.overzicht.overzicht`) lists, per counterparty,
the claims the gemeente is to receive and to pay, with totals and the net position.
Youths appear only by their pseudonymous reference (such as ``J-U77X-C3IB-LMIL-36IT``), which the parties
resolve in the service; the claim objects may carry a BSN for the service's own use, but
nothing here reads it. The PDF is rendered by WeasyPrint from HTML built here (every value
escaped); the chart by matplotlib's Agg backend (no display needed).

What a controller books on (issue 18): every claim line carries the provider's invoice
number, the invoice period, the payment date and the provider; the chart beside the table
shows the same positions per counterparty, with the same sign (positive: to receive) and
the same notation (``€ 1.234,56``); counts of youths are whole numbers. Every text cell of
the XLSX is written as text, never as a formula (issue 19, finding S3: an invoice product
``=HYPERLINK(...)`` imported by one gemeente must not run in another's statement).
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from wpb.law.verrekening.claims import Claim
from wpb.law.verrekening.factuur import Factuur
from wpb.law.verrekening.overzicht import Overzicht, Tegenpartij

Naam = Callable[[str], str]
# The invoices behind the claims, by Factuur.sleutel: fills in the invoice period and
# payment date of a claim stored without them (the service's claim table).
Facturen = Mapping[str, Factuur]

CLAIM_KOLOMMEN = (
    "claim",
    "soort",
    "status",
    "tegenpartij",
    "jeugdige (pseudoniem)",
    "aanbieder (AGB)",
    "factuurnummer",
    "factuurperiode van",
    "factuurperiode tot en met",
    "betaaldatum",
    "product",
    "claim van",
    "claim tot en met",
    "bedrag (€)",
    "grondslag",
    "corrigeert",
)
_DATUM_KOLOMMEN = (8, 9, 10, 12, 13)  # 1-based columns holding dates
_BEDRAG_KOLOM = 14
# Text that a spreadsheet would run as a formula starts with one of these.
FORMULE_BEGIN = ("=", "+", "-", "@", "\t", "\r")


def euro(cents: int) -> str:
    """``€ 1.234,56`` (Dutch notation)."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{rest:02d}"


def _euro_decimal(cents: int) -> Decimal:
    return Decimal(cents) / 100  # exact: a Decimal keeps the cents


def _label(code: str, naam: Naam) -> str:
    name = naam(code)
    return f"{name} ({code})" if name and name != code else code


def _grondslag(c: Claim) -> str:
    return "; ".join(f"{g.soort.value} {g.referentie}" for g in c.grondslagen)


def factuurgegevens(c: Claim, facturen: Facturen | None = None) -> tuple[date | None, date | None, date | None]:
    """The invoice period (begin, einde) and payment date of a claim: its own, or else
    those of its invoice in ``facturen``."""
    f = (facturen or {}).get(c.factuur)
    return (
        c.factuur_begin or (f.begin if f else None),
        c.factuur_einde or (f.einde if f else None),
        c.betaaldatum or (f.betaaldatum if f else None),
    )


def _claim_row(c: Claim, tegenpartij: str, naam: Naam, facturen: Facturen | None) -> list[object]:
    begin, einde, betaald = factuurgegevens(c, facturen)
    return [
        c.id,
        c.soort.value,
        c.status.value,
        _label(tegenpartij, naam),
        c.jeugdige,
        c.aanbieder,
        c.factuurnummer,
        begin,
        einde,
        betaald,
        c.product,
        c.van,
        c.laatste_dag,
        _euro_decimal(c.bedrag),
        _grondslag(c),
        ", ".join(c.corrigeert),
    ]


def jeugdigen(t: Tegenpartij) -> int:
    """The number of youths in the claims with a counterparty: a whole number."""
    return len({c.jeugdige for c in (*t.te_ontvangen, *t.te_betalen)})


def als_tekst(workbook) -> None:
    """Write every text cell as text, never as a formula (finding S3).

    openpyxl turns a string starting with ``=`` into a formula; as an inline string with
    the quote prefix set, the cell keeps the exact text and no spreadsheet runs it.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULE_BEGIN):
                        cell.quotePrefix = True


# --- XLSX -----------------------------------------------------------------------------------


def xlsx_bytes(o: Overzicht, naam: Naam, datum: date, facturen: Facturen | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Samenvatting"
    bold = Font(bold=True)
    ws.append([f"Verrekenoverzicht {_label(o.gemeente, naam)}"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["Datum", datum])
    ws.append(["Jeugdigen staan er met een pseudoniem in; de dienst herleidt het voor wie dat mag."])
    ws.append([])
    ws.append(["tegenpartij", "te ontvangen (€)", "te betalen (€)", "netto (€)", "jeugdigen"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for t in o.tegenpartijen:
        ws.append([
            _label(t.gemeente, naam),
            _euro_decimal(t.totaal_ontvangen),
            _euro_decimal(t.totaal_betalen),
            _euro_decimal(t.netto),
            jeugdigen(t),
        ])
    ws.append(["totaal", _euro_decimal(o.totaal_ontvangen), _euro_decimal(o.totaal_betalen),
               _euro_decimal(o.netto), len({c.jeugdige for t in o.tegenpartijen
                                            for c in (*t.te_ontvangen, *t.te_betalen)})])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in ws.iter_rows(min_row=6, min_col=2, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"
    for row in ws.iter_rows(min_row=6, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "0"
    ws["B2"].number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 40
    for col in "BCDE":
        ws.column_dimensions[col].width = 18

    for title, pick in (("Te ontvangen", "te_ontvangen"), ("Te betalen", "te_betalen")):
        sheet = wb.create_sheet(title)
        sheet.append(list(CLAIM_KOLOMMEN))
        for cell in sheet[1]:
            cell.font = bold
        for t in o.tegenpartijen:
            for c in getattr(t, pick):
                sheet.append(_claim_row(c, t.gemeente, naam, facturen))
                r = sheet.max_row
                for col in _DATUM_KOLOMMEN:
                    sheet.cell(r, col).number_format = "yyyy-mm-dd"
                sheet.cell(r, _BEDRAG_KOLOM).number_format = "#,##0.00"
        widths = (22, 11, 10, 30, 24, 12, 16, 12, 12, 12, 16, 12, 12, 14, 40, 24)
        for col, width in zip("ABCDEFGHIJKLMNOP", widths, strict=True):
            sheet.column_dimensions[col].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    als_tekst(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- HTML and PDF ---------------------------------------------------------------------------

_CSS = """
@page { size: A4 landscape; margin: 15mm; @bottom-right { content: "pagina " counter(page) " van " counter(pages); font-size: 8pt; } }
body { font-family: sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 15pt; margin: 0 0 4mm 0; }
h2 { font-size: 12pt; margin: 6mm 0 2mm 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: 4mm; }
th, td { border-bottom: 0.5pt solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.bedrag, th.bedrag { text-align: right; white-space: nowrap; }
td.code { white-space: nowrap; font-family: monospace; font-size: 8pt; }
td.grondslag { word-break: break-all; font-size: 8pt; }
tr.totaal td { font-weight: bold; border-top: 1pt solid #111; }
p.noot { color: #444; }
img.grafiek { width: 160mm; }
"""


def overzicht_html(
    o: Overzicht, naam: Naam, datum: date, grafiek_png: bytes | None = None,
    facturen: Facturen | None = None,
) -> str:
    """The statement as a standalone HTML page (every value escaped).

    ``grafiek_png`` is shown under the table; pass :func:`overzicht_grafiek_png` of the same
    statement, so that the chart shows the positions of the table beside it.
    """
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>",
        f"<title>Verrekenoverzicht {e(o.gemeente)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Verrekenoverzicht {e(_label(o.gemeente, naam))}</h1>",
        f"<p>Datum: {e(datum.isoformat())}. Bedragen in euro. Jeugdigen staan er met een "
        "pseudoniem in (J-…); de verrekendienst herleidt het voor wie de jeugdige mag kennen.</p>",
        "<h2>Per tegenpartij</h2><table><tr><th>tegenpartij</th><th class='bedrag'>te ontvangen</th>"
        "<th class='bedrag'>te betalen</th><th class='bedrag'>netto</th><th class='bedrag'>jeugdigen</th></tr>",
    ]
    for t in o.tegenpartijen:
        parts.append(
            f"<tr><td>{e(_label(t.gemeente, naam))}</td><td class='bedrag'>{e(euro(t.totaal_ontvangen))}</td>"
            f"<td class='bedrag'>{e(euro(t.totaal_betalen))}</td><td class='bedrag'>{e(euro(t.netto))}</td>"
            f"<td class='bedrag'>{jeugdigen(t):d}</td></tr>"
        )
    parts.append(
        f"<tr class='totaal'><td>totaal</td><td class='bedrag'>{e(euro(o.totaal_ontvangen))}</td>"
        f"<td class='bedrag'>{e(euro(o.totaal_betalen))}</td><td class='bedrag'>{e(euro(o.netto))}</td>"
        "<td></td></tr></table>"
    )
    if grafiek_png is not None:
        data = base64.b64encode(grafiek_png).decode("ascii")
        parts.append(
            f"<img class='grafiek' alt='nettopositie per tegenpartij' src='data:image/png;base64,{data}'>"
        )
    if not o.tegenpartijen:
        parts.append("<p class='noot'>Geen claims van of op deze gemeente.</p>")
    for title, pick in (("Te ontvangen", "te_ontvangen"), ("Te betalen", "te_betalen")):
        rows = [(t, c) for t in o.tegenpartijen for c in getattr(t, pick)]
        parts.append(f"<h2>{e(title)}</h2>")
        if not rows:
            parts.append("<p class='noot'>Geen.</p>")
            continue
        parts.append(
            "<table><tr><th>claim</th><th>status</th><th>tegenpartij</th><th>jeugdige</th>"
            "<th>aanbieder</th><th>factuur</th><th>factuurperiode</th><th>betaald</th>"
            "<th>product</th><th>claimperiode</th><th class='bedrag'>bedrag</th>"
            "<th>grondslag</th></tr>"
        )
        for t, c in rows:
            soort = "" if c.soort.value == "claim" else f" ({e(c.soort.value)})"
            begin, einde, betaald = factuurgegevens(c, facturen)
            parts.append(
                f"<tr><td class='code'>{e(c.id)}{soort}</td><td>{e(c.status.value)}</td>"
                f"<td>{e(_label(t.gemeente, naam))}</td><td class='code'>{e(c.jeugdige)}</td>"
                f"<td>{e(c.aanbieder)}</td><td>{e(c.factuurnummer)}</td>"
                f"<td class='code'>{e(_periode(begin, einde))}</td><td class='code'>{e(_dag(betaald))}</td>"
                f"<td>{e(c.product)}</td>"
                f"<td class='code'>{e(c.van.isoformat())} t/m {e(c.laatste_dag.isoformat())}</td>"
                f"<td class='bedrag'>{e(euro(c.bedrag))}</td><td class='grondslag'>{e(_grondslag(c))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _dag(d: date | None) -> str:
    return d.isoformat() if d is not None else "onbekend"


def _periode(begin: date | None, einde: date | None) -> str:
    return f"{_dag(begin)} t/m {_dag(einde)}" if begin or einde else "onbekend"


def pdf_bytes(page: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango

    return HTML(string=page).write_pdf()


# --- chart ----------------------------------------------------------------------------------


def _bars(
    items: Sequence[tuple[str, int]], naam: Naam, titel: str, xlabel: str
) -> bytes:
    """A horizontal bar per (code, cents): positive green to the right, negative red to the
    left, each labelled with its amount in the statement's notation (``€ 1.234,56``); the
    axis in whole euros with the same thousands separator."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    labels = [_label(code, naam) for code, _ in items]
    values = [float(_euro_decimal(v)) for _, v in items]  # only for drawing, never for sums
    fig = Figure(figsize=(8, max(2.0, 0.4 * len(items) + 1.2)), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = ["#2e7d32" if v >= 0 else "#c62828" for v in values]
    ax.barh(labels, values, color=colors)
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: euro_as(x)))
    ax.set_xlabel(xlabel)
    ax.set_title(titel)
    for y, (v, (_code, cents)) in enumerate(zip(values, items, strict=True)):
        ax.annotate(euro(cents), (v, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=7)
    ax.margins(x=0.25)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def euro_as(value: float) -> str:
    """An axis value in whole euros with a Dutch thousands separator: ``€ 12.500``."""
    whole = round(value)
    sign = "-" if whole < 0 else ""
    return f"{sign}€ {abs(whole):,}".replace(",", ".")


def grafiek_png(saldi: Mapping[str, int], naam: Naam, titel: str = "Nettopositie per gemeente") -> bytes:
    """The net position of every gemeente in a netting run: to receive (green, right) or to
    pay (red, left)."""
    items = sorted(saldi.items(), key=lambda kv: (kv[1], kv[0]))
    return _bars(items, naam, titel, "euro (positief: te ontvangen; negatief: te betalen)")


def overzicht_posities(o: Overzicht) -> list[tuple[str, int]]:
    """The positions of the statement's table: per counterparty its ``netto`` (positive:
    this gemeente receives from it), in the table's order."""
    return [(t.gemeente, t.netto) for t in o.tegenpartijen]


def overzicht_grafiek_png(o: Overzicht, naam: Naam) -> bytes:
    """The chart of a statement: the same bilateral positions as its table, same sign."""
    return _bars(overzicht_posities(o), naam, f"Nettopositie van {_label(o.gemeente, naam)} per tegenpartij",
                 "euro (positief: te ontvangen van; negatief: te betalen aan)")


# --- writing a statement --------------------------------------------------------------------


def write_overzicht(
    o: Overzicht,
    out_dir: Path,
    naam: Naam,
    datum: date,
    saldi: Mapping[str, int] | None = None,
    facturen: Facturen | None = None,
) -> list[Path]:
    """Write ``overzicht-<code>.xlsx`` and ``.pdf`` (with the chart of its own positions,
    also as ``overzicht-<code>.png``) and, with ``saldi``, ``nettoposities.png`` of all
    gemeenten."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    chart = overzicht_grafiek_png(o, naam) if o.tegenpartijen else None
    if chart is not None:
        png = out_dir / f"overzicht-{o.gemeente}.png"
        png.write_bytes(chart)
        written.append(png)
    if saldi:
        national = out_dir / "nettoposities.png"
        national.write_bytes(grafiek_png(saldi, naam))
        written.append(national)
    xlsx = out_dir / f"overzicht-{o.gemeente}.xlsx"
    xlsx.write_bytes(xlsx_bytes(o, naam, datum, facturen))
    pdf = out_dir / f"overzicht-{o.gemeente}.pdf"
    pdf.write_bytes(pdf_bytes(overzicht_html(o, naam, datum, chart, facturen)))
    return [xlsx, pdf, *written]


def claims_csv_rows(claims: Sequence[Claim]) -> list[list[object]]:
    """The claims as rows for a CSV listing (no BSN: the pseudonym only)."""
    rows: list[list[object]] = [[
        "claim", "soort", "status", "schuldeiser", "schuldenaar", "jeugdige", "factuur",
        "factuurnummer", "factuur_begin", "factuur_einde", "betaaldatum",
        "aanbieder", "product", "van", "tot_en_met", "bedrag_eurocent", "grondslag", "corrigeert",
    ]]
    for c in sorted(claims, key=lambda c: (c.schuldeiser, c.schuldenaar, c.van, c.id)):
        begin, einde, betaald = factuurgegevens(c)
        rows.append([
            c.id, c.soort.value, c.status.value, c.schuldeiser, c.schuldenaar, c.jeugdige,
            c.factuur, c.factuurnummer, _iso(begin), _iso(einde), _iso(betaald),
            c.aanbieder, c.product, c.van.isoformat(), c.laatste_dag.isoformat(),
            c.bedrag, _grondslag(c), " ".join(c.corrigeert),
        ])
    return rows


def _iso(d: date | None) -> str:
    return d.isoformat() if d is not None else ""
