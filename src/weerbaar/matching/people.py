"""What Dutch person records need beyond independent field comparisons.

Three corrections, each a rule about people rather than about strings:

- **Swapped names**: a first name written in the surname field and the other way round
  ("Wolters, Douwe" read as first name Wolters) still counts as close on both names, also
  with a typo in one of them or an initial instead of the first name.
- **Full names**: first name and surname are not independent (names run in families and
  origins: "Murat Korkmaz" is far commoner than "Murat" times "Korkmaz" predicts); where both
  agree exactly, a full name shared by several people weighs what its own frequency says.
- **Households**: housemates share address and often surname, now and then a birthday
  (twins); where address and surname agree, surname and date of birth count only as much as
  they say among people at one address (both shares measured on the data).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import blocking, levels, model
from .blocking import Rule
from .features import Coded, Codes

Prepared = dict[str, dict[str, Coded]]
LevelMatrix = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def _letters(coded: Coded) -> npt.NDArray[np.int32]:
    """First letter of each value as a number, indexed by code (-1 at code -1)."""
    return coded.per_value(
        "letters",
        lambda c: np.array([ord(v[0]) if v else -1 for v in c.values] + [-1], dtype=np.int32),
    )


def _crossed(
    first: dict[str, Coded], last: dict[str, Coded], x: Codes, y: Codes
) -> tuple[Bools, Bools]:
    """Whether x's first name and surname fit y's surname field and first-names field.

    Returns (fits, first name close rather than only its initial). Only pairs whose first
    letters cross are compared as strings (a typo in a first letter is rare, and this keeps
    the check cheap for millions of pairs).
    """
    letter_x = _letters(first["initial"])[first["initial"].codes[x]]
    letter_y = _letters(last["initial"])[last["initial"].codes[y]]
    back_x = _letters(last["initial"])[last["initial"].codes[x]]
    back_y = _letters(first["as_surname"])[first["as_surname"].codes[y]]
    rows = np.flatnonzero((letter_x >= 0) & (letter_x == letter_y) & (back_x == back_y))
    fits = np.zeros(len(x), dtype=bool)
    close = np.zeros(len(x), dtype=bool)
    if not len(rows):
        return fits, close
    x, y = x[rows], y[rows]
    given, family = first["first"].codes[x], last["value"].codes[y]
    similarity, distance = levels.pairwise(
        first["first"], given, last["value"], family, ("jaro", "edits")
    )
    named = (given >= 0) & (family >= 0)
    near = named & ((distance <= 1) | (similarity >= levels.FIRST_NAME_CROSSED))
    # Only initials as first names, or initials in the surname field ("J.H."): the initial
    # (already checked above) is all there is to compare.
    only_initial = (given < 0) | (levels.lengths(last["value"])[family] <= 3)
    surname, typo = levels.pairwise(
        last["value"],
        last["value"].codes[x],
        first["as_surname"],
        first["as_surname"].codes[y],
        ("jaro", "edits"),
    )
    present = (last["value"].codes[x] >= 0) & (first["as_surname"].codes[y] >= 0)
    fit = present & ((surname >= levels.SURNAME_CLOSE) | (typo <= 1)) & (near | only_initial)
    fits[rows] = fit
    close[rows] = fit & near
    return fits, close


def unswap(
    matrix: LevelMatrix,
    prepared: Prepared,
    columns: tuple[int, int],
    names: tuple[str, str],
    i: Codes,
    j: Codes,
) -> None:
    """Pairs whose first name and surname were written the wrong way round (one of them
    perhaps with a typo, or as an initial) count as close on both (compatible first names
    when only an initial fits)."""
    col_first, col_last = columns
    first, last = (prepared[name] for name in names)
    suspect = np.flatnonzero(
        (matrix[:, col_first] >= 0)
        & (matrix[:, col_first] <= 1)
        & (matrix[:, col_last] >= 0)
        & (matrix[:, col_last] <= 1)
    )
    if not len(suspect):
        return
    a, b = i[suspect], j[suspect]
    fits_ab, close_ab = _crossed(first, last, a, b)
    fits_ba, close_ba = _crossed(first, last, b, a)
    fits = fits_ab | fits_ba
    close = (fits_ab & close_ab) | (fits_ba & close_ba)
    first_levels = levels.LEVEL_NAMES["first_names"]
    matrix[suspect[fits], col_first] = first_levels.index("compatible")
    matrix[suspect[close], col_first] = first_levels.index("close")
    matrix[suspect[fits], col_last] = levels.LEVEL_NAMES["surname"].index("close")


def full_name_bits(
    first: Coded, last: Coded, date: Coded, exact: Bools, i: Codes, limit: float
) -> Floats:
    """The correction (≤ 0 bits) for pairs whose first name and surname both agree exactly.

    log2(p(first)·p(surname) / p(first and surname)), counted in people (distinct name and
    date-of-birth combinations, so that duplicates of one person do not count), only for
    full names at least three people share.
    """
    return full_name_lookup(full_name_table(first, last, date, limit), first, last, exact, i)


@dataclass(frozen=True)
class FullNames:
    """Bits per full name (first name and surname code pair) that at least three share."""

    names: npt.NDArray[np.int64]  # first * stride + surname, sorted
    bits: Floats
    stride: int


def full_name_table(first: Coded, last: Coded, date: Coded, limit: float) -> FullNames | None:
    """The table ``full_name_lookup`` reads; None when no full name counts.

    Sort-based in numpy (a few int arrays the size of the table): a hash-based group-by over
    3.4M officers was the largest allocation of their clustering."""
    f, s, d = first.codes, last.codes, date.codes
    known = (f >= 0) & (s >= 0) & (d >= 0)
    if not known.any():
        return None
    stride = int(s.max()) + 1
    names, name_of = np.unique(f[known].astype(np.int64) * stride + s[known], return_inverse=True)
    days = int(d.max()) + 1
    people = np.unique(name_of.astype(np.int64) * days + d[known])  # distinct name + birth date
    del name_of
    person_name = people // days
    total = len(people)
    per_name = np.bincount(person_name, minlength=len(names))
    per_first = np.bincount(names[person_name] // stride)
    per_last = np.bincount(names[person_name] % stride)
    shared = per_name >= 3
    names = names[shared]
    nf = per_first[names // stride].astype(np.float64)
    ns = per_last[names % stride]
    bits = np.clip(np.log2(nf * ns / (total * per_name[shared])), -limit, 0.0)
    return FullNames(names, bits, stride) if len(names) else None


def full_name_lookup(
    table: FullNames | None, first: Coded, last: Coded, exact: Bools, i: Codes
) -> Floats:
    """``full_name_bits`` for some pairs, from a table made once by ``full_name_table``."""
    out = np.zeros(len(exact))
    rows = np.flatnonzero(exact)
    if table is None or not len(rows):
        return out
    wanted = first.codes[i[rows]].astype(np.int64) * table.stride + last.codes[i[rows]]
    at = np.minimum(np.searchsorted(table.names, wanted), len(table.names) - 1)
    found = table.names[at] == wanted
    out[rows[found]] = table.bits[at[found]]
    return out


@dataclass(frozen=True)
class Columns:
    """Where the household fields are in a level matrix, and their top (exact) levels."""

    surname: int
    place: int
    surname_top: int
    place_top: int
    date: int | None = None
    date_top: int = 0
    first: int | None = None


@dataclass(frozen=True)
class Household:
    """Measured among different people at one address: the share with the same surname,
    and the share born on the same day (twins)."""

    surname: float
    date: float


def household(
    codes: dict[str, Codes],
    source: npt.NDArray[np.int8],
    place: str,
    initials: Codes,
    level_matrix: Callable[[Codes, Codes], LevelMatrix],
    columns: Columns,
    others: Sequence[int],
    pairs: int = 200_000,
) -> Household:
    """The household shares, from pairs of records at one postcode + house number.

    Surname: pairs whose other fields (first names, date of birth) all differ are taken as
    different people. Date: pairs with one surname whose first names differ, initials too.
    """
    rule = Rule((f"{place}.value",), max_block=50)
    total, _ = blocking.block_pairs(codes, rule, source)
    sample = min(1.0, math.sqrt(pairs / max(total, 1.0)))  # about ``pairs`` pairs
    i, j = blocking.candidate_pairs(codes, [rule], source, sample=sample)
    if not len(i):
        return Household(0.0, 0.0)
    matrix = level_matrix(i, j)
    surname = matrix[:, columns.surname]
    different = np.all(matrix[:, list(others)] == 0, axis=1) & (surname >= 0)
    agree = surname >= columns.surname_top - 1
    share = (agree[different].sum() + 1) / (different.sum() + 2) if different.sum() >= 20 else 0
    twins = 0.0
    if columns.date is not None:
        date = matrix[:, columns.date]
        people = agree & (date >= 0) & (initials[i] >= 0) & (initials[j] >= 0)
        people &= initials[i] != initials[j]
        if columns.first is not None:
            people &= matrix[:, columns.first] == 0
        if people.sum() >= 20:
            twins = float(((date[people] == columns.date_top).sum() + 1) / (people.sum() + 2))
    return Household(float(share), twins)


def household_bits(matrix: LevelMatrix, fitted: model.Model, columns: Columns) -> Floats:
    """Where address and surname agree, the surname and the date of birth count only as much
    as they say among people at one address: their u becomes the household share."""
    correction = np.zeros(len(matrix))
    shares = fitted.household
    if shares is None:
        return correction
    home = matrix[:, columns.place] == columns.place_top
    surname = matrix[:, columns.surname]
    u_surname = fitted.fields[columns.surname].u
    if shares.surname:
        for level in (columns.surname_top, columns.surname_top - 1):
            rows = home & (surname == level)
            correction[rows] += min(0.0, math.log2(u_surname[level] / shares.surname))
    if columns.date is not None and shares.date:
        rows = home & (surname >= columns.surname_top - 1)
        rows &= matrix[:, columns.date] == columns.date_top
        u_date = fitted.fields[columns.date].u[columns.date_top]
        correction[rows] += min(0.0, math.log2(u_date / shares.date))
    return correction
