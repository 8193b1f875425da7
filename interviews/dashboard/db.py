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

Rows come back with named columns: `fetch_rows` builds one dict per row from the cursor's column
names. A statement made of UNION ALL branches that each answer a different question (see
selectors) shares one set of columns between them: `UnionColumns` declares those shared columns
(`part`, `key`, then text, integer and float slots) and each `UnionPart` names the slots its branch
fills, so the SQL of a branch and the reading of its rows come from the same declaration.
"""

from dataclasses import dataclass, field

from django.db import connection


def days_sql(end: str, start: str) -> str:
    """Days from `start` to `end` (a float, negative when end is earlier), for two column references."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)::double precision"
    return f"(julianday({end}) - julianday({start}))"


def percentile_name(p: float) -> str:
    """The column name of a percentile in `percentile_sql`: p50 for 0.5, p90 for 0.9."""
    return f"p{round(100 * p)}"


def percentile_sql(values_sql: str, percentiles=(0.5, 0.9)) -> str:
    """SQL over `values_sql` (columns kind, key, v) giving one row per (kind, key), with the columns
    kind, key, n (the count) and one per percentile of v (`percentile_name`: p50, p90)."""
    names = [percentile_name(p) for p in percentiles]
    if connection.vendor == "postgresql":
        cols = ", ".join(
            f"percentile_cont({float(p)}) WITHIN GROUP (ORDER BY t.v) AS {name}"
            for p, name in zip(percentiles, names, strict=True)
        )
        return f"SELECT t.kind, t.key, COUNT(*) AS n, {cols} FROM ({values_sql}) t GROUP BY t.kind, t.key"  # noqa: S608
    cols = []
    for p, name in zip(percentiles, names, strict=True):
        h = f"(1 + {float(p)} * (r.n - 1))"
        low = f"CAST({h} AS INTEGER)"  # h >= 1, so truncation is floor
        frac = f"({h} - {low})"
        cols.append(
            f"SUM(CASE WHEN r.rn = {low} THEN r.v * (1 - {frac}) "
            f"WHEN r.rn = {low} + 1 THEN r.v * {frac} ELSE 0 END) AS {name}"
        )
    return (
        f"SELECT r.kind, r.key, MAX(r.n) AS n, {', '.join(cols)} FROM ("  # noqa: S608
        "SELECT t.kind, t.key, t.v, "
        "ROW_NUMBER() OVER (PARTITION BY t.kind, t.key ORDER BY t.v) AS rn, "
        "COUNT(*) OVER (PARTITION BY t.kind, t.key) AS n "
        f"FROM ({values_sql}) t) r GROUP BY r.kind, r.key"
    )


def fetch_rows(sql: str, params) -> list[dict]:
    """The rows of a raw statement as dicts keyed by the statement's column names."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


INT, FLOAT, TEXT = "BIGINT", "DOUBLE PRECISION", "TEXT"


def typed_null(sql_type: str) -> str:
    # Typed NULLs: PostgreSQL resolves the types of a chain of UNIONs pair by pair, so an untyped
    # NULL in the first two branches would turn into text.
    return f"CAST(NULL AS {sql_type})"


@dataclass(frozen=True)
class UnionColumns:
    """The columns every branch of one UNION ALL statement shares: `part` (which branch the row
    comes from), `key` (the id the row is about), then `texts` text slots t1.., `ints` integer slots
    i1.. and `floats` float slots f1.."""

    texts: int
    ints: int
    floats: int
    parts: dict = field(default_factory=dict, compare=False)

    def slots(self) -> list[tuple[str, str]]:
        """(slot name, SQL type) of every slot, in column order."""
        return [
            *[(f"t{k}", TEXT) for k in range(1, self.texts + 1)],
            *[(f"i{k}", INT) for k in range(1, self.ints + 1)],
            *[(f"f{k}", FLOAT) for k in range(1, self.floats + 1)],
        ]

    def part(self, number: int, *, texts=(), ints=(), floats=()) -> "UnionPart":
        """Declare the branch `number` and the names of the slots it fills, in slot order."""
        if len(texts) > self.texts or len(ints) > self.ints or len(floats) > self.floats:
            raise ValueError(f"Part {number} names more columns than the statement has slots.")
        names = {
            **{name: f"t{k}" for k, name in enumerate(texts, 1)},
            **{name: f"i{k}" for k, name in enumerate(ints, 1)},
            **{name: f"f{k}" for k, name in enumerate(floats, 1)},
        }
        part = self.parts[number] = UnionPart(self, number, names)
        return part

    def read(self, row: dict) -> tuple["UnionPart", dict]:
        """The part a fetched row belongs to and its values by their part's names (`key` included)."""
        part = self.parts[row["part"]]
        return part, part.read(row)


@dataclass(frozen=True)
class UnionPart:
    """One branch of a UnionColumns statement: which slot holds which named value."""

    columns: UnionColumns
    number: int
    names: dict[str, str]  # value name -> slot name

    def select(self, key: str, **values: str) -> str:
        """The select list of this branch: `key` and each named value as SQL, NULL in the other slots."""
        if set(values) != set(self.names):
            raise ValueError(f"Part {self.number} takes {sorted(self.names)}, got {sorted(values)}.")
        by_slot = {self.names[name]: sql for name, sql in values.items()}
        cols = [f"{self.number} AS part", f"{key} AS key"]
        cols += [
            f"{by_slot.get(slot, typed_null(sql_type))} AS {slot}" for slot, sql_type in self.columns.slots()
        ]
        return ", ".join(cols)

    def read(self, row: dict) -> dict:
        values = {name: row[slot] for name, slot in self.names.items()}
        values["key"] = row["key"]
        return values
