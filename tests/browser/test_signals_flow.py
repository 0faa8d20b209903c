"""In a real browser: an anonymous report, triage by the regisseur, the reporter's status page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from weerbaar.accounts.otp import current_code
from weerbaar.organisations.models import Municipality
from weerbaar.organisations.reference import load_reference_data
from weerbaar.signals.taxonomy import load_phenomena

from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_report_to_triage_and_back(page):
    cache.clear()
    load_reference_data()
    load_phenomena()
    papendrecht = Municipality.objects.get(code="GM0590")
    papendrecht.is_participating = True
    papendrecht.save()
    regisseur = UserFactory(
        username="ruud", first_name="Ruud", role="regisseur", municipality=papendrecht
    )
    device = TOTPDevice.objects.create(user=regisseur, name="app", confirmed=True)

    page.goto("/melden/")
    page.get_by_role("link", name="Papendrecht").click()
    page.get_by_label("Wat is er aan de hand?").fill(
        "Boot vaart 's nachts zonder lichten de jachthaven uit"
    )
    page.get_by_label("Jachthavens en watergebonden locaties").check()
    page.get_by_label("Of: de plek of het gebied").fill("Jachthaven")
    page.get_by_role("button", name="Melding versturen").click()
    code = page.get_by_test_id("reporter-code").inner_text()
    assert len(code) == 19

    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("ruud")
    page.get_by_label("Wachtwoord").fill("Correct-paard-batterij-42")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    row = page.get_by_role("row").filter(has_text="Anoniem meldformulier")
    expect(row).to_contain_text("lezen vóór")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal GM0590-")
    page.get_by_label("Nieuwe status").select_option(label="In behandeling")
    page.get_by_role("button", name="Status wijzigen").click()
    expect(page.get_by_role("status").first).to_contain_text("De status is gewijzigd.")
    page.get_by_role("button", name="Uitloggen").click()

    page.goto("/melden/code/")
    page.get_by_label("Uw meldcode").fill(code)
    page.get_by_label("Aanvulling (niet verplicht)").fill("Het is een witte speedboot")
    page.get_by_role("button", name="Bekijken of aanvullen").click()
    expect(page.get_by_test_id("coarse-status")).to_have_text("In behandeling")
