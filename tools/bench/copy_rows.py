"""Fast bulk loading with PostgreSQL's COPY FROM STDIN (psycopg 3), driven by model metadata.

A `CopyTable` knows a model's columns: the benchmark gives the values that vary per row, every
other column gets the field's default (or NULL, an empty string, or now for auto dates), so a field
added to a model later does not break the generator as long as it has a default.
"""

import datetime
import json
import sys
import time

from django.db import DatabaseError, connection, models, transaction

CHUNK_BYTES = 1 << 20


def encode(value) -> str:
    """One value in COPY's text format."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return encode(json.dumps(value))
    if isinstance(value, str):
        return encode(str(value))
    return str(value)


def _default_of(field: models.Field, now: datetime.datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        value = field.get_default()
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        return value
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return ""
    raise ValueError(
        f"{field.model.__name__}.{field.name} has no default; the benchmark generator must give it a value."
    )


class CopyTable:
    """Streams rows into one model's table. Rows are tuples in the order of `fields`."""

    def __init__(self, model: type[models.Model], fields: list[str], *, now: datetime.datetime):
        self.model = model
        self.table = model._meta.db_table
        by_name = {}
        for field in model._meta.concrete_fields:
            by_name[field.name] = field
            by_name[field.attname] = field
        unknown = [name for name in fields if name not in by_name]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
        given = [by_name[name] for name in fields]
        # Primary keys not given come from the table's identity default.
        rest = [f for f in model._meta.concrete_fields if f not in given and not f.primary_key]
        self.columns = [f.column for f in given + rest]
        self.suffix = "".join("\t" + encode(_default_of(f, now)) for f in rest) + "\n"
        self.rows = 0

    def next_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{self.table}"')  # noqa: S608 (model table)
            return cursor.fetchone()[0]

    def load(self, rows, *, label: str | None = None, expected: int | None = None, out=None) -> int:
        """COPY every row of the iterable; prints progress in rows per second."""
        out = out or sys.stdout
        label = label or self.table
        columns = ", ".join(f'"{c}"' for c in self.columns)
        started = last = time.perf_counter()
        count = 0
        buffer: list[str] = []
        size = 0
        suffix = self.suffix
        with (
            connection.cursor() as cursor,
            cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                line = "\t".join(map(encode, row)) + suffix
                buffer.append(line)
                size += len(line)
                count += 1
                if size >= CHUNK_BYTES:
                    copy.write("".join(buffer))
                    buffer.clear()
                    size = 0
                    now = time.perf_counter()
                    if now - last >= 2:
                        last = now
                        done = f"/{expected:,}" if expected else ""
                        out.write(f"  {label}: {count:,}{done} rows, {count / (now - started):,.0f} rows/s\n")
                        out.flush()
            if buffer:
                copy.write("".join(buffer))
        elapsed = time.perf_counter() - started
        out.write(
            f"  {label}: {count:,} rows in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f} rows/s)\n"
        )
        out.flush()
        self.rows += count
        return count


def without_foreign_key_checks(cursor) -> bool:
    """Skip foreign-key triggers for this session (the generated rows are consistent by
    construction). Needs a superuser; otherwise the checks simply stay on."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    cursor.execute("SET session_replication_role = replica")
    return True


def secondary_indexes(model: type[models.Model]) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint: they can be dropped
    before a bulk load and built once afterwards, which is much faster than row by row."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = to_regclass(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [f'"{model._meta.db_table}"'],
        )
        return list(cursor.fetchall())


def drop_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')


def create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def reset_sequence(model: type[models.Model]) -> None:
    """Move the id sequence past the ids written by COPY."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608 (model table)
        next_id = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [f'"{table}"', next_id])
