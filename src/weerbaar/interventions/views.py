"""Interventies: registering one from the case page, and editing one on its own page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.cases.models import Case
from weerbaar.cases.views import case_detail
from weerbaar.core.http import current_user, errors_onto

from . import actions
from .forms import InterventionForm
from .models import Intervention
from .sections import BOUND_FORM_ATTR


def _worker_case(request: HttpRequest, case_pk: int) -> Case:
    user = current_user(request)
    if not user.has_role_perm(Perm.CASES_WORK):
        raise PermissionDenied
    return get_object_or_404(Case.objects.for_user(user).select_related("municipality"), pk=case_pk)


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk]) + "#interventies"


@require_POST
def intervention_add(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = _worker_case(request, case_pk)
    user = current_user(request)
    form = InterventionForm(request.POST, actor=user)
    if form.is_valid():
        try:
            actions.register_intervention(
                user,
                case,
                **form.changes(),
                duration_months=form.cleaned_data["duration_months"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De interventie is geregistreerd."))
            return redirect(_back(case))
    setattr(request, BOUND_FORM_ATTR, form)  # the case page shows it with its errors
    response = case_detail(request, case.pk)
    response.status_code = 400
    return response


def intervention_edit(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case = _worker_case(request, case_pk)
    user = current_user(request)
    intervention = get_object_or_404(
        Intervention.objects.for_user(user).select_related("executor"), pk=pk, case=case
    )
    form = InterventionForm(request.POST or None, actor=user, instance=intervention)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_intervention(
                user,
                intervention,
                version=form.cleaned_data["version"],
                changes=form.changes(),
                duration_months=form.cleaned_data["duration_months"],
                request=request,
            )
        except actions.StaleIntervention as exc:
            errors_onto(form, exc)
            current = Intervention.objects.select_related("executor").get(pk=intervention.pk)
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(current.version)
            form.data = data
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De interventie is opgeslagen."))
            return redirect(_back(case))
    record_read(user, current or intervention, request=request)
    status = 409 if current else (400 if request.method == "POST" else 200)
    context = {"case": case, "intervention": intervention, "form": form, "current": current}
    return render(request, "interventions/edit.html", context, status=status)
