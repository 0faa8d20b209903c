"""Base viewsets: reads go through the model's gate, like the screens."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read


class GatedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    model: type[Model]
    required_perm: Perm | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.required_perm is not None and not request.user.has_role_perm(self.required_perm):  # type: ignore[union-attr]
            raise PermissionDenied

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.for_user(self.request.user)  # type: ignore[attr-defined]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        record_read(request.user, instance, request=request._request)  # type: ignore[arg-type]
        return Response(self.get_serializer(instance).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = page if page is not None else list(queryset)
        record_read(request.user, items, request=request._request)  # type: ignore[arg-type]
        data = self.get_serializer(items, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)
