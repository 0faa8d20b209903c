"""LIO: the list of meetings, preparing one, the projector view and the minutes (PDF)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record, record_read
from weerbaar.audit.models import Action
from weerbaar.cases.models import Case
from weerbaar.core.http import current_user, errors_onto
from weerbaar.organisations.models import PartnerOrganisation
from weerbaar.signals.models import Signal

from . import actions, minutes
from .forms import (
    ActionItemForm,
    AttendeesForm,
    DecisionForm,
    ItemForm,
    MeetingForm,
    OrganisationForm,
    ShareForm,
)
from .models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Meeting,
    MeetingOrganisation,
    MeetingStatus,
)


def _preparer(request: HttpRequest) -> Any:
    user = current_user(request)
    if not user.has_role_perm(Perm.LIO_PREPARE) or user.municipality is None:
        raise PermissionDenied
    return user


def meeting_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.MODULE_LIO):
        raise PermissionDenied
    meetings = Meeting.objects.for_user(user).annotate(n_items=Count("items"))
    now = timezone.now()
    form = None
    if user.has_role_perm(Perm.LIO_PREPARE):
        form = MeetingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            created = _create(request, form)
            if created is not None:
                return created
    context = {
        "upcoming": meetings.filter(starts_at__gte=now - timedelta(hours=12)).order_by("starts_at")[
            :24
        ],
        "past": meetings.filter(starts_at__lt=now - timedelta(hours=12))[:24],
        "form": form,
        "is_preparer": user.has_role_perm(Perm.LIO_PREPARE),
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "lio/list.html", context, status=status)


def _create(request: HttpRequest, form: MeetingForm) -> HttpResponse | None:
    user = _preparer(request)
    data = form.cleaned_data
    try:
        if data["recurrence"]:
            series = actions.plan_series(
                user,
                user.municipality,
                name=data["title"],
                recurrence=data["recurrence"],
                first_starts_at=data["starts_at"],
                count=data["count"] or 12,
                location=data["location"],
                request=request,
            )
            messages.success(
                request,
                _("{n} overleggen gepland.").format(n=series.meetings.count()),
            )
            first = series.meetings.order_by("starts_at").first()
            assert first is not None
            return redirect("lio:detail", pk=first.pk)
        meeting = actions.schedule_meeting(
            user,
            user.municipality,
            title=data["title"],
            starts_at=data["starts_at"],
            location=data["location"],
            request=request,
        )
    except ValidationError as exc:
        errors_onto(form, exc)
        return None
    messages.success(request, _("Het overleg is gepland."))
    return redirect("lio:detail", pk=meeting.pk)


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_user(current_user(request)).select_related("municipality"), pk=pk
    )


def meeting_detail(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    meeting = _meeting(request, pk)
    user = current_user(request)
    preparer = user.has_role_perm(Perm.LIO_PREPARE)
    items = list(
        AgendaItem.objects.for_user(user)
        .filter(meeting=meeting)
        .select_related(
            "signal",
            "case",
            "decision",
            "decision__case",
            "decision__partner",
            "decision__inspection",
        )
        .prefetch_related("shared_with")
    )
    record_read(user, items, request=request)
    context: dict[str, Any] = {
        "meeting": meeting,
        "is_preparer": preparer,
        "items": items,
        "actions": ActionItem.objects.for_user(user)
        .filter(meeting=meeting)
        .select_related("owner", "owner_organisation", "item"),
        "organisations": MeetingOrganisation.objects.for_user(user)
        .filter(meeting=meeting)
        .select_related("organisation"),
        "attendees": Attendee.objects.for_user(user).filter(meeting=meeting).select_related("user"),
        "today": timezone.localdate(),
    }
    if preparer:
        for item in items:
            item.share_form = forms.get(f"share_{item.pk}") or ShareForm(item=item)
            item.decision_form = forms.get(f"decision_{item.pk}") or DecisionForm(
                item=item, actor=user
            )
        context.update(
            {
                "item_form": forms.get("item_form") or ItemForm(),
                "organisation_form": forms.get("organisation_form")
                or OrganisationForm(actor=user, meeting=meeting),
                "attendees_form": forms.get("attendees_form") or AttendeesForm(meeting=meeting),
                "action_form": forms.get("action_form") or ActionItemForm(meeting=meeting),
                "statuses": sorted(actions.STATUS_STEPS[MeetingStatus(meeting.status)]),
                "status_labels": dict(MeetingStatus.choices),
            }
        )
    status = 400 if forms else 200
    return render(request, "lio/detail.html", context, status=status)


@require_POST
def organisation_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    form = OrganisationForm(request.POST, actor=user, meeting=meeting)
    if form.is_valid():
        try:
            actions.add_organisation(
                user,
                meeting,
                form.cleaned_data["organisation"],
                legal_basis=form.cleaned_data["legal_basis"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De partner neemt deel."))
            return redirect("lio:detail", pk=meeting.pk)
    return meeting_detail(request, pk, organisation_form=form)


@require_POST
def organisation_remove(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    row = get_object_or_404(MeetingOrganisation.objects.filter(meeting=meeting), pk=row_pk)
    try:
        actions.remove_organisation(user, row, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("lio:detail", pk=meeting.pk)


@require_POST
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    form = AttendeesForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            actions.set_attendees(
                user,
                meeting,
                form.cleaned_data["attendees"],
                teams=form.cleaned_data["teams"],
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("De genodigden zijn opgeslagen."))
            return redirect("lio:detail", pk=meeting.pk)
    return meeting_detail(request, pk, attendees_form=form)


@require_POST
def agenda_build(request: HttpRequest, pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    try:
        added = actions.build_agenda(user, meeting, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("{n} agendapunt(en) toegevoegd.").format(n=added))
    return redirect("lio:detail", pk=meeting.pk)


@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        signal = case = None
        if reference:
            signal = Signal.objects.for_user(user).filter(reference=reference).first()
            case = Case.objects.for_user(user).filter(reference=reference).first()
            if signal is None and case is None:
                form.add_error("reference", _("Geen signaal of casus met dit nummer gevonden."))
        if not form.errors:
            try:
                actions.add_item(
                    user,
                    meeting,
                    signal=signal,
                    case=case,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    request=request,
                )
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Het agendapunt is toegevoegd."))
                return redirect("lio:detail", pk=meeting.pk)
    return meeting_detail(request, pk, item_form=form)


def _item(request: HttpRequest, pk: int, item_pk: int) -> AgendaItem:
    meeting = _meeting(request, pk)
    return get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=item_pk)


@require_POST
def item_share(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _preparer(request)
    item = _item(request, pk, item_pk)
    form = ShareForm(request.POST, item=item)
    if form.is_valid():
        try:
            actions.share_item(user, item, form.cleaned_data["shared_with"], request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Opgeslagen wie dit agendapunt ziet."))
            return redirect(f"{item_url(item)}")
    return meeting_detail(request, pk, **{f"share_{item.pk}": form})


def item_url(item: AgendaItem) -> str:
    from django.urls import reverse

    return reverse("lio:detail", args=[item.meeting_id]) + f"#punt-{item.pk}"


@require_POST
def item_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _preparer(request)
    item = _item(request, pk, item_pk)
    form = DecisionForm(request.POST, item=item, actor=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = actions.decide(
                user,
                item,
                kind=data["kind"],
                rationale=data["rationale"],
                partner=data.get("partner"),
                case_title=data.get("case_title", ""),
                inspection_on=data.get("inspection_on"),
                request=request,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            if decision.inspection is not None:
                messages.success(
                    request,
                    _("Besloten. Controle {ref} is gepland.").format(
                        ref=decision.inspection.reference
                    ),
                )
            elif decision.case is not None and item.signal_id:
                messages.success(
                    request,
                    _("Besloten. Casus {ref} is geopend.").format(ref=decision.case.reference),
                )
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
            return redirect(item_url(item))
    return meeting_detail(request, pk, **{f"decision_{item.pk}": form})


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    form = ActionItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            actions.add_action_item(user, meeting, **form.cleaned_data, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Het actiepunt is toegevoegd."))
            return redirect("lio:detail", pk=meeting.pk)
    return meeting_detail(request, pk, action_form=form)


@require_POST
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    action = get_object_or_404(ActionItem.objects.filter(meeting=meeting), pk=action_pk)
    actions.complete_action_item(user, action, request=request)
    return redirect("lio:detail", pk=meeting.pk)


@require_POST
def meeting_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _preparer(request)
    meeting = _meeting(request, pk)
    try:
        actions.set_status(user, meeting, request.POST.get("status", ""), request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De status is bijgewerkt."))
    return redirect("lio:detail", pk=meeting.pk)


def _audience(request: HttpRequest, meeting: Meeting, default: str) -> minutes.Audience:
    """Partners always get their own view; the municipality chooses (``?voor=``)."""
    user = current_user(request)
    if user.partner_organisation_id:
        organisation = PartnerOrganisation.objects.get(pk=user.partner_organisation_id)
        return minutes.for_organisation(organisation)
    choice = request.GET.get("voor", default)
    if choice == "intern":
        return minutes.internal()
    if choice == "alle":
        return minutes.for_room(meeting)
    row = None
    if choice.isdigit():
        row = MeetingOrganisation.objects.filter(
            meeting=meeting, organisation_id=int(choice)
        ).first()
    if row is None:
        return minutes.for_room(meeting)
    return minutes.for_organisation(row.organisation)


def meeting_present(request: HttpRequest, pk: int) -> HttpResponse:
    """The projector view: by default only what every participating partner may see."""
    meeting = _meeting(request, pk)
    user = current_user(request)
    audience = _audience(request, meeting, "alle")
    context = minutes.context(meeting, audience)
    record_read(user, context["items"], request=request, purpose="LIO-presentatie")
    context["choices"] = MeetingOrganisation.objects.filter(meeting=meeting).select_related(
        "organisation"
    )
    context["is_preparer"] = user.has_role_perm(Perm.LIO_PREPARE)
    return render(request, "lio/present.html", context)


def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    user = current_user(request)
    audience = _audience(request, meeting, "intern")
    pdf = minutes.render_pdf(meeting, audience)
    record(
        Action.EXPORT,
        actor=user,
        obj=meeting,
        detail={"audience": audience.label, "format": "pdf"},
        purpose=_("Verslag LIO"),
        request=request,
    )
    name = slugify(f"verslag-{meeting.title}-{meeting.starts_at:%Y-%m-%d}-{audience.label}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
