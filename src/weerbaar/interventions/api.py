"""Interventions in the API: list and detail through the same gate as the case page, register
one on a case, and edits that carry the version they started from (409 when stale)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet
from weerbaar.cases.api import Conflict
from weerbaar.cases.models import Case
from weerbaar.organisations.models import PartnerOrganisation

from . import actions
from .filters import InterventionFilter
from .models import Intervention
from .workflow import CLOSURE_MONTHS, Kind, Status


# Kind and status are schema components of their own: as inline enums named "kind" and
# "status" they would collide with the choice sets of other modules in the generated schema.
@extend_schema_field(
    {"type": "string", "enum": Kind.values, "description": "Soort interventie."},
    component_name="InterventionKind",
)
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Kind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": Status.values, "description": "Status van de interventie."},
    component_name="InterventionStatus",
)
class StatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Status.choices, **kwargs)


class InterventionSerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    status = StatusField(read_only=True)
    case: Any = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    executor: Any = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="Partnerorganisatie; leeg = de gemeente zelf."
    )
    executor_name = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = [
            "id",
            "case",
            "kind",
            "legal_basis",
            "description",
            "executor",
            "executor_name",
            "status",
            "decided_on",
            "outcome",
            "objection_on",
            "appeal_on",
            "starts_on",
            "ends_on",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_executor_name(self, obj: Intervention) -> str:
        return obj.executor_label


class _Fields(serializers.Serializer):
    legal_basis = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Leeg: de grondslag die bij de soort hoort.",
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    executor = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id van de partnerorganisatie; leeg = gemeente."
    )
    decided_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    objection_on = serializers.DateField(required=False, allow_null=True)
    appeal_on = serializers.DateField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    duration_months = serializers.ChoiceField(
        choices=CLOSURE_MONTHS,
        required=False,
        allow_null=True,
        help_text="Duur van een sluiting in maanden; in plaats van ends_on.",
    )


# Named after the model: the schema shows InterventionRequest and PatchedInterventionRequest.
@extend_schema_serializer(component_name="Intervention")
class InterventionCreateSerializer(_Fields):
    case = serializers.CharField(help_text="Casusnummer.")
    kind = KindField()
    status = StatusField(
        required=False, help_text="Een nieuwe interventie kan niet meteen 'ingetrokken' zijn."
    )


@extend_schema_serializer(component_name="Intervention")
class InterventionUpdateSerializer(_Fields):
    version = serializers.IntegerField(help_text="De versie die u heeft gelezen.")
    kind = KindField(required=False)
    status = StatusField(required=False)


def _raise_api(exc: DjangoValidationError) -> None:
    if isinstance(exc, actions.StaleIntervention):
        raise Conflict(exc.messages[0])
    raise ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


@extend_schema_view(
    list=extend_schema(summary="Interventies die u mag zien"),
    retrieve=extend_schema(summary="Eén interventie"),
)
class InterventionViewSet(GatedReadOnlyViewSet):
    """Interventies per casus. Een partner ziet alleen de interventies van casussen die
    interventies met zijn organisatie delen."""

    model = Intervention
    serializer_class = InterventionSerializer
    filterset_class = InterventionFilter
    required_perm = Perm.MODULE_CASES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("case", "executor").order_by("-pk")

    def _worker(self) -> User:
        user = self.request.user
        if not isinstance(user, User) or not user.has_role_perm(Perm.CASES_WORK):
            raise ApiPermissionDenied
        return user

    def _executor(self, user: User, data: dict[str, Any]) -> None:
        if data.get("executor") is None:
            return
        found = PartnerOrganisation.objects.for_user(user).filter(pk=data["executor"]).first()
        if found is None:
            raise ValidationError({"executor": ["Onbekende partnerorganisatie."]})
        data["executor"] = found

    def _respond(self, intervention: Intervention, code: int = status.HTTP_200_OK) -> Response:
        intervention = Intervention.objects.select_related("case", "executor").get(
            pk=intervention.pk
        )
        body = InterventionSerializer(intervention, context=self.get_serializer_context()).data
        return Response(body, status=code)

    @extend_schema(request=InterventionCreateSerializer, responses={201: InterventionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self._worker()
        serializer = InterventionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = Case.objects.for_user(user).filter(reference=data.pop("case")).first()
        if case is None:
            raise ValidationError({"case": ["Casus niet gevonden."]})
        self._executor(user, data)
        try:
            intervention = actions.register_intervention(
                user, case, request=request._request, **data
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        return self._respond(intervention, status.HTTP_201_CREATED)

    @extend_schema(request=InterventionUpdateSerializer, responses={200: InterventionSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self._worker()
        intervention = self.get_object()
        serializer = InterventionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        duration = data.pop("duration_months", None)
        self._executor(user, data)
        try:
            intervention = actions.update_intervention(
                user,
                intervention,
                version=version,
                changes=data,
                duration_months=duration,
                request=request._request,
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        return self._respond(intervention)
