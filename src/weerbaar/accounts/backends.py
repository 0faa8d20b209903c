"""Sign-in with a username or an e-mail address.

Later, an OIDC backend (mozilla-django-oidc) can sit beside this one; see docs/adr/0001-stack.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from .models import User


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        login = username.strip()
        candidates = list(
            User.objects.filter(
                Q(username__iexact=login) | Q(email__iexact=login), is_service_account=False
            )[:2]
        )
        if len(candidates) != 1:
            User().set_password(password)  # same work either way: no timing hint
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of a request, with the organisation it acts for in the same
        query (the audit log and the navigation name it on every page)."""
        user = (
            User._default_manager.select_related("municipality", "partner_organisation", "region")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The key django-axes counts failures under: one per account, however it is typed.

    Sign-in accepts the username in any case or the e-mail address, so the lock-out must
    count all of those as the same account (otherwise 'JAN' would bypass a lock on 'jan').
    """
    typed = ""
    if credentials:
        typed = str(credentials.get("username", ""))
    elif request is not None:
        typed = str(request.POST.get("username", ""))
    typed = typed.strip()
    if not typed:
        return ""
    match = User.objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed)).values_list(
        "username", flat=True
    )[:2]
    names = list(match)
    return (names[0] if len(names) == 1 else typed).lower()
