"""Signalen: the staff form, one's own signals, the triage queue and the signal page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.core.http import current_user, errors_onto, private_download
from weerbaar.organisations.models import Boundary
from weerbaar.signals.panels import panels_for

from . import actions, mma
from .filters import SignalFilter
from .forms import (
    AssignForm,
    AttachmentForm,
    StaffSignalForm,
    StatusForm,
    SubjectForm,
    SubjectFormSet,
    TriageForm,
)
from .hits import hits_for, likely_duplicates, related_records
from .models import (
    Attachment,
    Phenomenon,
    ReporterIdentity,
    Signal,
    SignalAddition,
    StatusChange,
    Subject,
)

QUEUE_PAGE_SIZE = 50
QUEUE_FIELDS = (
    "reference",
    "received_at",
    "channel",
    "status",
    "priority",
    "first_read_due",
    "first_read_at",
    "follow_up_due",
    "handler__first_name",
    "handler__last_name",
    "handler__username",
)


def signal_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.MODULE_SIGNALS):
        raise PermissionDenied
    signals = Signal.objects.for_user(user)
    if not user.has_role_perm(Perm.SIGNALS_TRIAGE):
        own = signals.order_by("-received_at")[:200]
        return render(request, "signals/own_list.html", {"signals": own})
    # Always bound, so the default (open signals only) applies on the first visit too.
    filterset = SignalFilter(request.GET, queryset=signals, request=request)
    rows = (
        filterset.qs.select_related("handler")
        .prefetch_related("phenomena")
        .only(*QUEUE_FIELDS)
        .order_by("first_read_at", "first_read_due", "-received_at")
    )
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    counts = signals.aggregate(
        new=Count("pk", filter=Q(status="nieuw")),
        unread_overdue=Count("pk", filter=Q(first_read_at__isnull=True, first_read_due__lt=now)),
        mine=Count("pk", filter=Q(handler=user) & ~Q(status__in=["afgesloten", "samengevoegd"])),
    )
    context = {
        "filter": filterset,
        "signals": page.object_list,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "query_without_page": query.urlencode(),
        "now": now,
        "today": timezone.localdate(),
        "counts": counts,
    }
    return render(request, "signals/triage_list.html", context)


def signal_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.SIGNALS_REPORT) or user.municipality is None:
        raise PermissionDenied
    form = StaffSignalForm(request.POST or None, request.FILES or None, actor=user)
    subjects = SubjectFormSet(request.POST or None, prefix="betrokkene")
    if request.method == "POST" and form.is_valid() & subjects.is_valid():
        subject_data = _subjects_from(subjects)
        if subject_data is not None:
            new = actions.NewSignal(
                municipality=user.municipality,
                channel=actions.default_channel(user),
                description=form.cleaned_data["description"],
                phenomena=form.cleaned_data["phenomena"],
                location=form.location(),
                subjects=subject_data,
                reporter=form.reporter(),
            )
            try:
                with transaction.atomic():
                    signal = actions.create_signal(user, new, request=request)
                    if form.cleaned_data.get("attachment"):
                        actions.add_attachment(
                            user, signal, form.cleaned_data["attachment"], request=request
                        )
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(
                    request,
                    _("Dank u. Uw signaal is ontvangen met kenmerk {ref}.").format(
                        ref=signal.reference
                    ),
                )
                return redirect("signals:detail", pk=signal.pk)
    cards = Phenomenon.objects.for_user(user).filter(is_active=True).exclude(guidance="")
    context = {"form": form, "subjects": subjects, "cards": cards}
    status = 400 if request.method == "POST" else 200
    return render(request, "signals/staff_form.html", context, status=status)


def _subjects_from(formset: Any) -> list[dict[str, Any]] | None:
    """Validated subject data from the filled-in rows, or None if a row has errors."""
    result, ok = [], True
    for form in formset.forms:
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        if not data or set(data) <= {"kind", "role"}:
            continue  # an empty row
        try:
            result.append(actions.clean_subject(data))
        except ValidationError as exc:
            errors_onto(form, exc)
            ok = False
    return result if ok else None


def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    signal = get_object_or_404(
        Signal.objects.for_user(user).select_related("municipality", "handler"), pk=pk
    )
    record_read(user, signal, request=request)
    if not user.has_role_perm(Perm.SIGNALS_TRIAGE):
        return render(request, "signals/own_detail.html", {"signal": signal})
    actions.mark_read(user, signal, request=request)
    subjects = list(Subject.objects.for_user(user).filter(signal=signal))
    reporter = ReporterIdentity.objects.for_user(user).filter(signal=signal).first()
    if reporter is not None:
        record_read(user, reporter, request=request)
    context = {
        "signal": signal,
        "subjects": subjects,
        "reporter": reporter,
        "history": StatusChange.objects.for_user(user).filter(signal=signal).select_related("by"),
        "additions": SignalAddition.objects.for_user(user).filter(signal=signal),
        "hits": hits_for(signal, user),
        "panels": panels_for(request, signal, subjects),
        "related": related_records(signal, user),
        "can_open_case": user.has_role_perm(Perm.CASES_WORK),
        "can_plan_inspection": user.has_role_perm(Perm.INSPECTIONS_PLAN),
        "duplicates": likely_duplicates(signal, user),
        "merged": Signal.objects.for_user(user).filter(merged_into=signal),
        "attachments": Attachment.objects.for_user(user).filter(signal=signal),
        "attachment_form": AttachmentForm(),
        "subject_form": SubjectForm(prefix="nieuw"),
        "status_form": StatusForm(signal=signal),
        "assign_form": AssignForm(signal=signal, actor=user),
        "triage_form": TriageForm(signal=signal, actor=user),
        "now": timezone.now(),
        "today": timezone.localdate(),
    }
    return render(request, "signals/triage_detail.html", context)


def _triage_signal(request: HttpRequest, pk: int) -> Signal:
    user = current_user(request)
    if not user.has_role_perm(Perm.SIGNALS_TRIAGE):
        raise PermissionDenied
    return get_object_or_404(Signal.objects.for_user(user), pk=pk)


@require_POST
def signal_status(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _triage_signal(request, pk)
    form = StatusForm(request.POST, signal=signal)
    if form.is_valid():
        try:
            actions.change_status(
                current_user(request),
                signal,
                form.cleaned_data["target"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De status is gewijzigd."))
    else:
        messages.error(request, _("Deze statuswijziging is niet mogelijk."))
    return redirect("signals:detail", pk=signal.pk)


@require_POST
def signal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _triage_signal(request, pk)
    form = AssignForm(request.POST, signal=signal, actor=current_user(request))
    if form.is_valid():
        actions.assign(current_user(request), signal, form.cleaned_data["handler"], request=request)
        messages.success(request, _("De behandelaar is opgeslagen."))
    else:
        messages.error(request, _("Kies een regisseur of analist van deze gemeente."))
    return redirect("signals:detail", pk=signal.pk)


@require_POST
def signal_triage(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _triage_signal(request, pk)
    user = current_user(request)
    form = TriageForm(request.POST, signal=signal, actor=user)
    if form.is_valid():
        actions.update_triage(
            user,
            signal,
            priority=form.cleaned_data["priority"],
            phenomena=form.cleaned_data["phenomena"],
            shared_with=form.cleaned_data["shared_with"],
            request=request,
        )
        messages.success(request, _("De beoordeling is opgeslagen."))
    else:
        messages.error(request, _("Controleer de beoordeling; er is niets opgeslagen."))
    return redirect("signals:detail", pk=signal.pk)


@require_POST
def signal_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge another signal (a duplicate) into this one."""
    into = _triage_signal(request, pk)
    duplicate = get_object_or_404(
        Signal.objects.for_user(current_user(request)), pk=request.POST.get("other") or 0
    )
    try:
        actions.merge(current_user(request), duplicate, into, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("{ref} is samengevoegd met dit signaal.").format(ref=duplicate.reference)
        )
    return redirect("signals:detail", pk=into.pk)


