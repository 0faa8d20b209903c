"""Comparison levels of record pairs, computed for millions of pairs at once.

Each comparison kind turns a pair of values into a small integer level (higher: closer;
-1: a value is missing, which counts neither for nor against). The levels and their
thresholds are the ones the interactive ``compare`` module uses, so a batch score and a
single score mean the same; they are listed in docs/matching.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from . import codes as kit
from .features import Coded, Codes

Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float32]
Bools = npt.NDArray[np.bool_]

# Level names per kind, lowest first (index = level). Also used to explain batch results.
LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    "string": ("different", "similar", "close", "exact"),
    "first_names": (
        "different",
        "compatible",
        "same_initials",
        "similar",
        "close",
        "same_first",
        "exact",
    ),
    "surname": ("different", "similar", "part", "close", "exact"),
    "date": ("different", "near", "typo", "exact"),
    "id": ("different", "two_edits", "one_edit", "exact"),
    "exact": ("different", "exact"),
    "postcode": ("different", "same_pc4", "exact"),
    "house_number": ("different", "same_number", "exact"),
    "address": ("different", "same_area", "same_postcode", "same_number_area", "exact"),
}
STRING_CLOSE, STRING_SIMILAR = 0.92, 0.80
FIRST_NAME_SIMILAR = 0.88
SIMILAR_LENGTH = 5  # names this long may differ by two edits and still be similar
FIRST_NAME_CROSSED = 0.90  # a first name found in the surname field
SURNAME_CLOSE, SURNAME_SIMILAR = 0.92, 0.75

# Scorers by name: rapidfuzz function, its score cutoff, and the score of two equal strings
# (also given to pairs with a missing value, which callers treat apart). Edit distances are
# counted up to 2 (more reads as 3).
SCORERS: dict[str, tuple[Any, int | None, float]] = {
    "jaro": (JaroWinkler.normalized_similarity, None, 1.0),
    "edits": (DamerauLevenshtein.distance, 2, 0.0),
}


class Pairs:
    """Record pairs (i, j) and, per feature, the codes of both records (gathered once)."""

    def __init__(self, i: Codes, j: Codes) -> None:
        self.i, self.j = i, j
        self._codes: dict[int, tuple[Coded, Codes, Codes]] = {}

    def __len__(self) -> int:
        return len(self.i)

    def codes(self, coded: Coded) -> tuple[Codes, Codes]:
        found = self._codes.get(id(coded))
        if found is None:
            if coded.parent is not None and coded.mapping is not None:
                a, b = self.codes(coded.parent)
                found = (coded, coded.mapping[a], coded.mapping[b])
            else:
                found = (coded, coded.codes[self.i], coded.codes[self.j])
            self._codes[id(coded)] = found
        return found[1], found[2]

    def same(self, coded: Coded) -> Bools:
        a, b = self.codes(coded)
        return (a >= 0) & (a == b)

    def missing(self, coded: Coded) -> Bools:
        a, b = self.codes(coded)
        return (a < 0) | (b < 0)


def pairwise(
    left: Coded, a: Codes, right: Coded, b: Codes, scorers: tuple[str, ...]
) -> list[Floats]:
    """Each scorer on left's values (codes ``a``) against right's values (codes ``b``).

    Computed once per distinct pair of values (equal codes of one table are not computed).
    """
    todo = (a >= 0) & (b >= 0)
    if left is right:
        todo &= a != b
    outs = [np.full(len(a), SCORERS[name][2], dtype=np.float32) for name in scorers]
    if not todo.any():
        return outs
    a, b = a[todo], b[todo]
    if left is right:
        a, b = np.minimum(a, b), np.maximum(a, b)
    width = len(right.values) + 1
    distinct, inverse = kit.factorize(a.astype(np.int64) * width + b)
    first, second = left.values[distinct // width], right.values[distinct % width]
    for out, name in zip(outs, scorers, strict=True):
        scorer, cutoff, _equal = SCORERS[name]
        scores = process.cpdist(
            first, second, scorer=scorer, score_cutoff=cutoff, workers=-1, dtype=np.float32
        )
        out[todo] = scores[inverse]
    return outs


def _scores(pairs: Pairs, coded: Coded, *scorers: str) -> list[Floats]:
    a, b = pairs.codes(coded)
    return pairwise(coded, a, coded, b, scorers)


def _pairwise_python(
    pairs: Pairs, coded: Coded, rows: Bools, test: Callable[[str, str], bool]
) -> Bools:
    """``test`` of the values of the pairs in ``rows``, in Python, once per distinct pair
    (for features with few distinct values)."""
    a, b = pairs.codes(coded)
    out = np.zeros(len(a), dtype=bool)
    todo = rows & (a >= 0) & (b >= 0)
    if not todo.any():
        return out
    size = len(coded.values) + 1
    distinct, inverse = kit.factorize(a[todo].astype(np.int64) * size + b[todo])
    values = coded.values
    results = np.array(
        [test(values[k // size], values[k % size]) for k in distinct.tolist()], dtype=bool
    )
    out[todo] = results[inverse]
    return out


def _select(missing: Bools, rules: list[Bools]) -> Levels:
    """Level = highest rule that holds (rules listed from level 1 up); -1 when missing."""
    out = np.zeros(len(missing), dtype=np.int8)
    for level, rule in enumerate(rules, start=1):
        out[rule] = level
    out[missing] = -1
    return out


def string_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    (sim,) = _scores(pairs, f["value"], "jaro")
    return _select(
        pairs.missing(f["value"]),
        [sim >= STRING_SIMILAR, sim >= STRING_CLOSE, pairs.same(f["value"])],
    )


def fitting_initials(a: str, b: str) -> bool:
    """Initials that may belong to one person: the same first initial, and the shorter ones
    found in order in the longer ("JP" and "JHP": a middle initial left out)."""
    if not a or not b or a[0] != b[0]:
        return False
    short, long = sorted((a, b), key=len)
    letters = iter(long)
    return all(letter in letters for letter in short)


def first_names_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    """Initials are compatible with full names only when one side has no full names:
    "J." fits "Johannes Petrus", but "Jan" and "Johannes" are two people."""
    both_named = ~pairs.missing(f["first"])
    similarity, distance = _scores(pairs, f["first"], "jaro", "edits")
    size = lengths(f["first"])
    first_a, first_b = pairs.codes(f["first"])
    long_names = np.minimum(size[first_a], size[first_b]) >= SIMILAR_LENGTH
    initials = f["initials"]
    result = _select(
        pairs.missing(initials),
        [
            _pairwise_python(pairs, initials, ~both_named, fitting_initials),
            ~both_named & pairs.same(initials),
            # Two slips, or one name spelled like the other (Johanna, Johannes).
            both_named & ((similarity >= FIRST_NAME_SIMILAR) | ((distance <= 2) & long_names)),
            # One slip in the first name, or only in the spacing ("DouweAdrianus").
            both_named & ((distance <= 1) | pairs.same(f["compact"])),
            pairs.same(f["first"]),
            pairs.same(f["value"]),
        ],
    )
    _capitals_as_initials(result, f, pairs)
    return result


def _capitals_as_initials(result: Levels, f: dict[str, Coded], pairs: Pairs) -> None:
    """A lone word of capitals ("JAT") that differs from the other side's names is read as
    initials when it fits them ("Johanna Antonia Theodora")."""
    maybe, initials = f["maybe_initials"], f["initials"]
    word_a, word_b = pairs.codes(maybe)
    rows = np.flatnonzero((result == 0) & ((word_a >= 0) | (word_b >= 0)))
    if not len(rows):
        return
    capitals, letters = _texts(maybe), _texts(initials)
    initials_a, initials_b = pairs.codes(initials)
    same, fits = LEVEL_NAMES["first_names"].index("same_initials"), 1
    for row in rows.tolist():
        for word, other in (
            (capitals[word_a[row]], letters[initials_b[row]]),
            (capitals[word_b[row]], letters[initials_a[row]]),
        ):
            if word and other:
                if word == other:
                    result[row] = same
                elif fitting_initials(word, other) and result[row] < fits:
                    result[row] = fits


def translate(source: Coded, target: Coded) -> Codes:
    """Per code of ``source`` (and -1 last) the code of the same value in ``target``; a value
    ``target`` lacks gets a code of its own beyond target's, so it equals nothing there."""

    def compute(coded: Coded) -> Codes:
        position = {value: code for code, value in enumerate(target.values.tolist())}
        unknown = len(target.values)
        found = [position.get(v, unknown + k) for k, v in enumerate(coded.values.tolist())]
        return np.array([*found, -1], dtype=np.int32)

    return source.per_value(f"translate:{id(target)}", compute)


