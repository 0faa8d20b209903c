"""Cases in the API: list and detail with the same need-to-know as the screens, opening a
case from signals, and edits that carry the version they started from (409 when stale)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet
from weerbaar.signals.actions import SUBJECT_FIELDS
from weerbaar.signals.models import Signal

from . import actions
from .filters import CaseFilter
from .models import Case, CasePartner, CaseSubject, CaseTask, SharedPart
from .workflow import Phase, Result


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class CaseSubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseSubject
        fields = ["id", *SUBJECT_FIELDS]


class CaseTaskSerializer(serializers.ModelSerializer):
    owner: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)
    owner_organisation: Any = serializers.StringRelatedField()

    class Meta:
        model = CaseTask
        fields = ["id", "title", "due_on", "owner", "owner_organisation", "done_at"]


class CasePartnerSerializer(serializers.ModelSerializer):
    organisation: Any = serializers.StringRelatedField()
    shared_parts = serializers.SerializerMethodField()

    class Meta:
        model = CasePartner
        fields = ["organisation", "legal_basis", "shared_parts", "added_at"]

    def get_shared_parts(self, obj: CasePartner) -> list[str]:
        return [p for p in SharedPart.values if obj.shares(p)]


class CaseSerializer(serializers.ModelSerializer):
    municipality: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)
    signals = serializers.SerializerMethodField(help_text="Kenmerken; alleen voor de gemeente.")
    subjects = serializers.SerializerMethodField()
    tasks = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "municipality",
            "title",
            "summary",
            "phase",
            "lead",
            "review_on",
            "riec_referred_on",
            "riec_reference",
            "riec_status",
            "closed_on",
            "result",
            "result_note",
            "created_at",
            "updated_at",
            "version",
            "signals",
            "subjects",
            "tasks",
            "partners",
        ]

    def _user(self) -> User:
        return self.context["request"].user

    def get_signals(self, obj: Case) -> list[str]:
        rows = Signal.objects.for_user(self._user()).filter(cases=obj)
        if not self._user().has_role_perm(Perm.CASES_WORK):
            return []
        return list(rows.values_list("reference", flat=True))

    def get_subjects(self, obj: Case) -> list[dict[str, Any]]:
        rows = CaseSubject.objects.for_user(self._user()).filter(case=obj)
        return CaseSubjectSerializer(rows, many=True).data  # type: ignore[return-value]

    def get_tasks(self, obj: Case) -> list[dict[str, Any]]:
        rows = CaseTask.objects.for_user(self._user()).filter(case=obj)
        return CaseTaskSerializer(rows, many=True).data  # type: ignore[return-value]

    def get_partners(self, obj: Case) -> list[dict[str, Any]]:
        rows = CasePartner.objects.for_user(self._user()).filter(case=obj, removed_at=None)
        return CasePartnerSerializer(rows, many=True).data  # type: ignore[return-value]


class CaseListSerializer(serializers.ModelSerializer):
    municipality: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "municipality", "title", "phase", "lead", "created_at"]


class OpenCaseSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    signals = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Kenmerken van signalen."
    )
    lead = serializers.CharField(required=False, help_text="Gebruikersnaam.")


class CaseUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="De versie die u heeft gelezen.")
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    review_on = serializers.DateField(required=False, allow_null=True)
    riec_referred_on = serializers.DateField(required=False, allow_null=True)
    riec_reference = serializers.CharField(max_length=50, required=False, allow_blank=True)
    riec_status = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    result = serializers.ChoiceField(choices=Result.choices, required=False)
    result_note = serializers.CharField(required=False, allow_blank=True)


def _raise_api(exc: DjangoValidationError) -> None:
    if isinstance(exc, actions.StaleCase):
        raise Conflict(exc.messages[0])
    raise ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


@extend_schema_view(
    list=extend_schema(summary="Casussen die u mag zien", responses=CaseListSerializer(many=True)),
    retrieve=extend_schema(summary="Eén casus, met wat met u gedeeld is"),
)
class CaseViewSet(GatedReadOnlyViewSet):
    """Casussen. Een partner ziet alleen de casussen waarop zijn organisatie staat, en daarvan
    alleen de gedeelde onderdelen."""

    model = Case
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    required_perm = Perm.MODULE_CASES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("municipality", "lead").order_by("-pk")

    def get_serializer_class(self):
        return CaseListSerializer if self.action == "list" else CaseSerializer

    def _worker(self) -> User:
        user = self.request.user
        if not isinstance(user, User) or not user.has_role_perm(Perm.CASES_WORK):
            raise ApiPermissionDenied
        return user

    @extend_schema(request=OpenCaseSerializer, responses={201: CaseSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self._worker()
        serializer = OpenCaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        refs = data.get("signals", [])
        signals = list(Signal.objects.for_user(user).filter(reference__in=refs))
        if len(signals) != len(set(refs)):
            raise ValidationError({"signals": ["Een of meer signalen zijn niet gevonden."]})
        lead = None
        if data.get("lead"):
            lead = User.objects.filter(username=data["lead"]).first()
            if lead is None:
                raise ValidationError({"lead": ["Onbekende gebruiker."]})
        assert user.municipality is not None
        try:
            case = actions.open_case(
                user,
                user.municipality,
                title=data["title"],
                summary=data.get("summary", ""),
                signals=signals,
                lead=lead,
                request=request._request,
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        body = CaseSerializer(case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateSerializer, responses={200: CaseSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self._worker()
        case = self.get_object()
        serializer = CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        phase = data.pop("phase", None)
        result, result_note = data.pop("result", ""), data.pop("result_note", "")
        try:
            with transaction.atomic():
                if data:
                    case = actions.update_case(
                        user, case, version=version, changes=data, request=request._request
                    )
                    version = case.version
                if phase:
                    case = actions.change_phase(
                        user,
                        case,
                        phase,
                        version=version,
                        result=result,
                        result_note=result_note,
                        request=request._request,
                    )
        except DjangoValidationError as exc:
            _raise_api(exc)
        case.refresh_from_db()
        return Response(CaseSerializer(case, context=self.get_serializer_context()).data)
