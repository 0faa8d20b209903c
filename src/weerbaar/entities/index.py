"""The lookup index for interactive matching: blocking keys of every company and officer,
rebuilt after a registry import (in one transaction, so readers never see half an index)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction

from weerbaar.registry.models import Company, Officer

from . import scoring as keys
from .models import LookupKey

BATCH = 20_000


def company_rows() -> Iterator[tuple[str, str, int]]:
    fields = ("pk", "name", "trade_names", "visit_postcode", "visit_house_number")
    for pk, name, trade_names, postcode, number in (
        Company.objects.values_list(*fields).order_by().iterator(chunk_size=BATCH)
    ):
        found: set[str] = set()
        for written in (name, *[t for t in trade_names.split("|") if t]):
            found |= keys.company_keys(written, postcode or None, number)
        for key in found:
            yield key[:60], LookupKey.Target.COMPANY, pk


def officer_rows() -> Iterator[tuple[str, str, int]]:
    fields = ("pk", "first_names", "surname_prefix", "surname", "date_of_birth")
    for pk, first, prefix, surname, born in (
        Officer.objects.values_list(*fields).order_by().iterator(chunk_size=BATCH)
    ):
        for key in keys.person_keys(first, prefix, surname, born, None):
            yield key[:60], LookupKey.Target.OFFICER, pk


def _batches(rows: Iterable[tuple[str, str, int]]) -> Iterator[list[tuple[str, str, int]]]:
    batch: list[tuple[str, str, int]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(rows: Iterable[tuple[str, str, int]]) -> int:
    """Write in batches: the rows come from a server-side cursor on the same connection,
    which must not be read while a COPY is open (one COPY per batch)."""
    table = LookupKey._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            if connection.vendor == "postgresql":
                text = "".join(f"{_escape(k)}\t{t}\t{r}\n" for k, t, r in batch)
                with cursor.copy(f"COPY {table} (key, target, record_id) FROM STDIN") as copy:
                    copy.write(text)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} (key, target, record_id) VALUES (%s, %s, %s)",  # noqa: S608 - table from _meta
                    batch,
                )
            count += len(batch)
    return count


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def rebuild(targets: Iterable[str] = ("c", "o")) -> dict[str, int]:
    producers: dict[str, Any] = {"c": company_rows, "o": officer_rows}
    written = {}
    with transaction.atomic():
        for target in targets:
            LookupKey.objects.filter(target=target).delete()
            written[target] = _write(producers[target]())
    return written


def after_import(kind: str, registry_import: Any = None) -> None:
    """Hook for the importers: a KvK import changes the companies and officers, so the
    officers are resolved into persons again and the lookup index is rebuilt."""
    from .persons import resolve_officers

    if kind == "kvk_vestigingen":
        rebuild(["c"])
    elif kind == "kvk_functionarissen":
        resolve_officers()
        rebuild(["o"])
