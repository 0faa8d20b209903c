"""Comparison levels of record pairs, computed for millions of pairs at once.

Each comparison kind turns a pair of values into a small integer level (higher: closer;
-1: a value is missing, which counts neither for nor against). The levels and their
thresholds are the ones the interactive ``compare`` module uses, so a batch score and a
single score mean the same; they are listed in docs/matching.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .features import Coded, Codes

Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float32]

# Level names per kind, lowest first (index = level). Also used to explain batch results.
LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    "string": ("different", "similar", "close", "exact"),
    "first_names": ("different", "compatible", "same_initials", "close", "exact"),
    "surname": ("different", "similar", "part", "close", "exact"),
    "date": ("different", "near", "typo", "exact"),
    "id": ("different", "two_edits", "one_edit", "exact"),
    "exact": ("different", "exact"),
    "postcode": ("different", "same_pc4", "exact"),
    "house_number": ("different", "same_number", "exact"),
    "address": ("different", "same_area", "same_postcode", "exact"),
}
STRING_CLOSE, STRING_SIMILAR = 0.92, 0.80
FIRST_NAME_CLOSE = 0.90
SURNAME_CLOSE, SURNAME_SIMILAR = 0.92, 0.75


def _pairwise(
    coded: Coded, i: Codes, j: Codes, scorer: Callable[..., float], fill: float
) -> Floats:
    """``scorer`` of each pair's values, computed once per distinct pair of codes."""
    a, b = coded.codes[i], coded.codes[j]
    out = np.full(len(i), fill, dtype=np.float32)
    todo = (a >= 0) & (b >= 0) & (a != b)
    if not todo.any():
        return out
    low, high = np.minimum(a[todo], b[todo]), np.maximum(a[todo], b[todo])
    key = low.astype(np.int64) * (len(coded.values) + 1) + high
    distinct, inverse = np.unique(key, return_inverse=True)
    left = coded.values[distinct // (len(coded.values) + 1)]
    right = coded.values[distinct % (len(coded.values) + 1)]
    scores = process.cpdist(left, right, scorer=scorer, workers=-1, dtype=np.float32)
    out[todo] = scores[inverse]
    return out


def _pairwise_python(
    coded: Coded, i: Codes, j: Codes, test: Callable[[str, str], bool]
) -> npt.NDArray[np.bool_]:
    """``test`` of each pair's values in Python, once per distinct pair (few distinct)."""
    a, b = coded.codes[i], coded.codes[j]
    out = np.zeros(len(i), dtype=bool)
    todo = (a >= 0) & (b >= 0)
    if not todo.any():
        return out
    key = a[todo].astype(np.int64) * (len(coded.values) + 1) + b[todo]
    distinct, inverse = np.unique(key, return_inverse=True)
    size = len(coded.values) + 1
    results = np.array(
        [test(coded.values[k // size], coded.values[k % size]) for k in distinct.tolist()],
        dtype=bool,
    )
    out[todo] = results[inverse]
    return out


def _same(coded: Coded, i: Codes, j: Codes) -> npt.NDArray[np.bool_]:
    a, b = coded.codes[i], coded.codes[j]
    return (a >= 0) & (a == b)


def _missing(coded: Coded, i: Codes, j: Codes) -> npt.NDArray[np.bool_]:
    return (coded.codes[i] < 0) | (coded.codes[j] < 0)


def _select(missing: npt.NDArray[np.bool_], rules: list[npt.NDArray[np.bool_]]) -> Levels:
    """Level = highest rule that holds (rules listed from level 1 up); -1 when missing."""
    out = np.zeros(len(missing), dtype=np.int8)
    for level, rule in enumerate(rules, start=1):
        out[rule] = level
    out[missing] = -1
    return out


def _jaro(coded: Coded, i: Codes, j: Codes) -> Floats:
    return _pairwise(coded, i, j, JaroWinkler.normalized_similarity, 1.0)


def _edits(coded: Coded, i: Codes, j: Codes) -> Floats:
    return _pairwise(coded, i, j, DamerauLevenshtein.distance, 0.0)


def string_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    sim = _jaro(f["value"], i, j)
    return _select(
        _missing(f["value"], i, j),
        [sim >= STRING_SIMILAR, sim >= STRING_CLOSE, _same(f["value"], i, j)],
    )


def _prefix(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def first_names_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    """Initials are compatible with full names only when one side has no full names:
    "J." fits "Johannes Petrus", but "Jan" and "Johannes" are two people."""
    both_named = ~_missing(f["first"], i, j)
    close = (
        (_jaro(f["first"], i, j) >= FIRST_NAME_CLOSE)
        | (_edits(f["first"], i, j) <= 1)
        | (_jaro(f["value"], i, j) >= STRING_CLOSE)
    )
    return _select(
        _missing(f["initials"], i, j),
        [
            ~both_named & _pairwise_python(f["initials"], i, j, _prefix),
            ~both_named & _same(f["initials"], i, j),
            both_named & close,
            _same(f["value"], i, j),
        ],
    )


def surname_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    sim = _jaro(f["value"], i, j)
    first, last = f["first_part"], f["last_part"]
    double = (first.codes[i] != last.codes[i]) | (first.codes[j] != last.codes[j])
    part = double & (
        _same(first, i, j)
        | _same(last, i, j)
        | ((first.codes[i] >= 0) & (first.codes[i] == last.codes[j]))
        | ((last.codes[i] >= 0) & (last.codes[i] == first.codes[j]))
    )
    return _select(
        _missing(f["value"], i, j),
        [
            (sim >= SURNAME_SIMILAR) | _same(f["skeleton"], i, j),
            part,
            sim >= SURNAME_CLOSE,
            _same(f["value"], i, j),
        ],
    )


def date_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    value = f["value"]
    swapped = (f["swapped"].codes[i] >= 0) & (
        f["swapped"].values[np.maximum(f["swapped"].codes[i], 0)]
        == value.values[np.maximum(value.codes[j], 0)]
    )
    edits = _edits(value, i, j)
    same_year = _same(f["year"], i, j)
    return _select(
        _missing(value, i, j),
        [same_year, (edits <= 1) | swapped, _same(value, i, j)],
    )


def id_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    edits = _edits(f["value"], i, j)
    return _select(
        _missing(f["value"], i, j),
        [edits <= 2, edits <= 1, _same(f["value"], i, j)],
    )


def exact_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    return _select(_missing(f["value"], i, j), [_same(f["value"], i, j)])


def postcode_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    return _select(_missing(f["value"], i, j), [_same(f["pc4"], i, j), _same(f["value"], i, j)])


def house_number_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    return _select(_missing(f["value"], i, j), [_same(f["number"], i, j), _same(f["value"], i, j)])


def address_levels(f: dict[str, Coded], i: Codes, j: Codes) -> Levels:
    missing = _missing(f["pc4"], i, j) & _missing(f["town"], i, j) & _missing(f["street"], i, j)
    return _select(
        missing,
        [
            _same(f["pc4"], i, j) | _same(f["town"], i, j),
            _same(f["postcode"], i, j),
            _same(f["value"], i, j) | _same(f["street"], i, j),
        ],
    )


LEVELS: dict[str, Callable[[dict[str, Coded], Codes, Codes], Levels]] = {
    "string": string_levels,
    "first_names": first_names_levels,
    "surname": surname_levels,
    "date": date_levels,
    "id": id_levels,
    "exact": exact_levels,
    "postcode": postcode_levels,
    "house_number": house_number_levels,
    "address": address_levels,
}
