"""How often company names recur in a generated KvK extract (prints figures).

    .venv/bin/python -m weerbaar.registry.generator.namestats DIR [DIR ...] [--name NAME ...]

Per name (the registered name and the trade names, without legal form, case ignored): the
number of KvK numbers that carry it. Prints the most frequent names and how many names, and
how many companies, share their name with more than 10 and more than 100 companies. Used for
the "Company names" figures in docs/registry-generator.md.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .variations import strip_legal_form


@dataclass
class NameStats:
    companies: int
    names: int
    top: list[tuple[str, int]]
    asked: dict[str, int]  # the count of each name asked for
    names_over: dict[int, int]  # threshold -> distinct names carried by more companies
    companies_over: dict[int, int]  # threshold -> companies with such a name (any of theirs)


def name_key(name: str) -> str:
    return " ".join(strip_legal_form(name).lower().split())


def name_stats(
    kvk_file: Path,
    top: int = 10,
    thresholds: tuple[int, ...] = (10, 100),
    asked: tuple[str, ...] = (),
) -> NameStats:
    names_of: dict[str, set[str]] = {}
    with kvk_file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found = names_of.setdefault(row["kvk_nummer"], set())
            for name in [row["statutaire_naam"], *row["handelsnamen"].split("|")]:
                if name:
                    found.add(name_key(name))
    counts: Counter[str] = Counter()
    for names in names_of.values():
        counts.update(names)
    return NameStats(
        companies=len(names_of),
        names=len(counts),
        top=counts.most_common(top),
        asked={name: counts[name_key(name)] for name in asked},
        names_over={t: sum(1 for n in counts.values() if n > t) for t in thresholds},
        companies_over={
            t: sum(1 for names in names_of.values() if any(counts[n] > t for n in names))
            for t in thresholds
        },
    )


def main(argv: list[str]) -> None:
    folders = [a for i, a in enumerate(argv) if a != "--name" and argv[i - 1 : i] != ["--name"]]
    asked = tuple(a for i, a in enumerate(argv) if argv[i - 1 : i] == ["--name"])
    for folder in folders:
        stats = name_stats(Path(folder) / "kvk_vestigingen.csv", asked=asked)
        print(f"{folder}: {stats.companies:,} KvK numbers, {stats.names:,} distinct names")
        for threshold in stats.names_over:
            names, companies = stats.names_over[threshold], stats.companies_over[threshold]
            print(
                f"  names carried by > {threshold} companies: {names:,}"
                f" ({names / max(1, stats.names):.2%} of names);"
                f" companies with such a name: {companies:,}"
                f" ({companies / max(1, stats.companies):.2%})"
            )
        print("  most frequent: " + "; ".join(f"{name} {count}" for name, count in stats.top))
        if asked:
            print("  asked: " + "; ".join(f"{name} {count}" for name, count in stats.asked.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
