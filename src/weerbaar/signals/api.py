"""Signals in the API: list, detail, create (every channel with a token) and triage updates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet
from weerbaar.organisations.models import Municipality

from . import actions
from .filters import SignalFilter
from .models import Channel, Phenomenon, Priority, Signal, Subject, SubjectKind, SubjectRole
from .workflow import Status


class SubjectSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    role = serializers.ChoiceField(choices=SubjectRole.choices, required=False)

    class Meta:
        model = Subject
        fields = list(actions.SUBJECT_FIELDS)
        extra_kwargs = {"postcode": {"max_length": 7}, "licence_plate": {"max_length": 10}}


class SignalSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all()
    )
    phenomena = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Phenomenon.objects.all(), required=False
    )
    subjects = SubjectSerializer(many=True, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    postcode = serializers.CharField(max_length=7, required=False, allow_blank=True)
    handler: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Signal
        fields = [
            "id",
            "reference",
            "municipality",
            "received_at",
            "channel",
            "description",
            "phenomena",
            "street",
            "house_number",
            "house_number_addition",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "area_name",
            "subjects",
            "priority",
            "status",
            "handler",
            "first_read_due",
            "first_read_at",
            "follow_up_due",
        ]
        read_only_fields = [
            "reference",
            "priority",
            "status",
            "first_read_due",
            "first_read_at",
            "follow_up_due",
        ]
        extra_kwargs = {"received_at": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and isinstance(request.user, User):
            fields["phenomena"].child_relation.queryset = Phenomenon.objects.for_user(request.user)  # type: ignore[attr-defined]
        return fields


class ReporterViewSerializer(serializers.ModelSerializer):
    """What the filer of a signal sees without a triage role: no internal steps."""

    status = serializers.CharField(source="coarse_status")

    class Meta:
        model = Signal
        fields = ["id", "reference", "received_at", "description", "status"]


class TriageUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    handler = serializers.CharField(
        required=False, allow_null=True, help_text="Gebruikersnaam, of null."
    )


def _raise_api(exc: DjangoValidationError) -> None:
    raise ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


@extend_schema_view(
    list=extend_schema(summary="Signalen die u mag zien"),
    retrieve=extend_schema(summary="Eén signaal", responses=SignalSerializer),
)
class SignalViewSet(GatedReadOnlyViewSet):
    """Signalen, met dezelfde rechten als in de schermen."""

    model = Signal
    serializer_class = SignalSerializer
    filterset_class = SignalFilter
    required_perm = Perm.MODULE_SIGNALS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("municipality", "handler")
            .prefetch_related("phenomena", "subjects")
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return TriageUpdateSerializer
        if self.action in ("list", "retrieve") and not self._triage():
            # Filers and partners: never subjects, handler or internal steps (as on the pages).
            return ReporterViewSerializer
        return SignalSerializer

    def _triage(self) -> bool:
        user = self.request.user
        return isinstance(user, User) and user.has_role_perm(Perm.SIGNALS_TRIAGE)

    def filter_queryset(self, queryset: Any) -> Any:
        """Only triage roles filter: status or deadline filters would reveal internal steps."""
        if self._triage():
            return super().filter_queryset(queryset)
        return queryset

    @extend_schema(request=SignalSerializer, responses={201: SignalSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        assert isinstance(user, User)
        serializer = SignalSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        channel = data.pop("channel", None) or actions.default_channel(user)
        if not user.has_role_perm(Perm.SIGNALS_TRIAGE) and channel != actions.default_channel(user):
            raise ValidationError({"channel": ["Dit kanaal mag u niet kiezen."]})
        location = {k: data.pop(k) for k in list(data) if k in actions.LOCATION_FIELDS}
        new = actions.NewSignal(
            municipality=data.pop("municipality"),
            channel=channel,
            description=data.pop("description"),
            phenomena=data.pop("phenomena", []),
            location=location,
            subjects=[dict(s) for s in data.pop("subjects", [])],
            received_at=data.pop("received_at", None),
        )
        try:
            signal = actions.create_signal(user, new, request=request._request)
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        return Response(
            SignalSerializer(signal, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=TriageUpdateSerializer, responses=SignalSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        assert isinstance(user, User)
        if not user.has_role_perm(Perm.SIGNALS_TRIAGE):
            raise ApiPermissionDenied
        signal = self.get_object()
        serializer = TriageUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        handler = None
        if data.get("handler"):
            candidates = User.objects.filter(
                municipality_id=signal.municipality_id, username=data["handler"], is_active=True
            )
            handler = next((u for u in candidates if u.has_role_perm(Perm.SIGNALS_TRIAGE)), None)
            if handler is None:
                raise ValidationError(
                    {"handler": ["Kies een regisseur of analist van deze gemeente."]}
                )
        try:
            with transaction.atomic():
                self._apply(user, signal, data, handler, request)
        except DjangoValidationError as exc:
            _raise_api(exc)
        signal.refresh_from_db()
        return Response(SignalSerializer(signal, context=self.get_serializer_context()).data)

    def _apply(
        self,
        user: User,
        signal: Signal,
        data: dict[str, Any],
        handler: User | None,
        request: Request,
    ) -> None:
        """All requested changes, or none: the caller runs this in one transaction."""
        if "priority" in data:
            actions.update_triage(user, signal, priority=data["priority"], request=request._request)
        if "handler" in data:
            actions.assign(user, signal, handler, request=request._request)
        if "status" in data:
            signal = actions.change_status(
                user,
                signal,
                data["status"],
                note=data.get("note", ""),
                request=request._request,
            )
