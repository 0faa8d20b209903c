"""Benchmark: importing KvK and BAG files into PostgreSQL or SQLite (prints its figures).

Goal (issue 5): 10M addresses and 2.6M companies (with ~1.3 officers each) each in under
five minutes with under 2 GiB peak memory. Every import runs as its own ``weerbaar
import-*`` process, so its time and peak RSS (``os.wait4``) are its own; then the same files
are imported again, which must change nothing.

    .venv/bin/weerbaar generate-registry --all --out /tmp/registry    # the real data, or:
    .venv/bin/python bench/registry_import.py --make-data /tmp/registry --addresses 1000000
    .venv/bin/python bench/registry_import.py --data /tmp/registry \\
        --database-url postgres://postgres@127.0.0.1:55432/weerbaar_bench_registry

The database is migrated and its registry tables emptied first: use a throw-away one.
``--make-data`` writes plain synthetic files (random keys, no deliberate variations) for
when the real generator is not at hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
WEERBAAR = str(ROOT / ".venv" / "bin" / "weerbaar")  # for migrate
FILES = [
    ("import-bag", "bag_adressen"),
    ("import-kvk", "kvk_vestigingen"),
    ("import-kvk", "kvk_functionarissen"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="e.g. sqlite:////tmp/bench.sqlite3")
    parser.add_argument("--data", type=Path, help="folder with the generated files")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--make-data", type=Path, help="write synthetic files to this folder")
    parser.add_argument(
        "--with-hooks",
        action="store_true",
        help="also run the after_import hooks (e.g. the lookup index) inside the timing",
    )
    parser.add_argument(
        "--files",
        default=",".join(name for _command, name in FILES),
        help="which files, comma-separated (default: all three)",
    )
    parser.add_argument(
        "--probe",
        action="store_true",
        help="look keys up in the lookup index every 50 ms during each import and report the "
        "slowest lookup (how long the hooks keep lookups waiting)",
    )
    parser.add_argument("--rounds", default="first,again", help="e.g. first,again or again")
    parser.add_argument("--keep", action="store_true", help="do not empty the registry first")
    parser.add_argument("--run-one", nargs=2, help=argparse.SUPPRESS)  # internal: one import
    parser.add_argument("--addresses", type=int, default=10_000_000)
    parser.add_argument("--companies", type=int, default=2_600_000)
    args = parser.parse_args()
    if args.run_one:
        _run_one(*args.run_one, with_hooks=args.with_hooks)
        return
    if args.make_data:
        write_files(args.make_data, args.addresses, args.companies)
        return
    if not (args.database_url and args.data):
        parser.error("--database-url en --data zijn nodig (of --make-data)")
    env = {
        **os.environ,
        "WEERBAAR_DATABASE_URL": args.database_url,
        "WEERBAAR_DATA_DIR": os.environ.get("WEERBAAR_DATA_DIR")
        or tempfile.mkdtemp(prefix="weerbaar-bench-"),
        "DJANGO_SETTINGS_MODULE": "weerbaar.settings.base",
    }
    os.environ.update(env)
    subprocess.run([WEERBAAR, "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603
    if args.keep:
        _django()
    else:
        _empty_registry()
    print(
        f"database: {args.database_url.split('://')[0]}; machine: {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; files: {args.data}"
    )
    print(
        f"{'run':<8} {'file':<24} {'rows':>11} {'seconds':>8} {'CPU s':>6} {'rows/s':>8} {'peak RSS':>9}"
        f"  {'new':>10} {'changed':>8} {'unchanged':>10} {'ended':>6} {'rejected':>8}"
    )
    chosen = args.files.split(",")
    for label in args.rounds.split(","):
        for command, name in FILES:
            path = args.data / f"{name}.{args.format}"
            if path.exists() and name in chosen:
                with Probe(args.probe) as probe:
                    _measure(label, command, path, env, args.with_hooks)
                if args.probe:
                    print(f"{'':<8} lookups during the run: {probe.summary()}", flush=True)


def _run_one(command: str, path: str, *, with_hooks: bool) -> None:
    """One import in this (child) process; the hooks are another module's cost."""
    _django()
    from django.core.management import call_command

    from weerbaar.registry.importing import hooks

    if not with_hooks:
        hooks.AFTER_IMPORT.clear()
    call_command(command.replace("-", "_"), path)


