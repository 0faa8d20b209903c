"""Benchmark: how fast the audit log appends and verifies (prints its figures).

Each append locks its municipality's chain head, so appends to one chain are serialised
while different municipalities proceed side by side. This measures one process on one
chain and on many chains, and the chain check.

    .venv/bin/python bench/audit_append.py [--entries 5000]
    WEERBAAR_DATABASE_URL=postgres://... .venv/bin/python bench/audit_append.py

It uses a fresh throw-away database (SQLite in a temp folder, or a new PostgreSQL database
``weerbaar_bench`` next to the one in WEERBAAR_DATABASE_URL, dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    args = parser.parse_args()

    os.environ.setdefault("WEERBAAR_DATA_DIR", tempfile.mkdtemp(prefix="weerbaar-bench-"))
    url = os.environ.get("WEERBAAR_DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["WEERBAAR_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/weerbaar_bench"
        _recreate_pg_database(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "weerbaar.settings.base"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from weerbaar.audit.log import Target, record
    from weerbaar.audit.models import Action
    from weerbaar.audit.verify import verify_all
    from weerbaar.organisations.models import Municipality
    from weerbaar.organisations.reference import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    municipalities = list(Municipality.objects.order_by("code")[:50])

    def append(count: int, spread: int) -> float:
        start = time.perf_counter()
        for i in range(count):
            with transaction.atomic():
                record(
                    Action.READ,
                    actor_label="bench",
                    obj=Target("bench.Row", str(i)),
                    municipality=municipalities[i % spread],
                    purpose="benchmark",
                )
        return count / (time.perf_counter() - start)

    print(
        f"database: {connection.vendor}; machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"append, one chain:       {append(args.entries, 1):8.0f} entries/s")
    print(f"append, 50 chains:       {append(args.entries, 50):8.0f} entries/s")
    start = time.perf_counter()
    reports = verify_all()
    total = sum(r.entries for r in reports)
    assert all(r.ok for r in reports)
    print(
        f"verify all chains:       {total / (time.perf_counter() - start):8.0f} entries/s ({total} entries)"
    )


def _recreate_pg_database(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS weerbaar_bench")
        conn.execute("CREATE DATABASE weerbaar_bench")


if __name__ == "__main__":
    main()
