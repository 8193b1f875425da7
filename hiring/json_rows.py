"""Small lists read together with one row: a correlated subquery aggregates a queryset's rows into
one JSON list (a column of the outer query), and `rows_from_json` rebuilds model instances from it,
with their one-level related rows cached as `select_related` would leave them.

The application page reads its short lists (the timeline, the answers, the emails, decisions,
hand-ins...) in the query that reads the application: one query for the page instead of one per
list. Works on SQLite (json_group_array) and PostgreSQL (jsonb_agg).
"""

import datetime
import decimal
import json

from django.db import models
from django.db.models import F, JSONField, Subquery
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_date, parse_datetime


class JSONList(models.Aggregate):
    """The aggregated values as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def own_fields(model, *, leave_out=()) -> list[str]:
    """The column names (attnames) of a model's concrete fields, less `leave_out`."""
    return [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]


def json_rows(queryset, *, group: str, fields: list[str]) -> Subquery:
    """The rows of `queryset` (filtered on an OuterRef so that they all share the value of `group`)
    as one JSON list of objects with `fields`: column names, and one-level related paths such as
    "stage__name". The list comes in no particular order (sort it after `rows_from_json`); no rows
    give NULL (PostgreSQL) or an empty list (SQLite)."""
    row = JSONObject(**{name: F(name) for name in fields})
    grouped = queryset.order_by().values(group).annotate(rows=JSONList(row)).values("rows")[:1]
    return Subquery(grouped, output_field=JSONField())


def _python(model, name: str, value):
    field = model._meta.get_field(name)
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else value
        if moment is not None and moment.tzinfo is None:  # SQLite keeps UTC without an offset
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment
    if isinstance(field, models.DateField):
        return parse_date(value) if isinstance(value, str) else value
    if isinstance(field, JSONField):
        return json.loads(value) if isinstance(value, str) else value  # SQLite embeds it as text
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(str(value))
    if isinstance(field, models.FileField):
        return value
    return field.to_python(value)


def _instance(model, values: dict):
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db("default", names, [_python(model, n, values[n]) for n in names])


def rows_from_json(model, rows) -> list:
    """Model instances from a `json_rows` list; a related path "stage__name" gives a cached
    `stage` holding its id and name (None when the foreign key is empty)."""
    instances = []
    for row in rows or []:
        own = {k: v for k, v in row.items() if "__" not in k}
        related: dict[str, dict] = {}
        for key, value in row.items():
            if "__" in key:
                name, _, attr = key.partition("__")
                related.setdefault(name, {})[attr] = value
        instance = _instance(model, own)
        for name, values in related.items():
            field = model._meta.get_field(name)
            target_id = getattr(instance, field.attname)
            if target_id is None:
                field.set_cached_value(instance, None)
                continue
            target = field.related_model
            values.setdefault(target._meta.pk.attname, target_id)
            field.set_cached_value(instance, _instance(target, values))
        instances.append(instance)
    return instances


def read_with(instance, name: str) -> list | None:
    """The JSON rows read with `instance` as `name` ([] for none), or None when it was read
    without them (the caller then reads the list itself)."""
    if not hasattr(instance, name):
        return None
    return getattr(instance, name) or []


def set_prefetched(instance, name: str, rows: list) -> None:
    """Cache `rows` as `instance.<name>.all()` (a reverse relation), as prefetch_related does."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        name: queryset,
    }
