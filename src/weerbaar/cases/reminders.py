"""Reminders for case tasks whose deadline passed (a scheduled job; each task once)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from weerbaar.accounts.models import User
from weerbaar.notifications.actions import notify

from .models import CaseTask
from .workflow import OPEN_PHASES


@transaction.atomic
def send_task_reminders() -> int:
    now, today = timezone.now(), timezone.localdate()
    late = CaseTask.objects.filter(
        done_at=None, due_on__lt=today, reminded_at=None, case__phase__in=OPEN_PHASES
    ).select_related("case", "owner", "case__lead")
    sent = 0
    for item in late.select_for_update(skip_locked=True, of=("self",)):
        recipients: list[User] = [u for u in (item.owner, item.case.lead) if u is not None]
        if item.owner_organisation_id:
            recipients += list(
                User.objects.filter(partner_organisation=item.owner_organisation_id, is_active=True)
            )
        notify(
            recipients,
            kind="termijn",
            text=_("Taak in casus {ref} is over de termijn: {t}").format(
                ref=item.case.reference, t=item.title
            ),
            link=reverse("cases:detail", args=[item.case_id]),
        )
        CaseTask.objects.filter(pk=item.pk).update(reminded_at=now)
        sent += 1
    return sent


@task()
def overdue_task_reminders() -> int:
    return send_task_reminders()
