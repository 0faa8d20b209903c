"""One filter definition for the case list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.organisations.models import PartnerOrganisation
from weerbaar.signals.models import Phenomenon

from .models import Case, CasePartner, CaseTask
from .workflow import OPEN_PHASES, Phase


def _user(request: Any) -> Any:
    return getattr(request, "user", None)


def _phenomena(request: Any) -> QuerySet[Phenomenon]:
    return Phenomenon.objects.for_user(_user(request))


def _leads(request: Any) -> QuerySet[User]:
    user = _user(request)
    if user is None or not getattr(user, "municipality_id", None):
        return User.objects.none()
    people = User.objects.for_user(user).filter(municipality_id=user.municipality_id)
    return people.filter(role__in=[r for r in _case_roles()]).order_by("last_name", "first_name")


def _case_roles() -> list[str]:
    from weerbaar.accounts.roles import ROLE_PERMS

    return [role for role, perms in ROLE_PERMS.items() if Perm.CASES_WORK in perms]


def _partners(request: Any) -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.for_user(_user(request))


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken (nummer of titel)"), method="search")
    phase = django_filters.ChoiceFilter(
        label=_("Fase"), choices=Phase.choices, empty_label=_("open"), method="by_phase"
    )
    lead = django_filters.ModelChoiceFilter(label=_("Casusregisseur"), queryset=_leads)
    phenomenon = django_filters.ModelChoiceFilter(
        label=_("Fenomeen"), field_name="phenomena", queryset=_phenomena
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=_partners, method="by_partner"
    )
    late_tasks = django_filters.BooleanFilter(
        label=_("Met taken over de termijn"),
        method="by_late_tasks",
        widget=django_filters.widgets.BooleanWidget,
    )
    riec = django_filters.BooleanFilter(
        label=_("Ingebracht bij RIEC"),
        field_name="riec_referred_on",
        lookup_expr="isnull",
        exclude=True,
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Case
        fields = ["q", "phase", "lead", "phenomenon", "partner", "late_tasks", "riec"]

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if not self.form.cleaned_data.get("phase"):
            queryset = queryset.filter(phase__in=OPEN_PHASES)
        return super().filter_queryset(queryset)

    def by_phase(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(phase=value) if value else queryset

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def by_partner(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(pk__in=CasePartner.active_for(value.pk))

    def by_late_tasks(
        self, queryset: QuerySet[Case], name: str, value: bool | None
    ) -> QuerySet[Case]:
        if value is None:
            return queryset
        late = CaseTask.objects.filter(done_at=None, due_on__lt=timezone.localdate())
        rows = late.values("case_id")
        return queryset.filter(pk__in=rows) if value else queryset.exclude(pk__in=rows)
