from __future__ import annotations

from django.utils import timezone

from weerbaar.organisations.models import Municipality

from .models import SignalCounter


def next_reference(municipality: Municipality) -> str:
    """GM0590-2026-00012: per municipality and year; call inside the creating transaction."""
    year = timezone.localdate().year
    SignalCounter.objects.get_or_create(municipality=municipality, year=year)
    counter = SignalCounter.objects.select_for_update().get(municipality=municipality, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{municipality.code}-{year}-{counter.last:05d}"
