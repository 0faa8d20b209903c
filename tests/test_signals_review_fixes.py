"""Regressions for the security review of the signals module."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.testing import login, token_client
from weerbaar.notifications.models import Notification
from weerbaar.signals import actions, mma
from weerbaar.signals.files import sniff
from weerbaar.signals.models import Signal
from weerbaar.signals.reminders import send_overdue_reminders
from weerbaar.signals.retention import purge

pytestmark = pytest.mark.django_db


def new(world, by="regisseur", **kwargs):  # type: ignore[no-untyped-def]
    user = world[by]
    return actions.create_signal(
        user,
        actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="tekst", **kwargs
        ),
    )


def test_partner_api_shows_no_subjects_or_internal_status(world):
    signal = new(world, subjects=[{"kind": "persoon", "name": "Jan Jansen"}])
    actions.change_status(world["regisseur"], signal, "in_behandeling")
    actions.update_triage(world["regisseur"], signal, shared_with=[world.police])
    body = token_client(world["partner"]).get(f"/api/v1/signals/{signal.pk}/").content.decode()
    assert "Jan Jansen" not in body and "in_behandeling" not in body and "In behandeling" in body


def test_filters_do_not_reveal_internal_status_to_filers(world):
    signal = new(world, by="medewerker")
    actions.change_status(world["regisseur"], signal, "in_behandeling")
    client = login(Client(), world["medewerker"])
    assert (
        client.get("/api/v1/signals/", {"status": "verrijkt"}).json()["count"] == 1
    )  # filter ignored


def test_rejected_api_update_changes_nothing(world):
    signal = new(world)
    response = token_client(world["regisseur"]).patch(
        f"/api/v1/signals/{signal.pk}/",
        {"priority": "urgent", "handler": "niemand"},
        content_type="application/json",
    )
    assert response.status_code == 400
    signal.refresh_from_db()
    assert signal.priority == "normaal"
    response = token_client(world["regisseur"]).patch(
        f"/api/v1/signals/{signal.pk}/",
        {"priority": "urgent", "status": "lio"},
        content_type="application/json",
    )
    assert response.status_code == 400
    signal.refresh_from_db()
    assert signal.priority == "normaal"
    other = token_client(world["regisseur"]).patch(
        f"/api/v1/signals/{signal.pk}/",
        {"handler": "regisseur-dordrecht"},
        content_type="application/json",
    )
    assert other.status_code == 400 and "Kies een regisseur" in other.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("enkel\nwaarde\n", "Kolommen ontbreken"),
        (
            "mma_nummer;ontvangen_op;gemeentecode;omschrijving;huisnummer\nA;2026-11-20T10:00;GM0590;x;²\n",
            None,
        ),
    ],
)
def test_odd_mma_files_give_messages_not_errors(world, content, message):
    if message:
        with pytest.raises(mma.FileProblem, match=message):
            mma.parse_file(content.encode(), "x.csv")
    else:
        report = mma.import_rows(
            world["regisseur"], mma.parse_file(content.encode(), "x.csv"), source="x.csv"
        )
        assert report.problems and "huisnummer" in report.problems[0].messages[0]


def test_merge_chains_are_purged_together(world):
    a, b, c = new(world), new(world), new(world)
    actions.merge(world["regisseur"], a, b)
    actions.merge(world["regisseur"], b, c)
    actions.change_status(world["regisseur"], c, "afgesloten")
    Signal.objects.all().update(closed_at=timezone.now() - timedelta(days=800))
    assert purge() == 3
    assert not Signal.objects.exists()


def test_throttle_uses_the_trusted_proxy_header(world, settings):
    cache.clear()
    settings.PROXY_CLIENT_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PUBLIC_REPORTS_PER_HOUR = 1
    url = reverse("report:form", args=["GM0590"])
    data = {"description": "iets"}
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_reminder_falls_back_when_the_handler_left(world):
    signal = new(world)
    actions.mark_read(world["regisseur"], signal)
    actions.assign(world["regisseur"], signal, world["analist"])
    Notification.objects.all().delete()
    world["analist"].is_active = False
    world["analist"].save()
    Signal.objects.filter(pk=signal.pk).update(
        follow_up_due=timezone.localdate() - timedelta(days=1)
    )
    send_overdue_reminders()
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"regisseur"}


def test_text_cut_inside_a_character_is_still_text():
    import io

    content = ("a" * 8191 + "é").encode()  # the é straddles byte 8192
    assert sniff(io.BytesIO(content)) == "text/plain"
