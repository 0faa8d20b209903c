"""Retention: closed signals are really deleted after the period, unless on legal hold."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.schedule import JOBS
from weerbaar.signals import actions
from weerbaar.signals.models import ReporterCode, Signal, StatusChange, Subject
from weerbaar.signals.retention import months_before, purge

pytestmark = pytest.mark.django_db


def closed_signal(world, days_ago, **kwargs):  # type: ignore[no-untyped-def]
    signal = actions.create_signal(
        world["regisseur"],
        actions.NewSignal(
            municipality=world.papendrecht,
            channel="medewerker",
            description="oud",
            subjects=[{"kind": "voertuig", "licence_plate": "12-ABC-3"}],
            **kwargs,
        ),
    )
    actions.change_status(world["regisseur"], signal, "afgesloten")
    Signal.objects.filter(pk=signal.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return Signal.objects.get(pk=signal.pk)


def test_months_before_handles_month_ends():
    moment = datetime(2026, 3, 31, 12, 0)
    assert months_before(moment, 1) == datetime(2026, 2, 28, 12, 0)
    assert months_before(moment, 12) == datetime(2025, 3, 31, 12, 0)


def test_purge_deletes_rows_and_records_only_references(world):
    old = closed_signal(world, 400)
    recent = closed_signal(world, 100)
    held = closed_signal(world, 400)
    actions.set_legal_hold(world["regisseur"], held, True, reason="Rechtszaak")
    duplicate = actions.create_signal(
        world["regisseur"],
        actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="dubbel"
        ),
    )
    actions.change_status(world["regisseur"], recent, "in_behandeling")  # reopened: not closed
    Signal.objects.filter(pk=duplicate.pk).update(status="samengevoegd", merged_into=old)
    ReporterCode.objects.create(signal=old, code_hash="x" * 64)
    assert purge() == 2
    assert set(Signal.objects.values_list("pk", flat=True)) == {recent.pk, held.pk}
    assert not Subject.objects.filter(signal_id__in=[old.pk, duplicate.pk]).exists()
    assert not StatusChange.objects.filter(signal_id=old.pk).exists()
    assert not ReporterCode.objects.exists()
    entry = AuditEntry.objects.get(action=Action.DELETE, actor_label="bewaartermijn")
    assert entry.detail["count"] == 2 and old.reference in entry.detail["references"]
    assert "oud" not in entry.canonical().decode().replace("bewaartermijn", "")
    assert purge() == 0


def test_purge_is_a_scheduled_job():
    assert "purge_expired_signals" in JOBS


def test_legal_hold_needs_a_reason_and_triage_role(world):
    signal = closed_signal(world, 10)
    with pytest.raises(ValidationError):
        actions.set_legal_hold(world["regisseur"], signal, True, reason=" ")
    client = Client()
    from weerbaar.core.testing import login

    login(client, world["regisseur_dordrecht"])
    assert (
        client.post(
            reverse("signals:legal_hold", args=[signal.pk]), {"hold": "1", "reason": "x"}
        ).status_code
        == 404
    )
    signal.refresh_from_db()
    assert not signal.legal_hold
