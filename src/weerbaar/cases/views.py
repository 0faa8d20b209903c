"""Casussen: the list, the case page with its parts, and the forms that change a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.core.http import current_user, errors_onto, private_download
from weerbaar.signals.forms import SubjectForm
from weerbaar.signals.models import Signal

from . import actions, page_forms
from .filters import CaseFilter
from .forms import (
    CaseForm,
    DocumentForm,
    MembersForm,
    OpenCaseForm,
    PartnerForm,
    PhaseForm,
    TaskForm,
)
from .models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseMember,
    CasePartner,
    CaseSubject,
    CaseTask,
    SharedPart,
)
from .workflow import Phase

PAGE_SIZE = 50


def case_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.MODULE_CASES):
        raise PermissionDenied
    cases = Case.objects.for_user(user)
    # Always bound, so the default (open cases only) applies on the first visit too.
    filterset = CaseFilter(request.GET, queryset=cases, request=request)
    rows = (
        filterset.qs.select_related("lead")
        .only(
            "reference",
            "municipality",  # record_read groups by it: without it, one query per row
            "title",
            "phase",
            "created_at",
            "review_on",
            "riec_referred_on",
            "lead__first_name",
            "lead__last_name",
            "lead__username",
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    record_read(user, page.object_list, request=request)
    labels = dict(Phase.choices)  # once, not the choices dict per row (get_phase_display)
    # The case page's address reversed once, not 50 times (a quarter of the template's time).
    detail = reverse("cases:detail", args=[0]).removesuffix("0/")
    for case in page.object_list:
        case.phase_label = labels[case.phase]
        case.url = f"{detail}{case.pk}/"
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "cases": page.object_list,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "query_without_page": query.urlencode(),
        "is_worker": user.has_role_perm(Perm.CASES_WORK),
    }
    return render(request, "cases/list.html", context)


def _visible_case(request: HttpRequest, pk: int) -> Case:
    user = current_user(request)
    return get_object_or_404(
        Case.objects.for_user(user).select_related("municipality", "lead"), pk=pk
    )


def _worker_case(request: HttpRequest, pk: int) -> Case:
    if not current_user(request).has_role_perm(Perm.CASES_WORK):
        raise PermissionDenied
    return _visible_case(request, pk)


def _detail(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    bound: tuple[str, BaseForm] | None = None,
) -> HttpResponse:
    """The case page; ``bound`` is a form (by its slug in ``page_forms``) that came back with
    errors: it is shown open, with the input kept, instead of being fetched on demand."""
    user = current_user(request)
    worker = user.has_role_perm(Perm.CASES_WORK)
    today = timezone.localdate()
    membership = None
    if user.partner_organisation_id:
        membership = CasePartner.objects.of_case(user, case).first()
    context: dict[str, Any] = {
        "case": case,
        "is_worker": worker,
        "membership": membership,
        "subjects": CaseSubject.objects.of_case(user, case),
        "tasks": CaseTask.objects.of_case(user, case).select_related("owner", "owner_organisation"),
        "documents": CaseDocument.objects.of_case(user, case),
        "events": CaseEvent.objects.of_case(user, case).select_related("by")[:200],
        "partners": CasePartner.objects.of_case(user, case)
        .filter(removed_at=None)
        .select_related("organisation"),
        "signals": Signal.objects.for_user(user).filter(cases=case),
        "shows": _shown_parts(user, membership),
        "today": today,
    }
    record_read(user, [case, *context["subjects"]], request=request)
    if worker:
        slug, form = bound or ("", None)
        context["forms"] = {
            name: page_forms.slot(name, case, form if name == slug else None)
            for name in page_forms.PAGE_FORMS
        }
        context["team"] = CaseMember.objects.of_case(user, case).select_related("user")
    context.update(_extra_sections(request, case))
    return render(request, "cases/detail.html", context, status=status)


def case_form(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One of the case page's forms, fetched when it is opened (htmx) or, without
    JavaScript, on a page of its own."""
    spec = page_forms.PAGE_FORMS.get(slug)
    if spec is None:
        raise Http404
    case = _worker_case(request, pk)
    slot = page_forms.slot(slug, case, spec.build(current_user(request), case))
    if getattr(request, "htmx", False):  # inside the case page, whose read is logged
        return render(request, "cases/_page_form.html", {"slot": slot, "case": case})
    record_read(current_user(request), case, request=request)  # shows the case's title
    return render(request, "cases/form_page.html", {"slot": slot, "case": case})


