"""The lookup index for interactive matching: the keys of every company, officer and street,
brought up to date after a registry import while lookups go on.

At full scale (2.6M companies, 3.4M officers, 10M addresses) computing the keys is the cost
(Dutch name normalisation in Python), so on PostgreSQL pages of records are keyed in worker
processes (one per core) while this process copies the pages into a new table beside the live
one, adds the other targets' keys and builds the index once; a swap of the two tables (by
name, in a transaction of milliseconds) then puts it live. Lookups read the old index until
the swap and the new one after it. SQLite, whose readers a writer never blocks (WAL), replaces
a target's keys in one transaction. After an import that changed a few records only their
keys are replaced (``refresh``); after one that changed nothing, nothing happens.
"""

# ruff: noqa: S608 - table names come from the models' _meta, values are parameters

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, transaction

from weerbaar.core.processes import reachable_from_another_process, setup_django
from weerbaar.registry.importing import hooks
from weerbaar.registry.models import Address, Company, Officer, RegistryImport

from . import scoring as keys
from .models import LookupKey

log = logging.getLogger(__name__)

PAGE = 20_000  # records (ids) per page
PARALLEL_FROM = 200_000  # records of a target from which worker processes pay off
INDEX = "entities_lookup_key"
NEXT = "entities_lookup_next"  # temporary table of keys to put in place of others
LOCK_KEY = 5_001_006  # PostgreSQL advisory lock: one index update at a time
WORKER_FLAG = "WEERBAAR_LOOKUP_INDEX_WORKER"
CUT = LookupKey.KEY_LENGTH
# Above this share of a target's records changed, rebuilding the target is as cheap.
REFRESH_UP_TO = 0.3
KeyRow = tuple[str, str, int]
Keyed = list[tuple[int, set[str]]]  # per record its keys
Job = tuple[str, tuple[Any, Any], datetime | None]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _changed(since: datetime | None, params: list[Any]) -> str:
    """The condition "written by the import" (``changed_at`` from ``since``), if any."""
    if since is None:
        return ""
    params.append(_stamp(since))
    return " AND changed_at >= %s"


