"""The staging table: a TEMP table on Django's connection that holds one file's checked rows.

A temporary table is written without WAL or journal, is private to the session and vanishes
with it, so a killed import leaves nothing behind. What differs per database (bulk loading,
locks, tuning) lives in ``postgres.py`` and ``sqlite.py``.
"""

from __future__ import annotations

import pyarrow as pa
from django.db import connection
from django.db.backends.utils import CursorWrapper

from .datasets import Dataset
from .validation import LINE, OK

TABLE = "registry_import_staging"


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Staging:
    """Create, fill, prepare and drop the staging table of one dataset."""

    line_type = "bigint"
    ok_type = "boolean"
    # Feed the upsert sorted on the key, so the live key index is appended to, not jumped in.
    upsert_in_key_order = False

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.table = quote(TABLE)
        self.column_types = [
            (LINE, self.line_type),
            (OK, self.ok_type),
            *(
                (dataset.db_column(f), dataset.field(f).db_type(connection) or "text")
                for f in dataset.fields
            ),
        ]

    @property
    def columns(self) -> list[str]:
        return [name for name, _type in self.column_types]

    def cursor(self) -> CursorWrapper:
        return connection.cursor()

    def create(self) -> None:
        definition = ", ".join(f"{quote(name)} {kind}" for name, kind in self.column_types)
        with self.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            cursor.execute(f"CREATE TEMP TABLE {self.table} ({definition})")

    def drop(self) -> None:
        with self.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def index(self) -> None:
        """Index unit and key (with ok and line: the duplicate check reads only the index)."""
        for i, fields in enumerate({self.dataset.unit, self.dataset.key}):
            columns = ", ".join(
                [*(quote(self.dataset.db_column(f)) for f in fields), quote(OK), quote(LINE)]
            )
            with self.cursor() as cursor:
                cursor.execute(f"CREATE INDEX {quote(f'{TABLE}_{i}')} ON {self.table} ({columns})")

    # Per database:

    def lock(self) -> bool:
        """Claim the right to import; False if another import is running."""
        return True

    def unlock(self) -> None:
        """Give the claim back."""

    def load(self, rows: pa.Table) -> None:
        raise NotImplementedError

    def analyze(self) -> None:
        with self.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.table}")

    def tune(self) -> None:
        """Settings for the apply transaction; only ones that are safe inside it."""

    def secondary_indexes(self) -> list[tuple[str, str]]:
        """(name, CREATE INDEX statement) of the live table's non-unique indexes."""
        return []


def staging_for(dataset: Dataset) -> Staging:
    if connection.vendor == "postgresql":
        from .postgres import PostgresStaging

        return PostgresStaging(dataset)
    from .sqlite import SqliteStaging

    return SqliteStaging(dataset)
