"""One filter definition for the intervention list in the API (and any later screen)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Intervention
from .workflow import Kind, Status


class InterventionFilter(django_filters.FilterSet):
    case = django_filters.CharFilter(
        label=_("Casusnummer"), field_name="case__reference", lookup_expr="iexact"
    )
    kind = django_filters.ChoiceFilter(label=_("Soort interventie"), choices=Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    ends_before = django_filters.DateFilter(
        label=_("Sluiting eindigt uiterlijk op"), field_name="ends_on", lookup_expr="lte"
    )

    class Meta:
        model = Intervention
        fields = ["case", "kind", "status", "ends_before"]
