"""Reminders when a signal's deadline passes (a scheduled job; each deadline once)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.notifications.actions import notify

from .models import Signal


def _triage_users(municipality_id: int) -> list[User]:
    users = User.objects.filter(municipality_id=municipality_id, is_active=True)
    return [u for u in users if u.has_role_perm(Perm.SIGNALS_TRIAGE)]


def _recipients(signal: Signal) -> list[User]:
    """The handler, or every triage role of the municipality when there is no usable handler."""
    handler = signal.handler
    if handler is not None and handler.is_active and handler.has_role_perm(Perm.SIGNALS_TRIAGE):
        return [handler]
    return _triage_users(signal.municipality_id)


@transaction.atomic
def send_overdue_reminders() -> int:
    now, today = timezone.now(), timezone.localdate()
    sent = 0
    unread = Signal.objects.open().filter(
        first_read_at__isnull=True, first_read_due__lt=now, first_read_reminded_at__isnull=True
    )
    for signal in unread.select_for_update(skip_locked=True):
        recipients = _recipients(signal)
        notify(
            recipients,
            kind="termijn",
            text=_("Signaal {ref} is niet op tijd gelezen.").format(ref=signal.reference),
            link=reverse("signals:detail", args=[signal.pk]),
        )
        Signal.objects.filter(pk=signal.pk).update(first_read_reminded_at=now)
        sent += 1
    late = Signal.objects.open().filter(follow_up_due__lt=today, follow_up_reminded_at__isnull=True)
    for signal in late.select_for_update(skip_locked=True):
        recipients = _recipients(signal)
        notify(
            recipients,
            kind="termijn",
            text=_("De opvolgtermijn van signaal {ref} is verstreken.").format(
                ref=signal.reference
            ),
            link=reverse("signals:detail", args=[signal.pk]),
        )
        Signal.objects.filter(pk=signal.pk).update(follow_up_reminded_at=now)
        sent += 1
    return sent


@task()
def overdue_reminders() -> int:
    return send_overdue_reminders()
