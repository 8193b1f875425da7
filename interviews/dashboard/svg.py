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
# Labels wrap onto lines of this many characters (12 px text in LABEL_WIDTH), at most MAX_LINES.
LINE_CHARS = 20
MAX_LINES = 3
LINE_HEIGHT = 14
COLORS = ("#417690", "#79aec8", "#ba2121", "#e1a95f", "#70bf2b")
LIGHT = "#d6e7f0"  # a light bar behind another (the 90th percentile behind the median)
# The stylesheet's class for each colour of a legend key (no style attribute: the CSP stays strict).
KEY_CLASSES = {color: f"dashboard-key-{k}" for k, color in enumerate(COLORS)} | {LIGHT: "dashboard-key-light"}


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


def wrap(text: str, size: int = LINE_CHARS, lines: int = MAX_LINES) -> list[str]:
    """`text` in lines of at most `size` characters, broken between words (a longer word is cut),
    at most `lines` of them, the last one ending in "…" when the text goes on."""
    out: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > size:
            if line:
                out.append(line)
                line = ""
            out.append(word[:size])
            word = word[size:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= size:
            line = f"{line} {word}"
        else:
            out.append(line)
            line = word
    if line or not out:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _clip(out[-1] + " …", size)
    return out


def _row_height(lines: int) -> int:
    return max(ROW_HEIGHT, LINE_HEIGHT * lines + 8)


def _label(d: Markup, y: int, lines: list[str], height: int = ROW_HEIGHT) -> None:
    """A label right-aligned before the bars, one <tspan> per line, centred in its row."""
    first = y + (height - LINE_HEIGHT * len(lines)) / 2 + 11
    x = LABEL_WIDTH - 6
    spans = "".join(
        f'<tspan x="{x}" y="{first + k * LINE_HEIGHT:g}">{d.ref(line)}</tspan>'
        for k, line in enumerate(lines)
    )
    d.add(f'<text text-anchor="end" font-size="12">{spans}</text>')


def _rows(bars) -> list[tuple[int, int, list[str]]]:
    """(top, height, label lines) of each bar's row."""
    rows, y = [], 0
    for bar in bars:
        lines = wrap(bar.label)
        height = _row_height(len(lines))
        rows.append((y, height, lines))
        y += height
    return rows


def bar_chart(bars: list[Bar], *, label: str, width: int = 460, color: str = COLORS[0]) -> SafeString:
    """Horizontal bars, one per row, scaled to the largest value (or secondary value)."""
    top = max([b.value or 0 for b in bars] + [b.secondary or 0 for b in bars] + [0])
    value_width = max([VALUE_WIDTH] + [8 * _width(b) + 8 for b in bars])
    span = width - LABEL_WIDTH - value_width
    d = Markup()
    rows = _rows(bars)
    for bar, (y, height, lines) in zip(bars, rows, strict=True):
        mid = y + (height - ROW_HEIGHT) // 2
        text = _text(d, bar, _fmt(bar.value))
        _open(d, bar.href)
        d.add(f"<title>{d.ref(bar.label)}: {text}</title>")
        if bar.secondary is not None and top:
            w = span * bar.secondary / top
            d.add(
                f'<rect x="{LABEL_WIDTH}" y="{mid + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{color}" fill-opacity="0.3"/>'
            )
        w = span * (bar.value or 0) / top if top else 0
        d.add(f'<rect x="{LABEL_WIDTH}" y="{mid + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>')
        _label(d, y, lines, height)
        d.add(f'<text x="{width - value_width + 4}" y="{mid + 15}" font-size="12">{text}</text>')
        _close(d, bar.href)
    return _svg(d, width, _total(rows), label)


def diverging_chart(bars: list[Bar], *, label: str, width: int = 460) -> SafeString:
    """Bars left (negative, red) or right (positive, blue) of a zero line."""
    top = max([abs(b.value or 0) for b in bars] + [0])
    span = (width - LABEL_WIDTH - VALUE_WIDTH) / 2
    zero = LABEL_WIDTH + span
    rows = _rows(bars)
    d = Markup(f'<line x1="{zero}" y1="0" x2="{zero}" y2="{_total(rows)}" stroke="#999"/>')
    for bar, (y, height, lines) in zip(bars, rows, strict=True):
        mid = y + (height - ROW_HEIGHT) // 2
        value = bar.value or 0
        w = span * abs(value) / top if top else 0
        x = zero if value >= 0 else zero - w
        color = COLORS[0] if value >= 0 else COLORS[2]
        text = _text(d, bar, f"{float(value):+.2f}" if bar.value is not None else "–")
        _open(d, bar.href)
        d.add(f"<title>{d.ref(bar.label)}: {text}</title>")
        d.add(f'<rect x="{x:.1f}" y="{mid + 3}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>')
        _label(d, y, lines, height)
        d.add(f'<text x="{width - VALUE_WIDTH + 4}" y="{mid + 15}" font-size="12">{text}</text>')
        _close(d, bar.href)
    return _svg(d, width, _total(rows), label)


def _total(rows) -> int:
    """The chart's height: its rows (one empty row when there is none) and a margin."""
    return (rows[-1][0] + rows[-1][1] if rows else ROW_HEIGHT) + 4


def grid_chart(
    rows: list[str],
    columns: list[str],
    values: list[list[int]],
    hrefs: list[list[str]],
    *,
    label: str,
    per_row: bool = False,
) -> SafeString:
    """A heat grid: one row per person (or series), one column per week, darker for more; each
    row scaled to its own largest value when `per_row` (series of different sizes)."""
    cell = 44
    top = max([v for row in values for v in row] + [0])
    width = LABEL_WIDTH + cell * len(columns)
    d = Markup()
    for c, name in enumerate(columns):
        x = LABEL_WIDTH + c * cell + cell / 2
        d.add(f'<text x="{x}" y="14" text-anchor="middle" font-size="11">{d.ref(name)}</text>')
    for r, name in enumerate(rows):
        y = 20 + r * ROW_HEIGHT
        _label(d, y, [_clip(name, LINE_CHARS)])
        if per_row:
            top = max([*values[r], 0])
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
    """Small colour keys: [(colour, text)], the colours among COLORS and LIGHT. A page shows the
    same keys on every job's panel: each set is formatted once."""
    return _legend(tuple(items))


@functools.lru_cache(maxsize=64)
def _legend(items: tuple[tuple[str, str], ...]) -> SafeString:
    keys = [(KEY_CLASSES[color], text) for color, text in items]
    return format_html_join(" ", '<span class="dashboard-key {}"></span>{}', keys)
