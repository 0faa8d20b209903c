"""``weerbaar generate-registry``: the whole run, in two parts that can run side by side.

The municipalities are split into two fixed parts (balanced by size); each part has its own
random stream, people and number range, so the output is the same whether the parts run one
after the other or on two cores. A municipality's addresses depend only on the seed and the
municipality, so a subset is laid out exactly as in a national run. Rows stream to part files
that are joined at the end; memory holds one municipality per part.
"""

# ruff: noqa: S311 -- fictitious data: reproducible randomness, nothing secret

from __future__ import annotations

import multiprocessing
import pickle
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np

from .addresses import build_block, full_scale_addresses
from .companies import CompanyFactory, Numbers
from .data import MunicipalityInfo, municipalities
from .names import NameSampler
from .persons import PersonPool
from .queries import Samples, build_queries
from .writer import (
    BAG_COLUMNS,
    BAG_FILE,
    KVK_COLUMNS,
    KVK_FILE,
    OFFICER_COLUMNS,
    OFFICER_FILE,
    QUERY_COLUMNS,
    TRUTH_BRANCH_COLUMNS,
    TRUTH_DIR,
    TRUTH_OFFICER_COLUMNS,
    CsvSink,
    write_manifest,
)

COMPANIES_PER_ADDRESS = 0.26  # 2.6M companies for 10M addresses
FRONT_MEN_PER_COMPANY = 1 / 5000
QUERY_SAMPLE = 4000
PARTS = 2
PERSONS_PER_PART = 100_000_000
PARTS_DIR = ".delen"
TRUTH_OFFICERS = f"{TRUTH_DIR}/functionarissen.csv"
TRUTH_BRANCHES = f"{TRUTH_DIR}/vestigingen_adres.csv"
FILES = (
    (BAG_FILE, BAG_COLUMNS),
    (KVK_FILE, KVK_COLUMNS),
    (OFFICER_FILE, OFFICER_COLUMNS),
    (TRUTH_OFFICERS, TRUTH_OFFICER_COLUMNS),
    (TRUTH_BRANCHES, TRUTH_BRANCH_COLUMNS),
)

Plan = list[tuple[MunicipalityInfo, int, int]]


@dataclass
class PartResult:
    addresses: int
    companies: int
    officers: int
    persons: int
    kvk_next: int
    branch_next: int
    person_next: int
    samples: Samples


@dataclass
class RunResult:
    addresses: int
    companies: int
    officers: int
    queries: int
    persons: int
    seconds: float


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def select(codes: list[str] | None) -> list[MunicipalityInfo]:
    """The chosen municipalities (all when ``codes`` is None), in code order."""
    table = municipalities()
    if codes is None:
        return [table[c] for c in sorted(table)]
    unknown = [c for c in codes if c not in table]
    if unknown:
        raise ValueError(f"Onbekende gemeentecode(s): {', '.join(unknown)}")
    return [table[c] for c in sorted(set(codes))]


