"""Notifications: on assignment and when deadlines pass; in the app and by e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.testing import assert_isolated, login
from weerbaar.notifications.models import Notification
from weerbaar.signals import actions
from weerbaar.signals.models import Signal
from weerbaar.signals.reminders import send_overdue_reminders

pytestmark = pytest.mark.django_db


def new_signal(world):  # type: ignore[no-untyped-def]
    return actions.create_signal(
        world["medewerker"],
        actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="Geheime inhoud"
        ),
    )


def test_assignment_notifies_the_handler_in_app_and_by_mail(
    world, django_capture_on_commit_callbacks
):
    signal = new_signal(world)
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign(world["regisseur"], signal, world["analist"])
    note = Notification.objects.get(recipient=world["analist"])
    assert signal.reference in note.text and "Geheime inhoud" not in note.text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world["analist"].email]
    page = login(Client(), world["analist"]).get("/").content.decode()
    assert 'data-testid="unread">1<' in page
    client = login(Client(), world["analist"])
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.for_user(world["analist"]).unread().exists()


def test_overdue_reminders_once_per_deadline(world, django_capture_on_commit_callbacks):
    signal = new_signal(world)
    Signal.objects.filter(pk=signal.pk).update(first_read_due=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders() == 1
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {
        "regisseur",
        "analist",
    }  # no handler yet: every triage role of the municipality
    assert send_overdue_reminders() == 0
    actions.mark_read(world["regisseur"], signal)
    actions.assign(world["regisseur"], signal, world["analist"])
    Signal.objects.filter(pk=signal.pk).update(
        follow_up_due=timezone.localdate() - timedelta(days=1)
    )
    assert send_overdue_reminders() == 1
    assert Notification.objects.filter(
        recipient=world["analist"], text__contains="opvolgtermijn"
    ).exists()


def test_inbox_is_personal(world):
    Notification.objects.create(recipient=world["analist"], kind="x", text="alleen-voor-analist")
    assert_isolated(
        reverse("notifications:inbox"),
        owner=world["analist"],
        outsiders=[world["regisseur"], world["regisseur_dordrecht"]],
        markers=["alleen-voor-analist"],
    )
