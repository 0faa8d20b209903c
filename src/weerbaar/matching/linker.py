"""Batch linkage and deduplication of large tables (registers, officers into persons).

Pipeline: normalise distinct values to integer codes (``features``) → candidate pairs from
blocking rules in DuckDB (``blocking``) → comparison levels per pair with rapidfuzz's
multi-threaded ``cpdist`` (``levels``) → Fellegi-Sunter weights estimated by EM (``model``),
with term-frequency adjustments for names → threshold → one-to-one links or clusters with a
guard against chaining (``cluster``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import blocking, cluster, features, levels, model
from .blocking import Rule

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Comparison:
    """One compared field: its kind (see ``features.KINDS``) and input column(s)."""

    name: str
    kind: str
    columns: tuple[str, ...]
    term_frequencies: bool = False


@dataclass(frozen=True)
class Settings:
    """What to compare, how to block, where to cut.

    ``blocking`` rules name derived features as ``"comparison.feature"``; a pair is a
    candidate when it agrees on every feature of at least one rule. ``training`` rules give
    the pairs m is estimated on (each leaves out its own fields). ``threshold`` is a match
    probability; pairs below ``conflict_below`` keep a cluster from joining them.
    """

    comparisons: tuple[Comparison, ...]
    blocking: tuple[Rule, ...]
    training: tuple[Rule, ...]
    threshold: float = 0.5
    conflict_below: float = 0.01
    max_cluster_size: int = 1000
    train_pairs: int = 400_000
    u_sample: int = 300_000
    tf_limit: float = 5.0
    # (first names, surname) comparisons of a person: adds the feature "person.pair" (the two
    # names in either order) and scores a pair with the names swapped as if they were not.
    person_names: tuple[str, str] | None = None
    # (surname, address) comparisons: housemates share both, so when both agree the surname
    # counts only as much as it says among people at one address (estimated from the data).
    household: tuple[str, str] | None = None


# Persons as the registers hold them (the dict field names of ``compare``).
PERSONS = Settings(
    comparisons=(
        Comparison("first_names", "first_names", ("first_names",), term_frequencies=True),
        Comparison("surname", "surname", ("surname_prefix", "surname"), term_frequencies=True),
        Comparison("date_of_birth", "date", ("date_of_birth",), term_frequencies=True),
        Comparison("address", "address", ("postcode", "house_number", "town", "street")),
    ),
    blocking=(
        Rule(("surname.value", "date_of_birth.value"), max_block=200),
        Rule(("first_names.first", "date_of_birth.value"), max_block=200),
        Rule(("first_names.initial", "date_of_birth.value", "address.pc4")),
        Rule(("surname.skeleton", "first_names.initial", "date_of_birth.year"), max_block=200),
        Rule(("surname.first_part", "first_names.initial", "date_of_birth.monthday")),
        Rule(("surname.last_part", "first_names.initial", "date_of_birth.monthday")),
        Rule(("person.pair",), max_block=20),
        Rule(("surname.skeleton", "first_names.first"), max_block=20),
        Rule(("address.postcode", "first_names.initial")),
        Rule(("address.value",), max_block=20),
        Rule(("surname.value", "first_names.initials"), max_block=20),
    ),
    training=(
        Rule(("date_of_birth.value",)),
        Rule(("surname.value", "first_names.initial"), max_block=200),
    ),
    person_names=("first_names", "surname"),
    household=("surname", "address"),
)


@dataclass
class Scored:
    """Candidate pairs (indices into the combined table) with levels and scores."""

    i: npt.NDArray[np.int32]
    j: npt.NDArray[np.int32]
    levels: npt.NDArray[np.int8]
    weight: Floats
    probability: Floats
    model: model.Model
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class LinkResult:
    pairs: pl.DataFrame  # left_id, right_id, probability, weight
    scored: Scored


@dataclass
class DedupeResult:
    clusters: pl.DataFrame  # id, cluster_id
    pairs: pl.DataFrame  # id_l, id_r, probability (pairs above the threshold)
    scored: Scored


def _frame(data: Any) -> pl.DataFrame:
    if isinstance(data, pl.DataFrame):
        return data
    return pl.DataFrame(data) if not hasattr(data, "to_dict") else pl.from_pandas(data)


def _to_probability(weight: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp2(-np.clip(weight, -60, 60)))


def _weight_of(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def _tf_adjustment(
    prepared: dict[str, features.Coded], pairs_i: npt.NDArray[np.int32], limit: float
) -> Floats:
    """log2(S / tf(value)): rare values weigh more than common ones when they agree exactly.

    S (the sum of squared term frequencies) is the chance two random records agree, so the
    adjustment averages out over agreeing random pairs.
    """
    coded = prepared["value"]
    counts = coded.counts().astype(np.float64)
    tf = counts / max(counts.sum(), 1.0)
    expected = float((tf**2).sum())
    adjust = np.log2(expected / np.maximum(tf, 1e-12))
    return np.clip(adjust[coded.codes[pairs_i]], -limit, limit)


def _codes(prepared: dict[str, dict[str, features.Coded]]) -> dict[str, Any]:
    return {
        f"{name}.{feature}": coded.codes
        for name, derived in prepared.items()
        for feature, coded in derived.items()
    }


def _train(
    prepared: dict[str, dict[str, features.Coded]],
    source: npt.NDArray[np.int8],
    settings: Settings,
    level_matrix: Any,
    sizes: list[int],
    u: list[Floats],
) -> model.Model:
    """m per field from EM sessions on the training rules; the prior from their match counts."""
    names = [c.name for c in settings.comparisons]
    estimates: dict[str, list[Floats]] = {n: [] for n in names}
    sessions = []
    codes = _codes(prepared)
    for rule in settings.training:
        total = blocking.block_pairs(codes, rule, source)
        if total < 1:
            continue
        fraction = min(1.0, math.sqrt(settings.train_pairs / total))
        i, j = blocking.candidate_pairs(codes, [rule], source, sample=fraction)
        matrix = level_matrix(i, j)
        excluded = rule.comparisons
        for column, name in enumerate(names):
            if name in excluded:
                matrix[:, column] = -1
        m, share, _ = model.expectation_maximisation(matrix, sizes, u)
        for column, name in enumerate(names):
            if name not in excluded:
                estimates[name].append(m[column])
        sessions.append((rule, share * total))
    m_final = [
        np.mean(estimates[n], axis=0) if estimates[n] else model._initial_m(size)
        for n, size in zip(names, sizes, strict=True)
    ]
    matches = []
    for rule, in_block in sessions:  # in_block: estimated matches among the rule's pairs
        recall = 1.0
        for name, feature in (r.split(".") for r in rule.features):
            if feature == "value":
                recall *= float(m_final[names.index(name)][-1])
        matches.append(in_block / max(recall, 1e-3))
    count = len(source)
    left = int((source == 0).sum())
    total_pairs = left * (count - left) if source.max(initial=0) else count * (count - 1) / 2
    prior = float(np.mean(matches)) / total_pairs if matches else 1e-4
    fields = [model.FieldWeights(n, m_final[k], u[k]) for k, n in enumerate(names)]
    return model.Model(fields=fields, prior=min(max(prior, 1e-12), 0.5))


def _unswap(
    matrix: npt.NDArray[np.int8],
    prepared: dict[str, dict[str, features.Coded]],
    settings: Settings,
    i: npt.NDArray[np.int32],
    j: npt.NDArray[np.int32],
) -> None:
    """Pairs whose first name and surname were written the wrong way round count as close."""
    assert settings.person_names is not None
    first, last = settings.person_names
    names = [c.name for c in settings.comparisons]
    col_first, col_last = names.index(first), names.index(last)
    suspect = np.flatnonzero((matrix[:, col_first] <= 0) & (matrix[:, col_last] <= 0))
    if not len(suspect):
        return
    swapped = features.crossed(
        prepared[first]["first"], prepared[last]["value"], i[suspect], j[suspect]
    )
    rows = suspect[swapped]
    matrix[rows, col_first] = levels.LEVEL_NAMES["first_names"].index("close")
    matrix[rows, col_last] = levels.LEVEL_NAMES["surname"].index("close")


def _household_share(
    prepared: dict[str, dict[str, features.Coded]],
    source: npt.NDArray[np.int8],
    settings: Settings,
    level_matrix: Any,
) -> float:
    """Among different people at one address, the share that has the same surname.

    Pairs at one postcode + house number whose first names and dates of birth both differ
    are taken as different people.
    """
    assert settings.household is not None
    names = [c.name for c in settings.comparisons]
    surname, place = settings.household
    rule = Rule((f"{place}.value",), max_block=50)
    i, j = blocking.candidate_pairs(_codes(prepared), [rule], source)
    if not len(i):
        return 0.0
    matrix = level_matrix(i, j)
    others = [k for k, n in enumerate(names) if n not in settings.household]
    different = np.all(matrix[:, others] == 0, axis=1) & (matrix[:, names.index(surname)] >= 0)
    if different.sum() < 20:
        return 0.0
    top = len(levels.LEVEL_NAMES[settings.comparisons[names.index(surname)].kind]) - 1
    agree = matrix[different, names.index(surname)] >= top - 1
    return float((agree.sum() + 1) / (different.sum() + 2))


def _household_correction(
    matrix: npt.NDArray[np.int8], fitted: model.Model, settings: Settings
) -> Floats:
    """Replace u of the surname by the household share where surname and address agree."""
    assert settings.household is not None
    names = [c.name for c in settings.comparisons]
    surname, place = (names.index(n) for n in settings.household)
    kind = settings.comparisons[place].kind
    address_top = len(levels.LEVEL_NAMES[kind]) - 1
    surname_field = fitted.fields[surname]
    correction = np.zeros(len(matrix))
    for level in (len(surname_field.u) - 1, len(surname_field.u) - 2):
        rows = (matrix[:, place] == address_top) & (matrix[:, surname] == level)
        correction[rows] = math.log2(surname_field.u[level] / fitted.household)
    return np.minimum(correction, 0.0)


def score(frame: pl.DataFrame, source: npt.NDArray[np.int8], settings: Settings) -> Scored:
    """Block, compare and weigh the records of one table (or of two, stacked)."""
    import time

    timings: dict[str, float] = {}
    start = time.perf_counter()

    def lap(name: str) -> None:
        timings[name] = time.perf_counter() - start - sum(timings.values())

    prepared = {c.name: features.prepare(frame, c.kind, c.columns) for c in settings.comparisons}
    if settings.person_names:
        first, last = settings.person_names
        pair = features.unordered_pair(prepared[first]["first"], prepared[last]["value"])
        prepared["person"] = {"pair": pair}
    lap("normalise")
    i, j = blocking.candidate_pairs(_codes(prepared), settings.blocking, source)
    lap("block")
    sizes = [len(levels.LEVEL_NAMES[c.kind]) for c in settings.comparisons]

    def level_matrix(a: npt.NDArray[np.int32], b: npt.NDArray[np.int32]) -> npt.NDArray[np.int8]:
        columns = [levels.LEVELS[c.kind](prepared[c.name], a, b) for c in settings.comparisons]
        matrix = np.stack(columns, axis=1) if columns else np.zeros((len(a), 0), np.int8)
        if settings.person_names:
            _unswap(matrix, prepared, settings, a, b)
        return matrix

    matrix = level_matrix(i, j)
    lap("compare")
    ri, rj = blocking.random_pairs(source, settings.u_sample)
    u_random = model.level_frequencies(level_matrix(ri, rj), sizes)
    fitted = _train(prepared, source, settings, level_matrix, sizes, u_random)
    if settings.household:
        fitted.household = _household_share(prepared, source, settings, level_matrix)
    lap("train")
    weight = fitted.match_weight(matrix)
    for column, comparison in enumerate(settings.comparisons):
        if comparison.term_frequencies:
            top = sizes[column] - 1
            exact = matrix[:, column] == top
            adjust = _tf_adjustment(prepared[comparison.name], i[exact], settings.tf_limit)
            weight[exact] += adjust
    if settings.household and fitted.household:
        weight += _household_correction(matrix, fitted, settings)
    lap("weigh")
    return Scored(i, j, matrix, weight, _to_probability(weight), fitted, timings)


def link(
    left: Any, right: Any, settings: Settings = PERSONS, *, id_column: str = "id"
) -> LinkResult:
    """Pairs of left and right records that are the same entity, each record at most once."""
    a, b = _frame(left), _frame(right)
    common = [c for c in a.columns if c in b.columns]
    frame = pl.concat([a.select(common), b.select(common)], how="vertical_relaxed")
    source = np.concatenate([np.zeros(a.height, np.int8), np.ones(b.height, np.int8)])
    scored = score(frame, source, settings)
    chosen = cluster.one_to_one(scored.i, scored.j, scored.weight, _weight_of(settings.threshold))
    ids = frame[id_column]
    pairs = pl.DataFrame(
        {
            "left_id": ids.gather(scored.i[chosen]),
            "right_id": ids.gather(scored.j[chosen]),
            "probability": scored.probability[chosen],
            "weight": scored.weight[chosen],
        }
    )
    return LinkResult(pairs=pairs, scored=scored)


def dedupe(data: Any, settings: Settings = PERSONS, *, id_column: str = "id") -> DedupeResult:
    """A cluster id per record: records of one entity share it."""
    frame = _frame(data)
    source = np.zeros(frame.height, np.int8)
    scored = score(frame, source, settings)
    labels = cluster.clusters(
        frame.height,
        scored.i,
        scored.j,
        scored.weight,
        _weight_of(settings.threshold),
        _weight_of(settings.conflict_below),
        settings.max_cluster_size,
    )
    ids = frame[id_column]
    above = scored.weight >= _weight_of(settings.threshold)
    return DedupeResult(
        clusters=pl.DataFrame({"id": ids, "cluster_id": ids.gather(labels)}),
        pairs=pl.DataFrame(
            {
                "id_l": ids.gather(scored.i[above]),
                "id_r": ids.gather(scored.j[above]),
                "probability": scored.probability[above],
            }
        ),
        scored=scored,
    )
