"""List pages and API lists do the same number of queries for 1 row as for 30 (no N+1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.testing import login, token_client

from .factories import MunicipalityFactory, PartnerOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    client.get(url)  # warm-up: chain heads, sessions
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def assert_flat(client: Client, url: str, add_rows: Callable[[], None], ceiling: int) -> None:
    few = queries(client, url)
    add_rows()
    many = queries(client, url)
    assert many == few, f"{url}: {few} queries for a few rows, {many} for many"
    assert many <= ceiling, f"{url}: {many} queries"


def test_account_list(world):
    def add() -> None:
        for _ in range(30):
            UserFactory(municipality=world.papendrecht, role="analist")

    assert_flat(login(Client(), world["beheerder"]), reverse("accounts:list"), add, 20)


def test_lists_of_municipalities_and_partners(world):
    def add() -> None:
        for _ in range(30):
            MunicipalityFactory(region=world.region)
            PartnerOrganisationFactory(regions=[world.region], municipalities=[world.papendrecht])

    platform = world["platformbeheerder"]
    cases = [
        (login(Client(), platform), reverse("organisations:municipality_list"), 12),
        (login(Client(), platform), reverse("organisations:partner_list"), 12),
        (token_client(platform), reverse("api:municipality-list"), 6),
        (token_client(platform), reverse("api:partnerorganisation-list"), 6),
    ]
    few = [queries(client, url) for client, url, _ in cases]
    add()
    for (client, url, ceiling), before in zip(cases, few, strict=True):
        many = queries(client, url)
        assert many == before, f"{url}: {before} queries for a few rows, {many} for many"
        assert many <= ceiling, f"{url}: {many} queries"


def test_case_page_applies_the_case_rule_once_and_loads_the_account_with_the_user(world):
    from datetime import date

    from weerbaar.cases import actions

    from .test_cases import open_case, signal

    case = open_case(world, signal(world))
    actions.add_task(world["regisseur"], case, title="Huurcontract", due_on=date(2030, 1, 1))
    actions.add_partner(world["regisseur"], case, world.police, legal_basis="RIEC-convenant")
    client = login(Client(), world["regisseur"])
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in captured]
    # The case is read through its gate once; its rows (subjects, tasks, documents,
    # timeline, partners, team, interventions) do not repeat the case rule as a subquery.
    assert sum('FROM "cases_case"' in sql for sql in sqls) == 1, sqls
    # The account's municipality comes with the account (audit log, navigation).
    assert not [s for s in sqls if s.startswith('SELECT "organisations_municipality"')], sqls
    assert len(sqls) <= 22, f"{len(sqls)} queries"
