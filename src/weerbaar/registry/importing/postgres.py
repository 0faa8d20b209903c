"""PostgreSQL: COPY the checked rows in as CSV; upsert them sorted on the key.

pyarrow writes a batch as CSV in C (nulls unquoted and empty, strings quoted), which COPY
reads far faster than rows sent value by value. Sorting ten million rows before the upsert
(2:10 → 1:10 in a test) pays for itself because the key index then grows at its end. An
advisory lock keeps two imports apart.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pa_csv

from .staging import Staging, quote

# Any constant will do: it only has to differ from other advisory locks of the project.
LOCK_KEY = 5_001_005
WORK_MEM = "256MB"  # hash joins over ten million keys stay in memory


class PostgresStaging(Staging):
    upsert_in_key_order = True

    def lock(self) -> bool:
        with self.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            return bool(cursor.fetchone()[0])

    def unlock(self) -> None:
        with self.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])

    def load(self, rows: pa.Table) -> None:
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(rows, sink, write_options=pa_csv.WriteOptions(include_header=False))
        columns = ", ".join(quote(c) for c in self.columns)
        with (
            self.cursor() as cursor,
            cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN (FORMAT csv)") as copy,
        ):
            copy.write(memoryview(sink.getvalue()))

    def index(self) -> None:
        """No index: PostgreSQL hash-joins the staging table, given memory and statistics."""

    def analyze(self) -> None:
        with self.cursor() as cursor:
            cursor.execute(f"SET work_mem = '{WORK_MEM}'")
        super().analyze()

    def drop(self) -> None:
        super().drop()
        with self.cursor() as cursor:
            cursor.execute("RESET work_mem")

    def tune(self) -> None:
        with self.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{WORK_MEM}'")  # index rebuilds

    def secondary_indexes(self) -> list[tuple[str, str]]:
        with self.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [self.dataset.model._meta.db_table],
            )
            return [(name, sql) for name, sql in cursor.fetchall()]
