"""The lookup index for interactive matching: the keys of every company, officer and street,
rebuilt after a registry import in one transaction, so readers never see half an index.

At full scale (2.6M companies, 3.4M officers, 10M addresses) computing the keys is the cost
(Dutch name normalisation in Python), so on PostgreSQL pages of records are keyed in worker
processes (one per core) while this process writes: TRUNCATE (or DELETE for one target), drop
the index, COPY per page, build the index once. SQLite does the same with executemany.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

import django
from django.db import connection, transaction

from weerbaar.registry.models import Address, Company, Officer

from . import scoring as keys
from .models import LookupKey

log = logging.getLogger(__name__)

PAGE = 20_000  # records (ids) per page
PARALLEL_FROM = 200_000  # records of a target from which worker processes pay off
INDEX = "entities_lookup_key"
WORKER_FLAG = "WEERBAAR_LOOKUP_INDEX_WORKER"
CUT = LookupKey.KEY_LENGTH
KeyRow = tuple[str, str, int]
Job = tuple[str, tuple[Any, Any]]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _company_page(low: int, high: int) -> list[KeyRow]:
    target = LookupKey.Target.COMPANY
    rows: list[KeyRow] = []
    sql = (
        "SELECT id, name, trade_names, coalesce(nullif(visit_town, ''), postal_town), "  # noqa: S608 - from _meta
        "visit_postcode, postal_postcode, postal_house_number "
        f"FROM {Company._meta.db_table} WHERE id >= %s AND id < %s"
    )
    for pk, name, trade_names, town, visit, postcode, number in _fetch(sql, [low, high]):
        found: set[str] = set()
        for written in dict.fromkeys((name, *trade_names.split("|"))):
            if written:
                found |= keys.company_keys(written, town)
        if not visit and postcode and number:
            found.add(keys.company_address_key(postcode, number))
        rows += [(key[:CUT], target, pk) for key in found]
    return rows


def _officer_page(low: int, high: int) -> list[KeyRow]:
    target = LookupKey.Target.OFFICER
    sql = (
        "SELECT id, first_names, surname_prefix, surname, date_of_birth "  # noqa: S608 - from _meta
        f"FROM {Officer._meta.db_table} WHERE id >= %s AND id < %s"
    )
    return [
        (key[:CUT], target, pk)
        for pk, first, prefix, surname, born in _fetch(sql, [low, high])
        for key in keys.person_keys(first, prefix, surname, born)
    ]


def _street_page(low: str, high: str) -> list[KeyRow]:
    """One row per street, town and postcode, under the id of one of its addresses: a street
    name without postcode leads to the postcodes it may mean, and those to the addresses."""
    target = LookupKey.Target.STREET
    known: dict[tuple[str, str], set[str]] = {}
    rows: list[KeyRow] = []
    for pk, street, town in _fetch(
        f"SELECT min(id), street, town FROM {Address._meta.db_table} "  # noqa: S608 - from _meta
        "WHERE postcode >= %s AND postcode < %s GROUP BY street, town, postcode",
        [low, high],
    ):
        found = known.get((street, town))
        if found is None:
            found = known[(street, town)] = keys.street_keys(street, town)
        rows += [(key[:CUT], target, pk) for key in found]
    return rows


PAGES: dict[str, Callable[[Any, Any], list[KeyRow]]] = {
    LookupKey.Target.COMPANY: _company_page,
    LookupKey.Target.OFFICER: _officer_page,
    LookupKey.Target.STREET: _street_page,
}
TABLES: dict[str, str] = {
    LookupKey.Target.COMPANY: Company._meta.db_table,
    LookupKey.Target.OFFICER: Officer._meta.db_table,
    LookupKey.Target.STREET: Address._meta.db_table,
}


def _jobs(target: str) -> tuple[list[Job], int]:
    """The pages of a target (id ranges; postcode ranges for streets) and its record count."""
    [(low, high, count)] = _fetch(
        f"SELECT min(id), max(id), count(*) FROM {TABLES[target]}",  # noqa: S608 - from _meta
        [],
    )
    if not count:
        return [], 0
    if target == LookupKey.Target.STREET:
        return [(target, (str(n), str(n + 1))) for n in range(10, 100)], count
    return [(target, (start, start + PAGE)) for start in range(low, high + 1, PAGE)], count


def page_keys(job: Job) -> list[KeyRow]:
    target, (low, high) = job
    return PAGES[target](low, high)


def page_copy(job: Job) -> tuple[int, str]:
    """A page's keys as COPY text (a worker sends one string back, not 100k tuples). Keys
    are built from folded text (letters, digits, ``:|'-``), so nothing needs escaping."""
    rows = page_keys(job)
    return len(rows), "".join(f"{key}\t{target}\t{pk}\n" for key, target, pk in rows)


T = TypeVar("T")


def _in_order(work: Callable[[Job], T], jobs: list[Job], workers: int) -> Iterator[T]:
    """``work`` over the pages in order; with workers, a few pages ahead in other processes
    (set up by ``django.setup`` itself: this module needs the app registry to load)."""
    if workers <= 1:
        yield from map(work, jobs)
        return
    context = multiprocessing.get_context("spawn")
    os.environ[WORKER_FLAG] = "1"  # inherited by the workers, see rebuild()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=django.setup) as pool:
            waiting: deque[Future[T]] = deque()
            for job in jobs:
                waiting.append(pool.submit(work, job))
                if len(waiting) > 2 * workers:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
    finally:
        os.environ.pop(WORKER_FLAG, None)


def _write(cursor: Any, jobs: list[Job], workers: int) -> int:
    table = LookupKey._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        for keys_in_page, text in _in_order(page_copy, jobs, workers):
            with cursor.copy(f"COPY {table} (key, target, record_id) FROM STDIN") as copy:
                copy.write(text)
            count += keys_in_page
        return count
    sql = f"INSERT INTO {table} (key, target, record_id) VALUES (%s, %s, %s)"  # noqa: S608 - table from _meta
    for rows in _in_order(page_keys, jobs, workers):
        cursor.executemany(sql, rows)
        count += len(rows)
    return count


def rebuild(targets: Iterable[str] = tuple(PAGES), workers: int | None = None) -> dict[str, int]:
    """Rewrite the keys of the given targets; returns the number of keys per target.

    ``workers``: processes that compute keys (default: one per core for a large target on
    PostgreSQL; they read the committed registry through their own connections)."""
    if os.environ.get(WORKER_FLAG):
        # A worker starts by importing the caller's main module; one that is not guarded by
        # ``if __name__ == "__main__"`` would rebuild again and wait for the parent's lock.
        raise RuntimeError("rebuild() in a worker of rebuild(): guard the main module")
    chosen = list(dict.fromkeys(targets))
    table = LookupKey._meta.db_table
    postgres = connection.vendor == "postgresql"
    written: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if set(chosen) >= set(PAGES) and postgres:
            cursor.execute(f"TRUNCATE {table}")
        else:
            LookupKey.objects.filter(target__in=chosen).delete()
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        for target in chosen:
            started = time.perf_counter()
            jobs, count = _jobs(target)
            parallel = postgres and count >= PARALLEL_FROM
            processes = workers if workers is not None else (os.cpu_count() or 1)
            written[target] = _write(cursor, jobs, processes if parallel else 1)
            took = time.perf_counter() - started
            log.info("Opzoekindex %s: %d sleutels in %.1f s", target, written[target], took)
        started = time.perf_counter()
        if postgres:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(f"CREATE INDEX {INDEX} ON {table} (key, target, record_id)")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    log.info("Opzoekindex: index gebouwd in %.1f s", time.perf_counter() - started)
    return written


def after_import(kind: str, registry_import: Any = None) -> None:
    """Hook for the importers: a KvK import changes the companies or officers (officers are
    resolved into persons again first), a BAG import the streets; their keys are rebuilt."""
    from .persons import resolve_officers

    if kind == "kvk_vestigingen":
        rebuild([LookupKey.Target.COMPANY])
    elif kind == "kvk_functionarissen":
        resolve_officers()
        rebuild([LookupKey.Target.OFFICER])
    elif kind == "bag_adressen":
        rebuild([LookupKey.Target.STREET])
