"""Regressions for the security review of the foundation (each failed before its fix)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from weerbaar.accounts import actions
from weerbaar.accounts.models import ApiToken, User
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import login, token_client

from .factories import PartnerOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-paard-batterij-42"


def test_beheerder_cannot_make_application_accounts_or_their_tokens(world):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "robot",
            "first_name": "R",
            "last_name": "R",
            "email": "r@r.test",
            "role": "regisseur",
            "is_service_account": "on",
        },
    )
    assert response.status_code == 302
    assert not User.objects.get(username="robot").is_service_account
    response = client.post(
        reverse("accounts:detail", args=[world["regisseur"].pk]), {"name": "sleutel"}
    )
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_application_accounts_are_partner_accounts(world):
    user = User(
        username="robot", role="regisseur", municipality=world.papendrecht, is_service_account=True
    )
    with pytest.raises(ValidationError, match="applicatie-account"):
        user.full_clean(exclude=["password"])


def test_tokens_of_others_only_for_application_accounts(world):
    with pytest.raises(PermissionDenied):
        actions.create_api_token(world["platformbeheerder"], world["regisseur"], name="x")


@pytest.mark.parametrize("variant", ["BESTUURDER", "bestuurder@example.test", " Bestuurder "])
def test_lockout_counts_every_spelling_of_the_account(world, settings, variant):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "bestuurder", "password": "fout"})
    response = client.post(reverse("accounts:login"), {"username": variant, "password": PASSWORD})
    assert response.status_code == 429


def test_token_stops_when_role_loses_api_access(world):
    user = world["regisseur"]
    _token, secret = actions.create_api_token(user, user, name="x")
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert bearer.get("/api/v1/me/").status_code == 200
    actions.update_account(world["beheerder"], user, role="medewerker")
    assert bearer.get("/api/v1/me/").status_code == 401


def test_partner_api_lists_only_visible_municipalities(world):
    shared = PartnerOrganisationFactory(
        name="Belastingdienst", municipalities=[world.papendrecht, world.elsewhere]
    )
    data = (
        token_client(world["regisseur"])
        .get(reverse("api:partnerorganisation-detail", args=[shared.pk]))
        .json()
    )
    assert data["municipalities"] == ["GM0590"]


def test_opening_an_account_form_is_logged_as_a_read(world):
    client = login(Client(), world["beheerder"])
    assert client.get(reverse("accounts:update", args=[world["analist"].pk])).status_code == 200
    assert AuditEntry.objects.filter(
        action=Action.READ, object_id=str(world["analist"].pk)
    ).exists()


def test_schema_and_docs_need_sign_in():
    assert Client().get("/api/v1/schema/").status_code == 401
    assert Client().get("/api/v1/docs/").status_code == 401


def test_api_follows_the_role_table(world):
    session = login(Client(), world["medewerker"])
    assert session.get(reverse("api:municipality-list")).status_code == 403
    assert session.get(reverse("api:partnerorganisation-list")).status_code == 403


def test_gates_fail_closed_without_a_municipality(world):
    from weerbaar.audit.log import record

    record(Action.IMPORT, actor_label="systeem")  # an entry on the platform chain
    broken = UserFactory(username="kapot", role="beheerder")
    User.objects.filter(pk=broken.pk).update(municipality=None)
    broken.refresh_from_db()
    assert list(User.objects.for_user(broken)) == [broken]
    assert not AuditEntry.objects.for_user(broken).exists()
