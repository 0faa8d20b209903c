"""Figures about inspections for dashboards and the yearly report (counts only, no content).

These take a municipality, not a user: the caller decides whether the user may see that
municipality's figures (the regisseur dashboard asks for the user's own municipality).
"""

from __future__ import annotations

from weerbaar.organisations.models import Municipality

from .models import Inspection, InspectionTarget
from .workflow import HELD_STATUSES


def held_against_target(municipality: Municipality, year: int) -> tuple[int, int]:
    """(held, planned): inspections held in ``year`` against the yearly target.

    Held means status gehouden or afgerond with the held date in that year; cancelled ones
    never count. ``planned`` is the target set for that year, 0 when none is set.
    """
    held = Inspection.objects.filter(
        municipality=municipality, status__in=HELD_STATUSES, held_on__year=year
    ).count()
    target = (
        InspectionTarget.objects.filter(municipality=municipality, year=year)
        .values_list("planned_count", flat=True)
        .first()
    )
    return held, target or 0
