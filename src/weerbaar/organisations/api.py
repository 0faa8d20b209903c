from typing import Any

from rest_framework import serializers

from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet

from .filters import MunicipalityFilter, PartnerOrganisationFilter
from .models import Municipality, PartnerOrganisation, Team


class MunicipalitySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.name", read_only=True)
    safety_region = serializers.CharField(source="safety_region.code", read_only=True)
    safety_region_name = serializers.CharField(source="safety_region.name", read_only=True)
    district = serializers.CharField(source="district.name", read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Municipality
        fields = [
            "id",
            "code",
            "name",
            "province",
            "safety_region",
            "safety_region_name",
            "district",
            "region",
            "is_participating",
        ]


class PartnerOrganisationSerializer(serializers.ModelSerializer):
    municipalities = serializers.SerializerMethodField(
        help_text="CBS-codes van de gekoppelde gemeenten die u mag zien."
    )
    regions: Any = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = PartnerOrganisation
        fields = ["id", "name", "kind", "email", "municipalities", "regions"]

    def get_municipalities(self, organisation: PartnerOrganisation) -> list[str]:
        visible: set[int] = self.context["visible_municipality_ids"]
        return [m.code for m in organisation.municipalities.all() if m.pk in visible]


class TeamSerializer(serializers.ModelSerializer):
    municipality: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "municipality"]


class MunicipalityViewSet(GatedReadOnlyViewSet):
    """Gemeenten die u mag zien: uw eigen gemeente, of die van uw regio of organisatie."""

    model = Municipality
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    required_perm = Perm.VIEW_ORGANISATIONS

    def get_queryset(self):
        return (
            super().get_queryset().select_related("province", "safety_region", "district", "region")
        )


class PartnerOrganisationViewSet(GatedReadOnlyViewSet):
    """Partnerorganisaties die met uw gemeente of regio samenwerken."""

    model = PartnerOrganisation
    serializer_class = PartnerOrganisationSerializer
    filterset_class = PartnerOrganisationFilter
    required_perm = Perm.VIEW_ORGANISATIONS

    def get_queryset(self):
        return super().get_queryset().prefetch_related("municipalities", "regions")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["visible_municipality_ids"] = set(
            Municipality.objects.for_user(self.request.user).values_list("pk", flat=True)
        )
        return context


class TeamViewSet(GatedReadOnlyViewSet):
    """Teams van uw gemeente."""

    model = Team
    serializer_class = TeamSerializer
    required_perm = Perm.VIEW_ORGANISATIONS
    filterset_fields = ["kind"]

    def get_queryset(self):
        return super().get_queryset().select_related("municipality")
