"""A panel of the dashboard as a CSV file: its table's header and rows, as the page shows them."""

import csv

from django.http import HttpResponse

from .markup import Number
from .panels import Panel

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value) -> str:
    """A cell as text: numbers as they are (an empty cell for no value), and a text that a
    spreadsheet would run as a formula quoted."""
    if type(value) is Number:
        return "" if value.value is None else str(value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def panel_csv(panel: Panel, *, date_from, date_to) -> HttpResponse:
    """The panel's table as an attachment named after the panel and the date range."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"dashboard-{panel.anchor}-{date_from.isoformat()}-{date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(panel.headers)
    for row in panel.rows:
        writer.writerow([csv_value(c["text"]) for c in row])
    return response
