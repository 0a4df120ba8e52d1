"""Statements per gemeente as XLSX and PDF, and a chart of net positions (PNG).

A statement (:func:`wpb.law.verrekening.overzicht.overzicht`) lists, per counterparty,
the claims the gemeente is to receive and to pay, with totals and the net position.
Youths appear only by their pseudonymous reference (such as ``J-U77X-C3IB-LMIL-36IT``), which the parties
resolve in the service; the claim objects may carry a BSN for the service's own use, but
nothing here reads it. The PDF is rendered by WeasyPrint from HTML built here (every value
escaped); the chart by matplotlib's Agg backend (no display needed).
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
from wpb.law.verrekening.overzicht import Overzicht

Naam = Callable[[str], str]

CLAIM_KOLOMMEN = (
    "claim",
    "soort",
    "status",
    "tegenpartij",
    "jeugdige (pseudoniem)",
    "aanbieder (AGB)",
    "product",
    "van",
    "tot en met",
    "bedrag (€)",
    "grondslag",
    "corrigeert",
)


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


def _claim_row(c: Claim, tegenpartij: str, naam: Naam) -> list[object]:
    return [
        c.id,
        c.soort.value,
        c.status.value,
        _label(tegenpartij, naam),
        c.jeugdige,
        c.aanbieder,
        c.product,
        c.van,
        c.laatste_dag,
        _euro_decimal(c.bedrag),
        _grondslag(c),
        ", ".join(c.corrigeert),
    ]


# --- XLSX -----------------------------------------------------------------------------------


def xlsx_bytes(o: Overzicht, naam: Naam, datum: date) -> bytes:
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
    ws.append(["tegenpartij", "te ontvangen (€)", "te betalen (€)", "netto (€)"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for t in o.tegenpartijen:
        ws.append([
            _label(t.gemeente, naam),
            _euro_decimal(t.totaal_ontvangen),
            _euro_decimal(t.totaal_betalen),
            _euro_decimal(t.netto),
        ])
    ws.append(["totaal", _euro_decimal(o.totaal_ontvangen), _euro_decimal(o.totaal_betalen),
               _euro_decimal(o.netto)])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in ws.iter_rows(min_row=6, min_col=2, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws["B2"].number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 40
    for col in "BCD":
        ws.column_dimensions[col].width = 18

    for title, pick in (("Te ontvangen", "te_ontvangen"), ("Te betalen", "te_betalen")):
        sheet = wb.create_sheet(title)
        sheet.append(list(CLAIM_KOLOMMEN))
        for cell in sheet[1]:
            cell.font = bold
        for t in o.tegenpartijen:
            for c in getattr(t, pick):
                sheet.append(_claim_row(c, t.gemeente, naam))
                r = sheet.max_row
                sheet.cell(r, 8).number_format = "yyyy-mm-dd"
                sheet.cell(r, 9).number_format = "yyyy-mm-dd"
                sheet.cell(r, 10).number_format = "#,##0.00"
        for col, width in zip("ABCDEFGHIJKL", (22, 11, 10, 30, 24, 12, 16, 12, 12, 14, 40, 24), strict=True):
            sheet.column_dimensions[col].width = width
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


def statement_html(o: Overzicht, naam: Naam, datum: date, grafiek_png: bytes | None = None) -> str:
    """The statement as a standalone HTML page (every value escaped)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'>",
        f"<title>Verrekenoverzicht {e(o.gemeente)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Verrekenoverzicht {e(_label(o.gemeente, naam))}</h1>",
        f"<p>Datum: {e(datum.isoformat())}. Bedragen in euro. Jeugdigen staan er met een "
        "pseudoniem in (J-…); de verrekendienst herleidt het voor wie de jeugdige mag kennen.</p>",
        "<h2>Per tegenpartij</h2><table><tr><th>tegenpartij</th><th class='bedrag'>te ontvangen</th>"
        "<th class='bedrag'>te betalen</th><th class='bedrag'>netto</th></tr>",
    ]
    for t in o.tegenpartijen:
        parts.append(
            f"<tr><td>{e(_label(t.gemeente, naam))}</td><td class='bedrag'>{e(euro(t.totaal_ontvangen))}</td>"
            f"<td class='bedrag'>{e(euro(t.totaal_betalen))}</td><td class='bedrag'>{e(euro(t.netto))}</td></tr>"
        )
    parts.append(
        f"<tr class='totaal'><td>totaal</td><td class='bedrag'>{e(euro(o.totaal_ontvangen))}</td>"
        f"<td class='bedrag'>{e(euro(o.totaal_betalen))}</td><td class='bedrag'>{e(euro(o.netto))}</td></tr></table>"
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
            "<th>aanbieder</th><th>product</th><th>periode</th><th class='bedrag'>bedrag</th>"
            "<th>grondslag</th></tr>"
        )
        for t, c in rows:
            soort = "" if c.soort.value == "claim" else f" ({e(c.soort.value)})"
            parts.append(
                f"<tr><td class='code'>{e(c.id)}{soort}</td><td>{e(c.status.value)}</td>"
                f"<td>{e(_label(t.gemeente, naam))}</td><td class='code'>{e(c.jeugdige)}</td>"
                f"<td>{e(c.aanbieder)}</td><td>{e(c.product)}</td>"
                f"<td class='code'>{e(c.van.isoformat())} t/m {e(c.laatste_dag.isoformat())}</td>"
                f"<td class='bedrag'>{e(euro(c.bedrag))}</td><td class='grondslag'>{e(_grondslag(c))}</td></tr>"
            )
        parts.append("</table>")
    if grafiek_png is not None:
        data = base64.b64encode(grafiek_png).decode("ascii")
        parts.append(
            "<h2>Nettoposities per gemeente</h2>"
            f"<img class='grafiek' alt='nettoposities' src='data:image/png;base64,{data}'>"
        )
    parts.append("</body></html>")
    return "".join(parts)


