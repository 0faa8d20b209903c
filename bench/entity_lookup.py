"""Benchmark: interactive enrichment, one subject against the full registry (prints figures).

    .venv/bin/python bench/entity_lookup.py \\
        --database-url postgres://postgres@127.0.0.1:55432/weerbaar_bench_network_gen \\
        --data /tmp/d_local/gen10m --rebuild-index

Needs a database loaded from the files of ``weerbaar generate-registry`` (``--data DIR``
holds them and ``truth/``). With ``--rebuild-index`` it first times
``entities.index.rebuild()``. Then, for the first ``--queries`` corrupted queries of
``truth/queries.csv`` (queries past those warm the caches first), it times
``entities.resolve.candidates`` for the query as an unsaved signal subject and checks whether
the true record is among the top 10:

- company: ``kvk:<kvk_nummer>``;
- person: any ``persoon:`` group with an officer of the true person (officer lines of
  ``truth/functionarissen.csv`` found in the database by KvK number, names and date of birth);
- address: ``bag:<nummeraanduiding_id>``.

A person query's ``bij_kvk_nummer`` (the company the signal names them with, when the date of
birth is unknown) becomes the subject's KvK number. Recall is printed over all queries and
without the ones the generator labels ``geen_context`` (genuinely ambiguous on purpose).

Latency is measured twice: right after loading (first pass) and again (second pass). Each
miss is classified by looking again without the interactive bounds: "ambiguous" (ten or more
other records fit the query at least as well as the true one), "bounded" (found without the
bounds) or "no shared key".

Throughput: ``--workers`` processes each resolve the queries in a loop for ``--seconds``.
Peak memory: ru_maxrss of this process and of its children (index and throughput workers).
"""

from __future__ import annotations

import argparse
import csv
import logging
import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

KINDS = ("bedrijf", "persoon", "adres")
# Persons without date of birth whom the query mentions with nothing else that identifies
# them (the generator labels these on purpose); recall is printed with and without them.
LABELLED_AMBIGUOUS = "geen_context"
WARMUP = 100
OFFICERS: dict[str, set[int]] = {}  # person_id → pks of its officers in the database


