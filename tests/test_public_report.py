"""The anonymous public form: no account, no IP kept, a reporter code, throttling, honeypot."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import AuditEntry
from weerbaar.core.testing import login
from weerbaar.signals import actions
from weerbaar.signals.models import ReporterCode, Signal, SignalAddition

pytestmark = pytest.mark.django_db
FORM = {
    "description": "In de loods aan de Demostraat brandt dag en nacht licht",
    "postcode": "3351AB",
    "house_number": "7",
}


@pytest.fixture(autouse=True)
def clear_cache():  # type: ignore[no-untyped-def]
    cache.clear()


def report(world, data=None, ip="203.0.113.9"):  # type: ignore[no-untyped-def]
    return Client(REMOTE_ADDR=ip).post(
        reverse("report:form", args=[world.papendrecht.code]), data or FORM
    )


def test_anonymous_report_gives_a_code_and_keeps_no_ip(world):
    response = report(world)
    assert response.status_code == 200
    body = response.content.decode()
    code = body.split('data-testid="reporter-code">')[1].split("<")[0]
    signal = Signal.objects.get()
    assert signal.channel == "anoniem" and signal.created_by is None
    assert not ReporterCode.objects.filter(code_hash=code).exists()  # only the hash is stored
    assert actions.signal_for_code(code.lower()) == signal  # forgiving about case
    entry = AuditEntry.objects.get(object_id=str(signal.pk))
    assert entry.ip_address is None and entry.actor_label == "anoniem"
    assert "203.0.113.9" not in str(list(AuditEntry.objects.values()))


def test_reporter_sees_coarse_status_and_adds_information(world):
    body = report(world).content.decode()
    code = body.split('data-testid="reporter-code">')[1].split("<")[0]
    signal = Signal.objects.get()
    actions.change_status(world["regisseur"], signal, "in_behandeling")
    client = Client(REMOTE_ADDR="198.51.100.1")
    response = client.post(
        reverse("report:status"), {"code": code, "text": "Er staat nu ook een busje"}
    )
    page = response.content.decode()
    assert "In behandeling" in page and "in_behandeling" not in page
    assert SignalAddition.objects.get(signal=signal).text == "Er staat nu ook een busje"
    regisseur = login(Client(), world["regisseur"])
    assert (
        "Er staat nu ook een busje"
        in regisseur.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    )
    assert client.post(reverse("report:status"), {"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 404


def test_code_stops_working_when_the_signal_is_gone(world):
    body = report(world).content.decode()
    code = body.split('data-testid="reporter-code">')[1].split("<")[0]
    Signal.objects.all().delete()
    assert actions.signal_for_code(code) is None


def test_flood_is_throttled_without_losing_earlier_reports(world, settings):
    settings.PUBLIC_REPORTS_PER_HOUR = 3
    codes = [report(world).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    response = report(world)
    assert response.status_code == 429
    assert "eerdere meldingen zijn bewaard" in response.content.decode()
    assert Signal.objects.count() == 3
    assert report(world, ip="192.0.2.44").status_code == 200  # another client is not blocked


def test_honeypot_accepts_silently_but_stores_nothing(world):
    response = report(world, {**FORM, "website": "http://spam.example"})
    assert response.status_code == 200 and "meldcode" not in response.content.decode()
    assert not Signal.objects.exists()


def test_bad_input_keeps_the_text(world):
    response = report(world, {**FORM, "postcode": "12"})
    assert response.status_code == 400
    assert FORM["description"] in response.content.decode()
    assert "Geen geldige postcode" in response.content.decode()
    assert not Signal.objects.exists()


def test_only_participating_municipalities_take_reports(world):
    world.elsewhere.is_participating = False
    world.elsewhere.save()
    assert Client().get(reverse("report:form", args=[world.elsewhere.code])).status_code == 404
    assert "Papendrecht" in Client().get(reverse("report:choose")).content.decode()


def test_markup_is_shown_as_text(world):
    report(world, {**FORM, "description": "<script>alert(1)</script> bij de loods"})
    signal = Signal.objects.get()
    page = (
        login(Client(), world["regisseur"])
        .get(reverse("signals:detail", args=[signal.pk]))
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
