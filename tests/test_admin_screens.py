"""Beheer: accounts, partner organisations, teams and districts, through the pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from weerbaar.accounts.models import User
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import login
from weerbaar.organisations.models import District, PartnerOrganisation, Team

pytestmark = pytest.mark.django_db


def test_beheerder_creates_account_in_own_municipality(world, django_capture_on_commit_callbacks):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "nieuwe.analist",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nina@papendrecht.test",
            "role": "analist",
            "municipality": world.dordrecht.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(username="nieuwe.analist")
    assert user.municipality == world.papendrecht  # forced to the beheerder's own municipality
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="accounts.User")
    assert entry.actor_id == world["beheerder"].pk
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:send_password_link", args=[user.pk]))
    assert AuditEntry.objects.filter(
        object_id=str(user.pk), changed_fields=["password_link"]
    ).exists()
    assert len(mail.outbox) == 1 and "wachtwoord/instellen" in mail.outbox[0].body


def test_beheerder_cannot_create_platform_roles(world):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "x",
            "first_name": "X",
            "last_name": "Y",
            "email": "x@y.test",
            "role": "platformbeheerder",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="x").exists()


def test_invalid_account_form_keeps_input_and_saves_nothing(world):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "bijna",
            "first_name": "Bijna",
            "last_name": "Goed",
            "email": "geen-email",
            "role": "analist",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="bijna"' in body and "er is nog niets opgeslagen" in body
    assert not User.objects.filter(username="bijna").exists()
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


def test_duplicate_email_is_refused(world):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "dubbel",
            "first_name": "D",
            "last_name": "D",
            "email": world["analist"].email.upper(),
            "role": "analist",
        },
    )
    assert response.status_code == 400
    assert "Er is al een account met dit e-mailadres." in response.content.decode()


def test_platform_creates_partner_account(world):
    client = login(Client(), world["platformbeheerder"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "fiod",
            "first_name": "F",
            "last_name": "F",
            "email": "f@fiod.test",
            "role": "partner",
            "partner_organisation": world.police.pk,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "fout",
            "first_name": "F",
            "last_name": "F",
            "email": "g@fiod.test",
            "role": "partner",
        },
    )
    assert response.status_code == 400
    assert "Kies de partnerorganisatie." in response.content.decode()


def test_block_account_and_reset_second_factor(world):
    client = login(Client(), world["beheerder"])
    analist = world["analist"]
    login(Client(), analist)  # creates the device
    assert (
        client.post(reverse("accounts:set_active", args=[analist.pk]), {"active": "0"}).status_code
        == 302
    )
    analist.refresh_from_db()
    assert not analist.is_active
    client.post(reverse("accounts:reset_second_factor", args=[analist.pk]))
    assert not analist.totpdevice_set.exists()
    # Cannot block oneself.
    response = client.post(
        reverse("accounts:set_active", args=[world["beheerder"].pk]), {"active": "0"}
    )
    assert response.status_code == 403


def test_beheerder_manages_teams_of_own_municipality_only(world):
    client = login(Client(), world["beheerder"])
    url = reverse("organisations:team_create", args=[world.papendrecht.pk])
    assert client.post(url, {"name": "Sleutelfiguren", "kind": "overig"}).status_code == 302
    assert Team.objects.filter(municipality=world.papendrecht, name="Sleutelfiguren").exists()
    other = reverse("organisations:team_create", args=[world.dordrecht.pk])
    assert client.post(other, {"name": "Inbraak", "kind": "overig"}).status_code == 404
    response = client.post(url, {"name": "Sleutelfiguren", "kind": "overig"})
    assert response.status_code == 400  # unique per municipality


def test_beheerder_links_new_partner_to_own_municipality(world):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("organisations:partner_create"),
        {
            "name": "Omgevingsdienst Test",
            "kind": "omgevingsdienst",
            "municipalities": [world.dordrecht.pk],
        },
    )
    assert response.status_code == 302
    partner = PartnerOrganisation.objects.get(name="Omgevingsdienst Test")
    assert list(partner.municipalities.all()) == [world.papendrecht]


def test_platform_redefines_a_district(world):
    client = login(Client(), world["platformbeheerder"])
    response = client.post(
        reverse("organisations:district_create"),
        {
            "code": "dvo-zhz",
            "name": "DVO Zuid-Holland-Zuid",
            "region": world.region.pk,
            "municipalities": [world.papendrecht.pk, world.dordrecht.pk],
        },
    )
    assert response.status_code == 302
    dvo = District.objects.get(code="dvo-zhz")
    assert set(dvo.municipalities.all()) == {world.papendrecht, world.dordrecht}
    response = client.post(
        reverse("organisations:district_update", args=[dvo.pk]),
        {
            "code": "dvo-zhz",
            "name": "DVO",
            "region": world.region.pk,
            "municipalities": [world.elsewhere.pk],
        },
    )
    assert response.status_code == 400
    assert "Niet in de regio van dit district: Maastricht." in response.content.decode()
    world.elsewhere.refresh_from_db()
    assert world.elsewhere.district != dvo


@pytest.mark.parametrize(
    "who", ["regisseur", "analist", "medewerker", "bestuurder", "partner", "regionaal_analist"]
)
def test_beheer_is_closed_to_other_roles(world, who):
    client = login(Client(), world[who])
    assert client.get(reverse("dashboard:admin")).status_code == 403
    assert client.get(reverse("accounts:create")).status_code == 403
    assert (
        client.post(
            reverse("organisations:partner_create"), {"name": "x", "kind": "overig"}
        ).status_code
        == 403
    )
    assert not PartnerOrganisation.objects.filter(name="x").exists()
