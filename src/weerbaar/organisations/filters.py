"""Filters shared by the HTML lists and the API lists."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import District, Municipality, PartnerKind, PartnerOrganisation, Region


class MunicipalityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Naam of code"), method="search")
    region = django_filters.ModelChoiceFilter(label=_("RIEC-regio"), queryset=Region.objects.all())
    district = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=District.objects.all()
    )
    is_participating = django_filters.BooleanFilter(label=_("Neemt deel"))

    class Meta:
        model = Municipality
        fields = ["q", "region", "district", "is_participating"]

    def search(
        self, queryset: QuerySet[Municipality], name: str, value: str
    ) -> QuerySet[Municipality]:
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


class PartnerOrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Naam"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Soort"), choices=PartnerKind.choices)

    class Meta:
        model = PartnerOrganisation
        fields = ["q", "kind"]
