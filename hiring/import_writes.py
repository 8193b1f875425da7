"""Bulk writes of the import: rows inserted with their history rows in a few statements (COPY on
PostgreSQL, bulk_create elsewhere), each row's id set for the rows that refer to it."""

from enum import Enum

from django.conf import settings
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

BATCH = 1000  # rows per INSERT and per look-up


def import_db_value(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Enum):
        return value.value
    return value


def import_rows_create(model, rows: list[dict], *, actor, now, history: bool = True) -> None:
    """Insert `rows` (values by attribute name; the model's defaults for the others) and, with
    `history`, their "+" history rows as django-simple-history writes them. Each row's "id" is set.

    PostgreSQL: the ids are drawn from the table's sequence, then the rows are streamed with COPY,
    which spares building a model instance per row and per history row. Other databases:
    bulk_create (and bulk_create_with_history).
    """
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        if history:
            bulk_create_with_history(objs, model, batch_size=BATCH, default_user=actor)
        else:
            model.objects.bulk_create(objs, batch_size=BATCH)
        for row, obj in zip(rows, objs, strict=True):
            row["id"] = obj.pk
        if any(obj.pk is None for obj in objs):
            raise RuntimeError(
                f"The database did not return the ids of the new {model._meta.verbose_name_plural}."
            )
        return

    template = model()
    fields = model._meta.concrete_fields
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = import_db_value(getattr(template, f.attname))
    table = model._meta.db_table
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        for row, (pk_value,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = pk_value
    records = [[import_db_value(row.get(f.attname, defaults[f.attname])) for f in fields] for row in rows]
    import_rows_copy(table, [f.column for f in fields], records)
    if not history or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = model.history.model
    user = actor or historical.get_default_history_user(template)
    index = {f.attname: i for i, f in enumerate(fields)}
    tracked = [index[f.attname] for f in historical.tracked_fields]
    columns = [historical._meta.get_field(f.name).column for f in historical.tracked_fields]
    columns += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    extra = [timezone.now(), None, "+", user.pk if user else None]
    import_rows_copy(
        historical._meta.db_table, columns, ([*[r[i] for i in tracked], *extra] for r in records)
    )


def import_rows_copy(table: str, columns: list[str], records) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for record in records:
            copy.write_row(record)
