"""API for entities, their matches (links) and merges, with the same gates as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.api.viewsets import GatedReadOnlyViewSet
from weerbaar.audit.log import record_read

from . import actions, resolve
from .crossref import cross_references
from .enrichment import facts_for
from .forms import SearchForm
from .models import Entity, EntityLink, EntityMerge, LinkStatus
from .views import _entity, _probe


class ReasonSerializer(serializers.Serializer):
    field = serializers.CharField()
    outcome = serializers.CharField()
    weight = serializers.FloatField()
    text = serializers.CharField(help_text="Uitleg in het Nederlands.")


class CandidateSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Sleutel van de entiteit, bv. kvk:12345678.")
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    score = serializers.FloatField()
    confidence = serializers.CharField()
    reasons = ReasonSerializer(many=True)


class FactSerializer(serializers.Serializer):
    text = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    date = serializers.DateField(allow_null=True)
    notable = serializers.BooleanField()


class ElsewhereSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.name")
    contacts = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class EntitySerializer(serializers.ModelSerializer):
    merged_into: serializers.SlugRelatedField[Entity] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )

    class Meta:
        model = Entity
        fields = ["key", "kind", "label", "from_registry", "merged_into", "created_at"]


class EntityDetailSerializer(EntitySerializer):
    facts = serializers.SerializerMethodField()
    signals = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()
    inspections = serializers.SerializerMethodField()
    interventions = serializers.SerializerMethodField()
    elsewhere = serializers.SerializerMethodField()

    class Meta(EntitySerializer.Meta):
        fields = [
            *EntitySerializer.Meta.fields,
            "facts",
            "signals",
            "cases",
            "inspections",
            "interventions",
            "elsewhere",
        ]

    def _refs(self, obj: Entity) -> Any:
        return self.context["refs"]

    @extend_schema_field(FactSerializer(many=True))
    def get_facts(self, obj: Entity) -> list[dict[str, Any]]:
        return FactSerializer(facts_for(obj.canonical().key), many=True).data  # type: ignore[return-value]

    def get_signals(self, obj: Entity) -> list[str]:
        return [s.reference for s in self._refs(obj).signals]

    def get_cases(self, obj: Entity) -> list[str]:
        return [c.reference for c in self._refs(obj).cases]

    def get_inspections(self, obj: Entity) -> list[str]:
        return [i.reference for i in self._refs(obj).inspections]

    def get_interventions(self, obj: Entity) -> list[int]:
        return [i.pk for i in self._refs(obj).interventions]

    @extend_schema_field(ElsewhereSerializer(many=True))
    def get_elsewhere(self, obj: Entity) -> list[dict[str, Any]]:
        return ElsewhereSerializer(self._refs(obj).elsewhere, many=True).data  # type: ignore[return-value]


class EntityLinkSerializer(serializers.ModelSerializer):
    entity: serializers.SlugRelatedField[Entity] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )
    signal = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    reasons = ReasonSerializer(many=True, read_only=True)

    class Meta:
        model = EntityLink
        fields = [
            "id",
            "entity",
            "signal",
            "case",
            "signal_subject",
            "case_subject",
            "status",
            "score",
            "confidence",
            "reasons",
            "decided_at",
        ]

    def get_signal(self, obj: EntityLink) -> str | None:
        return obj.signal_subject.signal.reference if obj.signal_subject_id else None  # type: ignore[union-attr]

    def get_case(self, obj: EntityLink) -> str | None:
        return obj.case_subject.case.reference if obj.case_subject_id else None  # type: ignore[union-attr]


class MergeSerializer(serializers.Serializer):
    target = serializers.CharField(help_text="Sleutel van de entiteit om mee samen te voegen.")
    reason = serializers.CharField(max_length=500)


class EntityMergeSerializer(serializers.ModelSerializer):
    source: serializers.SlugRelatedField[Entity] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="key", read_only=True
    )
    target: serializers.SlugRelatedField[Entity] = serializers.SlugRelatedField(
        slug_field="key", read_only=True
    )

    class Meta:
        model = EntityMerge
        fields = ["id", "source", "target", "reason", "merged_at", "undone_at"]


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _raise_api(exc: DjangoValidationError) -> None:
    raise ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    )


@extend_schema_view(
    list=extend_schema(
        summary="Zoeken in de registers en bekende entiteiten",
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description="Naam, KvK-nummer of postcode + huisnummer."
            ),
            OpenApiParameter("kind", str, enum=["", "bedrijf", "persoon", "adres"]),
        ],
        responses=CandidateSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="Eén entiteit met feiten en kruisverwijzingen", responses=EntityDetailSerializer
    ),
)
class EntityViewSet(GatedReadOnlyViewSet):
    """Personen, organisaties, adressen, voertuigen en vaartuigen: uit KvK en BAG of bekend uit
    signalen en casussen. Kruisverwijzingen tonen alleen wat u mag zien."""

    model = Entity
    serializer_class = EntityDetailSerializer
    required_perm = Perm.MODULE_ENTITIES
    lookup_field = "key"
    lookup_value_regex = "[^/]+"
    pagination_class = None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = SearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({f: [str(e) for e in errs] for f, errs in form.errors.items()})
        found = resolve.candidates(
            _probe(form.cleaned_data["kind"], form.cleaned_data["q"]), limit=20
        )
        return Response(CandidateSerializer(found, many=True).data)

    def get_object(self) -> Entity:
        try:
            return _entity(_user(self.request), self.kwargs["key"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = _user(request)
        entity = self.get_object()
        refs = cross_references(user, entity)
        record_read(user, [entity, *refs.records()], request=request._request)
        return Response(EntityDetailSerializer(entity, context={"refs": refs}).data)

    @extend_schema(request=MergeSerializer, responses={200: EntityMergeSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, key: str) -> Response:
        user = _user(request)
        source = self.get_object()
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = Entity.objects.for_user(user).filter(key=data.validated_data["target"]).first()
        if target is None:
            raise ValidationError({"target": ["Geen entiteit met deze sleutel gevonden."]})
        try:
            merge = actions.merge(
                user, source, target, data.validated_data["reason"], request=request._request
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        return Response(EntityMergeSerializer(merge).data)


@extend_schema_view(
    list=extend_schema(
        summary="Koppelingen van betrokkenen aan entiteiten (met redenen)",
        parameters=[
            OpenApiParameter("signal", str, description="Kenmerk van een signaal."),
            OpenApiParameter("case", str, description="Casusnummer."),
            OpenApiParameter("status", str, enum=[s.value for s in LinkStatus]),
        ],
    ),
    retrieve=extend_schema(summary="Eén koppeling"),
)
class EntityLinkViewSet(GatedReadOnlyViewSet):
    """Wie of wat een betrokkene is volgens de registers: automatisch boven de drempel,
    als voorstel eronder; bevestigen of afwijzen wordt onthouden."""

    model = EntityLink
    serializer_class = EntityLinkSerializer
    required_perm = Perm.REGISTRY_READ

    def get_queryset(self) -> Any:
        qs = (
            super()
            .get_queryset()
            .select_related("entity", "signal_subject__signal", "case_subject__case")
            .order_by("pk")
        )
        params = self.request.query_params
        if params.get("signal"):
            qs = qs.filter(signal_subject__signal__reference=params["signal"])
        if params.get("case"):
            qs = qs.filter(case_subject__case__reference=params["case"])
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def _decide(self, request: Request, confirmed: bool) -> Response:
        link = self.get_object()
        try:
            link = actions.decide_link(
                _user(request), link, confirmed=confirmed, request=request._request
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        return Response(EntityLinkSerializer(link).data)

    @extend_schema(request=None, responses=EntityLinkSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._decide(request, True)

    @extend_schema(request=None, responses=EntityLinkSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._decide(request, False)


@extend_schema_view(
    list=extend_schema(summary="Samenvoegingen van entiteiten"),
    retrieve=extend_schema(summary="Eén samenvoeging"),
)
class EntityMergeViewSet(GatedReadOnlyViewSet):
    """Geschiedenis van samenvoegingen; een samenvoeging kan ongedaan worden gemaakt."""

    model = EntityMerge
    serializer_class = EntityMergeSerializer
    required_perm = Perm.ENTITIES_RESOLVE

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("source", "target").order_by("-merged_at")

    @extend_schema(request=None, responses=EntityMergeSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str) -> Response:
        merge = self.get_object()
        try:
            merge = actions.unmerge(_user(request), merge, request=request._request)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied from exc
        except DjangoValidationError as exc:
            _raise_api(exc)
        return Response(EntityMergeSerializer(merge).data)
