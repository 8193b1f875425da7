"""HTML built in one `format_html` call, for the dashboard's tables and charts.

A page draws thousands of table cells and chart shapes; a template loop over them, or a
`format_html` per cell, costs more than the rest of the page. `Markup` collects the markup of a
whole table or chart with numbered placeholders (`{0}`, `{1}`, ...) where a value goes, and the
values apart; `html()` formats it once with `format_html`, which escapes every value. A value that
recurs (a link shared by a row of cells, a label in a bar and in its tooltip) is escaped once.

What may be written into the markup itself, outside placeholders: tags and attribute names, the
module's own constants (colours, sizes) and numbers computed by the caller (coordinates, counts
typed `int`, formatted floats) - never a text or a link from the data. Braces in literal markup
must be doubled, as in `str.format`.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString


class Markup:
    def __init__(self, markup: str = ""):
        self.parts: list[str] = [markup] if markup else []
        self.values: list = []
        self._index: dict = {}

    def ref(self, value) -> str:
        """The placeholder of `value` (escaped when formatted); the same value gets the same one."""
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
        return format_html(markup, *self.values)
