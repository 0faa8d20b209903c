"""Integer tools for millions of codes: group, factorise and unite without ``argsort``.

numpy sorts plain 64-bit integers many times faster than it argsorts them, so a position is
packed into the low bits of each key and the packed numbers are sorted: the order, the
groups and the inverse all come from one ``np.sort``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
AnyInts = npt.NDArray[np.integer]


def ranks(sizes: AnyInts) -> Ints:
    """0..n-1 for each n in ``sizes``, concatenated."""
    sizes = sizes.astype(np.int64)
    total = int(sizes.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _sorted_with_order(key: Ints) -> tuple[Ints, Ints]:
    """``key`` sorted and the positions they came from (a stable argsort)."""
    count = len(key)
    bits = max(1, (count - 1).bit_length())
    if count and (key.min() < 0 or int(key.max()) >= 1 << (63 - bits)):
        order = np.argsort(key, kind="stable").astype(np.int64)
        return key[order], order
    packed = np.sort((key.astype(np.int64) << bits) | np.arange(count, dtype=np.int64))
    return packed >> bits, packed & ((1 << bits) - 1)


def group(key: AnyInts) -> tuple[Ints, Ints, Ints]:
    """Positions ordered by key, and the start and size of each run of one key."""
    ordered, order = _sorted_with_order(key.astype(np.int64))
    if not len(ordered):
        empty = np.zeros(0, dtype=np.int64)
        return order, empty, empty
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    sizes = np.diff(np.append(starts, len(ordered)))
    return order, starts.astype(np.int64), sizes.astype(np.int64)


def factorize(key: AnyInts) -> tuple[Ints, Ints]:
    """Distinct keys (sorted) and, per position, the index of its key among them."""
    ordered, order = _sorted_with_order(key.astype(np.int64))
    if not len(ordered):
        return ordered, order
    new = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    inverse = np.empty(len(ordered), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def distinct(values: AnyInts, *, owned: bool = False) -> Ints:
    """Sorted distinct values; ``owned``: ``values`` is a work array the caller gives up, so
    it is sorted in place instead of copied (twice, for int64)."""
    ordered: Ints
    if owned and values.dtype == np.int64:
        ordered = values.view(np.int64)
        ordered.sort()
    else:
        ordered = np.sort(values.astype(np.int64))
    if not len(ordered):
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def combine(columns: Sequence[AnyInts]) -> Ints:
    """One non-negative code per row for a tuple of non-negative codes (equal tuples, equal
    codes); re-numbered densely whenever the product of the ranges would overflow."""
    key = columns[0].astype(np.int64)
    for column in columns[1:]:
        width = int(column.max(initial=0)) + 1
        if int(key.max(initial=0)) + 1 > (1 << 40) // width:
            key = factorize(key)[1]
        key = key * width + column.astype(np.int64)
    return key
