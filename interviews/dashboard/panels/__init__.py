"""The dashboard's panels: a title, a note, a chart and the table of the chart's numbers.

A panel is a `Panel` built by one function from the figures of one selector (see the modules
beside this one: `jobs` for the per-job panels, `interviewers` for the people ones, `breakdowns`
for stuck, sources and reasons) and drawn by a template: `admin/dashboard/panel.html`, or a
template of its own that extends it (`Panel.template_name`). A template draws a list of panels
(`panels`), not one: the page renders each run of panels of the same kind once (`panel_runs`), so
a hundred panels cost a handful of template renderings. Every value is escaped: the template's
variables by autoescaping, the table's cells and the charts by `format_html` (`markup.Markup`);
figures computed here (`num`, `pct`) are `markup.Number`s, written without a placeholder.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import SafeString

from ..markup import Markup, Number

PANEL_TEMPLATE = "admin/dashboard/panel.html"


def cell(text, href="") -> dict:
    """One table cell: its value (text or number) and the admin list it links to, if any."""
    return {"text": text, "href": href}


@dataclass
class Panel:
    title: str
    note: str = ""
    chart: str = ""  # SVG from svg.py (safe HTML)
    legend: str = ""  # from svg.legend (safe HTML)
    headers: list[str] = field(default_factory=list)
    rows: list[list[dict]] = field(default_factory=list)  # cells, see `cell`
    empty: str = "Nothing in this range."
    anchor: str = ""
    template_name: str = PANEL_TEMPLATE

    @property
    def body(self) -> SafeString:
        """The table's rows, formatted in one go (`markup.Markup`: a page has thousands of cells, a
        template loop over them costs more than the rest of the page). Every text and link is
        escaped; numbers are localized as the template would show them."""
        d = Markup()
        digits_only = not settings.USE_THOUSAND_SEPARATOR
        for row in self.rows:
            d.add("<tr>")
            for c in row:
                value = c["text"]
                kind = type(value)
                if kind is Number or kind is str:
                    text = d.ref(value)
                elif kind is int and digits_only:
                    text = str(value)  # digits only
                else:
                    text = d.ref(localize(value))
                d.add(
                    f'<td><a href="{d.ref(c["href"])}">{text}</a></td>' if c["href"] else f"<td>{text}</td>"
                )
            d.add("</tr>")
        return d.html()


def panel_runs(panels: list[Panel]) -> list[dict]:
    """The panels in runs of consecutive panels drawn by the same template, in order: one
    rendering of the template per run (`{"template_name": ..., "panels": [...]}`)."""
    runs: list[dict] = []
    for panel in panels:
        if runs and runs[-1]["template_name"] == panel.template_name:
            runs[-1]["panels"].append(panel)
        else:
            runs.append({"template_name": panel.template_name, "panels": [panel]})
    return runs


def num(value, digits=1) -> Number:
    """`value` with `digits` decimals (a dash for None)."""
    return Number(value, f".{digits}f")


def pct(part, whole) -> Number:
    """`part` as a whole percentage of `whole` (a dash when `whole` is 0)."""
    return Number(100 * part / whole, ".0f", "%") if whole else Number(None)
