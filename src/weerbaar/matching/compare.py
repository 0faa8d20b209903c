"""Score one query against one candidate record, and say why in Dutch.

The outcomes (levels) and their thresholds are those of the batch linker (``levels``); the
weights are fixed (``weights``). The score is a match probability: the prior (one over the
register's size) plus the evidence of every field, in bits. Fields missing on either side
count for nothing and say so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from . import normalize as nl
from . import weights
from .explain import Reason, confidence, reason
from .levels import (
    FIRST_NAME_SIMILAR,
    SIMILAR_LENGTH,
    STRING_CLOSE,
    STRING_SIMILAR,
    SURNAME_CLOSE,
    SURNAME_SIMILAR,
    fitting_initials,
)


@dataclass(frozen=True)
class Match:
    """A calibrated score (0..1), its confidence label and the reasons behind it."""

    score: float
    confidence: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return sum(r.weight for r in self.reasons)


def _text(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value).strip()


def _finish(prior_bits: float, reasons: list[Reason]) -> Match:
    total = prior_bits + sum(r.weight for r in reasons)
    score = 1.0 / (1.0 + math.pow(2.0, -max(min(total, 60.0), -60.0)))
    return Match(score=round(score, 6), confidence=confidence(score), reasons=reasons)


def _weighted(
    table: Mapping[str, Mapping[str, tuple[float, float]]],
    name: str,
    outcome: str,
    similarity: float | None = None,
    detail: str = "",
    adjust: float = 0.0,
) -> Reason:
    return reason(
        name, outcome, weights.bits(dict(table[name]), outcome) + adjust, similarity, detail
    )


# Persons ---------------------------------------------------------------------------------


def _capitals(text: str) -> str:
    """A lone word of two to four capitals ("JAT"): perhaps initials without dots."""
    word = text.strip()
    return word.lower() if word.isalpha() and word.isupper() and len(word) <= 4 else ""


def _first_names(
    a: nl.PersonName, b: nl.PersonName, raw_a: str = "", raw_b: str = ""
) -> tuple[str, float | None, str]:
    """As ``levels.first_names_levels``: initials fit full names only when a side has none."""
    if not a.initials or not b.initials:
        return "missing", None, ""
    shown = ".".join(sorted((a.initials, b.initials), key=len)[0].upper()) + "."
    if a.first_names and b.first_names:
        if a.first_names == b.first_names:
            return "exact", None, ""
        if a.first_name == b.first_name:
            return "same_first", None, ""
        similarity = JaroWinkler.normalized_similarity(a.first_name, b.first_name)
        distance = DamerauLevenshtein.distance(a.first_name, b.first_name)
        if distance <= 1 or "".join(a.first_names) == "".join(b.first_names):
            return "close", similarity, ""
        long_names = min(len(a.first_name), len(b.first_name)) >= SIMILAR_LENGTH
        if similarity >= FIRST_NAME_SIMILAR or (distance <= 2 and long_names):
            return "similar", similarity, ""
        for word, other in ((_capitals(raw_a), b.initials), (_capitals(raw_b), a.initials)):
            if word and word == other:
                return "same_initials", None, shown
        for word, other in ((_capitals(raw_a), b.initials), (_capitals(raw_b), a.initials)):
            if word and fitting_initials(word, other):
                return "compatible", None, shown
        return "different", similarity, ""
    if a.initials == b.initials:
        return "same_initials", None, shown
    if fitting_initials(a.initials, b.initials):
        return "compatible", None, shown
    return "different", None, ""


def _surname(a: nl.PersonName, b: nl.PersonName) -> tuple[str, float | None]:
    if not a.surname_core or not b.surname_core:
        return "missing", None
    if a.surname_core == b.surname_core:
        return "exact", None
    similarity = JaroWinkler.normalized_similarity(a.surname_core, b.surname_core)
    if similarity >= SURNAME_CLOSE:
        return "close", similarity
    double = len(a.surname_parts) > 1 or len(b.surname_parts) > 1
    if double and set(a.surname_parts) & set(b.surname_parts):
        return "part", None
    if similarity >= SURNAME_SIMILAR or nl.skeleton(a.surname_core) == nl.skeleton(b.surname_core):
        return "similar", similarity
    return "different", similarity


def _date(a: Any, b: Any) -> tuple[str, str]:
    first, second = nl.parse_date(a), nl.parse_date(b)
    if first is None or second is None:
        return "missing", ""
    if first == second:
        return "exact", ""
    if first.year == second.year and first.month == second.day and first.day == second.month:
        return "typo", "dag en maand verwisseld"
    if DamerauLevenshtein.distance(f"{first:%Y%m%d}", f"{second:%Y%m%d}") <= 1:
        return "typo", "één cijfer anders"
    if first.year == second.year:
        return "near", ""
    return "different", ""


@dataclass(frozen=True)
class _Place:
    postcode: str
    number: str
    letter: str
    addition: str
    street: str
    town: str

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> _Place:
        house = nl.normalize_house_number(
            _text(record, "house_number") or None,
            _text(record, "house_letter") or None,
            _text(record, "house_number_addition") or None,
        )
        return cls(
            postcode=nl.normalize_postcode(_text(record, "postcode")) or "",
            number=str(house.number) if house else "",
            letter=(house.letter or "") if house else "",
            addition=(house.addition or "") if house else "",
            street=nl.normalize_street(_text(record, "street")),
            town=nl.fold(_text(record, "town")),
        )

    @property
    def suffix(self) -> str:
        return f"{self.letter}{'-' + self.addition if self.addition else ''}" or "geen"


def _address(a: _Place, b: _Place) -> tuple[str, str]:
    same_number = bool(a.number) and a.number == b.number
    if a.postcode and a.postcode == b.postcode and same_number:
        if (a.letter, a.addition) == (b.letter, b.addition):
            return "exact", ""
        return "same_number", f"{a.suffix} / {b.suffix}"
    if same_number and a.street and a.street == b.street and a.town and a.town == b.town:
        return "street", ""
    if a.postcode and a.postcode == b.postcode:
        return "same_postcode", ""
    same_pc4 = bool(a.postcode) and a.postcode[:4] == b.postcode[:4]
    if same_number and (same_pc4 or (a.town and a.town == b.town)):
        return "same_number_area", ""
    has_area = (a.postcode and b.postcode) or (a.town and b.town)
    if not has_area:
        return "missing", ""
    if (a.postcode and a.postcode[:4] == b.postcode[:4]) or (a.town and a.town == b.town):
        return "same_area", ""
    return "different", ""


def _person_address_outcome(outcome: str) -> str:
    """Persons have five address outcomes; finer address outcomes fold into them."""
    return {"same_number": "exact", "street": "exact"}.get(outcome, outcome)


def compare_person(query: Mapping[str, Any], candidate: Mapping[str, Any]) -> Match:
    """A person (from a signal) against an officer or person record."""
    a = nl.normalize_person_name(
        _text(query, "first_names"), _text(query, "surname_prefix"), _text(query, "surname")
    )
    b = nl.normalize_person_name(
        _text(candidate, "first_names"),
        _text(candidate, "surname_prefix"),
        _text(candidate, "surname"),
    )
    table = weights.PERSON
    outcome, similarity, detail = _first_names(
        a, b, _text(query, "first_names"), _text(candidate, "first_names")
    )
    reasons = [_weighted(table, "first_names", outcome, similarity, detail)]
    outcome, similarity = _surname(a, b)
    adjust = weights.surname_adjustment(a.surname_core) if outcome == "exact" else 0.0
    reasons.append(_weighted(table, "surname", outcome, similarity, adjust=adjust))
    if a.prefix != b.prefix and nl.prefix_key(a.prefix) != nl.prefix_key(b.prefix):
        detail = f"{a.prefix or 'geen'} / {b.prefix or 'geen'}"
        reasons.append(reason("surname_prefix", "different", 0.0, detail=detail))
    outcome, detail = _date(query.get("date_of_birth"), candidate.get("date_of_birth"))
    reasons.append(_weighted(table, "date_of_birth", outcome, detail=detail))
    place_outcome, detail = _address(_Place.of(query), _Place.of(candidate))
    if place_outcome != "missing":
        reasons.append(_weighted(table, "address", _person_address_outcome(place_outcome)))
    return _finish(weights.PRIOR_BITS["person"], reasons)


# Companies -------------------------------------------------------------------------------


def _company_name(a: nl.CompanyName, b: nl.CompanyName) -> tuple[str, float | None]:
    if not a.compact or not b.compact:
        return "missing", None
    if a.compact == b.compact:
        return "exact", None
    similarity = max(
        JaroWinkler.normalized_similarity(a.compact, b.compact),
        fuzz.token_set_ratio(" ".join(a.tokens), " ".join(b.tokens)) / 100 * 0.97,
    )
    if similarity >= STRING_CLOSE:
        return "close", similarity
    if similarity >= STRING_SIMILAR:
        return "similar", similarity
    return "different", similarity


def compare_company(query: Mapping[str, Any], candidate: Mapping[str, Any]) -> Match:
    """A company (from a signal) against a KvK record (one name of it: registered or trade)."""
    table = weights.COMPANY
    a = nl.normalize_company_name(_text(query, "name"))
    b = nl.normalize_company_name(_text(candidate, "name"))
    outcome, similarity = _company_name(a, b)
    reasons = [_weighted(table, "name", outcome, similarity)]
    forms = sorted({form for form in (a.legal_form, b.legal_form) if form})
    if len(forms) == 1:
        reasons.append(reason("legal_form", "ignored", 0.0, detail=forms[0]))
    elif len(forms) == 2:
        reasons.append(reason("legal_form", "different", -0.5, detail=" / ".join(forms)))
    if a.holding != b.holding:
        reasons.append(reason("holding", "ignored", 0.0))
    kvk_a = "".join(c for c in _text(query, "kvk_number") if c.isdigit())
    kvk_b = "".join(c for c in _text(candidate, "kvk_number") if c.isdigit())
    if kvk_a and kvk_b:
        reasons.append(_weighted(table, "kvk_number", "exact" if kvk_a == kvk_b else "different"))
    outcome, _detail = _address(_Place.of(query), _Place.of(candidate))
    if outcome != "missing":
        reasons.append(_weighted(table, "address", _person_address_outcome(outcome)))
    return _finish(weights.PRIOR_BITS["company"], reasons)


# Addresses -------------------------------------------------------------------------------


def compare_address(query: Mapping[str, Any], candidate: Mapping[str, Any]) -> Match:
    """An address (from a signal) against a BAG address."""
    outcome, detail = _address(_Place.of(query), _Place.of(candidate))
    reasons = [_weighted(weights.ADDRESS, "address", outcome, detail=detail)]
    return _finish(weights.PRIOR_BITS["address"], reasons)
