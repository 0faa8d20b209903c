"""Base views: every list and detail reads through the model's gate, so no screen can forget it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.generic import DetailView, ListView

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read


class RequirePermMixin:
    """Refuse (403) users whose role lacks ``required_perm``."""

    required_perm: Perm | None = None
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.required_perm is not None and not request.user.has_role_perm(self.required_perm):  # type: ignore[union-attr]
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class GatedQuerysetMixin(RequirePermMixin):
    model: Any

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.for_user(self.request.user)


class GatedListView(GatedQuerysetMixin, ListView):
    paginate_by = 50
    filterset_class: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET or None, queryset=qs, request=self.request
            )
            qs = self.filterset.qs
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = getattr(self, "filterset", None)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        record_read(self.request.user, context["object_list"], request=self.request)  # type: ignore[arg-type]
        return context


class GatedDetailView(GatedQuerysetMixin, DetailView):
    def get_object(self, queryset: QuerySet[Any] | None = None) -> Model:
        obj = super().get_object(queryset)
        record_read(self.request.user, obj, request=self.request)  # type: ignore[arg-type]
        return obj
