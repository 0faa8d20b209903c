"""Test helpers for every module: sign in as a role and prove tenant isolation.

``assert_isolated`` is the reusable check the foundation promises: for any list, detail or API
endpoint it shows that the owner sees the data, and that users of another municipality and
users of roles without access get nothing (403/404, or an empty list without the data).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.models import ApiToken, User


def login(client: Client, user: User) -> Client:
    """Sign ``client`` in as ``user`` with the second factor done (as after the real flow)."""
    client.force_login(user, backend="weerbaar.accounts.backends.UsernameOrEmailBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.needs_second_factor:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def token_client(user: User) -> Client:
    """A client that authenticates to the API with a fresh token of ``user``."""
    full, key_id, key_hash = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="test", key_id=key_id, key_hash=key_hash)
    return Client(HTTP_AUTHORIZATION=f"Bearer {full}")


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def assert_isolated(
    url: str,
    *,
    owner: User,
    outsiders: Iterable[User],
    markers: Sequence[str],
    api: bool = False,
) -> None:
    """The owner sees every marker; no outsider sees any of them.

    ``markers`` are strings that only appear when the protected data is shown (a name, a code,
    an e-mail address). An outsider's response must be 403 or 404, or a 200 whose body holds
    none of the markers (an empty or other-tenant list). ``api`` uses token authentication.
    """
    assert markers, "give at least one marker that identifies the protected data"
    owner_client = token_client(owner) if api else login(Client(), owner)
    response = owner_client.get(url)
    body = _body(response)
    assert response.status_code == 200, (
        f"owner {owner.username} got {response.status_code} for {url}"
    )
    missing = [m for m in markers if m not in body]
    assert not missing, f"owner {owner.username} does not see {missing} at {url}"
    checked = 0
    for outsider in outsiders:
        client = token_client(outsider) if api else login(Client(), outsider)
        response = client.get(url)
        body = _body(response)
        assert response.status_code in (200, 403, 404), (
            f"{outsider.username} ({outsider.role}) got {response.status_code} for {url}"
        )
        leaked = [m for m in markers if m in body]
        assert not leaked, f"{outsider.username} ({outsider.role}) sees {leaked} at {url}"
        checked += 1
    assert checked, "give at least one outsider"


def assert_cannot_change(
    url: str,
    data: dict[str, Any],
    *,
    outsiders: Iterable[User],
    unchanged: Any,
) -> None:
    """Each outsider's POST to ``url`` is refused (403/404) and ``unchanged()`` stays equal.

    ``unchanged`` is a callable returning the state that must not move (e.g. a row's values
    or a count); it is read before and after every attempt.
    """
    checked = 0
    for outsider in outsiders:
        before = unchanged()
        response = login(Client(), outsider).post(url, data)
        assert response.status_code in (403, 404), (
            f"{outsider.username} ({outsider.role}) got {response.status_code} posting to {url}"
        )
        assert unchanged() == before, f"{outsider.username} changed data through {url}"
        checked += 1
    assert checked, "give at least one outsider"
