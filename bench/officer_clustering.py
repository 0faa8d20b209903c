"""Benchmark: clustering every KvK officer into persons, the memory peak of a KvK import.

After an officers import, ``entities.persons`` clusters all officers (3.4M for the whole
country) with ``matching.linker.dedupe`` in a process of its own; that process is the peak of
the whole command (goal of issue 5: under 2 GiB). This measures that step alone, without a
database: the officers are read from a generated ``kvk_functionarissen.csv`` in the shape
``persons._frame`` gives them, clustered in a fresh process with the allocator settings the
import uses, and the time per stage, the number of candidate pairs and the peak RSS
(``os.wait4``) are printed.

    .venv/bin/weerbaar generate-registry --all --out /tmp/registry
    .venv/bin/python bench/officer_clustering.py /tmp/registry/kvk_functionarissen.csv
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings.base")
    import django

    django.setup()


def child(path: str, limit: int) -> None:
    setup()
    import polars as pl

    from weerbaar.entities import persons
    from weerbaar.matching import linker

    started = time.perf_counter()
    columns = {
        "voornamen": "first_names",
        "voorvoegsel": "surname_prefix",
        "geslachtsnaam": "surname",
        "geboortedatum": "date_of_birth",
    }
    frame = (
        pl.read_csv(path, columns=list(columns), schema_overrides=dict.fromkeys(columns, pl.String))
        .rename(columns)
        .with_row_index("id", offset=1)
        .with_columns(pl.col("id").cast(pl.Int64), pl.col(pl.String).fill_null(""))
        .select(list(persons.SCHEMA))
    )
    if limit:
        frame = frame.head(limit)
    read = time.perf_counter() - started
    # As entities.persons does it: the names are let go once they are normalised.
    officers = linker.prepare(frame, linker.PERSONS, id_column="id")
    del frame
    result = linker.dedupe_prepared(officers, linker.PERSONS)
    clusters = result.clusters["cluster_id"].n_unique()
    print(
        json.dumps(
            {
                "officers": officers.height,
                "read_s": read,
                "pairs": len(result.scored.i),
                "persons": clusters,
                "timings": result.scored.timings,
                "total_s": time.perf_counter() - started,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("officers", help="kvk_functionarissen.csv from generate-registry")
    parser.add_argument("--limit", type=int, default=0, help="only the first N officers")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.officers, args.limit)
        return 0
    setup()
    from weerbaar.entities.persons import JEMALLOC, JEMALLOC_SETTINGS

    env = {**os.environ, JEMALLOC: JEMALLOC_SETTINGS}
    command = [sys.executable, __file__, args.officers, "--child", "--limit", str(args.limit)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status:
        print(output)
        return 1
    figures = json.loads(output.strip().splitlines()[-1])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.strftime('%Y-%m-%d')}"
    )
    print(
        f"{figures['officers']:,} officers -> {figures['persons']:,} persons; "
        f"{figures['pairs']:,} candidate pairs"
    )
    stages = {k: v for k, v in figures["timings"].items() if not k.startswith("cpu_")}
    print("stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
    print(
        f"read {figures['read_s']:.1f} s, total {figures['total_s']:.1f} s; "
        f"peak RSS {usage.ru_maxrss / 1024:,.0f} MiB (goal: under 2,048)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
