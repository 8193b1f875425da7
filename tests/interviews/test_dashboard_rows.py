"""The dashboard's named rows and its one-call HTML: branches of a UNION read by name, every
value escaped."""

import pytest

from interviews.dashboard.db import UnionColumns, fetch_rows
from interviews.dashboard.markup import Markup
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