def _stamp(moment: datetime) -> Any:
    """A time as the database compares it with ``changed_at`` (SQLite: UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _company_page(low: int, high: int, since: datetime | None = None) -> Keyed:
    params: list[Any] = [low, high]
    sql = (
        "SELECT id, name, trade_names, coalesce(nullif(visit_town, ''), postal_town), "
        "visit_postcode, postal_postcode, postal_house_number "
        f"FROM {Company._meta.db_table} WHERE id >= %s AND id < %s" + _changed(since, params)
    )
    keyed: Keyed = []
    for pk, name, trade_names, town, visit, postcode, number in _fetch(sql, params):
        found: set[str] = set()
        for written in dict.fromkeys((name, *trade_names.split("|"))):
            if written:
                found |= keys.company_keys(written, town)
        if not visit and postcode and number:
            found.add(keys.company_address_key(postcode, number))
        keyed.append((pk, found))
    return keyed


def _officer_page(low: int, high: int, since: datetime | None = None) -> Keyed:
    params: list[Any] = [low, high]
    sql = (
        "SELECT id, first_names, surname_prefix, surname, date_of_birth "
        f"FROM {Officer._meta.db_table} WHERE id >= %s AND id < %s" + _changed(since, params)
    )
    return [
        (pk, keys.person_keys(first, prefix, surname, born))
        for pk, first, prefix, surname, born in _fetch(sql, params)
    ]


def _street_page(low: str, high: str, since: datetime | None = None) -> Keyed:
    """One row per street, town and postcode, under the id of one of its addresses: a street
    name without postcode leads to the postcodes it may mean, and those to the addresses."""
    known: dict[tuple[str, str], set[str]] = {}
    keyed: Keyed = []
    for pk, street, town in _fetch(
        f"SELECT min(id), street, town FROM {Address._meta.db_table} "
        "WHERE postcode >= %s AND postcode < %s GROUP BY street, town, postcode",
        [low, high],
    ):
        found = known.get((street, town))
        if found is None:
            found = known[(street, town)] = keys.street_keys(street, town)
        keyed.append((pk, found))
    return keyed


PAGES: dict[str, Callable[..., Keyed]] = {
    LookupKey.Target.COMPANY: _company_page,
    LookupKey.Target.OFFICER: _officer_page,
    LookupKey.Target.STREET: _street_page,
}
TABLES: dict[str, str] = {
    LookupKey.Target.COMPANY: Company._meta.db_table,
    LookupKey.Target.OFFICER: Officer._meta.db_table,
    LookupKey.Target.STREET: Address._meta.db_table,
}
# Targets whose keys depend on one record only, so that they can be replaced per record.
PER_RECORD = (LookupKey.Target.COMPANY, LookupKey.Target.OFFICER)


def _jobs(target: str, since: datetime | None = None) -> tuple[list[Job], int]:
    """The pages of a target (id ranges; postcode ranges for streets) and its record count;
    with ``since`` only the records written from then on."""
    params: list[Any] = []
    where = _changed(since, params).replace(" AND", " WHERE", 1)
    [(low, high, count)] = _fetch(
        f"SELECT min(id), max(id), count(*) FROM {TABLES[target]}{where}", params
    )
    if not count:
        return [], 0
    if target == LookupKey.Target.STREET:
        # Postcodes by their first two digits; the last page ends at ":" (after "9"), as the
        # string "100" sorts before "99".
        pages = [(str(n), str(n + 1) if n < 99 else ":") for n in range(10, 100)]
        return [(target, page, None) for page in pages], count
    return [(target, (start, start + PAGE), since) for start in range(low, high + 1, PAGE)], count


def _keyed(job: Job) -> Keyed:
    """A page's keys. Millions of small strings and sets and no cycles among them: the cyclic
    garbage collector would only walk them again and again, so it waits."""
    target, (low, high), since = job
    collecting = gc.isenabled()
    gc.disable()
    try:
        return PAGES[target](low, high, since)
    finally:
        if collecting:
            gc.enable()


def page_keys(job: Job) -> list[KeyRow]:
    target = job[0]
    return [(key[:CUT], target, pk) for pk, found in _keyed(job) for key in found]


def page_copy(job: Job) -> tuple[int, str]:
    """A page's keys as COPY text (a worker sends one string back, not 100k tuples). Keys
    are built from folded text (letters, digits, ``:|'-``), so nothing needs escaping."""
    target = job[0]
    lines = [f"{key[:CUT]}\t{target}\t{pk}\n" for pk, found in _keyed(job) for key in found]
    return len(lines), "".join(lines)


T = TypeVar("T")


def _in_order(work: Callable[[Job], T], jobs: list[Job], workers: int) -> Iterator[T]:
    """``work`` over the pages in order; with workers, a few pages ahead in other processes
    (set up by ``core.processes.setup_django``: this module needs the app registry to load,
    and the workers must read the database this process uses)."""
    if workers <= 1:
        yield from map(work, jobs)
        return
    context = multiprocessing.get_context("spawn")
    os.environ[WORKER_FLAG] = "1"  # inherited by the workers, see rebuild()
    try:
        database = str(connection.settings_dict["NAME"])
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=setup_django, initargs=(database,)
        ) as pool:
            waiting: deque[Future[T]] = deque()
            for job in jobs:
                waiting.append(pool.submit(work, job))
                if len(waiting) > 2 * workers:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
    finally:
        os.environ.pop(WORKER_FLAG, None)


def _load(cursor: Any, table: str, jobs: list[Job], workers: int) -> int:
    """The keys of ``jobs`` into ``table``; returns their number."""
    count = 0
    if connection.vendor == "postgresql":
        for keys_in_page, text in _in_order(page_copy, jobs, workers):
            with cursor.copy(f"COPY {table} (key, target, record_id) FROM STDIN") as copy:
                copy.write(text)
            count += keys_in_page
        return count
    sql = f"INSERT INTO {table} (key, target, record_id) VALUES (%s, %s, %s)"
    for rows in _in_order(page_keys, jobs, workers):
        # One transaction per page: in autocommit SQLite commits (and syncs) every row.
        with transaction.atomic():
            cursor.executemany(sql, rows)
        count += len(rows)
    return count


def _workers(count: int, workers: int | None) -> int:
    if count < PARALLEL_FROM or not reachable_from_another_process():
        return 1
    return workers if workers is not None else (os.cpu_count() or 1)