class ImportForm(forms.Form):
    file = forms.FileField(label=_lazy("Bestand van Meld Misdaad Anoniem (.csv of .json)"))


def signal_import(request: HttpRequest) -> HttpResponse:
    """Upload an MMA file; rows are imported one by one and the page shows the report."""
    user = current_user(request)
    if not user.has_role_perm(Perm.SIGNALS_TRIAGE):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("Het bestand is groter dan 5 MB."))
        else:
            try:
                rows = mma.parse_file(upload.read(), upload.name)
            except mma.FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                report = mma.import_rows(user, rows, source=upload.name)
    status = 400 if form.errors else 200
    return render(request, "signals/import.html", {"form": form, "report": report}, status=status)


@require_POST
def signal_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _triage_signal(request, pk)
    try:
        actions.set_legal_hold(
            current_user(request),
            signal,
            request.POST.get("hold") == "1",
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De juridische blokkade is bijgewerkt."))
    return redirect("signals:detail", pk=signal.pk)


@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    signal = get_object_or_404(Signal.objects.for_user(user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Kies een bestand."))
    else:
        try:
            actions.add_attachment(user, signal, form.cleaned_data["file"], request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De bijlage is toegevoegd."))
    return redirect("signals:detail", pk=signal.pk)


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Files are only served through the gate, as downloads, and every read is logged."""
    user = current_user(request)
    attachment = get_object_or_404(
        Attachment.objects.for_user(user), pk=attachment_pk, signal_id=pk
    )
    if not user.has_role_perm(Perm.SIGNALS_TRIAGE) and attachment.uploaded_by_id != user.pk:
        raise PermissionDenied
    record_read(user, attachment, request=request)
    return private_download(attachment.file, attachment.original_name, attachment.content_type)


@require_POST
def subject_add(request: HttpRequest, pk: int) -> HttpResponse:
    signal = _triage_signal(request, pk)
    form = SubjectForm(request.POST, prefix="nieuw")
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            actions.add_subject(current_user(request), signal, data, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De betrokkene is toegevoegd."))
    else:
        messages.error(request, _("Controleer de betrokkene; er is niets opgeslagen."))
    return redirect("signals:detail", pk=signal.pk)


def municipality_outline(request: HttpRequest) -> JsonResponse:
    """The own municipality's official boundary (GeoJSON) for the location map, if imported."""
    user = current_user(request)
    if user.municipality is None:
        raise PermissionDenied
    boundary = Boundary.objects.for_user(user).filter(code=user.municipality.code).first()
    if boundary is None:
        return JsonResponse({"type": "FeatureCollection", "features": []})
    feature = {
        "type": "Feature",
        "properties": {"name": boundary.name},
        "geometry": boundary.geometry,
    }
    return JsonResponse({"type": "FeatureCollection", "features": [feature]})


def _triage_subject(request: HttpRequest, pk: int, subject_pk: int) -> Subject:
    signal = _triage_signal(request, pk)
    return get_object_or_404(
        Subject.objects.for_user(current_user(request)), pk=subject_pk, signal=signal
    )


def subject_edit(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    """Correct a subject; bad input comes back with Dutch messages and nothing is lost."""
    subject = _triage_subject(request, pk, subject_pk)
    form = SubjectForm(request.POST or None, instance=subject, prefix="betrokkene")
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            actions.update_subject(current_user(request), subject, data, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De betrokkene is bijgewerkt."))
            return redirect("signals:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "subject": subject, "signal": subject.signal}
    return render(request, "signals/subject_edit.html", context, status=status)


@require_POST
def subject_remove(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    subject = _triage_subject(request, pk, subject_pk)
    actions.remove_subject(current_user(request), subject, request=request)
    messages.success(request, _("De betrokkene is verwijderd."))
    return redirect("signals:detail", pk=pk)
