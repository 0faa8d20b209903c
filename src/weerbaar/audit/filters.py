import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import object_type_choices
from .models import Action, AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        label=_("Vanaf"),
        field_name="timestamp",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Tot en met"),
        field_name="timestamp",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    action = django_filters.ChoiceFilter(label=_("Handeling"), choices=Action.choices)
    actor = django_filters.CharFilter(
        label=_("Account"), field_name="actor_label", lookup_expr="icontains"
    )
    object_type = django_filters.ChoiceFilter(label=_("Soort gegeven"), choices=object_type_choices)
    object_id = django_filters.CharFilter(label=_("Id"), lookup_expr="exact")

    class Meta:
        model = AuditEntry
        fields = ["since", "until", "action", "actor", "object_type", "object_id"]
