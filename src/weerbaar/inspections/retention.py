"""Retention: completed and cancelled inspections are deleted for real
INSPECTION_RETENTION_MONTHS (default 60) after their date, with their target list and
findings, unless they belong to a case that is still open (then the case's retention decides).
Signals made from findings live on under the signals' own retention. One audit entry per
municipality with counts and reference numbers, never content."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.cases.workflow import OPEN_PHASES
from weerbaar.organisations.models import Municipality
from weerbaar.signals.retention import months_before

from .models import Inspection
from .workflow import Status


@transaction.atomic
def purge(today: date | None = None) -> int:
    today = today or timezone.localdate()
    cutoff = months_before(
        datetime(today.year, today.month, today.day),
        settings.INSPECTION_RETENTION_MONTHS,
    ).date()
    doomed = list(
        Inspection.objects.filter(
            status__in=[Status.COMPLETED, Status.CANCELLED], planned_on__lt=cutoff
        )
        .exclude(case__phase__in=OPEN_PHASES)
        .values_list("pk", "reference", "municipality_id")
    )
    if not doomed:
        return 0
    per_municipality: dict[int, list[str]] = defaultdict(list)
    for _pk, reference, municipality_id in doomed:
        per_municipality[municipality_id].append(reference)
    municipalities = Municipality.objects.in_bulk(list(per_municipality))
    for municipality_id, references in per_municipality.items():
        record(
            Action.DELETE,
            actor_label="bewaartermijn",
            obj=Target("inspections.Inspection", "", "bewaartermijn verstreken"),
            municipality=municipalities[municipality_id],
            detail={"count": len(references), "references": sorted(references)},
        )
    Inspection.objects.filter(pk__in=[pk for pk, _r, _m in doomed]).delete()
    return len(doomed)


@task()
def purge_expired_inspections() -> int:
    return purge()
