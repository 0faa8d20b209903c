"""The read gate: every model that holds tenant data is read through ``for_user``.

Each model's queryset subclasses :class:`GatedQuerySet` and implements ``visible_to`` with the
rules for that model, using the capabilities of :mod:`weerbaar.accounts.roles`. Anonymous and
inactive users see nothing, whatever the model. Views, API viewsets, exports and commands
call ``Model.objects.for_user(user)``; the system check in :mod:`weerbaar.core.checks` refuses a
model of ours without it.

Objects read through ``for_user`` remember for whom they passed (:func:`passed`), so that the
rows that hang off one of them (a case's subjects, tasks, ...) can be read for that user
without repeating the whole rule for the parent (``CaseScopedQuerySet.of_case``). The mark is
only set on model instances the gated queryset itself returned, names the user and the
object's primary key (an object whose pk is changed no longer passes), and is dropped when
the queryset is combined with another (``|``, ``&``, ``^``, ``union``...), given extra
selected columns, or used to change rows (``update_or_create``). It holds for the request
that read the object: never keep marked objects beyond it (caches, sessions).
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
    if user is None or user.pk is None or obj.pk is None or not getattr(user, "is_active", False):
        return False
    return getattr(obj, _PASSED, None) == (user.pk, obj.pk)


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
                setattr(obj, _PASSED, (self._passed_for, obj.pk))

    def _ungated(self, combined: Any) -> Self:
        ungated: Self = combined._chain()
        ungated._passed_for = None
        return ungated

    def __or__(self, other: Any) -> Self:
        return self._ungated(super().__or__(other))

    def __and__(self, other: Any) -> Self:
        # A subset of this queryset's rows, but Query.combine copies the other side's
        # extra(select=...) columns, which may overwrite the primary key.
        return self._ungated(super().__and__(other))

    def __xor__(self, other: Any) -> Self:
        return self._ungated(super().__xor__(other))  # type: ignore[misc]

    def extra(self, select: Any = None, *args: Any, **kwargs: Any) -> Self:
        extended: Self = super().extra(select, *args, **kwargs)  # type: ignore[assignment]  # noqa: S610
        return self._ungated(extended) if select else extended

    def update_or_create(self, *args: Any, **kwargs: Any) -> tuple[Any, bool]:
        obj, created = super().update_or_create(*args, **kwargs)
        obj.__dict__.pop(_PASSED, None)  # changed after it was read: it may no longer pass
        return obj, created

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
