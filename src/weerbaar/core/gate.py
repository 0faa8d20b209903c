"""The read gate: every model that holds tenant data is read through ``for_user``.

Each model's queryset subclasses :class:`GatedQuerySet` and implements ``visible_to`` with the
rules for that model, using the capabilities of :mod:`weerbaar.accounts.roles`. Anonymous and
inactive users see nothing, whatever the model. Views, API viewsets, exports and commands
call ``Model.objects.for_user(user)``; the system check in :mod:`weerbaar.core.checks` refuses a
model of ours without it.

Objects read through ``for_user`` remember for whom they passed (:func:`passed`), so that the
rows that hang off one of them (a case's subjects, tasks, ...) can be read for that user
without repeating the whole rule for the parent (``CaseScopedQuerySet.of_case``). The mark is
only set on model instances the gated queryset itself returned; combining it with another
queryset (``|``, ``^``, ``union``) drops the mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models.query import ModelIterable

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


_PASSED = "_gate_passed_for"


def passed(obj: models.Model, user: Any) -> bool:
    """Whether ``obj`` was read through its model's gate for ``user`` (and so may be shown)."""
    return user is not None and user.pk is not None and getattr(obj, _PASSED, None) == user.pk


class GatedQuerySet(models.QuerySet[Any]):
    _passed_for: Any = None  # the user's pk once for_user() has applied the rule

    def for_user(self, user: Any) -> Self:
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        gated = self.visible_to(user)
        gated._passed_for = user.pk
        return gated

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._passed_for = self._passed_for
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._passed_for is not None and self._iterable_class is ModelIterable:
            for obj in self._result_cache or ():
                setattr(obj, _PASSED, self._passed_for)

    def _ungated(self, combined: Any) -> Self:
        ungated: Self = combined._chain()
        ungated._passed_for = None
        return ungated

    def __or__(self, other: Any) -> Self:
        return self._ungated(super().__or__(other))

    def __xor__(self, other: Any) -> Self:
        return self._ungated(super().__xor__(other))  # type: ignore[misc]

    def _combinator_query(self, *args: Any, **kwargs: Any) -> Self:
        return self._ungated(super()._combinator_query(*args, **kwargs))  # type: ignore[misc]

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
