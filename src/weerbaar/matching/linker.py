"""Batch linkage and deduplication of large tables (registers, officers into persons).

Pipeline: normalise distinct values to integer codes (``features``, ``plain``) → candidate
pairs from blocking rules (``blocking``) → comparison levels per pair, string similarity by
rapidfuzz's multi-threaded ``cpdist`` once per distinct pair of values (``levels``) →
Fellegi-Sunter weights estimated on the data by EM (``training``, ``model``), with
term-frequency adjustments and the corrections Dutch person records need (``people``) →
threshold → one-to-one links, or clusters by greedy edge contraction (``cluster``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import blocking, cluster, model, scoring, training
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
    conflict_below: float = 0.0001
    max_cluster_size: int = 1000
    train_pairs: int = 250_000
    u_sample: int = 300_000
    tf_limit: float = 5.0
    # (first names, surname) comparisons of a person: adds the features "person.pair" (the
    # two names in either order) and "person.letters" (their first letters in either order),
    # scores a pair with the names swapped as if they were not, and corrects the evidence of
    # a full name that many people share (see ``people``).
    person_names: tuple[str, str] | None = None
    # (surname, address) comparisons: housemates share both, so when both agree the surname
    # and the date of birth count only as much as they say among people at one address
    # (estimated from the data).
    household: tuple[str, str] | None = None


# Persons as the registers hold them (the dict field names of ``compare``).
PERSONS = Settings(
    comparisons=(
        Comparison("first_names", "first_names", ("first_names",), term_frequencies=True),
        Comparison("surname", "surname", ("surname_prefix", "surname"), term_frequencies=True),
        Comparison("date_of_birth", "date", ("date_of_birth",), term_frequencies=True),
        Comparison("address", "address", ("postcode", "house_number", "town", "street")),
    ),
    # A pair is a candidate when it shares one of these keys. Each survives a different mix
    # of errors: a surname typo (first name + date, initials + date), a missing or wrong date
    # (names, names + town, address + initial), a move (names + date), names written the
    # wrong way round ("person.pair", "person.letters": the two names' first letters in
    # either order). Keys that many records share are skipped (max_block).
    blocking=(
        Rule(("surname.value", "date_of_birth.value"), max_block=200),
        Rule(("first_names.first", "date_of_birth.value"), max_block=200),
        Rule(("person.letters", "date_of_birth.value")),
        Rule(("person.letters", "date_of_birth.monthday", "address.town"), max_block=200),
        Rule(("person.letters", "date_of_birth.year", "address.pc4"), max_block=200),
        Rule(("person.pair",), max_block=20),
        Rule(("surname.skeleton", "first_names.first"), max_block=20),
        Rule(("surname.value", "first_names.initials"), max_block=20),
        Rule(("surname.value", "first_names.first", "address.town")),
        Rule(("address.value",), max_block=20),
        Rule(("address.pc4", "address.number", "first_names.initial")),
        Rule(("person.letters", "address.postcode")),
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
    model: model.Model
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def probability(self) -> Floats:
        """Match probability per pair, computed when asked (an array per pair costs ~90 MB
        for the 11.5M pairs of all officers; only the pairs kept need theirs)."""
        return _to_probability(self.weight)


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
    """1 / (1 + 2^-weight), in place on one work array."""
    out = np.clip(weight, -60, 60)
    np.negative(out, out=out)
    np.exp2(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
    return out


def _weight_of(probability: float) -> float:
    return math.log2(probability / (1 - probability))


@dataclass
class Prepared:
    """A table's features for matching, without its text: once prepared, the caller can let
    the table itself go (3.4M officers' names are ~200 MB that clustering does not need)."""

    ids: pl.Series
    features: scoring.Prepared
    began: tuple[float, float]  # perf_counter and process_time when normalising began

    @property
    def height(self) -> int:
        return len(self.ids)


def prepare(data: Any, settings: Settings = PERSONS, *, id_column: str = "id") -> Prepared:
    began = time.perf_counter(), time.process_time()
    frame = _frame(data)
    return Prepared(frame[id_column], scoring.prepare(frame, settings), began)


def score(frame: pl.DataFrame, source: npt.NDArray[np.int8], settings: Settings) -> Scored:
    """Block, compare and weigh the records of one table (or of two, stacked)."""
    began = time.perf_counter(), time.process_time()
    return score_prepared(scoring.prepare(frame, settings), source, settings, began)


def score_prepared(
    prepared: scoring.Prepared,
    source: npt.NDArray[np.int8],
    settings: Settings,
    began: tuple[float, float] | None = None,
) -> Scored:
    """``score`` on features already prepared (``began``: perf_counter and process_time when
    normalising began, so that it is timed as the first stage)."""
    timings: dict[str, float] = {}
    start, cpu_start = began or (time.perf_counter(), time.process_time())
    cpu: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = time.perf_counter() - start - sum(timings.values())
        cpu[name] = time.process_time() - cpu_start - sum(cpu.values())

    lap("normalise")
    codes = scoring.feature_codes(prepared)
    i, j = blocking.candidate_pairs(codes, settings.blocking, source)
    lap("block")
    scorer = scoring.Scorer(prepared, settings)
    matrix = scorer.level_matrix(i, j)
    lap("compare")
    fitted = training.train(
        codes,
        source,
        scorer.names,
        scorer.sizes,
        settings.training,
        scorer.level_matrix,
        u_sample=settings.u_sample,
        train_pairs=settings.train_pairs,
    )
    if settings.household:
        fitted.household = scorer.household(source)
    lap("train")
    weight = scorer.weigh(fitted, matrix, i)
    lap("weigh")
    timings.update({f"cpu_{name}": seconds for name, seconds in cpu.items()})
    return Scored(i, j, matrix, weight, fitted, timings)


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
            "probability": _to_probability(scored.weight[chosen]),
            "weight": scored.weight[chosen],
        }
    )
    return LinkResult(pairs=pairs, scored=scored)


def dedupe(data: Any, settings: Settings = PERSONS, *, id_column: str = "id") -> DedupeResult:
    """A cluster id per record: records of one entity share it."""
    return dedupe_prepared(prepare(data, settings, id_column=id_column), settings)


def dedupe_prepared(table: Prepared, settings: Settings = PERSONS) -> DedupeResult:
    """``dedupe`` on a table prepared with ``prepare``."""
    source = np.zeros(table.height, np.int8)
    scored = score_prepared(table.features, source, settings, table.began)
    labels = cluster.clusters(
        table.height,
        scored.i,
        scored.j,
        scored.weight,
        _weight_of(settings.threshold),
        _weight_of(settings.conflict_below),
        settings.max_cluster_size,
    )
    ids = table.ids
    above = scored.weight >= _weight_of(settings.threshold)
    return DedupeResult(
        clusters=pl.DataFrame({"id": ids, "cluster_id": ids.gather(labels)}),
        pairs=pl.DataFrame(
            {
                "id_l": ids.gather(scored.i[above]),
                "id_r": ids.gather(scored.j[above]),
                "probability": _to_probability(scored.weight[above]),
            }
        ),
        scored=scored,
    )
