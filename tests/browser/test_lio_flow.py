"""In a real browser: LIO agenda → decision → case with one click → a partner on the case."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from weerbaar.accounts.otp import current_code
from weerbaar.cases.models import Case
from weerbaar.lio import actions as lio_actions
from weerbaar.signals import actions as signal_actions

from ..factories import MunicipalityFactory, PartnerOrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Correct-paard-batterij-42"


def sign_in(page, user, device):  # type: ignore[no-untyped-def]
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")


def test_agenda_decision_case_and_partner_need_to_know(page):
    papendrecht = MunicipalityFactory(code="GM0590", name="Papendrecht")
    police = PartnerOrganisationFactory(name="Politie Drechtsteden", municipalities=[papendrecht])
    regisseur = UserFactory(username="ruud", role="regisseur", municipality=papendrecht)
    agent = UserFactory(username="priya", partner=True, partner_organisation=police)
    devices = {
        u.username: TOTPDevice.objects.create(user=u, name="app", confirmed=True)
        for u in (regisseur, agent)
    }
    shared_signal = signal_actions.create_signal(
        regisseur,
        signal_actions.NewSignal(
            municipality=papendrecht,
            channel="medewerker",
            description="Garage met opvallend veel contant geld",
            subjects=[{"kind": "bedrijf", "name": "Autobedrijf Snel", "kvk_number": "87654321"}],
        ),
    )
    private_signal = signal_actions.create_signal(
        regisseur,
        signal_actions.NewSignal(
            municipality=papendrecht,
            channel="medewerker",
            description="Zorgmelding over een bewoner aan de Dijkstraat",
        ),
    )
    meeting = lio_actions.schedule_meeting(
        regisseur,
        papendrecht,
        title="LIO Papendrecht",
        starts_at=timezone.now() + timedelta(days=1),
    )
    lio_actions.add_organisation(regisseur, meeting, police, legal_basis="RIEC-convenant")
    item = lio_actions.add_item(regisseur, meeting, signal=shared_signal)
    lio_actions.add_item(regisseur, meeting, signal=private_signal)

    sign_in(page, regisseur, devices["ruud"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="LIO").click()
    page.get_by_role("link", name="LIO Papendrecht").click()
    point = page.locator(f"#punt-{item.pk}")
    point.locator("summary", has_text="Wie ziet dit punt?").click()
    point.get_by_label("Politie Drechtsteden").check()
    point.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Opgeslagen wie dit agendapunt ziet")

    point = page.locator(f"#punt-{item.pk}")
    point.locator("summary", has_text="Besluit vastleggen").click()
    point.get_by_label("Besluit", exact=True).select_option(label="Casus openen")
    point.get_by_label("Onderbouwing").fill("Meerdere signalen over contant geld bij de garage")
    point.get_by_label("Titel van de casus (bij casus openen)").fill("Autobedrijf Snel")
    point.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Casus GM0590-CAS-")
    page.locator(f"#punt-{item.pk}").get_by_role("link", name="casus").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Autobedrijf Snel")
    expect(page.get_by_text("Autobedrijf Snel (KvK 87654321)").first).to_be_visible()

    page.locator("summary", has_text="Partner toevoegen").click()
    page.get_by_label("Partnerorganisatie", exact=True).select_option(label="Politie Drechtsteden")
    page.get_by_label("Grondslag voor delen").fill("RIEC-convenant")
    page.get_by_label("Betrokkenen").check()
    page.get_by_role("button", name="Partner toevoegen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "De partner is aan de casus toegevoegd"
    )
    page.get_by_role("button", name="Uitloggen").click()

    sign_in(page, agent, devices["priya"])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    expect(page.get_by_role("link", name=Case.objects.get().reference)).to_be_visible()
    page.get_by_role("link", name=Case.objects.get().reference).click()
    expect(page.get_by_text("Autobedrijf Snel (KvK 87654321)").first).to_be_visible()
    expect(page.get_by_role("heading", name="Taken")).to_have_count(0)
    page.goto(f"/lio/{meeting.pk}/")
    expect(page.get_by_text("Garage met opvallend veel contant geld")).to_be_visible()
    expect(page.get_by_text("Dijkstraat")).to_have_count(0)
