"""Municipalities, partner organisations, teams and districts (Beheer)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.accounts.roles import Perm
from weerbaar.core.http import current_user
from weerbaar.core.views import GatedDetailView, GatedListView

from . import actions
from .filters import MunicipalityFilter, PartnerOrganisationFilter
from .forms import DistrictForm, PartnerOrganisationForm, TeamForm
from .models import (
    Boundary,
    BoundaryImport,
    BoundaryLevel,
    District,
    ImportStatus,
    Municipality,
    PartnerOrganisation,
    Region,
    Team,
)


def _require(request: HttpRequest, perm: Perm) -> None:
    if not request.user.has_role_perm(perm):  # type: ignore[union-attr]
        raise PermissionDenied


def _form_errors_from(form: BaseForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class MunicipalityListView(GatedListView):
    model = Municipality
    required_perm = Perm.VIEW_ORGANISATIONS
    filterset_class = MunicipalityFilter
    template_name = "organisations/municipality_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("province", "district", "region")


class MunicipalityDetailView(GatedDetailView):
    model = Municipality
    required_perm = Perm.VIEW_ORGANISATIONS
    template_name = "organisations/municipality_detail.html"
    context_object_name = "municipality"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["teams"] = Team.objects.for_user(user).filter(municipality=self.object)
        context["partners"] = PartnerOrganisation.objects.for_user(user).filter(
            pk__in=self.object.partner_organisations.values("pk")
        ) | PartnerOrganisation.objects.for_user(user).filter(regions=self.object.region_id)
        context["team_form"] = TeamForm()
        context["can_manage"] = user.has_role_perm(Perm.MANAGE_ORGANISATION)  # type: ignore[union-attr]
        return context


class PartnerListView(GatedListView):
    model = PartnerOrganisation
    required_perm = Perm.VIEW_ORGANISATIONS
    filterset_class = PartnerOrganisationFilter
    template_name = "organisations/partner_list.html"


class PartnerDetailView(GatedDetailView):
    model = PartnerOrganisation
    required_perm = Perm.VIEW_ORGANISATIONS
    template_name = "organisations/partner_detail.html"
    context_object_name = "partner"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["municipalities"] = Municipality.objects.for_user(user).filter(
            partner_organisations=self.object
        )
        return context


def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, Perm.MANAGE_ORGANISATION)
    partner = (
        get_object_or_404(PartnerOrganisation.objects.for_user(request.user), pk=pk)
        if pk
        else PartnerOrganisation()
    )
    actor = current_user(request)
    form = PartnerOrganisationForm(request.POST or None, instance=partner, actor=actor)
    if request.method == "POST" and form.is_valid():
        own = [actor.municipality] if actor.municipality is not None else []
        try:
            saved = actions.save_partner_organisation(
                actor,
                form.instance,
                municipalities=form.cleaned_data.get("municipalities", own),
                regions=form.cleaned_data.get("regions", []),
                request=request,
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("De partnerorganisatie is opgeslagen."))
            return redirect("organisations:partner_detail", pk=saved.pk)
    context = {"form": form, "partner": partner if pk else None}
    return render(
        request, "organisations/partner_form.html", context, status=400 if form.errors else 200
    )


def team_edit(request: HttpRequest, municipality_pk: int, pk: int | None = None) -> HttpResponse:
    _require(request, Perm.MANAGE_ORGANISATION)
    municipality = get_object_or_404(
        Municipality.objects.for_user(request.user), pk=municipality_pk
    )
    team = (
        get_object_or_404(Team.objects.for_user(request.user), pk=pk, municipality=municipality)
        if pk
        else Team(municipality=municipality)
    )
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_team(request.user, form.instance, request=request)  # type: ignore[arg-type]
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Het team is opgeslagen."))
            return redirect("organisations:municipality_detail", pk=municipality.pk)
    context = {"form": form, "team": team if pk else None, "municipality": municipality}
    return render(
        request, "organisations/team_form.html", context, status=400 if form.errors else 200
    )


@require_POST
def team_delete(request: HttpRequest, municipality_pk: int, pk: int) -> HttpResponse:
    team = get_object_or_404(
        Team.objects.for_user(request.user), pk=pk, municipality_id=municipality_pk
    )
    actions.delete_team(request.user, team, request=request)  # type: ignore[arg-type]
    messages.success(request, _("Het team is verwijderd."))
    return redirect("organisations:municipality_detail", pk=municipality_pk)


class DistrictListView(GatedListView):
    model = District
    required_perm = Perm.MANAGE_DISTRICTS
    template_name = "organisations/district_list.html"
    paginate_by = 100

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("region", "safety_region")
            .prefetch_related("municipalities")
        )


def district_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, Perm.MANAGE_DISTRICTS)
    district = (
        get_object_or_404(District.objects.for_user(request.user), pk=pk) if pk else District()
    )
    form = DistrictForm(request.POST or None, instance=district, actor=current_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_district(
                request.user,  # type: ignore[arg-type]
                form.instance,
                municipalities=form.cleaned_data["municipalities"],
                request=request,
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Het district is opgeslagen."))
            return redirect("organisations:district_list")
    context = {"form": form, "district": district if pk else None}
    return render(
        request, "organisations/district_form.html", context, status=400 if form.errors else 200
    )


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON-bestand"),
        help_text=_(
            "Een CBS/PDOK-gebiedsindeling (gemeenten, provincies of veiligheidsregio's) met de "
            "eigenschappen statcode en statnaam, in WGS84."
        ),
    )


def boundaries(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.MANAGE_REFERENCE_DATA)
    actor = current_user(request)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.start_boundary_import(actor, form.cleaned_data["file"], request=request)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request, _("Het bestand is ontvangen; de import loopt op de achtergrond.")
            )
            return redirect("organisations:boundaries")
    jobs = BoundaryImport.objects.for_user(actor).select_related("uploaded_by")[:20]
    counts = {
        level.label: Boundary.objects.for_user(actor).filter(level=level).count()
        for level in BoundaryLevel
    }
    busy = any(job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING) for job in jobs)
    context = {"form": form, "jobs": jobs, "counts": counts, "busy": busy}
    return render(
        request, "organisations/boundaries.html", context, status=400 if form.errors else 200
    )


def region_list(request: HttpRequest) -> HttpResponse:
    """RIEC regions and whether they share references to entities between municipalities."""
    _require(request, Perm.MANAGE_DISTRICTS)
    regions = Region.objects.for_user(request.user)
    if request.method == "POST":
        region = get_object_or_404(regions, pk=request.POST.get("region"))
        shares = request.POST.get("shares_references") == "ja"
        actions.set_reference_sharing(current_user(request), region, shares, request=request)
        text = (
            _("{region} deelt nu verwijzingen tussen gemeenten.")
            if shares
            else _("{region} deelt geen verwijzingen meer.")
        )
        messages.success(request, text.format(region=region.name))
        return redirect("organisations:region_list")
    return render(request, "organisations/region_list.html", {"regions": regions})
