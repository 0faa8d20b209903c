"""KvK officers resolved into persons: the same person written differently at several
companies gets one ``Officer.person_key``, so "the officers' other companies" and the network
follow people, not spellings. Runs after a KvK import (``after_import``)."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import connection, transaction

from weerbaar.matching import linker
from weerbaar.registry.models import Officer

COLUMNS = ("pk", "first_names", "surname_prefix", "surname", "date_of_birth")


def _frame() -> pl.DataFrame:
    rows = Officer.objects.values_list(*COLUMNS).order_by("pk").iterator(chunk_size=50_000)
    data: dict[str, list[Any]] = {name: [] for name in ("id", *COLUMNS[1:])}
    for pk, first, prefix, surname, born in rows:
        data["id"].append(pk)
        data["first_names"].append(first)
        data["surname_prefix"].append(prefix)
        data["surname"].append(surname)
        data["date_of_birth"].append(born.isoformat() if born else "")
    return pl.DataFrame(data, schema={"id": pl.Int64, **{c: pl.Utf8 for c in COLUMNS[1:]}})


def person_keys() -> dict[int, str]:
    """Officer pk → person key (``p<smallest officer pk of the cluster>``)."""
    frame = _frame()
    if frame.height == 0:
        return {}
    if frame.height == 1:
        only = int(frame["id"][0])
        return {only: f"p{only}"}
    result = linker.dedupe(frame, linker.PERSONS, id_column="id")
    smallest = result.clusters.group_by("cluster_id").agg(pl.col("id").min().alias("first"))
    joined = result.clusters.join(smallest, on="cluster_id")
    return {int(i): f"p{int(f)}" for i, f in zip(joined["id"], joined["first"], strict=True)}


@transaction.atomic
def resolve_officers() -> int:
    """(Re)assign every officer's person key; returns the number of officers that changed."""
    keys = person_keys()
    current = dict(Officer.objects.values_list("pk", "person_key"))
    changed = [(key, pk) for pk, key in keys.items() if current.get(pk) != key]
    table = Officer._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 10_000):
            cursor.executemany(
                f"UPDATE {table} SET person_key = %s WHERE id = %s",  # noqa: S608 - table from _meta
                changed[start : start + 10_000],
            )
    return len(changed)
