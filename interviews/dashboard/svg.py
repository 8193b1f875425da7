"""Server-side SVG charts for the dashboard: no script, no CDN, readable offline.

Every bar or cell is a link to the admin list behind it and carries a <title> tooltip with its
number; the same numbers are in the table next to each chart.
"""

import html
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 150
ROW_HEIGHT = 22
BAR_HEIGHT = 14
VALUE_WIDTH = 56
COLORS = ("#417690", "#79aec8", "#ba2121", "#e1a95f", "#70bf2b")


def escape(text) -> str:
    """django.utils.html.escape without its lazy-string wrapper: a page draws thousands of labels."""
    return html.escape(str(text))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    href: str = ""
    text: str = ""  # how the value reads; defaults to the value itself
    secondary: float | None = None  # a second, lighter bar behind (p90 behind the median)


def _link(href: str, inner: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}">{inner}</a>'


def _svg(width: int, height: int, body: list[str], label: str) -> SafeString:
    return mark_safe(  # noqa: S308 (every interpolated text is escaped above)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" role="img" '
        f'aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">' + "".join(body) + "</svg>"
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def bar_chart(bars: list[Bar], *, label: str, width: int = 460, color: str = COLORS[0]) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest value (or secondary value)."""
    top = max([b.value or 0 for b in bars] + [b.secondary or 0 for b in bars] + [0])
    value_width = max([VALUE_WIDTH] + [8 * len(b.text or _fmt(b.value)) + 8 for b in bars])
    span = width - LABEL_WIDTH - value_width
    body = []
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT
        text = bar.text or _fmt(bar.value)
        shapes = [f"<title>{escape(bar.label)}: {escape(text)}</title>"]
        if bar.secondary is not None and top:
            w = span * bar.secondary / top
            shapes.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{color}" fill-opacity="0.3"/>'
            )
        w = span * (bar.value or 0) / top if top else 0
        shapes.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>'
        )
        shapes.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(_clip(bar.label))}</text>"
        )
        shapes.append(
            f'<text x="{width - value_width + 4}" y="{y + 15}" font-size="12">{escape(text)}</text>'
        )
        body.append(_link(bar.href, "<g>" + "".join(shapes) + "</g>"))
    return _svg(width, max(len(bars), 1) * ROW_HEIGHT + 4, body, label)


def diverging_chart(bars: list[Bar], *, label: str, width: int = 460) -> SafeString:
    """Bars left (negative, red) or right (positive, blue) of a zero line."""
    top = max([abs(b.value or 0) for b in bars] + [0])
    span = (width - LABEL_WIDTH - VALUE_WIDTH) / 2
    zero = LABEL_WIDTH + span
    body = [f'<line x1="{zero}" y1="0" x2="{zero}" y2="{len(bars) * ROW_HEIGHT + 4}" stroke="#999"/>']
    for i, bar in enumerate(bars):
        y = i * ROW_HEIGHT
        value = bar.value or 0
        w = span * abs(value) / top if top else 0
        x = zero if value >= 0 else zero - w
        color = COLORS[0] if value >= 0 else COLORS[2]
        text = bar.text or (f"{value:+.2f}" if bar.value is not None else "–")
        shapes = [
            f"<title>{escape(bar.label)}: {escape(text)}</title>",
            f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>',
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(_clip(bar.label))}</text>",
            f'<text x="{width - VALUE_WIDTH + 4}" y="{y + 15}" font-size="12">{escape(text)}</text>',
        ]
        body.append(_link(bar.href, "<g>" + "".join(shapes) + "</g>"))
    return _svg(width, max(len(bars), 1) * ROW_HEIGHT + 4, body, label)


def grid_chart(
    rows: list[str], columns: list[str], values: list[list[int]], hrefs: list[list[str]], *, label: str
) -> SafeString:
    """A heat grid: one row per person, one column per week, darker for more."""
    cell = 44
    top = max([v for row in values for v in row] + [0])
    width = LABEL_WIDTH + cell * len(columns)
    body = [
        f'<text x="{LABEL_WIDTH + c * cell + cell / 2}" y="14" text-anchor="middle" font-size="11">'
        f"{escape(name)}</text>"
        for c, name in enumerate(columns)
    ]
    for r, name in enumerate(rows):
        y = 20 + r * ROW_HEIGHT
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(_clip(name))}</text>"
        )
        for c, value in enumerate(values[r]):
            opacity = 0.08 + 0.92 * value / top if top and value else 0.04
            shapes = (
                f"<title>{escape(name)}, {escape(columns[c])}: {value}</title>"
                f'<rect x="{LABEL_WIDTH + c * cell + 1}" y="{y + 1}" '
                f'width="{cell - 2}" height="{ROW_HEIGHT - 2}" '
                f'fill="{COLORS[0]}" fill-opacity="{opacity:.2f}"/>'
                f'<text x="{LABEL_WIDTH + c * cell + cell / 2}" y="{y + 15}" text-anchor="middle" '
                f'font-size="12">{value}</text>'
            )
            body.append(_link(hrefs[r][c], "<g>" + shapes + "</g>"))
    return _svg(width, 24 + max(len(rows), 1) * ROW_HEIGHT, body, label)


def _clip(text: str, size: int = 22) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def legend(items: list[tuple[str, str]]) -> SafeString:
    """Small colour keys: [(colour, text)]."""
    return mark_safe(  # noqa: S308 (format_html escapes)
        " ".join(
            str(format_html('<span class="dashboard-key" style="background:{}"></span>{}', color, text))
            for color, text in items
        )
    )
