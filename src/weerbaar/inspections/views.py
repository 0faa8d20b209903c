"""Controles: the list with the yearly target, planning, the inspection page with its target
list and a findings form per target. Partners taking part read; planners write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.cases.models import Case
from weerbaar.core.http import current_user, errors_onto
from weerbaar.interventions.workflow import Kind as InterventionKind
from weerbaar.signals.models import Signal

from . import actions
from .filters import InspectionFilter
from .forms import (
    FindingForm,
    InspectionForm,
    ObjectForm,
    StatusForm,
    TargetForm,
    finding_prefix,
)
from .models import Finding, Inspection, InspectionObject, InspectionTarget, StatusChange
from .stats import held_against_target
from .workflow import Kind, Status

PAGE_SIZE = 50


def _is_planner(user: User) -> bool:
    return user.has_role_perm(Perm.INSPECTIONS_PLAN) and user.municipality_id is not None


def _planner(request: HttpRequest) -> User:
    user = current_user(request)
    if not _is_planner(user):
        raise PermissionDenied
    return user


def inspection_list(
    request: HttpRequest, *, target_form: TargetForm | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.MODULE_INSPECTIONS):
        raise PermissionDenied
    filterset = InspectionFilter(
        request.GET or None, queryset=Inspection.objects.for_user(user), request=request
    )
    rows = filterset.qs.only(
        "reference", "municipality", "title", "area", "kind", "status", "planned_on", "held_on"
    ).order_by("-planned_on", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    record_read(user, page.object_list, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "filter": filterset,
        "inspections": page.object_list,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "query_without_page": query.urlencode(),
        "is_planner": _is_planner(user),
    }
    if _is_planner(user) and user.municipality is not None:
        chosen = filterset.form.cleaned_data.get("year") if filterset.is_bound else None
        year = int(chosen) if chosen else timezone.localdate().year
        held, planned = held_against_target(user.municipality, year)
        has_target = InspectionTarget.objects.for_user(user).filter(year=year).exists()
        context.update(
            {
                "year": year,
                "held": held,
                "planned": planned,
                "has_target": has_target,
                "target_form": target_form
                or TargetForm(initial={"year": year, "planned_count": planned or 4}),
            }
        )
    return render(request, "inspections/list.html", context, status=status)


@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    user = _planner(request)
    assert user.municipality is not None
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            actions.set_target(user, user.municipality, **form.cleaned_data, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Het jaardoel is opgeslagen."))
            return redirect(f"{reverse('inspections:list')}?year={form.cleaned_data['year']}")
    return inspection_list(request, target_form=form, status=400)


def inspection_create(request: HttpRequest) -> HttpResponse:
    user = _planner(request)
    assert user.municipality is not None
    initial: dict[str, Any] = {}
    signal_pk = request.GET.get("signaal")
    if signal_pk and signal_pk.isdigit():
        signal = Signal.objects.for_user(user).filter(pk=int(signal_pk)).first()
        if signal is not None:
            initial = {
                "signal": signal.pk,
                "kind": Kind.INCIDENTAL,
                "title": signal.description[:80],
            }
    form = InspectionForm(request.POST or None, actor=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = actions.plan_inspection(
                user,
                user.municipality,
                kind=data["kind"],
                title=data["title"],
                area=data["area"],
                planned_on=data["planned_on"],
                partners=data["partners"],
                signal=data["signal"],
                case=data["case"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(
                request, _("Controle {ref} is gepland.").format(ref=inspection.reference)
            )
            return redirect("inspections:detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/form.html", {"form": form}, status=status)


def inspection_url(inspection: Inspection) -> str:
    return reverse("inspections:detail", args=[inspection.pk])


def _visible(request: HttpRequest, pk: int) -> Inspection:
    user = current_user(request)
    return get_object_or_404(
        Inspection.objects.for_user(user).select_related("municipality"), pk=pk
    )


def _planned(request: HttpRequest, pk: int) -> tuple[User, Inspection]:
    user = _planner(request)
    return user, _visible(request, pk)


def inspection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, inspection = _planned(request, pk)
    form = InspectionForm(
        request.POST or None,
        actor=user,
        instance=Inspection.objects.get(pk=inspection.pk),  # the form edits its own copy
        with_summary=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in actions.EDITABLE_FIELDS}
        try:
            actions.update_inspection(
                user, inspection, changes=changes, partners=data["partners"], request=request
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De controle is opgeslagen."))
            return redirect("inspections:detail", pk=inspection.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "inspection": inspection}
    return render(request, "inspections/form.html", context, status=status)


def _detail(
    request: HttpRequest,
    inspection: Inspection,
    *,
    status: int = 200,
    status_form: StatusForm | None = None,
    object_form: ObjectForm | None = None,
    finding_forms: dict[int, FindingForm] | None = None,
) -> HttpResponse:
    user = current_user(request)
    planner = actions.can_plan(user, inspection.municipality_id)
    items = list(InspectionObject.objects.for_user(user).filter(inspection=inspection))
    findings = {
        f.target_id: f
        for f in Finding.objects.for_user(user)
        .filter(target__inspection=inspection)
        .select_related("signal", "intervention", "intervention__case")
    }
    editable = planner and inspection.is_open_for_findings
    overrides = finding_forms or {}
    rows = []
    for item in items:
        finding = findings.get(item.pk)
        form = None
        if editable:
            form = overrides.get(item.pk) or FindingForm(
                prefix=finding_prefix(item.pk), finding=finding
            )
        suggested = actions.SUGGESTED_KIND.get(finding.follow_up, "") if finding else ""
        rows.append({"object": item, "finding": finding, "form": form, "suggested": suggested})
    context: dict[str, Any] = {
        "inspection": inspection,
        "is_planner": planner,
        "rows": rows,
        "partners": inspection.partners.all(),
        "history": StatusChange.objects.filter(inspection=inspection).select_related("by"),
        "signal": Signal.objects.for_user(user).filter(pk=inspection.signal_id).first()
        if inspection.signal_id
        else None,
        "case": Case.objects.for_user(user).filter(pk=inspection.case_id).first()
        if inspection.case_id
        else None,
        "can_change_list": planner and inspection.status in (Status.PLANNED, Status.HELD),
        "intervention_kinds": InterventionKind.choices,
    }
    record_read(user, [inspection, *items, *findings.values()], request=request)
    if planner:
        context["status_form"] = status_form or StatusForm(inspection=inspection)
        context["object_form"] = object_form or ObjectForm()
    return render(request, "inspections/detail.html", context, status=status)


def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@require_POST
def inspection_status(request: HttpRequest, pk: int) -> HttpResponse:
    user, inspection = _planned(request, pk)
    form = StatusForm(request.POST, inspection=inspection)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_status(
                user,
                inspection,
                data["target"],
                held_on=data["held_on"],
                results_summary=data["results_summary"],
                note=data["note"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De status is gewijzigd."))
            return redirect("inspections:detail", pk=inspection.pk)
    return _detail(request, inspection, status=400, status_form=form)


@require_POST
def object_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, inspection = _planned(request, pk)
    form = ObjectForm(request.POST)
    if form.is_valid():
        try:
            actions.add_object(user, inspection, form.cleaned_data, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Het object staat op de controlelijst."))
            return redirect("inspections:detail", pk=inspection.pk)
    return _detail(request, inspection, status=400, object_form=form)


@require_POST
def object_remove(request: HttpRequest, pk: int, object_pk: int) -> HttpResponse:
    user, inspection = _planned(request, pk)
    item = get_object_or_404(
        InspectionObject.objects.for_user(user), pk=object_pk, inspection=inspection
    )
    try:
        actions.remove_object(user, item, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het object is van de controlelijst gehaald."))
    return redirect("inspections:detail", pk=inspection.pk)


@require_POST
def finding_save(request: HttpRequest, pk: int, object_pk: int) -> HttpResponse:
    user, inspection = _planned(request, pk)
    item = get_object_or_404(
        InspectionObject.objects.for_user(user), pk=object_pk, inspection=inspection
    )
    form = FindingForm(request.POST, prefix=finding_prefix(item.pk))
    if form.is_valid():
        try:
            actions.record_finding(user, item, form.values(), request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De bevinding is opgeslagen."))
            return redirect(f"{inspection_url(inspection)}#object-{item.pk}")
    return _detail(request, inspection, status=400, finding_forms={item.pk: form})


@require_POST
def finding_signal(request: HttpRequest, pk: int, object_pk: int) -> HttpResponse:
    user, inspection = _planned(request, pk)
    finding = get_object_or_404(
        Finding.objects.for_user(user).select_related("target__inspection"),
        target_id=object_pk,
        target__inspection=inspection,
    )
    try:
        signal = actions.signal_from_finding(user, finding, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{inspection_url(inspection)}#object-{object_pk}")
    messages.success(request, _("Signaal {ref} is gemaakt.").format(ref=signal.reference))
    return redirect("signals:detail", pk=signal.pk)


@require_POST
def finding_intervention(request: HttpRequest, pk: int, object_pk: int) -> HttpResponse:
    """Register the follow-up enforcement of a finding as an intervention on the case."""
    user, inspection = _planned(request, pk)
    finding = get_object_or_404(
        Finding.objects.for_user(user).select_related("target__inspection"),
        target_id=object_pk,
        target__inspection=inspection,
    )
    kind = request.POST.get("kind", "")
    try:
        intervention = actions.intervention_from_finding(user, finding, kind=kind, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{inspection_url(inspection)}#object-{object_pk}")
    messages.success(
        request,
        _("Interventie '{kind}' is geregistreerd op casus {ref}.").format(
            kind=intervention.get_kind_display(), ref=intervention.case.reference
        ),
    )
    return redirect(f"{inspection_url(inspection)}#object-{object_pk}")
