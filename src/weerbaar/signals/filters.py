"""One filter definition for the triage queue and the API list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Channel, Phenomenon, Priority, Signal
from .search import matching
from .workflow import OPEN_STATUSES, Status


def _phenomena(request: object) -> QuerySet[Phenomenon]:
    user = getattr(request, "user", None)
    return Phenomenon.objects.for_user(user)


class SignalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Zoeken"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("open"), method="by_status"
    )
    channel = django_filters.ChoiceFilter(label=_("Kanaal"), choices=Channel.choices)
    phenomenon = django_filters.ModelChoiceFilter(
        label=_("Fenomeen"), field_name="phenomena", queryset=_phenomena
    )
    priority = django_filters.ChoiceFilter(label=_("Prioriteit"), choices=Priority.choices)
    overdue = django_filters.BooleanFilter(
        label=_("Termijn verstreken"),
        method="by_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )
    mine = django_filters.BooleanFilter(
        label=_("Aan mij toegewezen"), method="by_mine", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = Signal
        fields = ["q", "status", "channel", "phenomenon", "priority", "overdue", "mine"]

    def filter_queryset(self, queryset: QuerySet[Signal]) -> QuerySet[Signal]:
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        return super().filter_queryset(queryset)

    def by_status(self, queryset: QuerySet[Signal], name: str, value: str) -> QuerySet[Signal]:
        return queryset.filter(status=value) if value else queryset

    def search(self, queryset: QuerySet[Signal], name: str, value: str) -> QuerySet[Signal]:
        return matching(queryset, value)

    def by_overdue(
        self, queryset: QuerySet[Signal], name: str, value: bool | None
    ) -> QuerySet[Signal]:
        if value is None:
            return queryset
        now = timezone.now()
        overdue = Q(first_read_at__isnull=True, first_read_due__lt=now) | Q(
            follow_up_due__lt=timezone.localdate()
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def by_mine(
        self, queryset: QuerySet[Signal], name: str, value: bool | None
    ) -> QuerySet[Signal]:
        if not value:
            return queryset
        return queryset.filter(handler=getattr(self.request, "user", None))