def lengths(coded: Coded) -> npt.NDArray[np.int64]:
    """Length of each value indexed by code (0 at code -1)."""
    return coded.per_value(
        "lengths",
        lambda c: np.array([len(v) for v in c.values.tolist()] + [0], dtype=np.int64),
    )


def _texts(coded: Coded) -> npt.NDArray[np.object_]:
    def compute(c: Coded) -> npt.NDArray[np.object_]:
        out = np.empty(len(c.values) + 1, dtype=object)
        out[:-1] = c.values
        return out

    return coded.per_value("texts", compute)


def _digits(coded: Coded) -> npt.NDArray[np.int64]:
    """Dates YYYYMMDD read as hexadecimal: one digit per nibble (0 at code -1)."""
    return coded.per_value(
        "digits",
        lambda c: np.array([int(v, 16) for v in c.values.tolist()] + [0], dtype=np.int64),
    )


def surname_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    (sim,) = _scores(pairs, f["value"], "jaro")
    first_a, first_b = pairs.codes(f["first_part"])
    # Last parts as codes of the first parts' table, so that the two can be compared.
    into_first = translate(f["last_part"], f["first_part"])
    last_a, last_b = (into_first[codes] for codes in pairs.codes(f["last_part"]))
    double = (first_a != last_a) | (first_b != last_b)
    part = double & (
        ((first_a >= 0) & (first_a == first_b))
        | ((last_a >= 0) & (last_a == last_b))
        | ((first_a >= 0) & (first_a == last_b))
        | ((last_a >= 0) & (last_a == first_b))
    )
    return _select(
        pairs.missing(f["value"]),
        [
            (sim >= SURNAME_SIMILAR) | pairs.same(f["skeleton"]),
            part,
            sim >= SURNAME_CLOSE,
            pairs.same(f["value"]),
        ],
    )


