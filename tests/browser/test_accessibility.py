"""axe-core (from npm) checks the pages of the foundation against WCAG 2.1 A/AA."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from weerbaar.core.testing import login
from weerbaar.entities.models import Entity

from ..factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.fixture
def axe_page(browser, live_server):  # type: ignore[no-untyped-def]
    # axe is injected by the test, so this context (only) lets it past our CSP.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=True)
    yield context
    context.close()


def test_pages_have_no_wcag_violations(axe_page, live_server):
    anonymous = axe_page.new_page()
    problems: dict[str, list[str]] = {}
    for url in (reverse("accounts:login"), reverse("accounts:password_reset")):
        anonymous.goto(url)
        problems[url] = violations(anonymous)

    beheerder = UserFactory(username="bente", role="beheerder")
    TeamFactory(municipality=beheerder.municipality)
    client = login(Client(), beheerder)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    axe_page.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = axe_page.new_page()
    for url in (
        "/",
        reverse("dashboard:admin"),
        reverse("accounts:list"),
        reverse("accounts:create"),
        reverse("accounts:detail", args=[beheerder.pk]),
        reverse("accounts:profile"),
        reverse("organisations:municipality_detail", args=[beheerder.municipality_id]),
        reverse("organisations:partner_list"),
        reverse("organisations:partner_create"),
        reverse("audit:list"),
        reverse("dashboard:module", args=["weerbaarheid"]),
    ):
        page.goto(url)
        assert page.title() != "Inloggen · Weerbaar", url
        problems[url] = violations(page)
    # A form with errors is checked too: invalid fields must stay labelled and described.
    page.goto(reverse("accounts:create"))
    page.get_by_role("button", name="Opslaan").click()
    problems["account form with errors"] = violations(page)
    # The signal pages, as the regisseur who triages them.
    from weerbaar.signals import actions
    from weerbaar.signals.taxonomy import load_phenomena

    load_phenomena()
    regisseur = UserFactory(username="ruud", role="regisseur", municipality=beheerder.municipality)
    signal = actions.create_signal(
        regisseur,
        actions.NewSignal(
            municipality=regisseur.municipality,
            channel="medewerker",
            description="Test",
            subjects=[{"kind": "voertuig", "licence_plate": "12-ABC-3"}],
        ),
    )
    cookie = login(Client(), regisseur).cookies[settings.SESSION_COOKIE_NAME]
    axe_page.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    for url in (
        reverse("signals:list"),
        reverse("signals:create"),
        reverse("signals:detail", args=[signal.pk]),
    ):
        page.goto(url)
        problems[url] = violations(page)
    page.goto(reverse("signals:create"))
    page.get_by_role("button", name="Signaal versturen").click()
    problems["signal form with errors"] = violations(page)
    # Cases, LIO, interventions and inspections, with some content on each page.
    from datetime import timedelta

    from django.utils import timezone

    from weerbaar.cases import actions as case_actions
    from weerbaar.inspections import actions as inspection_actions
    from weerbaar.interventions import actions as intervention_actions
    from weerbaar.lio import actions as lio_actions

    from ..factories import PartnerOrganisationFactory

    municipality = regisseur.municipality
    police = PartnerOrganisationFactory(name="Politie", municipalities=[municipality])
    case = case_actions.open_case(regisseur, municipality, title="Casus", signals=[signal])
    case_actions.add_partner(regisseur, case, police, legal_basis="Convenant", parts=["tasks"])
    case_actions.add_task(regisseur, case, title="Taak", due_on=timezone.localdate())
    intervention = intervention_actions.register_intervention(regisseur, case, kind="bibob")
    meeting = lio_actions.schedule_meeting(
        regisseur, municipality, title="LIO", starts_at=timezone.now() + timedelta(days=1)
    )
    lio_actions.add_organisation(regisseur, meeting, police, legal_basis="Convenant")
    lio_actions.add_item(regisseur, meeting, case=case)
    inspection = inspection_actions.plan_inspection(
        regisseur, municipality, kind="planmatig", title="Controle", planned_on=timezone.localdate()
    )
    for url in (
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:edit", args=[case.pk]),
        reverse("interventions:edit", args=[case.pk, intervention.pk]),
        reverse("lio:list"),
        reverse("lio:detail", args=[meeting.pk]),
        reverse("lio:present", args=[meeting.pk]),
        reverse("inspections:list"),
        reverse("inspections:detail", args=[inspection.pk]),
        reverse("inspections:create"),
        reverse("entities:search") + "?q=Autobedrijf",
        reverse("entities:detail", args=[Entity.objects.get(kind="voertuig").key]),
        reverse("entities:network", args=[Entity.objects.get(kind="voertuig").key]),
    ):
        page.goto(url)
        assert page.title() != "Inloggen · Weerbaar", url
        problems[url] = violations(page)
    found = {url: v for url, v in problems.items() if v}
    assert not found, found
    # Control: the check does see a problem when there is one.
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=x>')")
    assert any(v.startswith("label") for v in violations(page))
