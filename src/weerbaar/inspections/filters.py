"""One filter definition for the inspection list and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MIN_YEAR, Inspection
from .workflow import Kind, Status


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this_year + 1, max(MIN_YEAR, this_year - 10) - 1, -1)]


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken (nummer of titel)"), method="search")
    year = django_filters.ChoiceFilter(
        label=_("Jaar"), choices=year_choices, empty_label=_("alle jaren"), method="by_year"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"), choices=Kind.choices, empty_label=_("alle soorten")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("alle statussen")
    )

    class Meta:
        model = Inspection
        fields = ["q", "year", "kind", "status"]

    def search(self, queryset: QuerySet[Inspection], name: str, value: str) -> QuerySet[Inspection]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(area__icontains=value)
        )

    def by_year(
        self, queryset: QuerySet[Inspection], name: str, value: Any
    ) -> QuerySet[Inspection]:
        """Planned or held in that year."""
        if not value:
            return queryset
        year = int(value)
        return queryset.filter(Q(planned_on__year=year) | Q(held_on__year=year))
