from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


def current_user(request: HttpRequest) -> User:
    """The signed-in account of a request (views behind the login requirement only)."""
    from weerbaar.accounts.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
