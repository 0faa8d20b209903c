"""The location map on the staff form: the municipality outline, and a click sets the point."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from weerbaar.accounts.otp import current_code
from weerbaar.organisations.boundaries import import_boundaries
from weerbaar.organisations.models import Municipality
from weerbaar.organisations.reference import load_reference_data
from weerbaar.signals.models import Signal
from weerbaar.signals.taxonomy import load_phenomena

from ..factories import UserFactory

SHARED_GEO = Path(__file__).resolve().parents[3] / "shared" / "geo"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not SHARED_GEO.is_dir(), reason="../shared/geo is not beside the checkout"),
]


def test_click_on_the_map_sets_the_point(page):
    load_reference_data()
    load_phenomena()
    import_boundaries(SHARED_GEO / "gemeente_2025.geojson")
    papendrecht = Municipality.objects.get(code="GM0590")
    user = UserFactory(username="mehmet", role="medewerker", municipality=papendrecht)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("mehmet")
    page.get_by_label("Wachtwoord").fill("Correct-paard-batterij-42")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    page.goto("/signalen/nieuw/")
    page.wait_for_selector("#location-map path.leaflet-interactive")  # the outline is drawn
    box = page.locator("#location-map").bounding_box()
    assert box is not None
    page.locator("#location-map").click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    expect(page.locator("#map-point")).to_contain_text("Gekozen punt: 51.")
    page.get_by_label("Wat heeft u gezien of gehoord?").fill("Verdachte overdracht op deze plek")
    page.get_by_role("button", name="Signaal versturen").click()
    expect(page.get_by_role("status").first).to_contain_text("Uw signaal is ontvangen")
    signal = Signal.objects.get()
    assert 51.8 < signal.latitude < 51.87 and 4.64 < signal.longitude < 4.74
