"""KvK officers resolved into persons: the same person written differently at several
companies gets one ``Officer.person_key``, so "the officers' other companies" and the network
follow people, not spellings. Runs after a KvK import (``after_import``).

At full scale (3.4M officers) the officers are read in one COPY (PostgreSQL) or in pages of
plain tuples (SQLite) straight into polars, clustered with ``matching.linker.dedupe``, and only
the keys that changed are written, set-based: COPY (or a batch insert) into a staging table,
then one ``UPDATE ... FROM``. Officers stay readable throughout; the write is one statement.
"""

# ruff: noqa: S608 - table names come from the models' _meta

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import polars as pl
from django.db import connection, transaction

from weerbaar.core.processes import reachable_from_another_process, setup_django
from weerbaar.matching import linker
from weerbaar.registry.importing.postgres import LOCK_KEY as IMPORT_LOCK
from weerbaar.registry.models import Officer

log = logging.getLogger(__name__)

NAMES = ("first_names", "surname_prefix", "surname", "date_of_birth")
SCHEMA = {"id": pl.Int64, **dict.fromkeys(NAMES, pl.String)}
PAGE = 100_000  # SQLite: rows fetched at once
SLICE = 16 << 20  # PostgreSQL: bytes of COPY text parsed at once
NEXT = "entities_person_key_next"  # the changed keys, from clustering to writing
APART_FROM = 200_000  # officers from which they are clustered in a process of their own
JEMALLOC = "_RJEM_MALLOC_CONF"  # polars' allocator reads its settings from here
# Freed memory handed back at once (the default keeps it ten seconds), one arena.
JEMALLOC_SETTINGS = "dirty_decay_ms:0,muzzy_decay_ms:0,narenas:1"
LEARN_FROM = 3  # officers from which the linker can estimate its weights
REWRITE_FROM = 0.3  # share of officers changed from which the table is rewritten


def _frame() -> pl.DataFrame:
    """Every officer: id, names and date of birth (ISO text, "" when unknown)."""
    if connection.vendor == "postgresql":
        born = "coalesce(to_char(date_of_birth, 'YYYY-MM-DD'), '')"
    else:  # an expression has no declared type, so the driver does not make a date of it
        born = "coalesce(CAST(date_of_birth AS TEXT), '')"
    return _read(f"id, first_names, surname_prefix, surname, {born}", SCHEMA)


def _current() -> pl.DataFrame:
    """Every officer's id and current person key (read after clustering: not held during)."""
    return _read("id, person_key", {"id": pl.Int64, "person_key": pl.String})


def _read(columns: str, schema: dict[str, Any]) -> pl.DataFrame:
    sql = f"SELECT {columns} FROM {Officer._meta.db_table} ORDER BY id"
    if connection.vendor == "postgresql":
        # Parsed in slices as the COPY arrives: no second copy of all the text in memory.
        pages, text = [], bytearray()
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy,
        ):
            for block in copy:
                text += block
                if len(text) >= SLICE:
                    cut = text.rindex(b"\n") + 1
                    pages.append(pl.read_csv(bytes(text[:cut]), has_header=False, schema=schema))
                    del text[:cut]
        if text:
            pages.append(pl.read_csv(bytes(text), has_header=False, schema=schema))
        frame = pl.concat(pages) if pages else pl.DataFrame(schema=schema)
        return frame.with_columns(pl.col(pl.String).fill_null(""))
    pages = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(PAGE):
            pages.append(pl.DataFrame(rows, schema=schema, orient="row"))
    frame = pl.concat(pages) if pages else pl.DataFrame(schema=schema)
    return frame.with_columns(pl.col(pl.String).fill_null(""))


def cluster_keys(officers: pl.DataFrame | linker.Prepared) -> pl.DataFrame:
    """Per officer (``id``) its person key ``p<smallest officer id of its cluster>``.

    Given ``linker.prepare``'s result instead of the frame, the officers' names need not be
    held while they are clustered."""
    if isinstance(officers, pl.DataFrame):
        officers = linker.prepare(officers, linker.PERSONS, id_column="id")
    if officers.height < LEARN_FROM:
        clusters = _exact_clusters(officers)
    else:
        clusters = linker.dedupe_prepared(officers, linker.PERSONS).clusters
    first = pl.col("id").min().over("cluster_id")
    return clusters.select("id", pl.format("p{}", first).alias("new_key"))


def _exact_clusters(officers: linker.Prepared) -> pl.DataFrame:
    """Too few officers to learn weights from: only officers with the same (normalised)
    first names, surname and date of birth are one person."""
    features = officers.features
    codes = {
        name: features[name]["value"].codes for name in ("first_names", "surname", "date_of_birth")
    }
    frame = pl.DataFrame({"id": officers.ids, **codes})
    known = pl.all_horizontal(pl.col(name) >= 0 for name in codes)
    same = pl.col("id").min().over(list(codes))
    return frame.select("id", pl.when(known).then(same).otherwise(pl.col("id")).alias("cluster_id"))


def changed_keys() -> pl.DataFrame:
    """The officers whose person key changes (``id``, ``new_key``)."""
    started = time.perf_counter()
    officers = linker.prepare(_frame(), linker.PERSONS, id_column="id")  # the names go here
    read = time.perf_counter()
    keys = cluster_keys(officers)
    log.info(
        "Personen: %d functionarissen gelezen en genormaliseerd in %.1f s, geclusterd in %.1f s",
        officers.height,
        read - started,
        time.perf_counter() - read,
    )
    del officers
    joined = _current().join(keys, on="id")
    return joined.filter(pl.col("person_key") != pl.col("new_key")).select("id", "new_key")


