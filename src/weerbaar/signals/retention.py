"""Retention: signals closed without follow-up are deleted for real after a set period.

A signal closed at least ``SIGNAL_RETENTION_MONTHS`` months ago (default 12) without a
legal hold is deleted with everything that hangs on it (subjects, history, reporter
identity and code, additions); signals merged into it go with it. The purge writes one
audit entry per municipality with counts and references, never content. Signals that
belong to a case follow the case's retention instead (:mod:`weerbaar.cases.retention`).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.organisations.models import Municipality

from .models import Attachment, Signal
from .workflow import Status


def months_before(moment: datetime, months: int) -> datetime:
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def purge_candidates(now: datetime | None = None) -> list[Signal]:
    cutoff = months_before(now or timezone.now(), settings.SIGNAL_RETENTION_MONTHS)
    fields = ("pk", "reference", "municipality_id")
    # Closed signals past retention, and merged ones whose target is already gone.
    # Signals in a case follow the case's retention (weerbaar.cases.retention).
    doomed = list(
        Signal.objects.filter(
            status__in=[Status.CLOSED, Status.MERGED], closed_at__lt=cutoff, legal_hold=False
        )
        .exclude(status=Status.MERGED, merged_into__isnull=False)
        .exclude(cases__isnull=False)
        .only(*fields)
    )
    # Whatever was merged into a doomed signal goes with it, however deep the chain.
    frontier = [s.pk for s in doomed]
    while frontier:
        children = list(
            Signal.objects.filter(merged_into__in=frontier, legal_hold=False)
            .exclude(cases__isnull=False)
            .only(*fields)
        )
        doomed.extend(children)
        frontier = [c.pk for c in children]
    return doomed


@transaction.atomic
def purge(now: datetime | None = None) -> int:
    """Delete what is past its retention; return how many signals were deleted."""
    doomed = purge_candidates(now)
    if not doomed:
        return 0
    per_municipality: dict[int, list[str]] = defaultdict(list)
    for signal in doomed:
        per_municipality[signal.municipality_id].append(signal.reference)
    municipalities = Municipality.objects.in_bulk(list(per_municipality))
    for municipality_id, references in per_municipality.items():
        record(
            Action.DELETE,
            actor_label="bewaartermijn",
            obj=Target("signals.Signal", "", "bewaartermijn verstreken"),
            municipality=municipalities[municipality_id],
            detail={"count": len(references), "references": sorted(references)},
        )
    files = list(
        Attachment.objects.filter(signal__in=[s.pk for s in doomed]).values_list("file", flat=True)
    )
    Signal.objects.filter(pk__in=[s.pk for s in doomed]).delete()
    transaction.on_commit(lambda: delete_files(files))
    return len(doomed)


def delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@task()
def purge_expired_signals() -> int:
    return purge()
