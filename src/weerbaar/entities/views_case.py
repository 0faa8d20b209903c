"""The enrichment of a case's subjects, loaded into the case page after it (see
``panels.case_section``) or opened on its own without JavaScript."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from weerbaar.accounts.roles import Perm
from weerbaar.cases.models import Case
from weerbaar.core.http import current_user

from .panels import case_enrichment


def case_enrichment_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.REGISTRY_READ):
        raise PermissionDenied
    case = get_object_or_404(Case.objects.for_user(user), pk=pk)
    context = {"panel": case_enrichment(request, case), "case": case}
    template = "entities/case_enrichment.html"
    if getattr(request, "htmx", False):
        template = "entities/enrichment_panel.html"
    return render(request, template, context)