def resolve_officers(*, apart: bool | None = None) -> int:
    """(Re)assign every officer's person key; returns the number of officers that changed.

    ``apart`` (default: from ``APART_FROM`` officers on, unless the database is SQLite in
    memory): cluster in a process of its own. Clustering 3.4M officers takes ~1.3 GiB at its
    peak; a fresh process does not stack that on what the import left in this one (SQLite's
    page caches alone are 0.75 GiB), gives it all back when it ends, and is told to hand
    freed memory back at once (polars' allocator keeps it ten seconds by default). It reads
    the committed officers, so the caller must not hold uncommitted ones.
    """
    if apart is None:
        apart = reachable_from_another_process() and Officer.objects.count() >= APART_FROM
    if apart:
        context = multiprocessing.get_context("spawn")
        os.environ.setdefault(JEMALLOC, JEMALLOC_SETTINGS)
        database = str(connection.settings_dict["NAME"])
        with ProcessPoolExecutor(
            1, mp_context=context, initializer=setup_django, initargs=(database,)
        ) as pool:
            changed = pool.submit(_stage).result()
    else:
        changed = _stage()
    if changed:
        _apply(changed)
    return changed


def _stage() -> int:
    """The changed keys into the table ``NEXT`` (for ``_apply``); returns how many."""
    changed = changed_keys()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEXT}")
        if not changed.height:
            return 0
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE UNLOGGED TABLE {NEXT} (id bigint, person_key varchar(40))")
            with cursor.copy(f"COPY {NEXT} (id, person_key) FROM STDIN") as copy:
                # Keys are "p" and digits: nothing to escape.
                for start in range(0, changed.height, PAGE):
                    part = changed.slice(start, PAGE)
                    copy.write(part.write_csv(separator="\t", include_header=False))
            cursor.execute(f"CREATE UNIQUE INDEX {NEXT}_id ON {NEXT} (id)")
            cursor.execute(f"ANALYZE {NEXT}")
        else:
            cursor.execute(f"CREATE TABLE {NEXT} (id INTEGER PRIMARY KEY, person_key TEXT)")
            for start in range(0, changed.height, PAGE):
                with transaction.atomic():  # in autocommit SQLite commits every row
                    cursor.executemany(
                        f"INSERT INTO {NEXT} (id, person_key) VALUES (%s, %s)",
                        changed.slice(start, PAGE).rows(),
                    )
    return changed.height


def _apply(changed: int) -> None:
    """Write the staged keys: one ``UPDATE ... FROM``; on PostgreSQL, when most officers
    change (a first import), the table copied with its new keys and swapped in instead (an
    UPDATE of millions of rows with five indexes took 90 s, the copy takes a third)."""
    table = Officer._meta.db_table
    started = time.perf_counter()
    how = "bijgewerkt"
    with connection.cursor() as cursor:
        moves = _entity_moves(cursor)
        if connection.vendor == "postgresql" and changed > REWRITE_FROM * Officer.objects.count():
            from .index import rewrite_table  # the index module's table swap, for officers

            columns = [f.column for f in Officer._meta.concrete_fields]
            select = ", ".join(
                f"coalesce(k.person_key, o.{c})" if c == "person_key" else f"o.{c}" for c in columns
            )
            rewrite_table(
                cursor,
                table,
                f"INSERT INTO {{build}} ({', '.join(columns)}) SELECT {select} "
                f"FROM {table} o LEFT JOIN {NEXT} k ON k.id = o.id",
                lock=IMPORT_LOCK,
            )
            cursor.execute(f"ANALYZE {table}")  # a new table: the planner knows nothing of it
            how = "herschreven"
        else:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    cursor.execute(
                        f"UPDATE {table} o SET person_key = k.person_key FROM {NEXT} k "
                        "WHERE o.id = k.id"
                    )
                else:
                    cursor.execute(
                        f"UPDATE {table} SET person_key = k.person_key FROM {NEXT} k "
                        f"WHERE {table}.id = k.id"
                    )
        cursor.execute(f"DROP TABLE {NEXT}")
    log.info("Personen: %d sleutels %s in %.1f s", changed, how, time.perf_counter() - started)
    if moves:
        from .actions import follow_person_keys

        followed = follow_person_keys(moves)
        log.info("Personen: %d persoonsentiteiten volgen hun nieuwe sleutel", followed)


def _entity_moves(cursor: Any) -> list[tuple[str, str, int]]:
    """For the person entities that exist (signal or case subjects were linked to them): how
    their officers' keys change (old key, new key, number of officers), read before the write."""
    from .models import Entity

    table, entities = Officer._meta.db_table, Entity._meta.db_table
    concat = "'persoon:' || o.person_key"
    cursor.execute(
        f"SELECT o.person_key, k.person_key, count(*) FROM {table} o "
        f"JOIN {NEXT} k ON k.id = o.id "
        f"WHERE o.person_key <> '' AND EXISTS (SELECT 1 FROM {entities} e WHERE e.key = {concat}) "
        "GROUP BY o.person_key, k.person_key"
    )
    return [(old, new, count) for old, new, count in cursor.fetchall()]
