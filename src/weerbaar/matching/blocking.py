"""Candidate pairs: records that agree on every feature of at least one blocking rule.

Features are integer codes (see ``features``). Per rule the records are sorted by their
combined code and every pair inside a block is listed (numpy, no per-pair Python); the pairs
of all rules are united by sorting their 64-bit pair numbers. Blocks larger than a rule's
``max_block`` are skipped: a value shared by thousands of records (a bare common word,
"Jansen" with initial "J") identifies nobody and would only produce millions of useless pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import codes as kit
from .features import Codes

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Rule:
    """Agreement on all ``features`` ("surname.value", ...) in blocks of at most ``max_block``."""

    features: tuple[str, ...]
    max_block: int = 1000

    @property
    def comparisons(self) -> set[str]:
        return {feature.split(".")[0] for feature in self.features}


@dataclass(frozen=True)
class Blocks:
    """One rule's blocks: record indices sorted by block, and where each block starts."""

    records: Ints
    starts: Ints
    sizes: Ints


def blocks(codes: Mapping[str, Codes], rule: Rule, keep: npt.NDArray[np.bool_] | None) -> Blocks:
    """Records that have every feature of ``rule``, grouped by their combined code."""
    columns = [codes[f] for f in rule.features]
    present = np.logical_and.reduce([c >= 0 for c in columns])
    if keep is not None:
        present &= keep
    records = np.flatnonzero(present)
    key = kit.combine([c[records] for c in columns])
    order, starts, sizes = kit.group(key)
    return Blocks(records[order], starts, sizes)


def _pairs_within(found: Blocks, max_block: int) -> tuple[Ints, Ints]:
    """Every pair of positions inside the blocks of 2..max_block records."""
    kept = (found.sizes >= 2) & (found.sizes <= max_block)
    starts, sizes = found.starts[kept], found.sizes[kept]
    if not len(starts):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # Each member is paired with the members after it in its block.
    members = np.repeat(starts, sizes) + kit.ranks(sizes)
    after = np.repeat(starts + sizes, sizes) - members - 1
    left = np.repeat(members, after)
    right = left + 1 + kit.ranks(after)
    a, b = found.records[left], found.records[right]
    return np.minimum(a, b), np.maximum(a, b)


def candidate_pairs(
    codes: Mapping[str, Codes],
    rules: Sequence[Rule],
    source: npt.NDArray[np.int8],
    *,
    sample: float | None = None,
    seed: int = 7,
) -> tuple[Codes, Codes]:
    """Distinct pairs (i < j) found by any rule; with two sources only left-right pairs.

    ``codes`` maps each feature named in the rules to its per-record codes; ``sample``
    keeps that share of records (for training on a manageable number of pairs).
    """
    count = len(source)
    keep = None
    if sample is not None and sample < 1.0:
        keep = np.random.default_rng(seed).random(count) < sample
    link = bool(source.max(initial=0))
    numbers = []
    for rule in rules:
        i, j = _pairs_within(blocks(codes, rule, keep), rule.max_block)
        if link:
            across = source[i] != source[j]
            i, j = i[across], j[across]
        numbers.append(i * count + j)
        del i, j
    merged = np.concatenate(numbers) if numbers else np.zeros(0, np.int64)
    numbers.clear()  # the rules' own arrays go before the sort: one copy of the pairs, not four
    united = kit.distinct(merged, owned=True)
    del merged
    i, j = np.divmod(united, count)
    if link:  # left record first
        flip = source[i] == 1
        i[flip], j[flip] = j[flip], i[flip]
    return i.astype(np.int32), j.astype(np.int32)


def block_pairs(
    codes: Mapping[str, Codes], rule: Rule, source: npt.NDArray[np.int8]
) -> tuple[float, float]:
    """How many pairs a rule's blocks hold, and how many more the blocks above
    ``max_block`` (left out) would have held."""
    found = blocks(codes, rule, None)
    kept = (found.sizes >= 2) & (found.sizes <= rule.max_block)
    if source.max(initial=0):
        left = np.add.reduceat(source[found.records] == 0, found.starts) if len(found.starts) else 0
        pairs = (left * (found.sizes - left)).astype(np.float64)
    else:
        n = found.sizes.astype(np.float64)
        pairs = n * (n - 1) / 2
    return float(pairs[kept].sum()), float(pairs[~kept].sum())


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
