"""Reminder before a closure ends (a scheduled job): the case lead decides in time whether to
extend or lift it. Sent once per end date, INTERVENTION_CLOSURE_REMINDER_DAYS before it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from weerbaar.accounts.models import User
from weerbaar.notifications.actions import notify

from .models import Intervention
from .workflow import ACTIVE_STATUSES, CLOSURE_KINDS


@transaction.atomic
def send_closure_reminders() -> int:
    now, today = timezone.now(), timezone.localdate()
    horizon = today + timedelta(days=settings.INTERVENTION_CLOSURE_REMINDER_DAYS)
    due = Intervention.objects.filter(
        kind__in=CLOSURE_KINDS,
        status__in=ACTIVE_STATUSES,
        ends_on__gte=today,
        ends_on__lte=horizon,
        reminded_at=None,
    ).select_related("case", "case__lead", "created_by")
    sent = 0
    for item in due.select_for_update(skip_locked=True, of=("self",)):
        assert item.ends_on is not None
        lead: User | None = item.case.lead or item.created_by  # no lead: who registered it
        notify(
            [lead] if lead else [],
            kind="interventie",
            text=_(
                "{kind} in casus {ref} eindigt op {end}: besluit over verlengen of opheffen."
            ).format(
                kind=item.get_kind_display(),
                ref=item.case.reference,
                end=item.ends_on.strftime("%d-%m-%Y"),
            ),
            link=reverse("cases:detail", args=[item.case_id]) + "#interventies",
        )
        Intervention.objects.filter(pk=item.pk).update(reminded_at=now)
        sent += 1
    return sent


@task()
def closure_reminders() -> int:
    return send_closure_reminders()
