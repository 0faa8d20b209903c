"""Candidate pairs: records that agree on every feature of at least one blocking rule.

Features are integer codes (see ``features``); DuckDB joins the records on each rule's codes
and unites the pairs of all rules in one query. Blocks larger than a rule's ``max_block`` are
skipped: a value shared by thousands of records (a bare common word, "Jansen" with initial
"J") identifies nobody and would only produce millions of useless pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import polars as pl

from .features import Codes


@dataclass(frozen=True)
class Rule:
    """Agreement on all ``features`` ("surname.value", ...) in blocks of at most ``max_block``."""

    features: tuple[str, ...]
    max_block: int = 1000

    @property
    def comparisons(self) -> set[str]:
        return {feature.split(".")[0] for feature in self.features}


def _column(feature: str) -> str:
    return "f_" + feature.replace(".", "__")


def _rule_sql(rule: Rule, link: bool, sample: float | None) -> str:
    columns = [_column(f) for f in rule.features]
    present = " AND ".join(f"{c} >= 0" for c in columns)
    if sample is not None:
        # A deterministic sample of records (both sides of a pair must be in it).
        present += f" AND hash(i) % 1000000 < {int(sample * 1_000_000)}"
    on = " AND ".join(f"a.{c} = b.{c}" for c in columns)
    pair = "a.s = 0 AND b.s = 1" if link else "a.i < b.i"
    keys = ", ".join(columns)
    # Only generated column names and integers are formatted into the query.
    return f"""
        SELECT a.i AS i, b.i AS j
        FROM (SELECT * FROM records WHERE {present}) a
        JOIN (SELECT * FROM records WHERE {present}) b ON {on}
        SEMI JOIN (
            SELECT {keys} FROM records WHERE {present}
            GROUP BY {keys} HAVING count(*) BETWEEN 2 AND {int(rule.max_block)}
        ) ok ON {" AND ".join(f"a.{c} = ok.{c}" for c in columns)}
        WHERE {pair}
    """  # noqa: S608


def candidate_pairs(
    codes: Mapping[str, Codes],
    rules: Sequence[Rule],
    source: npt.NDArray[np.int8],
    *,
    sample: float | None = None,
    threads: int = 2,
) -> tuple[Codes, Codes]:
    """Distinct pairs (i < j) found by any rule; with two sources only left-right pairs.

    ``codes`` maps each feature named in the rules to its per-record codes; ``sample``
    keeps that share of records (for training on a manageable number of pairs).
    """
    if not rules:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    needed = sorted({f for rule in rules for f in rule.features})
    table = pl.DataFrame(
        {
            "i": np.arange(len(source), dtype=np.int32),
            "s": source,
            **{_column(f): codes[f] for f in needed},
        }
    )
    link = bool(source.max(initial=0))
    query = " UNION ".join(_rule_sql(rule, link, sample) for rule in rules)
    con = duckdb.connect(config={"threads": threads})
    try:
        con.register("records", table)
        result = con.execute(query).fetchnumpy()
    finally:
        con.close()
    return result["i"].astype(np.int32), result["j"].astype(np.int32)


def block_pairs(codes: Mapping[str, Codes], rule: Rule, source: npt.NDArray[np.int8]) -> float:
    """How many pairs a rule's blocks hold (blocks above ``max_block`` left out)."""
    frame = pl.DataFrame({"s": source, **{f: codes[f] for f in rule.features}})
    frame = frame.filter(pl.all_horizontal(pl.col(f) >= 0 for f in rule.features))
    sizes = frame.group_by(list(rule.features)).agg(
        pl.len().alias("n"), (pl.col("s") == 0).sum().alias("left")
    )
    sizes = sizes.filter(pl.col("n") <= rule.max_block)
    n = sizes["n"].to_numpy().astype(np.float64)
    if source.max(initial=0):
        left = sizes["left"].to_numpy().astype(np.float64)
        return float((left * (n - left)).sum())
    return float((n * (n - 1) / 2).sum())


def random_pairs(source: npt.NDArray[np.int8], size: int, seed: int = 1) -> tuple[Codes, Codes]:
    """Random distinct record pairs (left-right with two sources): nearly all non-matches."""
    rng = np.random.default_rng(seed)
    if source.max(initial=0):
        left, right = np.flatnonzero(source == 0), np.flatnonzero(source == 1)
        i = rng.choice(left, size)
        j = rng.choice(right, size)
    else:
        i = rng.integers(0, len(source), size)
        j = rng.integers(0, len(source), size)
        keep = i != j
        i, j = i[keep], j[keep]
    return i.astype(np.int32), j.astype(np.int32)
