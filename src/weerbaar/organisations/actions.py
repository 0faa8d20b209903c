"""Writes on partner organisations, teams and districts, each with its audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm, Scope
from weerbaar.audit.log import changed, record, snapshot
from weerbaar.audit.models import Action

from .models import BoundaryImport, District, Municipality, PartnerOrganisation, Region, Team


def _require(actor: User | None, perm: Perm) -> None:
    if actor is not None and not actor.has_role_perm(perm):
        raise PermissionDenied


def _ensure_own_municipality(actor: User | None, municipality: Municipality) -> None:
    if (
        actor is not None
        and actor.scope is not Scope.PLATFORM
        and actor.municipality_id != municipality.pk
    ):
        raise PermissionDenied


@transaction.atomic
def save_partner_organisation(
    actor: User | None,
    organisation: PartnerOrganisation,
    *,
    municipalities: Iterable[Municipality] = (),
    regions: Iterable[Region] = (),
    request: HttpRequest | None = None,
) -> PartnerOrganisation:
    """Create or update a partner organisation and the municipalities/regions it works with.

    A municipality's beheerder can link an organisation to their own municipality only and
    cannot change organisations that other municipalities also work with.
    """
    _require(actor, Perm.MANAGE_ORGANISATION)
    municipalities, regions = list(municipalities), list(regions)
    creating = organisation.pk is None
    if actor is not None and actor.scope is not Scope.PLATFORM:
        if regions or any(m.pk != actor.municipality_id for m in municipalities):
            raise PermissionDenied
        if not creating and (
            organisation.regions.exists()
            or organisation.municipalities.exclude(pk=actor.municipality_id or 0).exists()
        ):
            raise PermissionDenied
    fields = ("name", "kind", "email")
    before = (
        {} if creating else snapshot(PartnerOrganisation.objects.get(pk=organisation.pk), fields)
    )
    organisation.full_clean()
    organisation.save()
    old_links = (
        set()
        if creating
        else {
            *(f"m{pk}" for pk in organisation.municipalities.values_list("pk", flat=True)),
            *(f"r{pk}" for pk in organisation.regions.values_list("pk", flat=True)),
        }
    )
    organisation.municipalities.set(municipalities)
    organisation.regions.set(regions)
    new_links = {*(f"m{m.pk}" for m in municipalities), *(f"r{r.pk}" for r in regions)}
    changed_fields = list(fields) if creating else changed(organisation, before, fields)
    if old_links != new_links:
        changed_fields.append("municipalities/regions")
    if creating or changed_fields:
        record(
            Action.CREATE if creating else Action.UPDATE,
            actor=actor,
            actor_label="systeem",
            obj=organisation,
            municipality=actor.municipality if actor is not None else None,
            changed_fields=changed_fields,
            request=request,
        )
    return organisation


@transaction.atomic
def save_team(actor: User | None, team: Team, *, request: HttpRequest | None = None) -> Team:
    _require(actor, Perm.MANAGE_ORGANISATION)
    _ensure_own_municipality(actor, team.municipality)
    creating = team.pk is None
    fields = ("name", "kind")
    before = {} if creating else snapshot(Team.objects.get(pk=team.pk), fields)
    team.full_clean()
    team.save()
    changed_fields = list(fields) if creating else changed(team, before, fields)
    if changed_fields:
        record(
            Action.CREATE if creating else Action.UPDATE,
            actor=actor,
            actor_label="systeem",
            obj=team,
            changed_fields=changed_fields,
            request=request,
        )
    return team


@transaction.atomic
def delete_team(actor: User, team: Team, *, request: HttpRequest | None = None) -> None:
    _require(actor, Perm.MANAGE_ORGANISATION)
    _ensure_own_municipality(actor, team.municipality)
    members = list(team.members.values_list("pk", flat=True))
    record(
        Action.DELETE,
        actor=actor,
        obj=team,
        detail={"members_unassigned": members},
        request=request,
    )
    team.delete()


@transaction.atomic
def save_district(
    actor: User | None,
    district: District,
    *,
    municipalities: Iterable[Municipality] | None = None,
    request: HttpRequest | None = None,
) -> District:
    """Define or change a district (e.g. a DVO district) and the municipalities in it.

    Municipalities moved out of another district keep working; all must lie in the district's
    region. A default district (a safety region) cannot lose its link to that region.
    """
    _require(actor, Perm.MANAGE_DISTRICTS)
    creating = district.pk is None
    fields = ("code", "name", "region_id")
    before = {} if creating else snapshot(District.objects.get(pk=district.pk), fields)
    district.full_clean()
    district.save()
    moved: list[str] = []
    if municipalities is not None:
        members = list(municipalities)
        outside = [m.name for m in members if m.region_id != district.region_id]
        if outside:
            raise ValidationError(
                {
                    "municipalities": _("Niet in de regio van dit district: {names}.").format(
                        names=", ".join(outside)
                    )
                }
            )
        for municipality in members:
            if municipality.district_id != district.pk:
                municipality.district = district
                municipality.save(update_fields=["district"])
                moved.append(municipality.code)
        leaving = district.municipalities.exclude(pk__in=[m.pk for m in members])
        for municipality in leaving:
            fallback = District.objects.filter(safety_region=municipality.safety_region_id).first()
            if fallback is None or fallback.pk == district.pk:
                raise ValidationError(
                    {
                        "municipalities": _(
                            "{name} kan dit standaarddistrict niet verlaten."
                        ).format(name=municipality.name)
                    }
                )
            municipality.district = fallback
            municipality.save(update_fields=["district"])
            moved.append(municipality.code)
    changed_fields = list(fields) if creating else changed(district, before, fields)
    if changed_fields or moved:
        detail: dict[str, Any] = {"municipalities_moved": sorted(moved)} if moved else {}
        record(
            Action.CREATE if creating else Action.UPDATE,
            actor=actor,
            actor_label="systeem",
            obj=district,
            changed_fields=changed_fields + (["municipalities"] if moved else []),
            detail=detail,
            request=request,
        )
    return district


MAX_BOUNDARY_FILE_BYTES = 50 * 1024 * 1024


@transaction.atomic
def start_boundary_import(
    actor: User, upload: Any, *, request: HttpRequest | None = None
) -> BoundaryImport:
    """Store an uploaded GeoJSON file and queue its import (runs after the commit)."""
    from .tasks import run_boundary_import

    _require(actor, Perm.MANAGE_REFERENCE_DATA)
    name = str(getattr(upload, "name", ""))[:200]
    if not name.lower().endswith((".geojson", ".json")):
        raise ValidationError({"file": _("Kies een GeoJSON-bestand (.geojson of .json).")})
    if upload.size > MAX_BOUNDARY_FILE_BYTES:
        raise ValidationError({"file": _("Het bestand is groter dan 50 MB.")})
    job = BoundaryImport(original_name=name, uploaded_by=actor)
    job.file.save(name, upload, save=False)
    job.save()
    record(Action.CREATE, actor=actor, obj=job, request=request)
    transaction.on_commit(lambda: run_boundary_import.enqueue(job.pk))
    return job


@transaction.atomic
def set_reference_sharing(
    actor: User | None, region: Region, shares: bool, *, request: HttpRequest | None = None
) -> Region:
    """Record that the region agreed (or no longer agrees) to show its municipalities that an
    entity is known elsewhere in the region: a reference without content."""
    _require(actor, Perm.MANAGE_DISTRICTS)
    region = Region.objects.select_for_update().get(pk=region.pk)
    if region.shares_references == shares:
        return region
    region.shares_references = shares
    region.save(update_fields=["shares_references"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=region,
        changed_fields=["shares_references"],
        detail={"shares_references": shares},
        request=request,
    )
    return region