def _measure(label: str, command: str, path: Path, env: dict[str, str], hooks: bool) -> None:
    started = time.perf_counter()
    child = [sys.executable, __file__, "--run-one", command, str(path)]
    process = subprocess.Popen(  # noqa: S603 - this script
        child + (["--with-hooks"] if hooks else []),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stdout, stderr = process.communicate()
    if status != 0:
        sys.exit(f"{command} {path} failed:\n{stdout.decode()}\n{stderr.decode()}")
    run = _last_run()
    peak_mib = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"{label:<8} {path.name:<24} {run.rows_read:>11,} {seconds:>8.1f} {cpu:>6.0f} "
        f"{run.rows_read / seconds:>8,.0f} {peak_mib:>5,.0f} MiB  {run.inserted:>10,} "
        f"{run.updated:>8,} {run.unchanged:>10,} {run.ended:>6,} {run.rejected:>8,}",
        flush=True,
    )
    if hooks:  # what the after-import work said of its steps (its log lines)
        for line in (stdout + stderr).decode().splitlines():
            if line.startswith(("Opzoekindex", "Personen")) or "na de import" in line:
                print(f"{'':<8} {line.strip()}", flush=True)


class Probe:
    """Lookups in the index (the query ``entities.resolve`` sends per key) every 50 ms from a
    thread with its own connection, while an import and its hooks run in another process."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.times: list[float] = []
        self.errors = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probe:
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.enabled:
            self.thread.join()

    def _run(self) -> None:
        from django.db import connection

        from weerbaar.entities.models import LookupKey

        table = LookupKey._meta.db_table
        sql = f"SELECT record_id FROM {table} WHERE key = %s AND target = %s LIMIT 51"  # noqa: S608
        probes = [("pn:jnsn|j", "o"), ("cn:bakkerijdehoek", "c"), ("sn:krkstrt", "s")]
        try:
            while not self.stop.wait(0.05):
                for key, target in probes:
                    started = time.perf_counter()
                    try:
                        with connection.cursor() as cursor:
                            cursor.execute(sql, [key, target])
                            cursor.fetchall()
                    except Exception:  # e.g. the table swapped away mid-statement
                        self.errors += 1
                        connection.close()
                        continue
                    self.times.append(time.perf_counter() - started)
        finally:
            connection.close()

    def summary(self) -> str:
        if not self.times:
            return f"none ({self.errors} errors)"
        ordered = sorted(self.times)
        p99 = ordered[int(0.99 * (len(ordered) - 1))]
        return (
            f"{len(ordered):,} lookups, median {statistics.median(ordered) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, slowest {ordered[-1] * 1000:.0f} ms, "
            f"{sum(t > 1 for t in ordered)} over 1 s, {self.errors} errors"
        )


def _django() -> None:
    import django

    django.setup()


def _empty_registry() -> None:
    _django()
    from weerbaar.entities.models import LookupKey
    from weerbaar.registry.models import Address, Company, Officer, RegistryImport

    for model in (Address, Company, Officer, RegistryImport, LookupKey):
        model.objects.all().delete() if model is RegistryImport else _truncate(model)


def _truncate(model: type) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's own table


def _last_run():  # type: ignore[no-untyped-def]
    from weerbaar.registry.models import RegistryImport

    return RegistryImport.objects.order_by("-pk").first()


def write_files(folder: Path, addresses: int, companies: int, seed: int = 5) -> None:
    """Plain synthetic files in the documented format, in chunks (keys in random order)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    chunk = 500_000

    def text(values: np.ndarray) -> pa.Array:
        return pa.array(values.astype(str))

    def pick(options: list[str], n: int) -> pa.Array:
        return pa.array(np.array(options)[rng.integers(0, len(options), n)])

    def postcodes(n: int) -> np.ndarray:
        letters = np.array(list("ABCEGHJKLMNPRTVWXZ"))
        digits = rng.integers(1000, 9999, n).astype(str)
        return np.char.add(
            digits, np.char.add(letters[rng.integers(0, 18, n)], letters[rng.integers(0, 18, n)])
        )

    def write(name: str, total: int, make) -> None:  # type: ignore[no-untyped-def]
        order = rng.permutation(total)
        with pa_csv.CSVWriter(folder / f"{name}.csv", make(order[:1]).schema) as writer:
            for start in range(0, total, chunk):
                writer.write_table(make(order[start : start + chunk]))

    streets = ["Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsplein", "Van der Duinstraat"]
    towns = ["Amsterdam", "Papendrecht", "Dordrecht", "Assen", "Maastricht", "'s-Hertogenbosch"]
    uses = ["woonfunctie", "woonfunctie", "winkelfunctie", "kantoorfunctie|woonfunctie"]

    def address_rows(ids: np.ndarray) -> pa.Table:
        n = len(ids)
        return pa.table(
            {
                "verblijfsobject_id": text(np.char.zfill((ids + 3630100000000000).astype(str), 16)),
                "nummeraanduiding_id": text(
                    np.char.zfill((ids + 3632000000000000).astype(str), 16)
                ),
                "postcode": text(postcodes(n)),
                "huisnummer": text(rng.integers(1, 400, n)),
                "huisletter": pick(["", "", "", "", "A", "b"], n),
                "toevoeging": pick(["", "", "", "1", "2", "bis", "H"], n),
                "straat": pick(streets, n),
                "woonplaats": pick(towns, n),
                "gemeentecode": pick(["0363", "GM0590", "0505", "0106"], n),
                "gebruiksdoel": pick(uses, n),
                "oppervlakte": text(rng.integers(20, 400, n)),
                "rd_x": text(np.round(rng.uniform(13000, 278000, n), 1)),
                "rd_y": text(np.round(rng.uniform(306000, 619000, n), 1)),
                "lat": text(np.round(rng.uniform(50.8, 53.5, n), 6)),
                "lon": text(np.round(rng.uniform(3.4, 7.2, n), 6)),
            }
        )

    def company_rows(ids: np.ndarray) -> pa.Table:
        n = len(ids)
        kvk = np.char.zfill((ids // 2 + 10000000).astype(str), 8)
        branch = np.where(ids % 2 == 0, np.char.zfill((ids + 10**9).astype(str), 12), "")
        dates = pa.array((np.datetime64("1990-01-01") + rng.integers(0, 12000, n)).astype(str))
        return pa.table(
            {
                "kvk_nummer": text(kvk),
                "vestigingsnummer": text(branch),
                "statutaire_naam": text(np.char.add("Onderneming ", ids.astype(str))),
                "handelsnamen": pick(["", "De Hoek", "Snackbar De Hoek|De Hoek", "Jansen"], n),
                "rechtsvorm": pick(["Besloten Vennootschap", "B.V.", "Eenmanszaak", "VOF"], n),
                "sbi_hoofd": pick(["5610", "4711", "6201", "4321"], n),
                "sbi_overig": pick(["", "", "4711|5630"], n),
                "datum_inschrijving": dates,
                "datum_aanvang": dates,
                "datum_opheffing": pick([""] * 19 + ["2024-06-30"], n),
                "bezoek_straat": pick(streets, n),
                "bezoek_huisnummer": text(rng.integers(1, 400, n)),
                "bezoek_huisletter": pick(["", "", "a"], n),
                "bezoek_toevoeging": pick(["", "", "2"], n),
                "bezoek_postcode": text(postcodes(n)),
                "bezoek_plaats": pick(towns, n),
                "post_straat": pick(["", "Postbus"], n),
                "post_huisnummer": pick(["", "100"], n),
                "post_huisletter": pick([""], n),
                "post_toevoeging": pick([""], n),
                "post_postcode": pick(["", "1000AA"], n),
                "post_plaats": pick(["", "Amsterdam"], n),
            }
        )

    def officer_rows(ids: np.ndarray) -> pa.Table:
        n = len(ids)
        kvk = np.char.zfill((ids * 10 // 26 + 10000000).astype(str), 8)  # ~1.3 per company
        births = (np.datetime64("1940-01-01") + rng.integers(0, 25000, n)).astype(str)
        return pa.table(
            {
                "kvk_nummer": text(kvk),
                "voornamen": pick(["Jan", "Johannes Petrus", "Fatima", "Anna Maria", "Mohamed"], n),
                "voorvoegsel": pick(["", "", "van", "van der", "de"], n),
                "geslachtsnaam": text(np.char.add("Achternaam", (ids % 50000).astype(str))),
                "geboortedatum": text(np.where(ids % 3 == 0, "", births)),
                "functie": pick(["bestuurder", "eigenaar", "commissaris", "vennoot"], n),
                "datum_aanvang": pick(["2019-03-01", "2010-01-01", ""], n),
            }
        )

    write("bag_adressen", addresses, address_rows)
    write("kvk_vestigingen", companies, company_rows)
    write("kvk_functionarissen", companies * 13 // 10, officer_rows)


if __name__ == "__main__":
    main()
