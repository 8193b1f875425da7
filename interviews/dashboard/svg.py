"""Server-side SVG charts for the dashboard: no script, no CDN, readable offline.

Every bar or cell is a link to the admin list behind it and carries a <title> tooltip with its
number; the same numbers are in the table next to each chart.

A chart is drawn as one `format_html` call (`markup.Markup`): every label, text and link is a
value, escaped; only coordinates, sizes, the module's colours and the figures themselves (numbers
formatted here or `markup.Number`s) are written into the markup. A label that recurs (in a bar's
tooltip and beside it, or on every row of a series) is one value, escaped once.
"""

import functools
from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from .markup import Markup, Number

LABEL_WIDTH = 150
ROW_HEIGHT = 22
BAR_HEIGHT = 14
VALUE_WIDTH = 56
COLORS = ("#417690", "#79aec8", "#ba2121", "#e1a95f", "#70bf2b")


def _svg(d: Markup, width, height, label: str) -> SafeString:
    d.parts.insert(
        0,
        '<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" role="img" '
        f'aria-label="{d.ref(label)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
    )
    d.add("</svg>")
    return d.html()


def _open(d: Markup, href: str) -> None:
    d.add(f'<a href="{d.ref(href)}"><g>' if href else "<g>")


def _close(d: Markup, href: str) -> None:
    d.add("</g></a>" if href else "</g>")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    href: str = ""
    # How the value reads: a text (escaped), a Number or several (written " / " apart); defaults
    # to the value itself.
    text: "str | Number | tuple[Number, ...]" = ""
    secondary: float | None = None  # a second, lighter bar behind (p90 behind the median)


def _fmt(value: float | None) -> str:
    # Digits only (float() refuses anything but a number), so written into the markup as it is.
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.1f}"


def _text(d: Markup, bar: Bar, default: str) -> str:
    """How `bar`'s value reads in the markup: its own text (a placeholder), its Number(s), or `default`."""
    if not bar.text:
        return default
    if type(bar.text) is tuple:
        return " / ".join(d.ref(number) for number in bar.text)
    return d.ref(bar.text)


def _width(bar: Bar) -> int:
    """The characters of the value's text."""
    if not bar.text:
        return len(_fmt(bar.value))
    if type(bar.text) is tuple:
        return sum(len(str(number)) for number in bar.text) + 3 * (len(bar.text) - 1)
    return len(str(bar.text))


def _label(d: Markup, y: int, text: str) -> None:
    clipped = d.ref(_clip(text))
    d.add(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">{clipped}</text>')


def bar_chart(bars: list[Bar], *, label: str, width: int = 460, color: str = COLORS[0]) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest value (or secondary value)."""
    top = max([b.value or 0 for b in bars] + [b.secondary or 0 for b in bars] + [0])
    value_width = max([VALUE_WIDTH] + [8 * _width(b) + 8 for b in bars])
    span = width - LABEL_WIDTH - value_width
    d = Markup()
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT
        text = _text(d, bar, _fmt(bar.value))
        _open(d, bar.href)
        d.add(f"<title>{d.ref(bar.label)}: {text}</title>")
        if bar.secondary is not None and top:
            w = span * bar.secondary / top
            d.add(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{color}" fill-opacity="0.3"/>'
            )
        w = span * (bar.value or 0) / top if top else 0
        d.add(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>')
        _label(d, y, bar.label)
        d.add(f'<text x="{width - value_width + 4}" y="{y + 15}" font-size="12">{text}</text>')
        _close(d, bar.href)
    return _svg(d, width, max(len(bars), 1) * ROW_HEIGHT + 4, label)


def diverging_chart(bars: list[Bar], *, label: str, width: int = 460) -> SafeString:
    """Bars left (negative, red) or right (positive, blue) of a zero line."""
    top = max([abs(b.value or 0) for b in bars] + [0])
    span = (width - LABEL_WIDTH - VALUE_WIDTH) / 2
    zero = LABEL_WIDTH + span
    d = Markup(f'<line x1="{zero}" y1="0" x2="{zero}" y2="{len(bars) * ROW_HEIGHT + 4}" stroke="#999"/>')
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT
        value = bar.value or 0
        w = span * abs(value) / top if top else 0
        x = zero if value >= 0 else zero - w
        color = COLORS[0] if value >= 0 else COLORS[2]
        text = _text(d, bar, f"{float(value):+.2f}" if bar.value is not None else "–")
        _open(d, bar.href)
        d.add(f"<title>{d.ref(bar.label)}: {text}</title>")
        d.add(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>')
        _label(d, y, bar.label)
        d.add(f'<text x="{width - VALUE_WIDTH + 4}" y="{y + 15}" font-size="12">{text}</text>')
        _close(d, bar.href)
    return _svg(d, width, max(len(bars), 1) * ROW_HEIGHT + 4, label)


def grid_chart(
    rows: list[str], columns: list[str], values: list[list[int]], hrefs: list[list[str]], *, label: str
) -> SafeString:
    """A heat grid: one row per person, one column per week, darker for more."""
    cell = 44
    top = max([v for row in values for v in row] + [0])
    width = LABEL_WIDTH + cell * len(columns)
    d = Markup()
    for c, name in enumerate(columns):
        x = LABEL_WIDTH + c * cell + cell / 2
        d.add(f'<text x="{x}" y="14" text-anchor="middle" font-size="11">{d.ref(name)}</text>')
    for r, name in enumerate(rows):
        y = 20 + r * ROW_HEIGHT
        _label(d, y, name)
        for c, value in enumerate(values[r]):
            value = int(value)
            opacity = 0.08 + 0.92 * value / top if top and value else 0.04
            _open(d, hrefs[r][c])
            d.add(
                f"<title>{d.ref(name)}, {d.ref(columns[c])}: {value}</title>"
                f'<rect x="{LABEL_WIDTH + c * cell + 1}" y="{y + 1}" width="{cell - 2}" '
                f'height="{ROW_HEIGHT - 2}" fill="{COLORS[0]}" fill-opacity="{opacity:.2f}"/>'
                f'<text x="{LABEL_WIDTH + c * cell + cell / 2}" y="{y + 15}" text-anchor="middle" '
                f'font-size="12">{value}</text>'
            )
            _close(d, hrefs[r][c])
    return _svg(d, width, 24 + max(len(rows), 1) * ROW_HEIGHT, label)


def _clip(text: str, size: int = 22) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def legend(items: list[tuple[str, str]]) -> SafeString:
    """Small colour keys: [(colour, text)]. A page shows the same keys on every job's panel: each
    set is formatted once."""
    return _legend(tuple(items))


@functools.lru_cache(maxsize=64)
def _legend(items: tuple[tuple[str, str], ...]) -> SafeString:
    return format_html_join(" ", '<span class="dashboard-key" style="background:{}"></span>{}', items)
