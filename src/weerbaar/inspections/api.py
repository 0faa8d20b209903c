"""Inspections in the API: list and detail through the same gate as the screens (with the
target list and findings nested), and planning for regisseur and analist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet
from weerbaar.cases.models import Case
from weerbaar.organisations.models import PartnerOrganisation
from weerbaar.signals.models import Signal

from . import actions
from .filters import InspectionFilter
from .models import Finding, Inspection, InspectionObject
from .workflow import FollowUp, Kind, Status


def _inline_enum(choices: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    """The field's enum, kept inline (wrapped in allOf) in the schema.

    drf-spectacular names enum components after the field ("kind", "status"); other modules
    have fields with those names and other choices, and the collision fails the schema check.
    Kept inline, no settings entry (ENUM_NAME_OVERRIDES) is needed for this app.
    """
    return {
        "allOf": [{"type": "string", "enum": [value for value, _label in choices]}],
        "description": "; ".join(f"`{value}`: {label}" for value, label in choices),
    }


@extend_schema_field(_inline_enum(Kind.choices))
class KindField(serializers.ChoiceField):
    pass


@extend_schema_field(_inline_enum(Status.choices))
class StatusField(serializers.ChoiceField):
    pass


@extend_schema_field(_inline_enum(FollowUp.choices))
class FollowUpField(serializers.ChoiceField):
    pass


class FindingSerializer(serializers.ModelSerializer):
    follow_up = FollowUpField(choices=FollowUp.choices, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "violations_found",
            "violations",
            "observations",
            "follow_up",
            "follow_up_note",
            "recorded_at",
            "updated_at",
        ]


class InspectionObjectSerializer(serializers.ModelSerializer):
    finding = serializers.SerializerMethodField()

    class Meta:
        model = InspectionObject
        fields = [
            "id",
            "name",
            "kvk_number",
            "street",
            "house_number",
            "house_number_addition",
            "postcode",
            "city",
            "finding",
        ]

    @extend_schema_field(FindingSerializer(allow_null=True))
    def get_finding(self, obj: InspectionObject) -> dict[str, Any] | None:
        finding = self.context.get("findings", {}).get(obj.pk)
        return FindingSerializer(finding).data if finding is not None else None


class InspectionSerializer(serializers.ModelSerializer):
    municipality: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = KindField(choices=Kind.choices, read_only=True)
    status = StatusField(choices=Status.choices, read_only=True)
    partners = serializers.SerializerMethodField()
    signal = serializers.SerializerMethodField(help_text="Kenmerk; alleen voor de gemeente.")
    case = serializers.SerializerMethodField(help_text="Casusnummer; alleen voor de gemeente.")
    targets = serializers.SerializerMethodField(help_text="De controlelijst met bevindingen.")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "reference",
            "municipality",
            "kind",
            "title",
            "area",
            "planned_on",
            "held_on",
            "status",
            "results_summary",
            "partners",
            "signal",
            "case",
            "targets",
            "created_at",
            "updated_at",
        ]

    def _user(self) -> User:
        return self.context["request"].user

    def _planner(self, obj: Inspection) -> bool:
        return actions.can_plan(self._user(), obj.municipality_id)

    def get_partners(self, obj: Inspection) -> list[str]:
        return [p.name for p in obj.partners.all()]

    def get_signal(self, obj: Inspection) -> str | None:
        if not obj.signal_id or not self._planner(obj):
            return None
        row = Signal.objects.for_user(self._user()).filter(pk=obj.signal_id).first()
        return row.reference if row else None

    def get_case(self, obj: Inspection) -> str | None:
        if not obj.case_id or not self._planner(obj):
            return None
        row = Case.objects.for_user(self._user()).filter(pk=obj.case_id).first()
        return row.reference if row else None

    @extend_schema_field(InspectionObjectSerializer(many=True))
    def get_targets(self, obj: Inspection) -> list[dict[str, Any]]:
        user = self._user()
        items = InspectionObject.objects.for_user(user).filter(inspection=obj)
        findings = {
            f.target_id: f for f in Finding.objects.for_user(user).filter(target__inspection=obj)
        }
        return InspectionObjectSerializer(  # type: ignore[return-value]
            items, many=True, context={**self.context, "findings": findings}
        ).data


class InspectionListSerializer(serializers.ModelSerializer):
    municipality: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = KindField(choices=Kind.choices, read_only=True)
    status = StatusField(choices=Status.choices, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "reference",
            "municipality",
            "kind",
            "title",
            "planned_on",
            "held_on",
            "status",
        ]


class PlanInspectionSerializer(serializers.Serializer):
    kind = KindField(choices=Kind.choices)
    title = serializers.CharField(max_length=200)
    area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    planned_on = serializers.DateField()
    partners = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids van partnerorganisaties."
    )
    signal = serializers.CharField(required=False, help_text="Kenmerk van het signaal.")
    case = serializers.CharField(required=False, help_text="Casusnummer.")


def _raise_api(exc: DjangoValidationError) -> None:
    raise ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


@extend_schema_view(
    list=extend_schema(
        summary="Integrale controles die u mag zien", responses=InspectionListSerializer(many=True)
    ),
    retrieve=extend_schema(summary="Eén controle, met controlelijst en bevindingen"),
)
class InspectionViewSet(GatedReadOnlyViewSet):
    """Integrale controles. Een partner ziet alleen de controles waaraan zijn organisatie
    deelneemt; regisseur en analist zien die van hun gemeente en plannen nieuwe."""

    model = Inspection
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    required_perm = Perm.MODULE_INSPECTIONS
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("municipality")
            .prefetch_related("partners")
            .order_by("-planned_on", "-pk")
        )

    def get_serializer_class(self):
        return InspectionListSerializer if self.action == "list" else InspectionSerializer

    @extend_schema(request=PlanInspectionSerializer, responses={201: InspectionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        if not isinstance(user, User) or user.municipality is None:
            raise ApiPermissionDenied
        if not actions.can_plan(user, user.municipality.pk):
            raise ApiPermissionDenied
        serializer = PlanInspectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = set(data.get("partners", []))
        partners = list(PartnerOrganisation.objects.for_user(user).filter(pk__in=ids))
        if len(partners) != len(ids):
            raise ValidationError({"partners": ["Een of meer partners zijn niet gevonden."]})
        signal = case = None
        if data.get("signal"):
            signal = Signal.objects.for_user(user).filter(reference=data["signal"]).first()
            if signal is None:
                raise ValidationError({"signal": ["Dit signaal is niet gevonden."]})
        if data.get("case"):
            case = Case.objects.for_user(user).filter(reference=data["case"]).first()
            if case is None:
                raise ValidationError({"case": ["Deze casus is niet gevonden."]})
        try:
            inspection = actions.plan_inspection(
                user,
                user.municipality,
                kind=data["kind"],
                title=data["title"],
                area=data.get("area", ""),
                planned_on=data["planned_on"],
                partners=partners,
                signal=signal,
                case=case,
                request=request._request,
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        body = InspectionSerializer(inspection, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