def one_digit_apart(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> Bools:
    """Eight-digit numbers in one-digit-per-nibble form: at most one digit different, or two
    neighbouring digits swapped (edit distance at most 1 for strings of equal length)."""
    x = a ^ b
    differs = (x | (x >> 1) | (x >> 2) | (x >> 3)) & 0x11111111  # one bit per differing digit
    count = np.bitwise_count(differs)
    low = differs & -differs
    neighbours = (count == 2) & (differs == low * 17)
    nibble = low * 15
    turned = (a & ~(nibble | (nibble << 4))) | ((a & nibble) << 4) | ((a >> 4) & nibble)
    return (count <= 1) | (neighbours & (turned == b))


def date_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    """Exact; a typo (one digit, two neighbouring digits swapped, or day and month swapped);
    the same year; different."""
    value, swapped = f["value"], f["swapped"]
    a, b = pairs.codes(value)
    digits = _digits(value)
    # Each date with day and month swapped, as a code among the dates.
    turned = (b >= 0) & (translate(swapped, value)[pairs.codes(swapped)[0]] == b)
    return _select(
        pairs.missing(value),
        [
            pairs.same(f["year"]),
            one_digit_apart(digits[a], digits[b]) | turned,
            pairs.same(value),
        ],
    )


def id_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    (distance,) = _scores(pairs, f["value"], "edits")
    return _select(
        pairs.missing(f["value"]),
        [distance <= 2, distance <= 1, pairs.same(f["value"])],
    )


def exact_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    return _select(pairs.missing(f["value"]), [pairs.same(f["value"])])


def postcode_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    return _select(pairs.missing(f["value"]), [pairs.same(f["pc4"]), pairs.same(f["value"])])


def house_number_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    return _select(pairs.missing(f["value"]), [pairs.same(f["number"]), pairs.same(f["value"])])


def address_levels(f: dict[str, Coded], pairs: Pairs) -> Levels:
    """Same house number in the same town or PC4 area (a postcode typo) ranks just below
    the full address."""
    missing = pairs.missing(f["pc4"]) & pairs.missing(f["town"]) & pairs.missing(f["street"])
    area = pairs.same(f["pc4"]) | pairs.same(f["town"])
    return _select(
        missing,
        [
            area,
            pairs.same(f["postcode"]),
            area & pairs.same(f["number"]),
            pairs.same(f["value"]) | pairs.same(f["street"]),
        ],
    )


LEVELS: dict[str, Callable[[dict[str, Coded], Pairs], Levels]] = {
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
