"""Comparison levels and evidence for the record pairs of one prepared table.

``Scorer`` holds the normalised features and turns any record pairs (candidates, training
pairs, random pairs) into a level matrix, and levels into weights: the model's bits plus the
term-frequency adjustments and the person corrections of ``people``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import polars as pl

from . import features, levels, model, people

if TYPE_CHECKING:
    from .linker import Settings

Floats = npt.NDArray[np.float64]
Prepared = dict[str, dict[str, features.Coded]]
CHUNK = 1 << 20  # pairs compared at once: the per-pair work arrays stay small


def _tf_table(coded: features.Coded, limit: float) -> Floats:
    """Per value code: log2(S / tf(value)), so rare values weigh more than common ones when
    they agree exactly.

    S (the sum of squared term frequencies) is the chance two random records agree, so the
    adjustment averages out over agreeing random pairs.
    """
    counts = coded.counts().astype(np.float64)
    tf = counts / max(counts.sum(), 1.0)
    expected = float((tf**2).sum())
    return np.clip(np.log2(expected / np.maximum(tf, 1e-12)), -limit, limit)


def feature_codes(prepared: Prepared) -> dict[str, features.Codes]:
    """Per-record codes by feature name ("surname.skeleton"), as blocking rules name them."""
    return {
        f"{name}.{feature}": coded.codes
        for name, derived in prepared.items()
        for feature, coded in derived.items()
    }


def prepare(frame: pl.DataFrame, settings: Settings) -> Prepared:
    """Every comparison's features, and the person features when the settings name them."""
    prepared = {c.name: features.prepare(frame, c.kind, c.columns) for c in settings.comparisons}
    if settings.person_names:
        first, last = (prepared[name] for name in settings.person_names)
        prepared["person"] = {
            "pair": features.unordered_pair(first["first"], last["value"]),
            "letters": features.unordered_pair(first["initial"], last["initial"]),
        }
    return prepared


class Scorer:
    """Comparison levels and evidence for any record pairs of one prepared table."""

    def __init__(self, prepared: Prepared, settings: Settings) -> None:
        self.prepared = prepared
        self.settings = settings
        self.names = [c.name for c in settings.comparisons]
        self.sizes = [len(levels.LEVEL_NAMES[c.kind]) for c in settings.comparisons]

    def top(self, name: str) -> int:
        return self.sizes[self.names.index(name)] - 1

    def level_matrix(self, i: features.Codes, j: features.Codes) -> npt.NDArray[np.int8]:
        """Levels per pair and comparison, in chunks (the per-pair work arrays stay small)."""
        if len(i) <= CHUNK:
            return self._level_chunk(i, j)
        parts = [
            self._level_chunk(i[start : start + CHUNK], j[start : start + CHUNK])
            for start in range(0, len(i), CHUNK)
        ]
        return np.concatenate(parts)

    def _level_chunk(self, i: features.Codes, j: features.Codes) -> npt.NDArray[np.int8]:
        pairs = levels.Pairs(i, j)
        columns = [
            levels.LEVELS[c.kind](self.prepared[c.name], pairs) for c in self.settings.comparisons
        ]
        matrix = np.stack(columns, axis=1) if columns else np.zeros((len(i), 0), np.int8)
        if self.settings.person_names:
            first, last = self.settings.person_names
            columns_at = (self.names.index(first), self.names.index(last))
            people.unswap(matrix, self.prepared, columns_at, (first, last), i, j)
        return matrix

    def weigh(self, fitted: model.Model, matrix: npt.NDArray[np.int8], i: features.Codes) -> Floats:
        """Bits of evidence per pair (record i is the first of each pair).

        The per-value tables are made once; the pairs are weighed in chunks, so the work
        arrays stay small (weighing 11.5M officer pairs at once was the peak memory of
        clustering all officers)."""
        settings, prepared = self.settings, self.prepared
        tf_tables = {
            column: _tf_table(prepared[c.name]["value"], settings.tf_limit)
            for column, c in enumerate(settings.comparisons)
            if c.term_frequencies
        }
        dates = [c.name for c in settings.comparisons if c.kind == "date"]
        full_names = None
        if settings.person_names and dates:
            first, last = settings.person_names
            full_names = people.full_name_table(
                prepared[first]["value"],
                prepared[last]["value"],
                prepared[dates[0]]["value"],
                settings.tf_limit,
            )
        weight = np.empty(len(i))
        for start in range(0, len(i), CHUNK):
            part, pairs_i = matrix[start : start + CHUNK], i[start : start + CHUNK]
            chunk = fitted.match_weight(part)
            for column, table in tf_tables.items():
                exact = part[:, column] == self.sizes[column] - 1
                codes = prepared[settings.comparisons[column].name]["value"].codes
                chunk[exact] += table[codes[pairs_i[exact]]]
            if full_names is not None and settings.person_names:
                first, last = settings.person_names
                exact = (part[:, self.names.index(first)] == self.top(first)) & (
                    part[:, self.names.index(last)] == self.top(last)
                )
                chunk += people.full_name_lookup(
                    full_names, prepared[first]["value"], prepared[last]["value"], exact, pairs_i
                )
            if settings.household and fitted.household:
                chunk += people.household_bits(part, fitted, self.household_columns())
            weight[start : start + CHUNK] = chunk
        return weight

    def household_columns(self) -> people.Columns:
        assert self.settings.household is not None
        surname, place = self.settings.household
        dates = [k for k, c in enumerate(self.settings.comparisons) if c.kind == "date"]
        first = self.settings.person_names[0] if self.settings.person_names else None
        return people.Columns(
            surname=self.names.index(surname),
            place=self.names.index(place),
            surname_top=self.top(surname),
            place_top=self.top(place),
            date=dates[0] if dates else None,
            date_top=self.sizes[dates[0]] - 1 if dates else 0,
            first=self.names.index(first) if first else None,
        )

    def household(self, source: npt.NDArray[np.int8]) -> people.Household:
        """The household shares measured on this table (see ``people.household``)."""
        assert self.settings.household is not None
        _, place = self.settings.household
        others = [k for k, n in enumerate(self.names) if n not in self.settings.household]
        first = self.settings.person_names[0] if self.settings.person_names else None
        initials = (
            self.prepared[first]["initial"].codes
            if first
            else np.full(len(source), -1, dtype=np.int32)
        )
        return people.household(
            feature_codes(self.prepared),
            source,
            place,
            initials,
            self.level_matrix,
            self.household_columns(),
            others,
        )
