"""The read gate: every model that holds tenant data is read through ``for_user``.

Each model's queryset subclasses :class:`GatedQuerySet` and implements ``visible_to`` with the
rules for that model, using the capabilities of :mod:`weerbaar.accounts.roles`. Anonymous and
inactive users see nothing, whatever the model. Views, API viewsets, exports and commands
call ``Model.objects.for_user(user)``; the system check in :mod:`weerbaar.core.checks` refuses a
model of ours without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class GatedQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.visible_to(user)

    def visible_to(self, user: User) -> Self:  # pragma: no cover - abstract
        raise NotImplementedError(f"{type(self).__name__} must define visible_to(user)")


class PublicQuerySet(GatedQuerySet):
    """For reference facts that every signed-in user may read (e.g. provinces)."""

    def visible_to(self, user: User) -> Self:
        return self.all()


class InternalQuerySet(GatedQuerySet):
    """For bookkeeping rows that no user reads directly (only system code uses them)."""

    def visible_to(self, user: User) -> Self:
        return self.none()
