"""Pagination for admin lists over big tables.

Django's admin counts the rows of every list it shows. Over the whole table of a few million
applications that COUNT(*) alone takes longer than the rest of the page. When a list is not
filtered, PostgreSQL already knows the size of the table from its statistics (`reltuples`, kept by
autovacuum and ANALYZE), so the unfiltered list shows that estimate instead. Filtered lists (a
company's own applications, a search, a list filter) are counted exactly: those counts use indexes.

Deep pages (page 500 of a list) would make the database join every skipped row to the candidate,
the job and the stage before throwing it away; they first read only the ids of the page, then load
those rows with their joins ("deferred join").

A superuser's filtered list over all companies (scorecards they may read, applications in a
status) can still match millions of rows; when the planner expects at least 50,000, that expected
number is shown instead of an exact count. Lists limited to some companies are always exact.
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap and the estimate could be visibly wrong.
EXACT_COUNT_BELOW = 50_000
# A list that is not limited to some companies (a superuser's, filtered or searched) is counted
# from the planner's estimate when that estimate is at least this big.
PLANNER_ESTIMATE_FROM = 50_000
# From this offset on, a page first finds its ids, then loads those rows with their joins.
DEFERRED_JOIN_FROM = 1_000


def estimated_row_count(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows of the queryset's table, or None when there is none."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:  # -1: never analysed
        return None
    return int(row[0])


def is_whole_table(queryset: QuerySet) -> bool:
    """True when the queryset returns every row of its table (no filter, no distinct, no union)."""
    query = queryset.query
    return (
        not query.where
        and not query.distinct
        and not query.combinator
        and query.low_mark == 0
        and (query.high_mark is None)
    )


def planner_row_estimate(queryset: QuerySet) -> int | None:
    """The rows PostgreSQL's planner expects the queryset to return (EXPLAIN, nothing is run)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _mentions_company(node) -> bool:
    for child in getattr(node, "children", ()):
        target = getattr(getattr(child, "lhs", None), "target", None)
        if getattr(target, "column", None) == "company_id" or _mentions_company(child):
            return True
    return False


def is_limited_to_companies(queryset: QuerySet) -> bool:
    """True when the queryset's filter names company ids (the scoping of a company's users)."""
    return _mentions_company(queryset.query.where)


class EstimatedCountPaginator(Paginator):
    """A paginator that does not count millions of rows exactly (see the module docstring)."""

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if isinstance(qs, QuerySet):
            if is_whole_table(qs):
                estimate = estimated_row_count(qs)
                if estimate is not None and estimate >= EXACT_COUNT_BELOW:
                    return estimate
            elif not is_limited_to_companies(qs):
                estimate = planner_row_estimate(qs)
                if estimate is not None and estimate >= PLANNER_ESTIMATE_FROM:
                    return estimate
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        qs = self.object_list
        if bottom < DEFERRED_JOIN_FROM or not isinstance(qs, QuerySet) or not qs.ordered:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {obj.pk: obj for obj in qs.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class LookaheadPaginator(Paginator):
    """For autocomplete: reads one row more than a page to know whether another page follows,
    instead of counting every match (the widget only asks "is there more?")."""

    def page(self, number):
        number = int(number) if str(number).isdigit() and int(number) > 0 else 1
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        # What is known: the rows up to here, and one more when another page follows.
        self.__dict__["count"] = bottom + len(rows)
        return self._get_page(rows[: self.per_page], number, self)
