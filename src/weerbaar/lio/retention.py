"""Retention: LIO meetings are deleted for real LIO_RETENTION_MONTHS (default 24) after they
took place, with their agenda, decisions and action items. What a decision set in motion
lives on in the case, signal or inspection it created, under their own retention. One audit
entry per municipality records how many meetings went, never their content."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.organisations.models import Municipality
from weerbaar.signals.retention import months_before

from .models import Meeting


@transaction.atomic
def purge(now: datetime | None = None) -> int:
    cutoff = months_before(now or timezone.now(), settings.LIO_RETENTION_MONTHS)
    doomed = list(Meeting.objects.filter(starts_at__lt=cutoff).values_list("pk", "municipality_id"))
    if not doomed:
        return 0
    per_municipality: dict[int, list[int]] = defaultdict(list)
    for pk, municipality_id in doomed:
        per_municipality[municipality_id].append(pk)
    municipalities = Municipality.objects.in_bulk(list(per_municipality))
    for municipality_id, ids in per_municipality.items():
        record(
            Action.DELETE,
            actor_label="bewaartermijn",
            obj=Target("lio.Meeting", "", "bewaartermijn verstreken"),
            municipality=municipalities[municipality_id],
            detail={"count": len(ids), "ids": sorted(ids)},
        )
    Meeting.objects.filter(pk__in=[pk for pk, _m in doomed]).delete()
    return len(doomed)


@task()
def purge_expired_meetings() -> int:
    return purge()
