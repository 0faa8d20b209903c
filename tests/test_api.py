"""API: tokens (hashed, revocable, expiring), Dutch errors, schema and docs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.accounts import actions
from weerbaar.accounts.models import ApiToken
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import login

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def bearer(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_token_is_stored_hashed_and_works(world):
    token, secret = actions.create_api_token(world["regisseur"], world["regisseur"], name="script")
    assert secret not in (token.key_hash, token.key_id)
    response = bearer(secret).get(ME)
    assert response.status_code == 200
    assert response.json()["role"] == "regisseur"
    assert response.json()["organisation"] == "Gemeente Papendrecht"
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="accounts.ApiToken").exists()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer wb_abc",
        "Bearer wb_abc_def",
        "Bearer nonsense",
        "Bearer a b",
        "Token wb_x_y",
    ],
)
def test_malformed_tokens_are_refused_in_dutch(world, header):
    response = Client(HTTP_AUTHORIZATION=header).get(ME)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Ongeldig")


def test_revoked_and_expired_tokens_are_refused(world):
    user = world["regisseur"]
    token, secret = actions.create_api_token(user, user, name="oud")
    actions.revoke_api_token(user, token)
    assert bearer(secret).get(ME).status_code == 401
    expired, secret2 = actions.create_api_token(
        user, user, name="verlopen", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(secret2).get(ME).status_code == 401


def test_token_of_blocked_account_is_refused(world):
    user = world["analist"]
    _token, secret = actions.create_api_token(user, user, name="x")
    actions.update_account(world["beheerder"], user, is_active=False)
    assert bearer(secret).get(ME).status_code == 401


def test_unauthenticated_gets_dutch_401():
    response = Client().get("/api/v1/municipalities/")
    assert response.status_code == 401
    assert "Inloggen vereist" in response.json()["detail"]


def test_session_without_second_factor_is_not_enough(world):
    client = Client()
    client.force_login(world["regisseur"])  # password step only
    assert client.get(ME).status_code == 401


def test_roles_without_tokens_cannot_make_one(world):
    client = login(Client(), world["medewerker"])
    response = client.post(reverse("accounts:profile"), {"name": "x"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_profile_creates_and_shows_token_once(world):
    client = login(Client(), world["analist"])
    response = client.post(
        reverse("accounts:profile"), {"name": "Analyse-script", "expires_at": "2099-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world["analist"])
    assert f"wb_{token.key_id}_" in body
    assert f"wb_{token.key_id}_" not in client.get(reverse("accounts:profile")).content.decode()


def test_oversized_request_is_refused_with_413(world, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = Client().post(
        "/api/v1/municipalities/", data="x" * 2000, content_type="application/json"
    )
    assert response.status_code == 413
    assert "te groot" in response.json()["detail"]
    response = Client().post(
        reverse("accounts:login"), data={"username": "x" * 2000, "password": "y"}
    )
    assert response.status_code == 413
    assert "te groot" in response.content.decode()


def test_schema_and_docs(world):
    client = login(Client(), world["regisseur"])
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/municipalities/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"<script>" not in docs.content.replace(b"<script src", b"")


def test_write_methods_are_not_allowed(world):
    _token, secret = actions.create_api_token(world["regisseur"], world["regisseur"], name="x")
    response = bearer(secret).delete(f"/api/v1/municipalities/{world.papendrecht.pk}/")
    assert response.status_code == 405
    assert response.json()["detail"] == "Deze methode is hier niet toegestaan."


def test_partner_application_gets_a_token_from_the_platform_administrator(world):
    from weerbaar.accounts.models import User

    app = User.objects.create(
        username="politie-koppeling",
        role="partner",
        partner_organisation=world.police,
        is_service_account=True,
    )
    client = login(Client(), world["platformbeheerder"])
    response = client.post(reverse("accounts:detail", args=[app.pk]), {"name": "Koppeling politie"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=app)
    secret = response.content.decode().split('data-testid="new-token">')[1].split("<")[0]
    assert secret.startswith(f"wb_{token.key_id}_")
    data = bearer(secret).get("/api/v1/municipalities/").json()
    assert [m["code"] for m in data["results"]] == ["GM0590"]  # only what the police are linked to
    # Not for ordinary accounts, and not for other municipalities' beheerders.
    assert (
        client.post(
            reverse("accounts:detail", args=[world["analist"].pk]), {"name": "x"}
        ).status_code
        == 403
    )
    other = login(Client(), world["beheerder_dordrecht"])
    assert other.post(reverse("accounts:detail", args=[app.pk]), {"name": "x"}).status_code == 404
    assert ApiToken.objects.filter(user=app).count() == 1
