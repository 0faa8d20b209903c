"""In a real browser: sign in with TOTP, see the role's navigation, use Beheer and the API page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from weerbaar.accounts.otp import current_code
from weerbaar.organisations.reference import load_reference_data

from ..factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Correct-paard-batterij-42"


def at_path(path: str):  # type: ignore[no-untyped-def]
    return lambda url: urlparse(url).path == path


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert page.title().startswith("Inloggen")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_beheerder_enrols_totp_and_navigates(page):
    load_reference_data()
    from weerbaar.organisations.models import Municipality

    papendrecht = Municipality.objects.get(code="GM0590")
    UserFactory(username="bente", first_name="Bente", role="beheerder", municipality=papendrecht)
    UserFactory(username="ruud", role="regisseur", municipality=papendrecht, last_name="Regie")

    sign_in(page, "bente")
    page.wait_for_url(at_path("/inloggen/tweede-factor/"))
    assert page.locator(".wb-qr svg").is_visible()
    device = TOTPDevice.objects.get(user__username="bente", confirmed=False)
    page.get_by_label("Code uit uw authenticator-app").fill(
        "000000" if current_code(device) != "000000" else "111111"
    )
    page.get_by_role("button", name="Instellen en inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("De code klopt niet")
    page.wait_for_timeout(1100)  # django-otp throttles: one second after the first failure
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Instellen en inloggen").click()
    page.wait_for_url(at_path("/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Goedendag, Bente"

    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Start",
        "Weerbaarheid",
        "Kennisbank",
        "Beheer",
    ]
    nav.get_by_role("link", name="Beheer").click()
    page.get_by_role("link", name="Accounts").click()
    assert page.get_by_role("link", name="Test Regie").is_visible()

    # Filtering with htmx replaces the results in place.
    page.get_by_label("Zoeken").fill("bente")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("#results")).not_to_contain_text("Test Regie")
    expect(page.locator("#results caption")).to_have_text("1 account")
    assert "q=bente" in page.url  # htmx pushed the filter into the address bar

    # The keyboard user's skip link is the first stop on a fresh page.
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Direct naar de inhoud"


def test_bestuurder_signs_in_without_second_factor_and_sees_own_modules(page):
    load_reference_data()
    from weerbaar.organisations.models import Municipality

    UserFactory(
        username="bram",
        first_name="Bram",
        role="bestuurder",
        municipality=Municipality.objects.get(code="GM0590"),
    )
    sign_in(page, "bram")
    page.wait_for_url(at_path("/"))
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Start",
        "Beeld",
        "Weerbaarheid",
        "Plan en verantwoording",
    ]
    nav.get_by_role("link", name="Beeld").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Beeld"
    page.goto("/beheer/")
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"


def test_login_with_existing_totp_and_api_docs(page):
    load_reference_data()
    from weerbaar.organisations.models import Municipality

    user = UserFactory(
        username="anouk",
        first_name="Anouk",
        role="analist",
        municipality=Municipality.objects.get(code="GM0590"),
    )
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(page, "anouk")
    page.wait_for_url(at_path("/inloggen/code/"))
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(at_path("/"))
    page.goto("/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/municipalities/", timeout=15000)
    page.goto("/")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(at_path("/inloggen/"))
    assert "U bent uitgelogd." in page.content()


def test_pages_stay_dutch_for_an_english_browser(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
    )
    page = context.new_page()
    page.goto("/inloggen/")
    page.get_by_role("button", name="Inloggen").click()
    assert (
        page.locator(".utrecht-form-field-error-message").first.inner_text()
        == "Dit veld is vereist."
    )
    assert page.locator("html").get_attribute("lang") == "nl"
    context.close()
