"""Database helpers of the dashboard that differ between PostgreSQL and SQLite.

Both databases compute every figure in SQL; only the spelling differs:

- `days_sql(end, start)`: elapsed days as a float. PostgreSQL subtracts the timestamps and
  reads the interval in seconds; SQLite subtracts Julian day numbers.
- `percentile_sql()`: continuous percentiles (linear interpolation between the two nearest ranks,
  the definition of PostgreSQL's `percentile_cont`) per group. PostgreSQL uses `percentile_cont`
  itself. SQLite has no ordered-set aggregates, so each group's values are ranked with
  `ROW_NUMBER()` and counted with `COUNT(*)` over the group (window functions); the percentile is
  then the weighted sum of the values at ranks `floor(h)` and `floor(h) + 1`, where
  `h = 1 + p * (n - 1)`. Both give the same number for the same data.
"""

from django.db import connection


def days_sql(end: str, start: str) -> str:
    """Days from `start` to `end` (a float, negative when end is earlier), for two column references."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)::double precision"
    return f"(julianday({end}) - julianday({start}))"


def percentile_sql(values_sql: str, percentiles=(0.5, 0.9)) -> str:
    """SQL over `values_sql` (columns kind, key, v) giving one row per (kind, key):
    (kind, key, count, *percentiles of v)."""
    if connection.vendor == "postgresql":
        cols = ", ".join(f"percentile_cont({float(p)}) WITHIN GROUP (ORDER BY t.v)" for p in percentiles)
        return f"SELECT t.kind, t.key, COUNT(*), {cols} FROM ({values_sql}) t GROUP BY t.kind, t.key"  # noqa: S608
    cols = []
    for p in percentiles:
        h = f"(1 + {float(p)} * (r.n - 1))"
        low = f"CAST({h} AS INTEGER)"  # h >= 1, so truncation is floor
        frac = f"({h} - {low})"
        cols.append(
            f"SUM(CASE WHEN r.rn = {low} THEN r.v * (1 - {frac}) "
            f"WHEN r.rn = {low} + 1 THEN r.v * {frac} ELSE 0 END)"
        )
    return (
        f"SELECT r.kind, r.key, MAX(r.n), {', '.join(cols)} FROM ("  # noqa: S608
        "SELECT t.kind, t.key, t.v, "
        "ROW_NUMBER() OVER (PARTITION BY t.kind, t.key ORDER BY t.v) AS rn, "
        "COUNT(*) OVER (PARTITION BY t.kind, t.key) AS n "
        f"FROM ({values_sql}) t) r GROUP BY r.kind, r.key"
    )


def fetch_rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
