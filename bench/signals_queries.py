"""Benchmark: triage queue, hits panel and full-text search with many signals (prints figures).

    .venv/bin/python bench/signals_queries.py --signals 1000000
    WEERBAAR_DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/signals_queries.py --signals 1000000

Builds a throw-away database (SQLite in a temp folder, or PostgreSQL database
``weerbaar_bench_signals`` beside the given one, kept for re-runs with --reuse), fills it with
synthetic signals over all 342 municipalities, then times, in-process (server time, no
network): the triage queue page and a signal page with its hits panel, as a regisseur, and
full-text search for several classes of query, with and without a municipality filter.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 95)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing PostgreSQL bench database"
    )
    args = parser.parse_args()

    os.environ.setdefault("WEERBAAR_DATA_DIR", tempfile.mkdtemp(prefix="weerbaar-bench-"))
    url = os.environ.get("WEERBAAR_DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["WEERBAAR_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/weerbaar_bench_signals"
        if not args.reuse:
            _recreate(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "weerbaar.settings.test"
    os.environ["WEERBAAR_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import QuerySet
    from django.test import Client

    from weerbaar.accounts.models import User
    from weerbaar.core.testing import login
    from weerbaar.organisations.models import Municipality
    from weerbaar.organisations.reference import load_reference_data
    from weerbaar.signals.generator import COMMON, MID, RARE, generate
    from weerbaar.signals.models import Signal, Subject
    from weerbaar.signals.search import matching
    from weerbaar.signals.taxonomy import load_phenomena

    call_command("migrate", verbosity=0)
    load_reference_data()
    load_phenomena()
    existing = Signal.objects.count()
    if existing < args.signals:
        start = time.perf_counter()
        generate(
            args.signals - existing,
            municipalities=list(Municipality.objects.all()),
            seed=existing + 1,
        )
        print(f"generated {args.signals - existing} signals in {time.perf_counter() - start:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    papendrecht = Municipality.objects.get(code="GM0590")
    regisseur = User.objects.filter(username="bench-regisseur").first() or User.objects.create(
        username="bench-regisseur",
        role="regisseur",
        municipality=papendrecht,
        email="bench@example.test",
    )
    client = login(Client(), regisseur)
    own = Signal.objects.filter(municipality=papendrecht)
    sample = own.filter(subjects__kind="voertuig").order_by("pk").first() or own.first()
    assert sample is not None

    print(
        f"database: {connection.vendor}; {Signal.objects.count()} signals, {Subject.objects.count()} subjects; "
        f"{own.count()} in Papendrecht; machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )

    def page(path: str, **params: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(path, params)
            assert response.status_code == 200, (path, response.status_code)
            return response

        return get

    rows = [
        ("triage queue page", page("/signalen/")),
        ("triage queue, search 'woning'", page("/signalen/", q=COMMON)),
        ("signal page with hits panel", page(f"/signalen/{sample.pk}/")),
    ]
    for name, fn in rows:
        p50, p95 = timed(fn, args.runs)
        print(f"{name:<50} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    queries = {
        "rare term": RARE,
        "mid-frequency term": MID,
        "term in ~30%": COMMON,
        "two terms": f"{COMMON} geur",
    }
    for scope, base in (("all municipalities", Signal.objects.all()), ("one municipality", own)):
        for label, text in queries.items():

            def search(text: str = text, base: QuerySet[Signal] = base) -> object:
                return list(
                    matching(base, text).order_by("-received_at").values_list("pk", flat=True)[:50]
                )

            p50, p95 = timed(search, args.runs)
            print(f"search, {scope + ',':<20} {label:<20} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


def _recreate(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS weerbaar_bench_signals")
        conn.execute("CREATE DATABASE weerbaar_bench_signals")


if __name__ == "__main__":
    main()