@contextmanager
def _one_at_a_time() -> Iterator[None]:
    """Index updates one after the other (two imports' hooks may overlap): each builds on
    the live keys of the other targets."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _rebuild_postgres(target: str, workers: int | None) -> tuple[int, int, dict[str, float]]:
    """Build the whole new index beside the live one, then swap the two tables."""
    table = LookupKey._meta.db_table
    done: dict[str, int] = {}

    def fill(cursor: Any, build: str, took: dict[str, float]) -> None:
        started = time.perf_counter()
        jobs, done["count"] = _jobs(target)
        done["written"] = _load(cursor, build, jobs, _workers(done["count"], workers))
        took["keys"] = time.perf_counter() - started
        cursor.execute(
            f"INSERT INTO {build} (key, target, record_id) "
            f"SELECT key, target, record_id FROM {table} WHERE target <> %s",
            [target],
        )
        took["others"] = time.perf_counter() - started - took["keys"]

    with connection.cursor() as cursor:
        took = rewrite_table(cursor, table, fill)
        cursor.execute(f"ANALYZE {table}")
    return done["written"], done["count"], took


def rewrite_table(
    cursor: Any,
    live: str,
    fill: str | Callable[[Any, str, dict[str, float]], None],
    *,
    lock: int | None = None,
) -> dict[str, float]:
    """PostgreSQL: fill a new table beside ``live`` (same columns and identity), give it
    ``live``'s indexes and primary key, and swap the two by name in a transaction of
    milliseconds: readers see the old rows until then and the new ones after. ``fill`` is SQL
    with ``{build}`` for the new table's name, or a function (cursor, name, timings). With
    ``lock`` (an advisory lock key, e.g. the importers') nothing else writes ``live`` while
    it is rebuilt. Returns seconds per step; "swap" is how long readers had to wait."""
    build, old = f"{live[:40]}_build", f"{live[:40]}_old"
    took: dict[str, float] = {}
    _refuse_constraints(cursor, live)
    if lock is not None:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
    try:
        cursor.execute(f"DROP TABLE IF EXISTS {build}")
        cursor.execute(f"DROP TABLE IF EXISTS {old}")  # left by a process killed mid-swap
        # Not vacuumed while it is filled (the caller analyses it once it is live).
        cursor.execute(
            f"CREATE TABLE {build} (LIKE {live} INCLUDING DEFAULTS INCLUDING IDENTITY) "
            "WITH (autovacuum_enabled = false)"
        )
        try:
            started = time.perf_counter()
            if isinstance(fill, str):
                cursor.execute(fill.format(build=build))
                took["copy"] = time.perf_counter() - started
            else:
                fill(cursor, build, took)
            started = time.perf_counter()
            names = _copy_indexes(cursor, live, build)
            took["index"] = time.perf_counter() - started
            took["swap"] = _swap(cursor, live, build, old, names)
        except BaseException:
            cursor.execute(f"DROP TABLE IF EXISTS {build}")
            raise
        cursor.execute(f"DROP TABLE {old}")  # no one reads it any more
    finally:
        if lock is not None:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
    return took


def _refuse_constraints(cursor: Any, table: str) -> None:
    """The swap carries indexes, the primary key and the identity over, nothing else: a
    table with other constraints (check, unique, foreign keys either way) must not be
    rewritten this way, or they would silently be lost."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE (conrelid = %s::regclass AND contype <> 'p') "
        "OR confrelid = %s::regclass",
        [table, table],
    )
    if found := [name for (name,) in cursor.fetchall()]:
        raise RuntimeError(f"{table} has constraints a rewrite would drop: {', '.join(found)}")


def _primary_key(cursor: Any, table: str) -> str:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
        [table],
    )
    [(name,)] = cursor.fetchall()
    return str(name)