def pdf_bytes(page: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango

    return HTML(string=page).write_pdf()


# --- chart ----------------------------------------------------------------------------------


def grafiek_png(saldi: Mapping[str, int], naam: Naam, titel: str = "Nettopositie per gemeente") -> bytes:
    """A horizontal bar per gemeente: to receive (green, right) or to pay (red, left)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    items = sorted(saldi.items(), key=lambda kv: (kv[1], kv[0]))
    labels = [_label(code, naam) for code, _ in items]
    values = [float(_euro_decimal(v)) for _, v in items]  # only for drawing, never for sums
    fig = Figure(figsize=(8, max(2.0, 0.4 * len(items) + 1.2)), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = ["#2e7d32" if v >= 0 else "#c62828" for v in values]
    ax.barh(labels, values, color=colors)
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("euro (positief: te ontvangen; negatief: te betalen)")
    ax.set_title(titel)
    for y, (v, cents) in enumerate(zip(values, (c for _, c in items), strict=True)):
        ax.annotate(euro(cents), (v, y), xytext=(4 if v >= 0 else -4, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=7)
    ax.margins(x=0.25)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


# --- writing a statement --------------------------------------------------------------------


def schrijf_overzicht(
    o: Overzicht,
    out_dir: Path,
    naam: Naam,
    datum: date,
    saldi: Mapping[str, int] | None = None,
) -> list[Path]:
    """Write ``overzicht-<code>.xlsx``, ``.pdf`` and (with ``saldi``) ``nettoposities.png``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    chart = grafiek_png(saldi, naam) if saldi else None
    if chart is not None:
        png = out_dir / "nettoposities.png"
        png.write_bytes(chart)
        written.append(png)
    xlsx = out_dir / f"overzicht-{o.gemeente}.xlsx"
    xlsx.write_bytes(xlsx_bytes(o, naam, datum))
    pdf = out_dir / f"overzicht-{o.gemeente}.pdf"
    pdf.write_bytes(pdf_bytes(statement_html(o, naam, datum, chart)))
    return [xlsx, pdf, *written]


def claims_csv_rows(claims: Sequence[Claim]) -> list[list[object]]:
    """The claims as rows for a CSV listing (no BSN: the pseudonym only)."""
    rows: list[list[object]] = [[
        "claim", "soort", "status", "schuldeiser", "schuldenaar", "jeugdige", "factuur",
        "aanbieder", "product", "van", "tot_en_met", "bedrag_eurocent", "grondslag", "corrigeert",
    ]]
    for c in sorted(claims, key=lambda c: (c.schuldeiser, c.schuldenaar, c.van, c.id)):
        rows.append([
            c.id, c.soort.value, c.status.value, c.schuldeiser, c.schuldenaar, c.jeugdige,
            c.factuur, c.aanbieder, c.product, c.van.isoformat(), c.laatste_dag.isoformat(),
            c.bedrag, _grondslag(c), " ".join(c.corrigeert),
        ])
    return rows