def split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Divide ``total`` in proportion to ``weights`` (largest remainder)."""
    raw = np.array(weights, dtype=float) / sum(weights) * total
    counts = np.maximum(np.floor(raw).astype(int), minimum)
    rest = total - int(counts.sum())
    if rest > 0:
        order = np.argsort(-(raw - np.floor(raw)), kind="stable")
        for i in order[:rest]:
            counts[i] += 1
    return [int(c) for c in counts]


def scale(chosen: list[MunicipalityInfo], addresses: int | None, companies: int | None) -> Plan:
    weights = [float(m.population) for m in chosen]
    n_addr = (
        [full_scale_addresses(m) for m in chosen]
        if addresses is None
        else split(addresses, weights, minimum=10)
    )
    if companies is None:
        n_comp = [round(a * COMPANIES_PER_ADDRESS) for a in n_addr]
    else:
        n_comp = split(companies, weights)
    return list(zip(chosen, n_addr, n_comp, strict=True))


def parts_of(plan: Plan) -> list[Plan]:
    """Two parts of about equal work, each in code order."""
    parts: list[Plan] = [[] for _ in range(PARTS)]
    load = [0] * PARTS
    for item in sorted(plan, key=lambda t: (-(t[1] + 4 * t[2]), t[0].code)):
        k = load.index(min(load))
        parts[k].append(item)
        load[k] += item[1] + 4 * item[2]
    return [sorted(p, key=lambda t: t[0].code) for p in parts]


def run_part(
    k: int,
    plan: Plan,
    out: Path,
    seed: int,
    peildatum: date,
    progress: Callable[[str], None],
    started: float,
) -> PartResult:
    """Generate one part into ``out`` (its own set of files)."""
    rng = random.Random(f"registry:{seed}:{k}")
    sampler = NameSampler(np.random.default_rng([seed, 7, k]))
    pool = PersonPool(sampler, rng, peildatum)
    pool.next_pid = k * PERSONS_PER_PART + 1
    total_companies = sum(c for _, _, c in plan)
    pool.make_front_men(max(3, int(total_companies * FRONT_MEN_PER_COMPANY)))
    numbers = Numbers(seed, stream=k, streams=PARTS)
    samples = Samples.create(QUERY_SAMPLE, random.Random(f"samples:{seed}:{k}"))
    sinks = {
        "bag": CsvSink(out / BAG_FILE, BAG_COLUMNS),
        "kvk": CsvSink(out / KVK_FILE, KVK_COLUMNS),
        "officers": CsvSink(out / OFFICER_FILE, OFFICER_COLUMNS),
        "truth_officers": CsvSink(out / TRUTH_OFFICERS, TRUTH_OFFICER_COLUMNS),
        "truth_branches": CsvSink(out / TRUTH_BRANCHES, TRUTH_BRANCH_COLUMNS),
    }
    factory = CompanyFactory(pool, rng, numbers, peildatum, sinks, samples)
    n_addresses = 0
    try:
        for done, (info, n_addr, n_comp) in enumerate(plan, start=1):
            block = build_block(info, n_addr, (seed, int(info.digits)), sampler)
            sinks["bag"].write_many(block.rows())
            n_addresses += len(block)
            picks = np.random.default_rng([seed, int(info.digits), 3]).choice(
                len(block), size=min(len(block), 200), replace=False
            )
            for i in picks.tolist():
                samples.addresses.offer(partial(block.record, i))
            factory.municipality(block, n_comp)
            if done == len(plan) or done % 25 == 0 or len(plan) < 10:
                progress(
                    f"deel {k + 1}: {done}/{len(plan)} gemeenten ({info.name}): "
                    f"{number(n_addresses)} adressen, {number(factory.rows)} inschrijvingen, "
                    f"{number(factory.officer_rows)} functionarissen "
                    f"({time.perf_counter() - started:.0f} s)"
                )
    finally:
        for sink in sinks.values():
            sink.close()
    return PartResult(
        addresses=n_addresses,
        companies=factory.rows,
        officers=factory.officer_rows,
        persons=pool.next_pid - (k * PERSONS_PER_PART + 1),
        kvk_next=numbers.kvk_next,
        branch_next=numbers.branch_next,
        person_next=pool.next_pid,
        samples=samples,
    )


def _part_process(
    k: int,
    plan: Plan,
    out: Path,
    seed: int,
    peildatum: date,
    progress: Callable[[str], None],
    started: float,
) -> None:
    result = run_part(k, plan, out, seed, peildatum, progress, started)
    (out / "result.pickle").write_bytes(pickle.dumps(result))


def run_parts(
    parts: list[Plan],
    out: Path,
    seed: int,
    peildatum: date,
    workers: int,
    progress: Callable[[str], None],
    started: float,
) -> list[PartResult]:
    dirs = [out / PARTS_DIR / str(k) for k in range(len(parts))]
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        processes = [
            context.Process(
                target=_part_process, args=(k, part, d, seed, peildatum, progress, started)
            )
            for k, (part, d) in enumerate(zip(parts, dirs, strict=True))
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        if any(p.exitcode != 0 for p in processes):
            raise RuntimeError("Een deel van de generatie is mislukt.")
        # Our own files, written by the child processes just now.
        return [pickle.loads((d / "result.pickle").read_bytes()) for d in dirs]  # noqa: S301
    return [
        run_part(k, part, d, seed, peildatum, progress, started)
        for k, (part, d) in enumerate(zip(parts, dirs, strict=True))
    ]


def join_parts(out: Path, results: list[PartResult]) -> None:
    """Concatenate the part files; officer line numbers shift by the rows before them."""
    dirs = [out / PARTS_DIR / str(k) for k in range(len(results))]
    for name, columns in FILES:
        with CsvSink(out / name, columns) as sink:
            sink.close()
        with (out / name).open("a", encoding="utf-8", newline="") as target:
            offset = 0
            for d, result in zip(dirs, results, strict=True):
                with (d / name).open(encoding="utf-8", newline="") as source:
                    source.readline()
                    if name == TRUTH_OFFICERS and offset:
                        for line in source:
                            head, rest = line.split(",", 1)
                            target.write(f"{int(head) + offset},{rest}")
                    else:
                        shutil.copyfileobj(source, target, 1 << 20)
                offset += result.officers
    shutil.rmtree(out / PARTS_DIR)


def generate_registry(
    out: Path,
    codes: list[str] | None,
    addresses: int | None = None,
    companies: int | None = None,
    seed: int = 1,
    peildatum: date = date(2026, 11, 1),
    queries: int = 1200,
    workers: int = 2,
    progress: Callable[[str], None] = lambda _: None,
) -> RunResult:
    started = time.perf_counter()
    plan = scale(select(codes), addresses, companies)
    parts = parts_of(plan)
    results = run_parts(parts, out, seed, peildatum, workers, progress, started)
    join_parts(out, results)
    samples = results[0].samples
    for other in results[1:]:
        samples.merge(other.samples)
    query_rows = build_queries(samples, queries, random.Random(f"queries:{seed}"))
    with CsvSink(out / TRUTH_DIR / "queries.csv", QUERY_COLUMNS) as sink:
        sink.write_many(query_rows)
    write_manifest(
        out,
        {
            "generatie": 1,
            "seed": seed,
            "peildatum": peildatum.isoformat(),
            "gemeenten": sorted(info.code for info, _, _ in plan),
            "adressen": sum(r.addresses for r in results),
            "inschrijvingen": sum(r.companies for r in results),
            "functionarissen": sum(r.officers for r in results),
            "kvk_volgende": max(r.kvk_next for r in results) * PARTS,
            "vestiging_volgende": max(r.branch_next for r in results) * PARTS,
            "persoon_volgende": max(r.person_next for r in results),
        },
    )
    return RunResult(
        addresses=sum(r.addresses for r in results),
        companies=sum(r.companies for r in results),
        officers=sum(r.officers for r in results),
        queries=len(query_rows),
        persons=sum(r.persons for r in results),
        seconds=time.perf_counter() - started,
    )
