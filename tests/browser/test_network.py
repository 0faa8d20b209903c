"""The network page in a real browser: cytoscape draws under our CSP, a node expands from the
keyboard-friendly list, the kind filter hides nodes, and axe finds no WCAG violation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from weerbaar.core.testing import login

from ..test_entities_network import HOLDING, LOODS, net  # noqa: F401  (the fixture)
from .test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, live_server, user) -> None:  # type: ignore[no-untyped-def]
    cookie = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_expand_and_filter_the_network(page, live_server, world, net):  # noqa: F811
    sign_in(page.context, live_server, world["analist"])
    page.goto(reverse("entities:network", args=[f"kvk:{LOODS}"]))
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    expect(page.locator("#network-count")).to_contain_text("knopen")
    holding = page.locator(f'[data-node="kvk:{HOLDING}"]')
    expect(holding).to_contain_text("Stichting Jansen Beheer")
    expect(page.locator("#network-list")).not_to_contain_text("Damrak 1")
    holding.get_by_role("button", name="Uitklappen").click()  # its address is one step further
    expect(page.locator("#network-selected")).to_contain_text("toegevoegd")
    expect(page.locator("#network-list")).to_contain_text("Damrak 1")
    person = page.locator('section[data-kind="persoon"]')
    expect(person).to_be_visible()
    page.get_by_label("Persoon").uncheck()
    expect(person).to_be_hidden()
    link = page.locator(f'[data-node="signaal:{net.ours.pk}"] a').first
    expect(link).to_have_attribute("href", reverse("signals:detail", args=[net.ours.pk]))
    page.get_by_label("Persoon").check()
    page.locator('[data-node="persoon:p-jan"]').get_by_role(
        "link", name="netwerk vanaf hier"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Netwerk van Jan de Vries")


def test_network_page_has_no_wcag_violations(browser, live_server, world, net):  # noqa: F811
    # axe is injected by the test, so this context (only) lets it past our CSP.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=True)
    sign_in(context, live_server, world["analist"])
    page = context.new_page()
    page.goto(reverse("entities:network", args=[f"kvk:{LOODS}"]))
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    assert violations(page) == []
    context.close()