def _copy_indexes(cursor: Any, live: str, build: str) -> list[str]:
    """``live``'s indexes (under numbered names) and primary key on ``build``, each built
    once over the filled table; returns the live indexes' names in that numbering."""
    primary = _primary_key(cursor, live)
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = %s AND indexname <> %s "
        "ORDER BY indexname",
        [live, primary],
    )
    indexes = cursor.fetchall()
    cursor.execute("SET maintenance_work_mem = '1GB'")
    for number, (name, definition) in enumerate(indexes):
        head, tail = definition.split(" ON ", 1)
        tail = tail.replace(f"{live} USING", f"{build} USING", 1)
        cursor.execute(f"{head.replace(name, f'{build}_{number}', 1)} ON {tail}")
    cursor.execute(f"ALTER TABLE {build} ADD CONSTRAINT {build}_pkey PRIMARY KEY (id)")
    cursor.execute("RESET maintenance_work_mem")
    return [name for name, _definition in indexes]


def _swap(cursor: Any, live: str, build: str, old: str, indexes: list[str]) -> float:
    """Put ``build`` in ``live``'s place under ``live``'s names (table, indexes, primary key,
    identity sequence, which goes on from where the live one stood); returns the seconds
    readers of ``live`` had to wait."""
    primary = _primary_key(cursor, live)
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')", [live, build]
    )
    [(sequence, built_sequence)] = cursor.fetchall()
    sequence_name = sequence.split(".")[-1].strip('"')
    started = time.perf_counter()
    with transaction.atomic():
        cursor.execute(f"LOCK TABLE {live} IN ACCESS EXCLUSIVE MODE")
        # Where the identity goes on: past the ids of both (copied rows keep theirs).
        cursor.execute(
            f"SELECT last_value, is_called FROM {sequence} UNION ALL "
            f"SELECT last_value, is_called FROM {built_sequence} ORDER BY 2 DESC, 1 DESC"
        )
        last_value, is_called = cursor.fetchall()[0]
        statements = _grants(cursor, live, build) + _grants(cursor, sequence, built_sequence)
        statements += [f"ALTER TABLE {live} RENAME TO {old}"]
        statements += [f"ALTER INDEX {name} RENAME TO {old}_{n}" for n, name in enumerate(indexes)]
        statements += [
            f"ALTER TABLE {old} RENAME CONSTRAINT {primary} TO {old}_pkey",
            f"ALTER SEQUENCE {sequence} RENAME TO {old}_id_seq",
            f"ALTER TABLE {build} RENAME TO {live}",
        ]
        statements += [
            f"ALTER INDEX {build}_{n} RENAME TO {name}" for n, name in enumerate(indexes)
        ]
        statements += [
            f"ALTER TABLE {live} RENAME CONSTRAINT {build}_pkey TO {primary}",
            f"ALTER SEQUENCE {built_sequence} RENAME TO {sequence_name}",
            f"ALTER TABLE {live} RESET (autovacuum_enabled)",
        ]
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence_name, last_value, is_called])
    return time.perf_counter() - started


def _grants(cursor: Any, source: str, target: str) -> list[str]:
    """GRANT statements giving ``target`` the privileges others hold on ``source`` (an
    application role with explicit grants keeps reading the rebuilt table)."""
    cursor.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) "
        "END, a.privilege_type, a.is_grantable "
        "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = %s::regclass "
        "AND a.grantee <> c.relowner ORDER BY 1, 2",
        [source],
    )
    return [
        f"GRANT {privilege} ON {target} TO {grantee}" + (" WITH GRANT OPTION" if grantable else "")
        for grantee, privilege, grantable in cursor.fetchall()
    ]


