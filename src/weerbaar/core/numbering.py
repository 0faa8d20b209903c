"""Gap-free reference numbers per municipality and year (signals, cases, ...)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from weerbaar.organisations.models import Municipality


def next_reference(counter_model: Any, municipality: Municipality, prefix: str = "") -> str:
    """GM0590-2026-00012 (or GM0590-CAS-2026-0012): call inside the creating transaction.

    ``counter_model`` has ``municipality``, ``year`` and ``last``; its row is locked until the
    transaction ends, so two writers never get the same number.
    """
    year = timezone.localdate().year
    counter_model.objects.get_or_create(municipality=municipality, year=year)
    counter = counter_model.objects.select_for_update().get(municipality=municipality, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    if prefix:
        return f"{municipality.code}-{prefix}-{year}-{counter.last:04d}"
    return f"{municipality.code}-{year}-{counter.last:05d}"
