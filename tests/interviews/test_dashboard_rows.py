"""The dashboard's named rows and its one-call HTML: branches of a UNION read by name, every
value escaped."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from interviews.dashboard.db import UnionColumns, fetch_rows
from interviews.dashboard.markup import Markup, Number
from interviews.dashboard.panels import Panel, cell


def test_a_union_part_fills_its_named_slots_and_nulls_the_others():
    rows = UnionColumns(texts=1, ints=2, floats=1)
    part = rows.part(7, ints=("reached", "stuck"))

    sql = part.select("s.id", reached="r.n", stuck="w.n")

    assert sql == (
        "7 AS part, s.id AS key, CAST(NULL AS TEXT) AS t1, r.n AS i1, w.n AS i2, "
        "CAST(NULL AS DOUBLE PRECISION) AS f1"
    )


def test_a_union_part_refuses_a_missing_or_unknown_name():
    part = UnionColumns(texts=0, ints=2, floats=0).part(1, ints=("a", "b"))

    with pytest.raises(ValueError, match="takes"):
        part.select("k", a="1")
    with pytest.raises(ValueError, match="takes"):
        part.select("k", a="1", b="2", c="3")
    with pytest.raises(ValueError, match="more columns"):
        UnionColumns(texts=0, ints=1, floats=0).part(2, ints=("a", "b"))


@pytest.mark.django_db
def test_rows_of_a_union_statement_are_read_by_name():
    rows = UnionColumns(texts=1, ints=1, floats=0)
    stage = rows.part(1, texts=("name",), ints=("reached",))
    source = rows.part(2, texts=("source",))
    first = stage.select("5", name="'Review'", reached="3")
    second = source.select("0", source="'referral'")
    sql = f"SELECT {first} UNION ALL SELECT {second}"

    read = [rows.read(row) for row in fetch_rows(sql, ())]

    assert read == [
        (stage, {"key": 5, "name": "Review", "reached": 3}),
        (source, {"key": 0, "source": "referral"}),
    ]


def test_markup_escapes_every_value_once_and_reuses_a_recurring_one():
    d = Markup()
    link = d.ref("/admin/?a=1&b=<2>")
    d.add(f'<a href="{link}">{d.ref("<b>Ann</b>")}</a><a href="{d.ref("/admin/?a=1&b=<2>")}">{1}</a>')

    html = str(d.html())

    assert html == (
        '<a href="/admin/?a=1&amp;b=&lt;2&gt;">&lt;b&gt;Ann&lt;/b&gt;</a>'
        '<a href="/admin/?a=1&amp;b=&lt;2&gt;">1</a>'
    )
    assert len(d.values) == 2


def test_markup_without_values_is_kept_as_markup():
    assert str(Markup("<tr><td>3</td></tr>").html()) == "<tr><td>3</td></tr>"


def test_panel_rows_escape_texts_and_links_and_show_numbers():
    panel = Panel(title="t", rows=[[cell("<i>x</i>"), cell(12, "/l?a=1&b=2"), cell(1.5)]])

    assert str(panel.body) == (
        '<tr><td>&lt;i&gt;x&lt;/i&gt;</td><td><a href="/l?a=1&amp;b=2">12</a></td><td>1.5</td></tr>'
    )


HOSTILE = ["<b>", "a & b", '"q"', "'s'", "x\x00<y>", "{0}", "", 7, 1.5]


def test_values_escaped_together_read_as_format_html_would_escape_each():
    # given: texts that escape, a NUL inside a value (the separator), braces, numbers
    kept = SafeString("<em>kept</em>")
    for values in (HOSTILE[:4], HOSTILE, [*HOSTILE[:4], kept], [gettext_lazy("Hired")]):
        d = Markup()
        d.add("".join(f"<td>{d.ref(v)}</td>" for v in values))
        markup = "".join(f"<td>{{{k}}}</td>" for k in range(len(d.values)))

        # when / then: the same HTML as format_html, value by value
        assert str(d.html()) == str(format_html(markup, *d.values))


def test_a_recurring_hostile_value_is_escaped_at_each_place():
    d = Markup()
    d.add(f'<a href="{d.ref("/x?a=1&b=<2>")}"><title>{d.ref("<i>")}</title>{d.ref("<i>")}</a>')

    assert str(d.html()) == '<a href="/x?a=1&amp;b=&lt;2&gt;"><title>&lt;i&gt;</title>&lt;i&gt;</a>'


def test_a_number_is_written_as_it_is_and_takes_no_placeholder():
    d = Markup()
    d.add(f"<td>{d.ref(Number(2 / 3, '.2f'))}</td><td>{d.ref(Number(50.0, '.0f', '%'))}</td>")
    d.add(f"<td>{d.ref(Number(None))}</td><td>{d.ref(Number(-0.25, '+.2f'))}</td>")

    assert str(d.html()) == "<td>0.67</td><td>50%</td><td>–</td><td>-0.25</td>"
    assert d.values == []


def test_a_number_refuses_a_text_or_a_format_that_could_write_markup():
    with pytest.raises(TypeError, match="int, a float or a Decimal"):
        Number("<b>1</b>")
    with pytest.raises(ValueError, match="formatted with"):
        Number(1.0, ".1f<b>")
    with pytest.raises(ValueError, match="formatted with"):
        Number(1.0, ".1f", "<b>")


def test_a_figure_that_rounds_to_zero_is_written_without_a_minus_sign():
    assert str(Number(-0.0, ".1f")) == "0.0"
    assert str(Number(-0.04, ".1f")) == "0.0"
    assert str(Number(-0.004, "+.2f")) == "+0.00"
    assert str(Number(-0.5, "+.2f")) == "-0.50"
    assert str(Number(-1.26, ".1f", "%")) == "-1.3%"
