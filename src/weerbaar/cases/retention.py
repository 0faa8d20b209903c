"""Retention: a closed case is deleted for real once its retention date has passed.

Closing a case sets ``retain_until`` (CASE_RETENTION_MONTHS after closing, default 60). The
purge deletes the case with everything on it (subjects, tasks, documents and their files,
timeline, partners, interventions) and the signals that belong only to this case, unless a
legal hold is set on the case or the signal. One audit entry per municipality records counts
and reference numbers, never content.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.organisations.models import Municipality
from weerbaar.signals.models import Attachment, Signal
from weerbaar.signals.retention import delete_files

from .models import Case, CaseDocument
from .workflow import Phase


def purge_candidates(today: date | None = None) -> list[Case]:
    today = today or timezone.localdate()
    return list(
        Case.objects.filter(phase=Phase.CLOSED, retain_until__lt=today, legal_hold=False).only(
            "pk", "reference", "municipality_id"
        )
    )


@transaction.atomic
def purge(today: date | None = None) -> int:
    doomed = purge_candidates(today)
    if not doomed:
        return 0
    ids = [c.pk for c in doomed]
    # Signals of these cases that no surviving case holds on to, and that carry no hold.
    signal_ids = list(
        Signal.objects.filter(cases__in=ids, legal_hold=False)
        .exclude(cases__in=Case.objects.exclude(pk__in=ids))
        .values_list("pk", flat=True)
        .distinct()
    )
    merged = Signal.objects.filter(merged_into__in=signal_ids, legal_hold=False)
    signal_ids += list(merged.values_list("pk", flat=True))
    per_municipality: dict[int, dict[str, list[str]]] = defaultdict(
        lambda: {"cases": [], "signals": []}
    )
    for case in doomed:
        per_municipality[case.municipality_id]["cases"].append(case.reference)
    by_signal = dict(
        Signal.objects.filter(pk__in=signal_ids).values_list("reference", "municipality_id")
    )
    for ref, municipality_id in by_signal.items():
        per_municipality[municipality_id]["signals"].append(ref)
    municipalities = Municipality.objects.in_bulk(list(per_municipality))
    for municipality_id, refs in per_municipality.items():
        record(
            Action.DELETE,
            actor_label="bewaartermijn",
            obj=Target("cases.Case", "", "bewaartermijn verstreken"),
            municipality=municipalities[municipality_id],
            detail={
                "count": len(refs["cases"]),
                "references": sorted(refs["cases"]),
                "signals": sorted(refs["signals"]),
            },
        )
    files = list(CaseDocument.objects.filter(case__in=ids).values_list("file", flat=True))
    files += list(Attachment.objects.filter(signal__in=signal_ids).values_list("file", flat=True))
    Case.objects.filter(pk__in=ids).delete()
    Signal.objects.filter(pk__in=signal_ids).delete()
    transaction.on_commit(lambda: delete_files(files))
    return len(doomed)


@task()
def purge_expired_cases() -> int:
    return purge()
