"""The UI shell: Dutch, navigation per role, CSP, error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.core.testing import login

pytestmark = pytest.mark.django_db

NAV = {
    "beheerder": {"weerbaarheid", "kennisbank", "beheer"},
    "regisseur": {
        "signalen",
        "lio",
        "casussen",
        "controles",
        "entiteiten",
        "beeld",
        "weerbaarheid",
        "kennisbank",
        "plan",
    },
    "analist": {"signalen", "lio", "casussen", "controles", "entiteiten", "beeld", "kennisbank"},
    "medewerker": {"signalen", "kennisbank"},
    "partner": {"signalen", "lio", "casussen", "controles"},
    "bestuurder": {"beeld", "weerbaarheid", "plan"},
    "regionaal_analist": {"beeld", "weerbaarheid", "kennisbank"},
    "platformbeheerder": {"kennisbank", "beheer"},
}


@pytest.mark.parametrize(("who", "expected"), NAV.items())
def test_navigation_per_role(world, who, expected):
    response = login(Client(), world[who]).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in body
    assert set(re.findall(r'data-module="([a-z]+)"', body)) == expected


def test_module_pages_follow_the_role_table(world):
    client = login(Client(), world["bestuurder"])
    assert client.get(reverse("dashboard:module", args=["beeld"])).status_code == 200
    assert client.get(reverse("dashboard:module", args=["kennisbank"])).status_code == 403
    assert client.get(reverse("lio:list")).status_code == 403
    assert client.get(reverse("signals:list")).status_code == 403
    assert client.get(reverse("dashboard:module", args=["bestaat-niet"])).status_code == 404


def test_strict_csp_and_no_inline_script(world):
    response = login(Client(), world["regisseur"]).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())
    assert "skip-link" in response.content.decode()


def test_error_pages_are_dutch_without_trace(world):
    client = login(Client(), world["regisseur"])
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_static_vendor_files_are_served():
    for path in (
        "/static/vendor/utrecht/components.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/utrecht/tokens.css",
    ):
        response = Client().get(path)
        assert response.status_code == 200, path


def test_regional_dashboard_shows_district_counts_only(world):
    body = login(Client(), world["regionaal_analist"]).get("/").content.decode()
    assert "Gemeenten per district" in body
    assert '<td class="utrecht-table__cell">Rotterdam</td>' in body
    assert "Limburg" not in body  # another region
    assert world["regisseur"].email not in body


def test_beheerder_dashboard_counts_accounts_per_role(world):
    body = login(Client(), world["beheerder"]).get("/").content.decode()
    assert "Actieve accounts per rol" in body
    assert "Gemeenten per district" not in body
