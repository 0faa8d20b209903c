"""The regisseur's overview: what is open, what is late, and how the year is going.

Everything is read through the gates of the modules, for the user's own municipality.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.cases.models import Case, CaseTask
from weerbaar.cases.workflow import OPEN_PHASES, Phase
from weerbaar.inspections.stats import held_against_target
from weerbaar.interventions.models import Intervention
from weerbaar.lio.models import ActionItem

LIST_SIZE = 8


def regie_overview(user: User) -> dict[str, Any] | None:
    if not user.has_role_perm(Perm.CASES_WORK) or user.municipality is None:
        return None
    today = timezone.localdate()
    actions = (
        ActionItem.objects.for_user(user)
        .filter(done_at=None)
        .select_related("meeting", "owner", "owner_organisation")
        .order_by("due_on")
    )
    late_tasks = (
        CaseTask.objects.for_user(user)
        .filter(done_at=None, due_on__lt=today, case__phase__in=OPEN_PHASES)
        .select_related("case", "owner")
        .order_by("due_on")
    )
    per_phase = dict(
        Case.objects.for_user(user).values_list("phase").annotate(n=Count("pk")).order_by()
    )
    per_kind = dict(
        Intervention.objects.for_user(user)
        .filter(created_at__year=today.year)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    kind_labels = dict(Intervention._meta.get_field("kind").choices or [])
    held, planned = held_against_target(user.municipality, today.year)
    return {
        "year": today.year,
        "actions": list(actions[:LIST_SIZE]),
        "actions_total": actions.count(),
        "actions_late": actions.filter(due_on__lt=today).count(),
        "late_tasks": list(late_tasks[:LIST_SIZE]),
        "late_tasks_total": late_tasks.count(),
        "phases": [(label, per_phase.get(value, 0)) for value, label in Phase.choices],
        "interventions": sorted(
            ((str(kind_labels.get(k, k)), n) for k, n in per_kind.items()),
            key=lambda row: -row[1],
        ),
        "inspections": {"held": held, "planned": planned},
        "today": today,
    }
