"""From the staging table to the live tables, in SQL that PostgreSQL and SQLite share.

``prepare`` settles the staging table before the transaction (duplicates out; officers of a
KvK number with a rejected row set aside). The ``apply_*`` functions run inside the one
apply transaction and return what changed.
"""

# ruff: noqa: S608 - the SQL is built from the models' _meta and fixed names; values are parameters

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection

from .datasets import Dataset
from .staging import Staging, quote
from .validation import LINE, OK


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0


@dataclass
class Prepared:
    rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)


def _column(dataset: Dataset, name: str) -> str:
    return quote(dataset.db_column(name))


def _same(dataset: Dataset, fields: tuple[str, ...], left: str, right: str) -> str:
    """Equality of two rows on ``fields``; NULL equals NULL where the column may be NULL."""
    parts = []
    for name in fields:
        column = _column(dataset, name)
        op = "IS NOT DISTINCT FROM" if dataset.field(name).null else "="
        parts.append(f"{left}.{column} {op} {right}.{column}")
    return " AND ".join(parts)


def _scalar(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return int(cursor.fetchone()[0])


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _execute(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return int(cursor.rowcount)


def prepare(staging: Staging, *, reasons_wanted: int) -> Prepared:
    prepared = Prepared()
    _drop_duplicates(staging, prepared, reasons_wanted)
    if staging.dataset.replace_by_unit:
        _hold_units_with_rejected_rows(staging, prepared, reasons_wanted)
    return prepared


def _drop_duplicates(staging: Staging, prepared: Prepared, reasons_wanted: int) -> None:
    """Keep the first of rows with the same key: an upsert may touch a row only once."""
    dataset, table = staging.dataset, staging.table
    key = ", ".join(_column(dataset, f) for f in dataset.key)
    groups = (
        f"SELECT {key}, min({LINE}) AS first_line FROM {table} WHERE {OK} "
        f"GROUP BY {key} HAVING count(*) > 1"
    )
    if not _scalar(f"SELECT count(*) FROM ({groups}) AS g"):
        return
    later = (
        f"SELECT s.{LINE} AS line, d.first_line FROM {table} s JOIN ({groups}) d "
        f"ON {_same(dataset, dataset.key, 's', 'd')} WHERE s.{OK} AND s.{LINE} > d.first_line"
    )
    prepared.rejected += _scalar(f"SELECT count(*) FROM ({later}) AS l")
    wanted = max(reasons_wanted - len(prepared.problems), 0)
    if dataset.replace_by_unit:
        what = "dezelfde functionaris"
    else:
        names = {c.field: c.name for c in dataset.columns}
        what = "dezelfde " + " en ".join(names[f] for f in dataset.key)
    for line, first in _rows(
        f"SELECT line, first_line FROM ({later}) AS l ORDER BY line LIMIT {wanted}"
    ):
        prepared.problems.append(
            {"line": line, "reason": f"dubbel: {what} staat al op regel {first}; die telt"}
        )
    _execute(f"DELETE FROM {table} WHERE {LINE} IN (SELECT line FROM ({later}) AS l)")


def _hold_units_with_rejected_rows(
    staging: Staging, prepared: Prepared, reasons_wanted: int
) -> None:
    """Officers of a KvK number with a rejected row keep their old set until a good file."""
    dataset, table = staging.dataset, staging.table
    same_unit = _same(dataset, dataset.unit, "b", "s")
    held = (
        f"SELECT s.{LINE} AS line, (SELECT min(b.{LINE}) FROM {table} b "
        f"WHERE NOT b.{OK} AND {same_unit}) AS bad_line FROM {table} s "
        f"WHERE s.{OK} AND EXISTS (SELECT 1 FROM {table} b WHERE NOT b.{OK} AND {same_unit})"
    )
    count = _scalar(f"SELECT count(*) FROM ({held}) AS h")
    if not count:
        return
    prepared.rejected += count
    wanted = max(reasons_wanted - len(prepared.problems), 0)
    for line, bad_line in _rows(
        f"SELECT line, bad_line FROM ({held}) AS h ORDER BY line LIMIT {wanted}"
    ):
        prepared.problems.append(
            {
                "line": line,
                "reason": "niet verwerkt: een functionaris van hetzelfde KvK-nummer is afgekeurd "
                f"(regel {bad_line}); de functionarissen van dat nummer blijven zoals ze waren",
            }
        )
    _execute(f"UPDATE {table} SET {OK} = FALSE WHERE {LINE} IN (SELECT line FROM ({held}) AS h)")


def accepted_rows(staging: Staging) -> int:
    return _scalar(f"SELECT count(*) FROM {staging.table} WHERE {OK}")


def apply_keyed(staging: Staging, *, full: bool, now: datetime) -> Counts:
    """Upsert the good rows on their key; in a full extract, end the rows it no longer has."""
    dataset, table = staging.dataset, quote(staging.dataset.model._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    counts = Counts()
    if dataset.ends_in_file:
        counts.ended += _scalar(
            f"SELECT count(*) FROM {staging.table} s JOIN {table} t "
            f"ON {_same(dataset, dataset.key, 's', 't')} WHERE s.{OK} AND {dataset.ends_in_file} "
            f"AND t.{_column(dataset, dataset.absent_field)} <> %s",
            [dataset.absent_value],
        )
    accepted = accepted_rows(staging)
    live_before = _scalar(f"SELECT count(*) FROM {table}")
    # Loading (nearly) from scratch: building an index once beats inserting into it per row.
    rebuild = staging.secondary_indexes() if accepted > 2 * live_before else []
    for name, _definition in rebuild:
        _execute(f"DROP INDEX {quote(name)}")
    # Counted by rows, not by RETURNING (xmax = 0): returning ten million rows into a CTE
    # cost PostgreSQL a minute more than the insert itself.
    changed = _execute(_upsert_sql(staging), [stamp])
    counts.inserted = _scalar(f"SELECT count(*) FROM {table}") - live_before
    counts.updated = changed - counts.inserted
    for _name, definition in rebuild:
        _execute(definition)
    counts.unchanged = accepted - counts.inserted - counts.updated
    if full and live_before:  # an empty table had nothing the file could leave out
        absent = _column(dataset, dataset.absent_field)
        counts.ended += _execute(
            f"UPDATE {table} SET {absent} = %s, {quote('changed_at')} = %s "
            f"WHERE {absent} <> %s AND NOT EXISTS (SELECT 1 FROM {staging.table} s "
            f"WHERE {_same(dataset, dataset.unit, 's', table)})",
            [dataset.absent_value, stamp, dataset.absent_value],
        )
    return counts


def _upsert_sql(staging: Staging) -> str:
    dataset, table = staging.dataset, quote(staging.dataset.model._meta.db_table)
    copied = [c for c in dataset.fields if c not in dataset.key]
    columns = [_column(dataset, f) for f in (*dataset.fields, *dataset.derived)]
    values = [f"s.{_column(dataset, f)}" for f in dataset.fields] + list(dataset.derived.values())
    compared = [_column(dataset, f) for f in (*copied, *dataset.derived)]
    changed_at = quote("changed_at")
    key = ", ".join(_column(dataset, f) for f in dataset.key)
    order = ""
    if staging.upsert_in_key_order:
        order = " ORDER BY " + ", ".join(f"s.{_column(dataset, f)}" for f in dataset.key)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}, {changed_at}) "
        f"SELECT {', '.join(values)}, %s FROM {staging.table} s WHERE s.{OK}{order} "
        f"ON CONFLICT ({key}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in [*compared, changed_at])
        + f" WHERE ({', '.join(f'{table}.{c}' for c in compared)}) IS DISTINCT FROM "
        f"({', '.join(f'excluded.{c}' for c in compared)})"
    )


