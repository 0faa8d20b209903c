"""API authentication: bearer tokens (hashed at rest) and verified browser sessions."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.request import Request

from weerbaar.accounts.models import TOKEN_PREFIX, ApiToken, hash_token_secret
from weerbaar.accounts.roles import Perm

INVALID = "Ongeldig, verlopen of ingetrokken API-token."


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer wb_<id>_<secret>`` (also accepted: ``Token ...``)."""

    keywords = (b"bearer", b"token")

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(INVALID) from exc
        pieces = raw.split("_", 2)
        if len(pieces) != 3 or pieces[0] != TOKEN_PREFIX:
            raise exceptions.AuthenticationFailed(INVALID)
        token = ApiToken.objects.select_related("user").filter(key_id=pieces[1]).first()
        if (
            token is None
            or not _same(token.key_hash, hash_token_secret(raw))
            or not token.is_usable
        ):
            raise exceptions.AuthenticationFailed(INVALID)
        if not token.user.has_role_perm(Perm.USE_API_TOKENS):  # blocked, or role changed
            raise exceptions.AuthenticationFailed(INVALID)
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a, b)


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, but only once the second factor is done where it is required."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if not user.is_verified() and (user.needs_second_factor or _has_device(user)):
            return None
        return result


def _has_device(user: Any) -> bool:
    from weerbaar.accounts.otp import has_confirmed_device

    return has_confirmed_device(user)
