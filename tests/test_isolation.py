"""Every page and API endpoint of the foundation, through the cross-tenant helper."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weerbaar.core.testing import assert_isolated

from .factories import TeamFactory

pytestmark = pytest.mark.django_db


def outsiders(world, *keys):  # type: ignore[no-untyped-def]
    return [world[k] for k in keys]


def test_municipality_pages(world):
    url = reverse("organisations:municipality_detail", args=[world.papendrecht.pk])
    assert_isolated(
        url,
        owner=world["beheerder"],
        outsiders=outsiders(world, "beheerder_dordrecht", "regionaal_elders", "medewerker"),
        markers=["GM0590"],
    )
    assert_isolated(
        reverse("organisations:municipality_list"),
        owner=world["regisseur"],
        outsiders=outsiders(world, "regisseur_dordrecht", "regionaal_elders", "medewerker"),
        markers=["GM0590"],
    )


def test_team_shown_only_to_own_municipality(world):
    TeamFactory(municipality=world.papendrecht, name="Team Vergunningen Papendrecht")
    url = reverse("organisations:municipality_detail", args=[world.papendrecht.pk])
    # The regional analyst sees the municipality but not its teams.
    assert_isolated(
        url,
        owner=world["regisseur"],
        outsiders=outsiders(world, "regionaal_analist", "partner", "regisseur_dordrecht"),
        markers=["Team Vergunningen Papendrecht"],
    )


def test_partner_pages(world):
    url = reverse("organisations:partner_detail", args=[world.police.pk])
    assert_isolated(
        url,
        owner=world["regisseur"],
        outsiders=outsiders(world, "regisseur_dordrecht", "regionaal_elders", "medewerker"),
        markers=["Politie Drechtsteden"],
    )
    assert_isolated(
        reverse("organisations:partner_list"),
        owner=world["beheerder"],
        outsiders=outsiders(world, "beheerder_dordrecht", "medewerker"),
        markers=["Politie Drechtsteden"],
    )


def test_account_pages(world):
    analist = world["analist"]
    assert_isolated(
        reverse("accounts:detail", args=[analist.pk]),
        owner=world["beheerder"],
        outsiders=outsiders(
            world, "beheerder_dordrecht", "regisseur", "partner", "bestuurder", "regionaal_analist"
        ),
        markers=[analist.email],
    )
    assert_isolated(
        reverse("accounts:list"),
        owner=world["beheerder"],
        outsiders=outsiders(world, "beheerder_dordrecht", "regisseur", "regionaal_analist"),
        markers=[analist.last_name],
    )
    assert_isolated(
        reverse("accounts:update", args=[analist.pk]),
        owner=world["beheerder"],
        outsiders=outsiders(world, "beheerder_dordrecht", "analist"),
        markers=[analist.email],
    )


def test_district_pages_are_for_the_platform_administrator(world):
    district = world.papendrecht.district
    assert_isolated(
        reverse("organisations:district_list"),
        owner=world["platformbeheerder"],
        outsiders=outsiders(world, "beheerder", "regisseur", "regionaal_analist"),
        markers=[district.name],
    )
    assert_isolated(
        reverse("organisations:district_update", args=[district.pk]),
        owner=world["platformbeheerder"],
        outsiders=outsiders(world, "beheerder", "regionaal_analist"),
        markers=[district.code],
    )


def test_api_municipalities(world):
    assert_isolated(
        reverse("api:municipality-list"),
        owner=world["regisseur"],
        outsiders=outsiders(world, "regisseur_dordrecht", "regionaal_elders"),
        markers=["GM0590"],
        api=True,
    )
    assert_isolated(
        reverse("api:municipality-detail", args=[world.papendrecht.pk]),
        owner=world["partner"],
        outsiders=outsiders(world, "regisseur_dordrecht", "regionaal_elders"),
        markers=["GM0590"],
        api=True,
    )


def test_api_partner_organisations(world):
    assert_isolated(
        reverse("api:partnerorganisation-list"),
        owner=world["regisseur"],
        outsiders=outsiders(world, "regisseur_dordrecht", "regionaal_elders"),
        markers=["Politie Drechtsteden"],
        api=True,
    )
    assert_isolated(
        reverse("api:partnerorganisation-detail", args=[world.police.pk]),
        owner=world["partner"],
        outsiders=outsiders(world, "regisseur_dordrecht"),
        markers=["Politie Drechtsteden"],
        api=True,
    )


def test_api_teams(world):
    team = TeamFactory(municipality=world.papendrecht, name="Team Sociaal Papendrecht")
    assert_isolated(
        reverse("api:team-list"),
        owner=world["regisseur"],
        outsiders=outsiders(world, "regisseur_dordrecht", "partner", "regionaal_analist"),
        markers=[team.name],
        api=True,
    )
    assert_isolated(
        reverse("api:team-detail", args=[team.pk]),
        owner=world["analist"],
        outsiders=outsiders(world, "regisseur_dordrecht", "partner"),
        markers=[team.name],
        api=True,
    )


def test_api_me_shows_only_oneself(world):
    assert_isolated(
        reverse("api:me"),
        owner=world["analist"],
        outsiders=outsiders(world, "beheerder", "regisseur_dordrecht"),
        markers=[world["analist"].email],
        api=True,
    )


def test_helper_fails_when_data_leaks(world):
    """The helper itself must be able to fail: a page that shows the marker to all fails it."""
    with pytest.raises(AssertionError, match="sees"):
        assert_isolated(
            reverse("dashboard:home"),
            owner=world["regisseur"],
            outsiders=[world["regisseur_dordrecht"]],
            markers=["Goedendag"],
        )
