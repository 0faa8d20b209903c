"""Connections: earlier signals about the same subject or place, and likely duplicates.

Only what the user may see is considered (everything goes through ``for_user``). Subjects
meet on their ``match_key``; duplicates are signals at the same place within a time window
whose text is similar (rapidfuzz token-set ratio).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from rapidfuzz import fuzz

from weerbaar.accounts.models import User

from .models import Signal, Subject

DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATE_MIN_SIMILARITY = 60.0
MAX_HITS = 50


@dataclass
class Hit:
    signal: Signal
    reasons: list[str] = field(default_factory=list)


@dataclass
class Duplicate:
    signal: Signal
    similarity: int


@dataclass
class RelatedRecord:
    """A record of another module (a case, an inspection) that touches this signal."""

    label: str
    url: str
    reasons: list[str] = field(default_factory=list)


# Other modules register finders here (cases in their AppConfig.ready), so the signal page
# shows related cases without the signals app importing them. Each gets the signal, the user
# and the signal's match keys, and reads through its own model's gate.
RELATED_FINDERS: list[Callable[[Signal, User, dict[str, Any]], list[RelatedRecord]]] = []


def related_records(signal: Signal, user: User) -> list[RelatedRecord]:
    keys: dict[str, Any] = {s.match_key: s for s in signal.subjects.all() if s.match_key}
    if signal.postcode and signal.house_number:
        keys.setdefault(
            f"adres:{signal.postcode}:{signal.house_number}:"
            + "".join(c for c in signal.house_number_addition.lower() if c.isalnum()),
            "zelfde adres",
        )
    return [r for finder in RELATED_FINDERS for r in finder(signal, user, keys)]


def _same_place(signal: Signal) -> Q | None:
    if signal.postcode and signal.house_number:
        return Q(postcode=signal.postcode, house_number=signal.house_number)
    if signal.area_name:
        return Q(area_name__iexact=signal.area_name)
    return None


def hits_for(signal: Signal, user: User) -> list[Hit]:
    """Other signals the user may see that share a subject or the address."""
    visible = Signal.objects.for_user(user).exclude(pk=signal.pk)
    found: dict[int, Hit] = {}
    keys = {s.match_key: s for s in signal.subjects.all() if s.match_key}
    if keys:
        matches = (
            Subject.objects.for_user(user)
            .filter(match_key__in=keys, signal__in=visible)
            .select_related("signal")[:MAX_HITS]
        )
        for subject in matches:
            hit = found.setdefault(subject.signal_id, Hit(subject.signal))
            hit.reasons.append(
                f"{subject.get_kind_display().lower()}: {keys[subject.match_key].label}"
            )
    if signal.postcode and signal.house_number:
        same_address = visible.filter(postcode=signal.postcode, house_number=signal.house_number)[
            :MAX_HITS
        ]
        for other in same_address:
            found.setdefault(other.pk, Hit(other)).reasons.append("zelfde adres")
    return sorted(found.values(), key=lambda h: h.signal.received_at, reverse=True)


def likely_duplicates(signal: Signal, user: User) -> list[Duplicate]:
    place = _same_place(signal)
    if place is None:
        return []
    candidates = (
        Signal.objects.for_user(user)
        .exclude(pk=signal.pk)
        .exclude(status="samengevoegd")
        .filter(place, municipality_id=signal.municipality_id)
        .filter(
            received_at__range=(
                signal.received_at - DUPLICATE_WINDOW,
                signal.received_at + DUPLICATE_WINDOW,
            )
        )[:MAX_HITS]
    )
    result = []
    for other in candidates:
        score = fuzz.token_set_ratio(signal.description.lower(), other.description.lower())
        if score >= DUPLICATE_MIN_SIMILARITY:
            result.append(Duplicate(other, round(score)))
    return sorted(result, key=lambda d: d.similarity, reverse=True)
