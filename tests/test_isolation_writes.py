"""Every form action of the foundation refuses other municipalities and unauthorised roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weerbaar.accounts import actions
from weerbaar.accounts.models import ApiToken, User
from weerbaar.core.testing import assert_cannot_change
from weerbaar.organisations.models import District, PartnerOrganisation, Team

from .factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_account_actions(world):
    analist = world["analist"]

    def state():
        return (
            User.objects.filter(pk=analist.pk).values_list("is_active", "role", "first_name").get()
        )

    outsiders = [world["beheerder_dordrecht"], world["regisseur"], world["partner"]]
    assert_cannot_change(
        reverse("accounts:set_active", args=[analist.pk]),
        {"active": "0"},
        outsiders=outsiders,
        unchanged=state,
    )
    assert_cannot_change(
        reverse("accounts:update", args=[analist.pk]),
        {
            "username": "x",
            "first_name": "Gekaapt",
            "last_name": "x",
            "email": "x@x.test",
            "role": "analist",
        },
        outsiders=outsiders,
        unchanged=state,
    )
    devices = lambda: analist.totpdevice_set.count()
    assert_cannot_change(
        reverse("accounts:reset_second_factor", args=[analist.pk]),
        {},
        outsiders=outsiders,
        unchanged=devices,
    )
    count = lambda: User.objects.count()
    assert_cannot_change(
        reverse("accounts:create"),
        {
            "username": "x",
            "first_name": "x",
            "last_name": "x",
            "email": "x@x.test",
            "role": "analist",
        },
        outsiders=[world["regisseur"], world["bestuurder"]],
        unchanged=count,
    )


def test_token_revoke(world):
    token, _secret = actions.create_api_token(world["analist"], world["analist"], name="x")
    state = lambda: ApiToken.objects.get(pk=token.pk).revoked_at
    assert_cannot_change(
        reverse("accounts:token_revoke", args=[token.pk]),
        {},
        outsiders=[world["regisseur"], world["beheerder_dordrecht"]],
        unchanged=state,
    )


def test_team_actions(world):
    team = TeamFactory(municipality=world.papendrecht, name="Vergunningen")

    def state():
        return list(
            Team.objects.filter(municipality=world.papendrecht).values_list("name", flat=True)
        )

    outsiders = [world["beheerder_dordrecht"], world["regisseur"], world["partner"]]
    assert_cannot_change(
        reverse("organisations:team_update", args=[world.papendrecht.pk, team.pk]),
        {"name": "Gekaapt", "kind": "overig"},
        outsiders=outsiders,
        unchanged=state,
    )
    assert_cannot_change(
        reverse("organisations:team_delete", args=[world.papendrecht.pk, team.pk]),
        {},
        outsiders=outsiders,
        unchanged=state,
    )
    assert_cannot_change(
        reverse("organisations:team_create", args=[world.papendrecht.pk]),
        {"name": "Nieuw", "kind": "overig"},
        outsiders=outsiders,
        unchanged=state,
    )


def test_partner_actions(world):
    state = lambda: list(PartnerOrganisation.objects.values_list("name", "kind"))
    assert_cannot_change(
        reverse("organisations:partner_update", args=[world.police.pk]),
        {"name": "Gekaapt", "kind": "overig"},
        outsiders=[world["beheerder_dordrecht"], world["regisseur"], world["partner"]],
        unchanged=state,
    )
    # The police also work with Dordrecht: then Papendrecht's beheerder may not rename them either.
    world.police.municipalities.add(world.dordrecht)
    assert_cannot_change(
        reverse("organisations:partner_update", args=[world.police.pk]),
        {"name": "Gekaapt", "kind": "overig"},
        outsiders=[world["beheerder"]],
        unchanged=state,
    )


def test_district_actions(world):
    district = world.papendrecht.district
    state = lambda: list(District.objects.values_list("code", "name"))
    assert_cannot_change(
        reverse("organisations:district_update", args=[district.pk]),
        {
            "code": "x",
            "name": "x",
            "region": world.region.pk,
            "municipalities": [world.papendrecht.pk],
        },
        outsiders=[world["beheerder"], world["regionaal_analist"]],
        unchanged=state,
    )
    assert_cannot_change(
        reverse("organisations:district_create"),
        {
            "code": "x",
            "name": "x",
            "region": world.region.pk,
            "municipalities": [world.papendrecht.pk],
        },
        outsiders=[world["beheerder"]],
        unchanged=state,
    )
