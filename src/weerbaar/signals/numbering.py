from __future__ import annotations

from weerbaar.core import numbering
from weerbaar.organisations.models import Municipality

from .models import SignalCounter


def next_reference(municipality: Municipality) -> str:
    """GM0590-2026-00012: per municipality and year; call inside the creating transaction."""
    return numbering.next_reference(SignalCounter, municipality)
