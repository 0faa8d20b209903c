"""Sending notifications: in the app at once, by e-mail after the commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.models import User

from .models import Notification


def notify(
    recipients: Iterable[User], *, kind: str, text: str, link: str = ""
) -> list[Notification]:
    """One message per active recipient; the e-mail goes out once the transaction commits."""
    users = {u.pk: u for u in recipients if u.is_active}.values()
    created = Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, text=text[:300], link=link) for u in users]
    )
    addresses = [u.email for u in users if u.email]
    if addresses:
        body = f"{text}\n\n{settings.WEERBAAR_BASE_URL}{link}" if link else text

        def _send() -> None:
            for address in addresses:
                send_mail(f"Weerbaar: {text[:80]}", body, None, [address], fail_silently=True)

        transaction.on_commit(_send)
    return created


def mark_all_read(user: User) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())
