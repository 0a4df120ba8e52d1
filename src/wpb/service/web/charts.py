"""Charts as server-side SVG: no script, no external CDN, readable by assistive technology.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>`` (WCAG 1.1.1), drawn with presentation attributes only (the pages'
Content-Security-Policy allows no inline style), and always shown next to a table with the
same numbers (the page's job). A bar may link somewhere (the drill-down); such links are
kept out of the tab order, since the table beside the chart has the same links for the
keyboard and for screen readers.

Colours are from one palette whose every colour has a contrast of at least 3:1 against
white (WCAG 1.4.11, graphical objects); labels are dark text on white.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Contrast against white >= 3:1 each (WCAG 1.4.11).
# In the order of the transfer statuses (aangeleverd blue, geaccepteerd brown, afgewezen red,
# afgerond green, doorgestuurd purple, ingetrokken grey, teruggenomen magenta).
PALETTE = ("#01689b", "#8a5300", "#b3261e", "#1e6b34", "#5b3b8c", "#535353", "#a9006b")
TEXT = "#1a1a1a"
GRID = "#b4b4b4"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None


@dataclass(frozen=True)
class Column:
    """One column of a stacked chart: its label and one value per series (with a link each)."""

    label: str
    values: tuple[int, ...]
    hrefs: tuple[str | None, ...] = ()


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _open(ident: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{_e(ident)}-titel {_e(ident)}-desc" id="{_e(ident)}">',
        f'<title id="{_e(ident)}-titel">{_e(title)}</title>',
        f'<desc id="{_e(ident)}-desc">{_e(desc)}</desc>',
    ]


def _linked(href: str | None, shape: str, label: str) -> str:
    if not href:
        return shape
    return f'<a href="{_e(href)}" tabindex="-1" aria-label="{_e(label)}">{shape}</a>'


def bar_chart(ident: str, title: str, desc: str, bars: Sequence[Bar], *, colour: str = PALETTE[0],
              label_width: int = 260) -> Markup:
    """Horizontal bars, one per label, with the value written after each bar."""
    row, width = 28, 720
    height = max(1, len(bars)) * row + 10
    top = max((b.value for b in bars), default=0) or 1
    room = width - label_width - 60
    parts = _open(ident, title, desc, width, height)
    for i, bar in enumerate(bars):
        y = 5 + i * row
        length = round(room * bar.value / top) if bar.value else 0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="14" '
            f'fill="{TEXT}">{_e(bar.label)}</text>'
        )
        rect = (f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1)}" height="{row - 10}" '
                f'fill="{colour}"/>')
        parts.append(_linked(bar.href, rect, f"{bar.label}: {bar.value}"))
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + 18}" font-size="14" fill="{TEXT}">'
            f"{bar.value}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_columns(ident: str, title: str, desc: str, series: Sequence[str],
                    columns: Sequence[Column]) -> Markup:
    """Vertical columns stacked per series (such as statuses per month), with a legend."""
    col, gap, left, chart_h, legend_h = 54, 14, 40, 220, 24 * ((len(series) + 3) // 4) + 10
    width = max(420, left + len(columns) * (col + gap) + 20)
    height = chart_h + 50 + legend_h
    top = max((sum(c.values) for c in columns), default=0) or 1
    parts = _open(ident, title, desc, width, height)
    base = chart_h + 10
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="{GRID}"/>')
    parts.append(f'<text x="{left - 6}" y="{base - chart_h + 5}" text-anchor="end" font-size="12" '
                 f'fill="{TEXT}">{top}</text>')
    parts.append(f'<text x="{left - 6}" y="{base}" text-anchor="end" font-size="12" fill="{TEXT}">0</text>')
    for i, column in enumerate(columns):
        x = left + gap + i * (col + gap)
        y = base
        for s, value in enumerate(column.values):
            if not value:
                continue
            h = max(1, round(chart_h * value / top))
            y -= h
            href = column.hrefs[s] if s < len(column.hrefs) else None
            rect = (f'<rect x="{x}" y="{y}" width="{col}" height="{h}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}" stroke="#fff"/>')
            parts.append(_linked(href, rect, f"{column.label}, {series[s]}: {value}"))
        parts.append(f'<text x="{x + col / 2:g}" y="{y - 4}" text-anchor="middle" font-size="12" '
                     f'fill="{TEXT}">{sum(column.values)}</text>')
        parts.append(f'<text x="{x + col / 2:g}" y="{base + 18}" text-anchor="middle" font-size="12" '
                     f'fill="{TEXT}">{_e(column.label)}</text>')
    for s, name in enumerate(series):
        lx = left + (s % 4) * 150
        ly = base + 36 + (s // 4) * 24
        parts.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{PALETTE[s % len(PALETTE)]}"/>')
        parts.append(f'<text x="{lx + 20}" y="{ly + 12}" font-size="13" fill="{TEXT}">{_e(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["PALETTE", "Bar", "Column", "bar_chart", "stacked_columns"]
