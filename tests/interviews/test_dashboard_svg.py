"""The server-side charts: every bar links to its list and says its number."""

import re

from interviews.dashboard.svg import (
    LABEL_WIDTH,
    LINE_CHARS,
    MAX_LINES,
    Bar,
    bar_chart,
    diverging_chart,
    grid_chart,
    wrap,
)


def test_bar_chart_links_and_labels_each_bar():
    svg = str(bar_chart([Bar("Review", 6, "/admin/x/?a=1&b=2"), Bar("Offer", 1)], label="Funnel"))

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '<a href="/admin/x/?a=1&amp;b=2">' in svg
    assert "<title>Review: 6</title>" in svg
    assert "<title>Offer: 1</title>" in svg
    assert svg.count("<a ") == 1


def test_bars_are_scaled_to_the_largest_value():
    svg = str(bar_chart([Bar("a", 10), Bar("b", 5)], label="x", width=460))

    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths[0] == 2 * widths[1]


def test_diverging_chart_draws_negative_bars_left_of_zero():
    svg = str(diverging_chart([Bar("lenient", 0.5), Bar("severe", -0.5)], label="x"))

    assert "+0.50" in svg and "-0.50" in svg
    assert "#ba2121" in svg  # the severe bar


def test_grid_chart_escapes_names_and_links_cells():
    svg = str(grid_chart(["<b>Ann</b>"], ["W1", "W2"], [[0, 3]], [["/a", "/b"]], label="load"))

    assert "<b>Ann</b>" not in svg
    assert "&lt;b&gt;Ann&lt;/b&gt;" in svg
    assert '<a href="/b">' in svg


def test_long_labels_wrap_onto_lines_instead_of_being_cut():
    svg = str(bar_chart([Bar("Compensation expectations too high", 3), Bar("Offer", 1)], label="x"))

    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert lines == ["Compensation", "expectations too", "high", "Offer"]
    assert all(len(line) <= LINE_CHARS for line in lines)
    # every line starts right of the chart's left edge: right-aligned on the label column
    assert set(re.findall(r'<tspan x="([0-9.]+)"', svg)) == {str(LABEL_WIDTH - 6)}
    assert "<title>Compensation expectations too high: 3</title>" in svg


def test_a_wrapped_label_makes_its_row_taller_and_the_chart_with_it():
    one = str(bar_chart([Bar("Offer", 1)], label="x"))
    three = str(bar_chart([Bar("A label long enough to need three lines", 1)], label="x"))

    height = re.compile(r'<svg [^>]*height="(\d+)"')
    assert int(height.search(three).group(1)) > int(height.search(one).group(1))


def test_wrap_cuts_a_long_word_and_ends_an_overlong_label_with_an_ellipsis():
    assert wrap("Supercalifragilisticexpialidocious") == ["Supercalifragilistic", "expialidocious"]
    lines = wrap(" ".join(["word"] * 30))
    assert len(lines) == MAX_LINES
    assert lines[-1].endswith("…")
    assert wrap("") == [""]
