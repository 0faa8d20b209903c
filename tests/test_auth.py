"""Sign-in: password, lock-out, TOTP (set-up, wrong and replayed codes), audit of each step."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.otp import current_code
from weerbaar.audit.models import Action, AuditEntry

from .factories import TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-paard-batterij-42"
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
ENROLL = reverse("accounts:enroll")


def post_login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def test_pages_require_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_wrong_password_gives_dutch_message_and_is_logged():
    user = UserFactory(username="jan")
    response = post_login(Client(), "jan", "fout-wachtwoord")
    assert response.status_code == 400
    assert "Gebruikersnaam of wachtwoord is onjuist." in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.actor_label == "jan"
    assert entry.object_id == str(user.pk)
    assert entry.municipality == user.municipality


def test_lockout_after_repeated_failures(settings):
    UserFactory(username="jan")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, "jan", "fout").status_code == 400
    response = post_login(client, "jan", "fout")
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()
    # Even the right password is refused while locked.
    response = post_login(client, "jan")
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT).exists()


def test_login_by_email_then_totp():
    user = UserFactory(username="piet", email="Piet@Example.test", with_totp=True)
    client = Client()
    response = post_login(client, "piet@example.test")
    assert response.status_code == 302 and response["Location"] == VERIFY
    # Not yet verified: every page sends the user back to the code page.
    assert client.get("/")["Location"] == VERIFY
    device = TOTPDevice.objects.get(user=user)
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor_id=user.pk).count() == 1


def test_wrong_and_replayed_codes_are_refused():
    user = UserFactory(username="piet")
    device = TOTPDeviceFactory(user=user)
    with time_machine.travel("2026-11-23 10:00:00", tick=False):
        first = Client()
        post_login(first, "piet")
        code = current_code(device)
        response = first.post(VERIFY, {"code": "000000" if code != "000000" else "111111"})
        assert response.status_code == 400
        assert "De code is onjuist, verlopen of al gebruikt" in response.content.decode()
    with time_machine.travel("2026-11-23 10:00:05", tick=False):
        assert first.post(VERIFY, {"code": code}).status_code == 302
        second = Client()
        post_login(second, "piet")
        device.refresh_from_db()
        response = second.post(VERIFY, {"code": code})  # same code again: a replay
        assert response.status_code == 400
        assert second.get("/")["Location"] == VERIFY
    assert AuditEntry.objects.filter(action=Action.SECOND_FACTOR_FAILED).count() == 2


def test_too_many_wrong_codes_log_out():
    UserFactory(username="piet", with_totp=True)
    client = Client()
    post_login(client, "piet")
    for _ in range(5):
        response = client.post(VERIFY, {"code": "12345x"})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/")["Location"].startswith(LOGIN)


def test_first_login_requires_enrolment_for_roles_with_personal_data():
    user = UserFactory(username="nieuw", role="analist")
    client = Client()
    response = post_login(client, "nieuw")
    assert response["Location"] == ENROLL
    page = client.get(ENROLL)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROLL, {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, changed_fields=["second_factor"]
    ).exists()


def test_bestuurder_without_device_needs_no_second_factor():
    UserFactory(username="burgemeester", role="bestuurder")
    client = Client()
    response = post_login(client, "burgemeester")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_service_accounts_cannot_sign_in_to_pages():
    UserFactory(username="koppeling", role="partner", partner=True, is_service_account=True)
    response = post_login(Client(), "koppeling")
    assert response.status_code == 400


def test_logout_is_post_only_and_logged():
    user = UserFactory(username="burgemeester", role="bestuurder")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGOUT, actor_id=user.pk).exists()


def test_open_redirect_is_refused():
    UserFactory(username="burgemeester", role="bestuurder")
    client = Client()
    response = client.post(
        LOGIN + "?next=https://evil.example/", {"username": "burgemeester", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_session_cookie_settings(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 3600


def test_change_own_password(world):
    from weerbaar.core.testing import login

    user = world["analist"]
    other_device = login(Client(), user)
    client = login(Client(), user)
    url = reverse("accounts:password_change")
    response = client.post(
        url, {"old_password": "fout", "new_password1": "kort", "new_password2": "kort"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Uw oude wachtwoord is niet goed ingevoerd" in body or "oude wachtwoord" in body
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Nieuw-en-lang-genoeg-77",
            "new_password2": "Nieuw-en-lang-genoeg-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-en-lang-genoeg-77")
    assert client.get("/").status_code == 200  # this session stays
    assert other_device.get("/").status_code == 302  # the other one ends
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, changed_fields=["password"], actor_id=user.pk
    ).exists()


def test_weak_new_password_is_refused_in_dutch(world):
    from weerbaar.core.testing import login

    client = login(Client(), world["analist"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 400
    assert "te kort" in response.content.decode()


def test_set_password_link_works_once_and_is_logged(world, django_capture_on_commit_callbacks):
    from django.core import mail

    from weerbaar.core.testing import login

    analist = world["analist"]
    with django_capture_on_commit_callbacks(execute=True):
        login(Client(), world["beheerder"]).post(
            reverse("accounts:send_password_link", args=[analist.pk])
        )
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/wachtwoord/instellen/" in line
    ).strip()
    path = link.split("testserver", 1)[1]
    client = Client()
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    data = {
        "new_password1": "Zelf-gekozen-wachtwoord-9",
        "new_password2": "Zelf-gekozen-wachtwoord-9",
    }
    assert client.post(form_url, data).status_code == 302
    analist.refresh_from_db()
    assert analist.check_password("Zelf-gekozen-wachtwoord-9")
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, changed_fields=["password"], actor_id=analist.pk
    ).exists()
    again = Client().get(path, follow=True)
    assert "verlopen of al gebruikt" in again.content.decode()


def test_an_idle_session_ends_and_activity_moves_its_expiry_on_once_a_minute(world, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session

    from weerbaar.core.testing import login

    with time_machine.travel("2026-11-23 10:00:00", tick=False) as clock:
        client = login(Client(), world["analist"])
        client.get("/")
        key = client.session.session_key

        def expires():  # type: ignore[no-untyped-def]
            return Session.objects.get(session_key=key).expire_date

        first = expires()
        clock.shift(timedelta(seconds=20))
        assert client.get("/").status_code == 200
        assert expires() == first  # no write on every page
        clock.shift(timedelta(seconds=50))
        assert client.get("/").status_code == 200
        assert expires() == first + timedelta(seconds=70)  # moved on by the activity
        clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        response = client.get("/")
        assert response.status_code == 302 and "/inloggen" in response["Location"]
