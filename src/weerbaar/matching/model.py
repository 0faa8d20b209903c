"""Fellegi-Sunter weights: m and u per comparison level, estimated by EM like splink.

m = P(level | same entity), u = P(level | different entities). ``u`` comes from random
record pairs (almost all non-matches). ``m`` is found by expectation maximisation over pairs
that share a training rule's value (e.g. the same date of birth), leaving out the fields of
that rule, whose agreement the rule forced; EM runs over the distinct level patterns (a few
thousand rows, however many pairs there are). A pair's weight is the prior's log-odds plus
the sum of log2(m/u) of its levels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

LevelMatrix = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
FLOOR = 1e-6


@dataclass
class FieldWeights:
    """m and u per level of one comparison (index = level)."""

    name: str
    m: Floats
    u: Floats

    @property
    def weights(self) -> Floats:
        return np.log2(np.maximum(self.m, FLOOR) / np.maximum(self.u, FLOOR))


@dataclass
class Model:
    """The estimated parameters; ``prior`` is the chance that two random records match."""

    fields: list[FieldWeights]
    prior: float
    household: Any = None  # people.Household: shares measured among housemates
    iterations: int = 0
    history: list[float] = field(default_factory=list)

    def weight_tables(self) -> list[Floats]:
        """Per field: weight by level + 1 (index 0 = missing, weight 0)."""
        return [np.concatenate(([0.0], f.weights)) for f in self.fields]

    def match_weight(self, levels: LevelMatrix) -> Floats:
        total = np.full(len(levels), np.log2(self.prior / (1 - self.prior)))
        for column, table in enumerate(self.weight_tables()):
            total += table[levels[:, column].astype(np.int64) + 1]
        return total


def level_frequencies(levels: LevelMatrix, sizes: list[int]) -> list[Floats]:
    """Share of each level per field among pairs where the field is present."""
    out = []
    for column, size in enumerate(sizes):
        values = levels[:, column]
        counts = np.bincount(values[values >= 0].astype(np.int64), minlength=size)
        out.append((counts + 1.0) / (counts.sum() + size))
    return out


def _patterns(levels: LevelMatrix) -> tuple[LevelMatrix, Floats]:
    """The distinct rows and how often each occurs (each row read as one number)."""
    if not len(levels):
        return levels, np.zeros(0)
    key = np.zeros(len(levels), dtype=np.int64)
    for column in range(levels.shape[1]):
        width = int(levels[:, column].max()) + 2
        key = key * width + (levels[:, column].astype(np.int64) + 1)
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    return levels[first], counts.astype(np.float64)


def initial_m(size: int) -> Floats:
    """Matches mostly agree: most mass on the top level, the rest falling off."""
    m = np.array([0.5 ** (size - 1 - level) for level in range(size)], dtype=np.float64)
    return m / m.sum()


def expectation_maximisation(
    levels: LevelMatrix,
    sizes: list[int],
    u: list[Floats],
    *,
    iterations: int = 40,
    prior: float = 0.01,
) -> tuple[list[Floats], float, int]:
    """m per field and the match share among ``levels``' pairs, with u held fixed.

    Fields whose column is all -1 (those the training pairs were blocked on) keep their
    starting m; the caller ignores them.
    """
    patterns, counts = _patterns(levels)
    m = [initial_m(size) for size in sizes]
    present = patterns >= 0
    index = np.maximum(patterns, 0).astype(np.int64)
    log_u = np.zeros(len(patterns))
    for column in range(len(sizes)):
        log_u += np.where(present[:, column], np.log(u[column][index[:, column]]), 0.0)
    done = 0
    for done in range(1, iterations + 1):  # noqa: B007
        log_m = np.zeros(len(patterns))
        for column in range(len(sizes)):
            log_m += np.where(present[:, column], np.log(m[column][index[:, column]]), 0.0)
        odds = np.log(prior) - np.log1p(-prior) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(odds, -700, 700)))
        matched = posterior * counts
        new_prior = float(matched.sum() / counts.sum())
        for column, size in enumerate(sizes):
            col_present = present[:, column]
            if not col_present.any():
                continue
            idx = index[col_present, column]
            m_counts = np.bincount(idx, weights=matched[col_present], minlength=size)
            m[column] = (m_counts + 1e-3) / (m_counts.sum() + 1e-3 * size)
        converged = abs(new_prior - prior) < 1e-6 * max(prior, 1e-6)
        prior = min(max(new_prior, 1e-9), 1 - 1e-9)
        if converged:
            break
    return m, prior, done