def _setup(url: str) -> None:
    os.environ["WEERBAAR_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "weerbaar.settings.base"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()


def _queries(data: Path) -> list[dict[str, str]]:
    with (data / "truth" / "queries.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _subject(query: dict[str, str]) -> Any:
    from weerbaar.signals.models import Subject

    number = query["huisnummer"]
    return Subject(
        kind=query["soort"],
        name=query["naam"],
        date_of_birth=query["geboortedatum"] or None,
        street=query["straat"],
        house_number=int(number) if number.isdigit() else None,
        house_number_addition=query["toevoeging"],
        postcode=query["postcode"],
        city=query["plaats"],
        # A person's context: the company the signal names them with (never the true key).
        kvk_number=query.get("bij_kvk_nummer", ""),
    )


def _person_truth(data: Path, queries: list[dict[str, str]]) -> dict[str, set[str]]:
    """person_id → the entity keys (``persoon:<person_key>`` or ``persoon:f<pk>``) of its
    officers as the database holds them."""
    from weerbaar.registry.models import Officer

    wanted = {q["person_id"] for q in queries if q["soort"] == "persoon"}
    lines: dict[int, str] = {}
    with (data / "truth" / "functionarissen.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["person_id"] in wanted:
                lines[int(row["regelnummer"])] = row["person_id"]
    officers: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (data / "kvk_functionarissen.csv").open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if number in lines:
                officers[lines[number]].append(row)
    truth: dict[str, set[str]] = defaultdict(set)
    for person, rows in officers.items():
        for row in rows:
            found = Officer.objects.filter(
                kvk_number=row["kvk_nummer"],
                first_names=row["voornamen"],
                surname_prefix=row["voorvoegsel"],
                surname=row["geslachtsnaam"],
                date_of_birth=row["geboortedatum"] or None,
            ).values_list("pk", "person_key")
            truth[person] |= {f"persoon:{key or f'f{pk}'}" for pk, key in found}
            OFFICERS.setdefault(person, set()).update(pk for pk, _key in found)
    return truth


def _expected(query: dict[str, str], persons: dict[str, set[str]]) -> set[str]:
    if query["soort"] == "bedrijf":
        return {f"kvk:{query['kvk_nummer']}"}
    if query["soort"] == "adres":
        return {f"bag:{query['nummeraanduiding_id']}"}
    return persons.get(query["person_id"], set())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _rebuild() -> None:
    from weerbaar.entities import index

    started = time.perf_counter()
    written = index.rebuild()
    elapsed = time.perf_counter() - started
    rows = ", ".join(f"{target}: {count:,}" for target, count in written.items())
    print(f"index rebuild: {elapsed:.1f} s, {sum(written.values()):,} keys ({rows})")


Latencies = dict[str, list[float]]


def _measure(
    queries: list[dict[str, str]], persons: dict[str, set[str]], misses: Path | None
) -> tuple[Latencies, Counter[str]]:
    from weerbaar.entities import resolve

    latencies: dict[str, list[float]] = defaultdict(list)
    hits: Counter[str] = Counter()
    missed: list[str] = []
    for query in queries:
        subject = _subject(query)
        started = time.perf_counter()
        found = resolve.candidates(subject)
        latencies[query["soort"]].append((time.perf_counter() - started) * 1000)
        expected = _expected(query, persons)
        labelled = LABELLED_AMBIGUOUS in query["variaties"].split("|")
        hits["labelled"] += labelled
        if expected & {c.key for c in found}:
            hits[query["soort"]] += 1
            hits["labelled:hit"] += labelled
            continue
        why = _why_missed(query, subject, expected)
        hits[f"{query['soort']}:{why}"] += 1
        top = "; ".join(f"{c.label} {c.score:.2f}" for c in found[:3])
        missed.append(
            f"{query['query_id']}\t{query['soort']}\t{why}\t{query['variaties']}\t"
            f"{query['naam']}|{query['geboortedatum']}|{query['straat']} "
            f"{query['huisnummer']}{query['toevoeging']}|{query['postcode']}|"
            f"{query['plaats']}|{query.get('bij_kvk_nummer', '')}\t{top}"
        )
    if misses:
        misses.write_text("\n".join(missed) + "\n", encoding="utf-8")
    return latencies, hits


BOUNDS = ("MAX_POSTINGS", "SHORTLIST", "WIDER", "MAX_STREETS", "MAX_SCORED", "MAX_AT_ADDRESS")


def _why_missed(query: dict[str, str], subject: Any, expected: set[str]) -> str:
    """Looks again without the interactive bounds and scores the true record as ``resolve``
    does. "ambiguous": ten or more other records fit the query at least as well (the query
    cannot single it out); "bounded": found without the bounds; "no shared key": not even then.
    """
    from weerbaar.entities import resolve

    saved = {name: getattr(resolve, name) for name in BOUNDS}
    for name in BOUNDS:
        setattr(resolve, name, 1_000_000)
    try:
        every = resolve.candidates(subject, limit=1_000_000)
    finally:
        for name, value in saved.items():
            setattr(resolve, name, value)
    true = _true_score(query, subject)
    if true is None:
        return "not in register"
    if sum(1 for c in every if c.key not in expected and c.score >= true) >= 10:
        return "ambiguous"
    return "bounded" if expected & {c.key for c in every} else "no shared key"


def _true_score(query: dict[str, str], subject: Any) -> float | None:
    from weerbaar.entities import resolve, scoring
    from weerbaar.registry.models import Address, Company, Officer

    address = resolve._address_query(subject)
    scores: list[float] = []
    if query["soort"] == "bedrijf":
        wanted = {"name": subject.name, "kvk_number": subject.kvk_number, **address}
        for row in Company.objects.filter(kvk_number=query["kvk_nummer"]).values(
            *resolve.COMPANY_FIELDS
        ):
            scores.append(resolve._score_company(wanted, row).score)
    elif query["soort"] == "adres":
        for found in Address.objects.filter(number_designation_id=query["nummeraanduiding_id"]):
            candidate = {f: getattr(found, f) for f in resolve.ADDRESS_FIELDS}
            scores.append(round(scoring.compare_address(address, candidate).score, 4))
    else:
        postcodes = resolve._postcodes(subject)
        for officer in Officer.objects.filter(pk__in=OFFICERS.get(query["person_id"], ())):
            row = {f: getattr(officer, f) for f in resolve.OFFICER_FIELDS}
            row["at_address"] = bool(postcodes and subject.house_number) and (
                Company.objects.filter(
                    kvk_number=officer.kvk_number,
                    visit_postcode__in=postcodes,
                    visit_house_number=subject.house_number,
                ).exists()
            )
            row["of_company"] = officer.kvk_number == subject.kvk_number
            for first, prefix, surname in resolve._name_readings(subject.name):
                wanted = {
                    "first_names": first,
                    "surname_prefix": prefix,
                    "surname": surname,
                    "date_of_birth": subject.date_of_birth,
                    **address,
                }
                scores.append(round(scoring.compare_person(wanted, row).score, 4))
    return max(scores) if scores else None


def _worker(url: str, queries: list[dict[str, str]], seconds: float, out: Any) -> None:
    """One throughput process: resolve the queries round-robin until the time is up."""
    _setup(url)
    from weerbaar.entities import resolve

    subjects = [_subject(q) for q in queries]
    done, timings = 0, []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        subject = subjects[done % len(subjects)]
        started = time.perf_counter()
        resolve.candidates(subject)
        timings.append((time.perf_counter() - started) * 1000)
        done += 1
    out.put((done, timings, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _throughput(
    url: str, queries: list[dict[str, str]], workers: int, seconds: float
) -> tuple[float, list[float], int, float]:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    procs = [
        context.Process(target=_worker, args=(url, queries[n::workers], seconds, out))
        for n in range(workers)
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [out.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    done = sum(r[0] for r in results)
    timings = [t for r in results for t in r[1]]
    return done / seconds, timings, max(r[2] for r in results), elapsed


def _print_latencies(title: str, latencies: Latencies) -> None:
    print(f"latency (ms), {title}:  p50     p95     p99     max")
    every = [t for kind in KINDS for t in latencies[kind]]
    for label, values in [("all", every), *[(k, latencies[k]) for k in KINDS]]:
        if values:
            print(
                f"  {label:<10} {statistics.median(values):7.1f} {_percentile(values, 0.95):7.1f}"
                f" {_percentile(values, 0.99):7.1f} {max(values):7.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rebuild-index", action="store_true")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--misses", type=Path, help="write the missed queries to this file")
    args = parser.parse_args()
    _setup(args.database_url)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)

    if args.rebuild_index:
        _rebuild()
    every = _queries(args.data)
    queries, warmup = every[: args.queries], every[args.queries :][:WARMUP]
    persons = _person_truth(args.data, queries)
    _measure(warmup, persons, None)
    first, hits = _measure(queries, persons, args.misses)
    second, _hits = _measure(queries, persons, None)

    counts = Counter(q["soort"] for q in queries)
    print(f"queries: {len(queries)} ({', '.join(f'{k} {counts[k]}' for k in KINDS)})")
    _print_latencies("first pass (cold caches)", first)
    _print_latencies("second pass (warm)", second)
    total = sum(hits[kind] for kind in KINDS)
    print(f"recall@10: {total / len(queries):.4f} ({total}/{len(queries)})")
    if hits["labelled"]:
        rest, rest_hits = len(queries) - hits["labelled"], total - hits["labelled:hit"]
        print(
            f"  without the {hits['labelled']} queries labelled {LABELLED_AMBIGUOUS}:"
            f" {rest_hits / rest:.4f} ({rest_hits}/{rest}); those alone:"
            f" {hits['labelled:hit'] / hits['labelled']:.4f}"
            f" ({hits['labelled:hit']}/{hits['labelled']})"
        )
    for kind in KINDS:
        if counts[kind]:
            why = ", ".join(
                f"{reason} {hits[f'{kind}:{reason}']}"
                for reason in ("ambiguous", "bounded", "no shared key", "not in register")
            )
            print(
                f"  {kind:<10} {hits[kind] / counts[kind]:.4f} ({hits[kind]}/{counts[kind]};"
                f" missed: {why})"
            )

    if args.workers and args.seconds:
        rate, timings, worker_rss, elapsed = _throughput(
            args.database_url, queries, args.workers, args.seconds
        )
        print(
            f"throughput: {rate:.1f} lookups/s with {args.workers} workers for {args.seconds:.0f} s"
            f" (under load p50 {statistics.median(timings):.1f} ms,"
            f" p95 {_percentile(timings, 0.95):.1f} ms; wall {elapsed:.1f} s)"
        )
        print(f"peak RSS throughput worker: {worker_rss / 1024:.0f} MiB")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"peak RSS: main {own / 1024:.0f} MiB, largest child {children / 1024:.0f} MiB")
    with open("/proc/loadavg", encoding="ascii") as handle:
        print(f"load average: {' '.join(handle.read().split()[:3])}")


if __name__ == "__main__":
    main()
