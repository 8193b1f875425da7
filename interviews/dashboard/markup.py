"""HTML built in one `format_html` call, for the dashboard's tables and charts.

A page draws thousands of table cells and chart shapes; a template loop over them, or a
`format_html` per cell, costs more than the rest of the page. `Markup` collects the markup of a
whole table or chart with numbered placeholders (`{0}`, `{1}`, ...) where a value goes, and the
values apart; `html()` escapes every value and formats the markup once. A value that recurs (a
link shared by a row of cells, a label in a bar and in its tooltip) is escaped once, and the
values of one table or chart are escaped together: `conditional_escape` of the values joined by a
NUL character, split again (escaping neither makes nor removes a NUL). When a value holds a NUL
itself, or is already HTML (has `__html__`), or is lazy text, `html()` formats through `format_html`, which
escapes each value on its own - the same result, slower.

What may be written into the markup itself, outside placeholders: tags and attribute names, the
module's own constants (colours, sizes) and numbers computed by the caller (coordinates, counts
typed `int`, `Number`s) - never a text or a link from the data. Braces in literal markup must be
doubled, as in `str.format`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# The formats a `Number` may use (a float format of fixed digits) and the units it may end with.
NUMBER_SPECS = frozenset({".0f", ".1f", ".2f", "+.2f"})
NUMBER_UNITS = frozenset({"", "%"})
NO_NUMBER = "–"
SEPARATOR = "\x00"


@dataclass(frozen=True, slots=True)
class Number:
    """A figure the markup writes as it is: `value` (an int, float or Decimal) in the format `spec`,
    then `unit`; a dash when there is no value. What comes out is digits, a sign, a point, the unit
    or the dash, so it needs no escaping and costs no placeholder."""

    value: int | float | Decimal | None
    spec: str = ".1f"
    unit: str = ""

    def __post_init__(self):
        if self.spec not in NUMBER_SPECS or self.unit not in NUMBER_UNITS:
            raise ValueError(f"A number is formatted with one of {sorted(NUMBER_SPECS)}, not {self.spec!r}.")
        if self.value is not None and type(self.value) not in (int, float, Decimal):
            raise TypeError(f"A number holds an int, a float or a Decimal, not {type(self.value).__name__}.")

    def __str__(self) -> str:
        if self.value is None:
            return NO_NUMBER
        # "z": a value that rounds to zero is written 0.0, never -0.0.
        spec = f"+z{self.spec[1:]}" if self.spec.startswith("+") else f"z{self.spec}"
        return f"{self.value:{spec}}{self.unit}"


class Markup:
    def __init__(self, markup: str = ""):
        self.parts: list[str] = [markup] if markup else []
        self.values: list = []
        self._index: dict = {}

    def ref(self, value) -> str:
        """The placeholder of `value` (escaped when formatted); the same value gets the same one.
        A `Number` is written as it is."""
        if type(value) is Number:
            return str(value)
        key = (type(value), value)
        k = self._index.get(key)
        if k is None:
            k = self._index[key] = len(self.values)
            self.values.append(value)
        return f"{{{k}}}"

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def html(self) -> SafeString:
        markup = "".join(self.parts)
        if not self.values:  # format_html needs a value: an empty one at the end
            return format_html(markup + "{0}", "")
        escaped = _escape_together(self.values)
        if escaped is None:
            return format_html(markup, *self.values)
        # Every value is escaped above, the markup holds only what the module docstring allows.
        return mark_safe(markup.format(*escaped))  # noqa: S308


def _escape_together(values: list) -> list[str] | None:
    """The values escaped by one `conditional_escape` call, in order; None when they cannot be
    joined (a value holds the separator, is HTML already or is lazy text)."""
    texts = []
    for value in values:
        if hasattr(value, "__html__") or isinstance(value, Promise):
            return None
        texts.append(str(value))
    escaped = str(conditional_escape(SEPARATOR.join(texts))).split(SEPARATOR)
    return escaped if len(escaped) == len(texts) else None
