"""LIO in the API: meetings with the agenda items the caller may see, and decisions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet
from weerbaar.audit.log import record_read
from weerbaar.organisations.models import PartnerOrganisation

from . import actions
from .decisions import DecisionKind
from .models import ActionItem, AgendaItem, Decision, Meeting


class DecisionSerializer(serializers.ModelSerializer):
    item: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    partner: Any = serializers.StringRelatedField()
    case = serializers.SerializerMethodField(help_text="Casusnummer; alleen voor de gemeente.")

    class Meta:
        model = Decision
        fields = ["id", "item", "kind", "rationale", "partner", "case", "decided_at"]

    def get_case(self, obj: Decision) -> str | None:
        user = self.context["request"].user
        if obj.case is None or not user.has_role_perm(Perm.CASES_WORK):
            return None
        return obj.case.reference


class AgendaItemSerializer(serializers.ModelSerializer):
    decision = serializers.SerializerMethodField()
    shared_with = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "kind", "title", "summary", "shared_with", "decision"]

    def get_decision(self, obj: AgendaItem) -> dict[str, Any] | None:
        decision = getattr(obj, "decision", None)
        if decision is None:
            return None
        return DecisionSerializer(decision, context=self.context).data

    def get_shared_with(self, obj: AgendaItem) -> list[str]:
        user = self.context["request"].user
        if user.partner_organisation_id:
            return []  # a partner does not learn who else sees an item
        return [str(o) for o in obj.shared_with.all()]


class ActionItemSerializer(serializers.ModelSerializer):
    owner: Any = serializers.StringRelatedField()
    owner_organisation: Any = serializers.StringRelatedField()

    class Meta:
        model = ActionItem
        fields = ["id", "item", "description", "owner", "owner_organisation", "due_on", "done_at"]


class MeetingSerializer(serializers.ModelSerializer):
    municipality: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = serializers.SerializerMethodField()
    action_items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "municipality",
            "title",
            "starts_at",
            "location",
            "status",
            "items",
            "action_items",
        ]

    def _user(self) -> User:
        return self.context["request"].user

    def get_items(self, obj: Meeting) -> list[dict[str, Any]]:
        rows = AgendaItem.objects.for_user(self._user()).filter(meeting=obj)
        return AgendaItemSerializer(rows, many=True, context=self.context).data  # type: ignore[return-value]

    def get_action_items(self, obj: Meeting) -> list[dict[str, Any]]:
        rows = ActionItem.objects.for_user(self._user()).filter(meeting=obj)
        return ActionItemSerializer(rows, many=True).data  # type: ignore[return-value]


class MeetingListSerializer(serializers.ModelSerializer):
    municipality: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "municipality", "title", "starts_at", "location", "status"]


@extend_schema_view(
    list=extend_schema(summary="LIO's die u mag zien", responses=MeetingListSerializer(many=True)),
    retrieve=extend_schema(summary="Eén LIO met de agendapunten die met u gedeeld zijn"),
)
class MeetingViewSet(GatedReadOnlyViewSet):
    """LIO's. Een partner ziet alleen overleggen waaraan zijn organisatie deelneemt, en daarvan
    alleen de agendapunten die met hem gedeeld zijn."""

    model = Meeting
    serializer_class = MeetingSerializer
    required_perm = Perm.MODULE_LIO

    def get_queryset(self):
        return super().get_queryset().select_related("municipality").order_by("-starts_at")

    def get_serializer_class(self):
        return MeetingListSerializer if self.action == "list" else MeetingSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The meeting itself holds no personal data, its agenda items do: log their reading.
        meeting = self.get_object()
        items = AgendaItem.objects.for_user(request.user).filter(meeting=meeting)
        record_read(request.user, items, request=request._request)  # type: ignore[arg-type]
        return Response(self.get_serializer(meeting).data)


class NewDecisionSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="Id van het agendapunt.")
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    rationale = serializers.CharField(max_length=2000)
    partner = serializers.IntegerField(required=False, help_text="Id van de partnerorganisatie.")
    case_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    inspection_on = serializers.DateField(required=False, help_text="Bij controle plannen.")


@extend_schema_view(
    list=extend_schema(summary="Besluiten die u mag zien"),
    retrieve=extend_schema(summary="Eén besluit"),
)
class DecisionViewSet(GatedReadOnlyViewSet):
    """Besluiten van het LIO, met dezelfde zichtbaarheid als hun agendapunt."""

    model = Decision
    serializer_class = DecisionSerializer
    required_perm = Perm.MODULE_LIO
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "case").order_by("-decided_at")

    @extend_schema(request=NewDecisionSerializer, responses={201: DecisionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        if not isinstance(user, User) or not user.has_role_perm(Perm.LIO_PREPARE):
            raise ApiPermissionDenied
        serializer = NewDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = AgendaItem.objects.for_user(user).filter(pk=data["item"]).first()
        if item is None:
            raise ValidationError({"item": ["Agendapunt niet gevonden."]})
        partner = None
        if data.get("partner"):
            partner = PartnerOrganisation.objects.for_user(user).filter(pk=data["partner"]).first()
            if partner is None:
                raise ValidationError({"partner": ["Partnerorganisatie niet gevonden."]})
        try:
            decision = actions.decide(
                user,
                item,
                kind=data["kind"],
                rationale=data["rationale"],
                partner=partner,
                case_title=data.get("case_title", ""),
                inspection_on=data.get("inspection_on"),
                request=request._request,
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        body = DecisionSerializer(decision, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
