"""Estimating the Fellegi-Sunter model from the data itself (no labelled pairs), like splink.

u: the level frequencies among random record pairs (nearly all non-matches). m: EM with u
held fixed, on the pairs of each training rule (records sharing e.g. a date of birth),
leaving out the rule's own fields, whose agreement the rule forced; the m of a field is the
mean over the rules that leave it free. Prior: the matches EM finds in a rule's pairs,
divided by the share of all matches that agree on the rule (its recall), over all pairs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from . import blocking, model
from .blocking import Rule
from .features import Codes

LevelMatrix = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]


def train(
    codes: dict[str, Codes],
    source: npt.NDArray[np.int8],
    names: Sequence[str],
    sizes: Sequence[int],
    rules: Sequence[Rule],
    level_matrix: Callable[[Codes, Codes], LevelMatrix],
    *,
    u_sample: int,
    train_pairs: int,
) -> model.Model:
    """m and u per field and the prior, estimated on the records themselves."""
    random_i, random_j = blocking.random_pairs(source, u_sample)
    u = model.level_frequencies(level_matrix(random_i, random_j), list(sizes))
    estimates: dict[str, list[Floats]] = {name: [] for name in names}
    sessions: list[tuple[Rule, float, float]] = []
    for rule in rules:
        total, dropped = blocking.block_pairs(codes, rule, source)
        if total < 1:
            continue
        # Records are sampled, so pairs fall with the square of the share kept.
        fraction = min(1.0, math.sqrt(train_pairs / total))
        i, j = blocking.candidate_pairs(codes, [rule], source, sample=fraction)
        matrix = level_matrix(i, j)
        excluded = rule.comparisons
        for column, name in enumerate(names):
            if name in excluded:
                matrix[:, column] = -1
        m, share, _ = model.expectation_maximisation(matrix, list(sizes), u)
        for column, name in enumerate(names):
            if name not in excluded:
                estimates[name].append(m[column])
        sessions.append((rule, share * total, dropped))
    m_final = [
        np.mean(estimates[name], axis=0) if estimates[name] else model.initial_m(size)
        for name, size in zip(names, sizes, strict=True)
    ]
    recalls = [_recall(rule, codes, names, m_final, dropped) for rule, _, dropped in sessions]
    prior = _prior(
        [(found, recall) for (_, found, _), recall in zip(sessions, recalls, strict=True)], source
    )
    fields = [model.FieldWeights(name, m_final[k], u[k]) for k, name in enumerate(names)]
    return model.Model(fields=fields, prior=prior)


def _recall(
    rule: Rule, codes: dict[str, Codes], names: Sequence[str], m: list[Floats], dropped: float
) -> float:
    """The share of all matches a rule's blocks hold: both records have each feature, and a
    match agrees exactly on it with chance m(exact). 0 (unknown) when blocks were left out
    or a feature is derived (its agreement among matches is not estimated)."""
    if dropped > 0:
        return 0.0
    recall = 1.0
    for feature in rule.features:
        name, kind = feature.split(".")
        if kind != "value" or name not in names:
            return 0.0
        present = float((codes[feature] >= 0).mean())
        recall *= present * present * float(m[list(names).index(name)][-1])
    return recall


def _prior(sessions: list[tuple[float, float]], source: npt.NDArray[np.int8]) -> float:
    """The chance that two records match: the matches a rule's blocks hold (EM's share times
    the pairs) over the rule's recall, over all record pairs; from the rules whose recall is
    known (else the plain average, a lower bound)."""
    known = [in_blocks / recall for in_blocks, recall in sessions if recall > 0]
    matches = known or [in_blocks for in_blocks, _ in sessions]
    count = len(source)
    left = int((source == 0).sum())
    total_pairs = left * (count - left) if source.max(initial=0) else count * (count - 1) / 2
    prior = float(np.mean(matches)) / total_pairs if matches else 1e-4
    return min(max(prior, 1e-12), 0.5)