def apply_replacing(staging: Staging, *, full: bool, now: datetime) -> Counts:
    """Officers: the good rows of a KvK number replace its set; unchanged rows stay put."""
    dataset, table = staging.dataset, quote(staging.dataset.model._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    same_unit = _same(dataset, dataset.unit, "g", table)
    if full:  # every number is replaced, except those set aside for a rejected row
        scope = f"NOT EXISTS (SELECT 1 FROM {staging.table} g WHERE NOT g.{OK} AND {same_unit})"
    else:
        scope = f"EXISTS (SELECT 1 FROM {staging.table} g WHERE g.{OK} AND {same_unit})"
    counts = Counts()
    counts.ended = _execute(
        f"DELETE FROM {table} WHERE {scope} AND NOT EXISTS (SELECT 1 FROM {staging.table} s "
        f"WHERE s.{OK} AND {_same(dataset, dataset.key, 's', table)})"
    )
    columns = [_column(dataset, f) for f in (*dataset.fields, *dataset.derived)]
    values = [f"s.{_column(dataset, f)}" for f in dataset.fields] + list(dataset.derived.values())
    counts.inserted = _execute(
        f"INSERT INTO {table} ({', '.join(columns)}, {quote('changed_at')}) "
        f"SELECT {', '.join(values)}, %s FROM {staging.table} s WHERE s.{OK} AND NOT EXISTS "
        f"(SELECT 1 FROM {table} o WHERE {_same(dataset, dataset.key, 's', 'o')})",
        [stamp],
    )
    counts.unchanged = accepted_rows(staging) - counts.inserted
    return counts
