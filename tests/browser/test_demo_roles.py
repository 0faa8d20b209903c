"""Done-when check: every demo account signs in (with its second factor) and sees its own menu."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.otp import current_code
from weerbaar.accounts.roles import Perm, role_has_perm
from weerbaar.demo.region import ACCOUNTS, DEMO_PASSWORD, load_demo_region
from weerbaar.organisations.reference import load_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU = {
    Perm.MODULE_SIGNALS: "Signalen",
    Perm.MODULE_LIO: "LIO",
    Perm.MODULE_CASES: "Casussen",
    Perm.MODULE_INSPECTIONS: "Controles",
    Perm.MODULE_ENTITIES: "Entiteiten",
    Perm.MODULE_PICTURE: "Beeld",
    Perm.MODULE_RESILIENCE: "Weerbaarheid",
    Perm.MODULE_KNOWLEDGE: "Kennisbank",
    Perm.MODULE_PLAN: "Plan en verantwoording",
    Perm.MODULE_ADMIN: "Beheer",
}


def test_every_demo_role_signs_in_and_sees_its_menu(page):
    load_reference_data()
    load_demo_region()
    for account in ACCOUNTS:
        page.goto("/")
        page.get_by_label("Gebruikersnaam of e-mailadres").fill(account.username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        device = TOTPDevice.objects.filter(user__username=account.username, confirmed=True).first()
        if device is not None:
            page.wait_for_url(lambda url: urlparse(url).path == "/inloggen/code/")
            page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
            page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url(lambda url: urlparse(url).path == "/")
        expected = ["Start"] + [
            label for perm, label in MENU.items() if role_has_perm(account.role, perm)
        ]
        nav = page.get_by_role("navigation", name="Hoofdmenu")
        assert nav.get_by_role("link").all_inner_texts() == expected, account.username
        assert account.role.label.lower() in page.locator(".wb-lead").inner_text().lower()
        page.get_by_role("button", name="Uitloggen").click()
        page.wait_for_url(lambda url: urlparse(url).path == "/inloggen/")
