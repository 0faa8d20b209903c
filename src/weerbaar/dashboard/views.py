"""The home dashboard per role, module entry pages and the Beheer overview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm, Role, Scope
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.organisations.models import Municipality, PartnerOrganisation, Team

from .navigation import MODULES_BY_SLUG, modules_for
from .regie import regie_overview


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    context: dict[str, Any] = {"modules": [m for m in modules_for(user) if m.slug != "beheer"]}
    municipalities = Municipality.objects.for_user(user)
    context["figures"] = {
        "municipalities": municipalities.count(),
        "participating": municipalities.filter(is_participating=True).count(),
        "partners": PartnerOrganisation.objects.for_user(user).count(),
        "teams": Team.objects.for_user(user).count(),
    }
    if user.has_role_perm(Perm.MANAGE_ACCOUNTS):
        accounts = User.objects.for_user(user)
        context["accounts"] = {
            "total": accounts.count(),
            "inactive": accounts.filter(is_active=False).count(),
        }
    if user.has_role_perm(Perm.VIEW_AUDIT_LOG):
        since = timezone.now() - timedelta(hours=24)
        recent = AuditEntry.objects.for_user(user).filter(timestamp__gte=since)
        context["security"] = {
            "failed_logins": recent.filter(
                action__in=[Action.LOGIN_FAILED, Action.SECOND_FACTOR_FAILED]
            ).count(),
            "lockouts": recent.filter(action=Action.LOCKED_OUT).count(),
        }
    context["regie"] = regie_overview(user)
    context["is_platform"] = user.scope is Scope.PLATFORM
    if user.scope in (Scope.REGION, Scope.PLATFORM):
        context["districts"] = _district_overview(municipalities)
    if user.has_role_perm(Perm.MANAGE_ACCOUNTS):
        context["roles"] = _accounts_per_role(User.objects.for_user(user))
    return render(request, "dashboard/home.html", context)


def _district_overview(municipalities: QuerySet[Municipality]) -> list[dict[str, Any]]:
    """Municipalities per district within reach: counts only, no personal data."""
    rows = (
        municipalities.values("district__name", "region__name")
        .annotate(total=Count("pk"), participating=Count("pk", filter=Q(is_participating=True)))
        .order_by("region__name", "district__name")
    )
    return list(rows)


def _accounts_per_role(accounts: QuerySet[User]) -> list[tuple[str, int]]:
    counts = dict(accounts.filter(is_active=True).values_list("role").annotate(n=Count("pk")))
    return [
        (str(label), counts.get(value, 0)) for value, label in Role.choices if counts.get(value)
    ]


def module(request: HttpRequest, slug: str) -> HttpResponse:
    entry = MODULES_BY_SLUG.get(slug)
    if entry is None or entry.available:
        raise Http404
    if not request.user.has_role_perm(entry.perm):  # type: ignore[union-attr]
        raise PermissionDenied
    return render(request, "dashboard/module.html", {"module": entry})


def admin_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role_perm(Perm.MODULE_ADMIN):  # type: ignore[union-attr]
        raise PermissionDenied
    return render(request, "dashboard/admin.html", {"perm": Perm})