def _replace(
    target: str, since: datetime | None, gone: bool, workers: int | None
) -> tuple[int, int, dict[str, float]]:
    """Compute the keys into a temporary table, then in one transaction take the target's old
    keys out (with ``since`` only those of the records written since, with ``gone`` also
    those of deleted records) and put the new ones in, in index order."""
    table = LookupKey._meta.db_table
    took: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEXT}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {NEXT} (key varchar({CUT}), target varchar(1), record_id bigint)"
        )
        jobs, count = _jobs(target, since)
        written = _load(cursor, NEXT, jobs, _workers(count, workers))
        took["keys"] = time.perf_counter() - started
        with transaction.atomic():
            # SQLite readers keep reading the last commit (WAL) whatever this transaction
            # does, so a whole target is loaded without the index and the index built once.
            bulk = since is None and connection.vendor == "sqlite"
            if since is None:
                cursor.execute(f"DELETE FROM {table} WHERE target = %s", [target])
                if bulk:
                    cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
            else:
                cursor.execute(
                    f"DELETE FROM {table} WHERE target = %s AND record_id IN "
                    f"(SELECT id FROM {TABLES[target]} WHERE changed_at >= %s)",
                    [target, _stamp(since)],
                )
                if gone:
                    cursor.execute(
                        f"DELETE FROM {table} WHERE target = %s AND NOT EXISTS "
                        f"(SELECT 1 FROM {TABLES[target]} r WHERE r.id = {table}.record_id)",
                        [target],
                    )
            cursor.execute(
                f"INSERT INTO {table} (key, target, record_id) "
                f"SELECT key, target, record_id FROM {NEXT}"
                + ("" if bulk else " ORDER BY key, target, record_id")
            )
            if bulk:
                cursor.execute(f"CREATE INDEX {INDEX} ON {table} (key, target, record_id)")
        took["swap"] = time.perf_counter() - started - took["keys"]
        cursor.execute(f"DROP TABLE {NEXT}")
        cursor.execute(f"ANALYZE {table}")
    return written, count, took


def _update(target: str, since: datetime | None, gone: bool, workers: int | None) -> int:
    with _one_at_a_time():
        if since is None and connection.vendor == "postgresql":
            written, count, took = _rebuild_postgres(target, workers)
        else:
            written, count, took = _replace(target, since, gone, workers)
    log.info(
        "Opzoekindex %s: %d sleutels van %d records (%s); %s",
        target,
        written,
        count,
        "alle" if since is None else f"gewijzigd sinds {since:%Y-%m-%d %H:%M:%S}",
        ", ".join(f"{step} {seconds:.1f} s" for step, seconds in took.items()),
    )
    return written


def _guard() -> None:
    if os.environ.get(WORKER_FLAG):
        # A worker starts by importing the caller's main module; one that is not guarded by
        # ``if __name__ == "__main__"`` would rebuild again and wait for the parent's lock.
        raise RuntimeError("rebuild() in a worker of rebuild(): guard the main module")


def rebuild(targets: Iterable[str] = tuple(PAGES), workers: int | None = None) -> dict[str, int]:
    """Rewrite all keys of the given targets; returns the number of keys per target.

    ``workers``: processes that compute keys (default: one per core for a large target on
    PostgreSQL or a SQLite file; they read the committed registry through their own
    connections)."""
    _guard()
    return {target: _update(target, None, False, workers) for target in dict.fromkeys(targets)}


def refresh(target: str, since: datetime, *, gone: bool = False, workers: int | None = None) -> int:
    """Replace the keys of the records of ``target`` written since ``since`` (and, with
    ``gone``, drop those of deleted records); returns the number of keys written. Rebuilds
    the target instead when many records changed or its keys are not per record (streets)."""
    _guard()
    if target not in PER_RECORD:
        return rebuild([target], workers)[target]
    [(changed, total)] = _fetch(
        f"SELECT count(*), (SELECT count(*) FROM {TABLES[target]}) FROM {TABLES[target]} "
        "WHERE changed_at >= %s",
        [_stamp(since)],
    )
    if changed > REFRESH_UP_TO * total:
        return rebuild([target], workers)[target]
    return _update(target, since, gone, workers)


def after_import(kind: str, registry_import: RegistryImport | None = None) -> None:
    """Hook for the importers: a KvK import changes the companies or officers (officers are
    resolved into persons again first), a BAG import the streets. An import that changed
    nothing costs nothing; one that changed some records replaces their keys only."""
    from .persons import resolve_officers

    target = {
        "kvk_vestigingen": LookupKey.Target.COMPANY,
        "kvk_functionarissen": LookupKey.Target.OFFICER,
        "bag_adressen": LookupKey.Target.STREET,
    }.get(kind)
    if target is None:
        return
    if hooks.changed_nothing(kind, registry_import):
        log.info("Opzoekindex %s: de import wijzigde niets; niets te doen", target)
        return
    since = hooks.since(kind, registry_import)
    gone = bool(registry_import and registry_import.ended)
    if target == LookupKey.Target.OFFICER:
        resolve_officers()
    if since is None:
        rebuild([target])
    else:
        refresh(target, since, gone=gone)