def _extra_sections(request: HttpRequest, case: Case) -> dict[str, Any]:
    """Sections other apps add to the case page (interventions, inspections)."""
    from .sections import sections_for

    return {"sections": sections_for(request, case)}


def _shown_parts(user: Any, membership: CasePartner | None) -> dict[str, bool]:
    if membership is None:
        return {part: not user.partner_organisation_id for part in SharedPart.values}
    return {part: membership.shares(part) for part in SharedPart.values}


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_case(request, pk))


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    form = CaseForm(request.POST or None, instance=Case.objects.get(pk=case.pk))
    current = None
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in CaseForm.Meta.fields}
        try:
            actions.update_case(
                current_user(request),
                case,
                version=form.cleaned_data["version"],
                changes=changes,
                request=request,
            )
        except actions.StaleCase as exc:
            errors_onto(form, exc)
            current = Case.objects.get(pk=case.pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form.data = data
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De casus is opgeslagen."))
            return redirect("cases:detail", pk=case.pk)
    status = 409 if current else (400 if request.method == "POST" else 200)
    context = {"case": case, "form": form, "current": current}
    return render(request, "cases/edit.html", context, status=status)


@require_POST
def case_phase(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    form = PhaseForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_phase(
                current_user(request),
                case,
                data["target"],
                version=data["version"],
                note=data["note"],
                result=data["result"],
                result_note=data["result_note"],
                closed_on=data["closed_on"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De fase is gewijzigd."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, status=400, bound=("fase", form))


@require_POST
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    user = current_user(request)
    form = PartnerForm(request.POST, actor=user, case=case)
    if form.is_valid():
        try:
            actions.add_partner(
                user,
                case,
                form.cleaned_data["organisation"],
                legal_basis=form.cleaned_data["legal_basis"],
                parts=form.cleaned_data["parts"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De partner is aan de casus toegevoegd."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, status=400, bound=("partner", form))


@require_POST
def partner_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    membership = get_object_or_404(CasePartner.objects.filter(case=case), pk=membership_pk)
    actions.remove_partner(current_user(request), membership, request=request)
    messages.success(request, _("De partner is van de casus gehaald."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    form = TaskForm(request.POST, case=case)
    if form.is_valid():
        try:
            actions.add_task(current_user(request), case, **form.cleaned_data, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De taak is toegevoegd."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, status=400, bound=("taak", form))


@require_POST
def task_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    task = get_object_or_404(CaseTask.objects.filter(case=case), pk=task_pk)
    actions.complete_task(current_user(request), task, request=request)
    messages.success(request, _("De taak is afgerond."))
    return redirect("cases:detail", pk=case.pk)


@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_document(
                current_user(request),
                case,
                form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Het document is toegevoegd."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, status=400, bound=("document", form))


def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    user = current_user(request)
    document = get_object_or_404(CaseDocument.objects.for_user(user), pk=document_pk, case_id=pk)
    record_read(user, document, request=request)
    return private_download(document.file, document.original_name, document.content_type)


@require_POST
def subject_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    form = SubjectForm(request.POST, prefix="nieuw")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            actions.add_subject(current_user(request), case, data, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De betrokkene is toegevoegd."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, status=400, bound=("betrokkene", form))


@require_POST
def members(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    form = MembersForm(request.POST, case=case)
    if form.is_valid():
        try:
            actions.set_members(
                current_user(request), case, form.cleaned_data["members"], request=request
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Het casusteam is opgeslagen."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, status=400, bound=("team", form))


@require_POST
def legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    case = _worker_case(request, pk)
    try:
        actions.set_legal_hold(
            current_user(request),
            case,
            request.POST.get("hold") == "1",
            request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De juridische blokkade is bijgewerkt."))
    return redirect("cases:detail", pk=case.pk)


def open_from_signal(request: HttpRequest, signal_pk: int) -> HttpResponse:
    """Open a case from a signal's page."""
    user = current_user(request)
    if not user.has_role_perm(Perm.CASES_WORK) or user.municipality is None:
        raise PermissionDenied
    signal = get_object_or_404(Signal.objects.for_user(user), pk=signal_pk)
    form = OpenCaseForm(
        request.POST or None,
        municipality_id=signal.municipality_id,
        initial={"title": signal.description[:80], "lead": user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.open_case(
                user,
                signal.municipality,
                signals=[signal],
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Casus {ref} is geopend.").format(ref=case.reference))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/open.html", {"form": form, "signal": signal}, status=status)
