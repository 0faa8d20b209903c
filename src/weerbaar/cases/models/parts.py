"""The parts of a case: subjects, tasks, documents and the timeline.

Each is visible exactly when its case is, and to a partner only when that part of the case
is shared with its organisation (``share_part``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.signals.models import SubjectFields

from .case import Case, CasePartner, CaseScopedQuerySet, SharedPart

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class CasePartQuerySet(CaseScopedQuerySet):
    share_part: ClassVar[str] = ""  # a SharedPart; "" = never shown to partners

    def narrow(self, user: User) -> Self:
        if not user.partner_organisation_id:
            return self.all()
        if not self.share_part:
            return self.none()
        return self.filter(
            case__in=CasePartner.active_for(user.partner_organisation_id, self.share_part)
        )


class CaseSubjectQuerySet(CasePartQuerySet):
    share_part = SharedPart.SUBJECTS


class CaseSubject(SubjectFields):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    from_signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uit signaal"),
    )

    objects = CaseSubjectQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")


class CaseTaskQuerySet(CasePartQuerySet):
    share_part = SharedPart.TASKS


class CaseTask(models.Model):
    personal_data = True

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("taak"), max_length=300)
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_tasks",
        verbose_name=_("eigenaar"),
    )
    owner_organisation = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("of partnerorganisatie"),
    )
    due_on = models.DateField(_("uiterlijk"))
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseTaskQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        indexes = [models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return self.title


def document_path(instance: CaseDocument, filename: str) -> str:
    return f"cases/{instance.case.municipality_id}/{uuid.uuid4().hex}"


class CaseDocumentQuerySet(CasePartQuerySet):
    share_part = SharedPart.DOCUMENTS


class CaseDocument(models.Model):
    personal_data = True

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("bestand"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    content_type = models.CharField(_("soort bestand"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self) -> str:
        return self.original_name


class CaseEventQuerySet(CaseScopedQuerySet):
    def narrow(self, user: User) -> Self:
        """A partner sees the general events and those about parts shared with it."""
        if not user.partner_organisation_id:
            return self.all()
        # General events too only while the organisation is on the case (not left to the
        # case rule: of_case() skips that for a case read earlier in the request).
        allowed = models.Q(part="", case__in=CasePartner.active_for(user.partner_organisation_id))
        for part in SharedPart.values:
            shared = CasePartner.active_for(user.partner_organisation_id, part)
            allowed |= models.Q(part=part, case__in=shared)
        return self.filter(internal=False).filter(allowed)


class CaseEvent(models.Model):
    """One line on the case's timeline; written by the actions, never edited."""

    personal_data = True

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    part = models.CharField(
        max_length=20, blank=True, help_text="The shared part it concerns; '' = general."
    )
    internal = models.BooleanField(default=False, help_text="Never shown to partners.")
    text = models.CharField(_("gebeurtenis"), max_length=500)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("tijdlijn")

    def __str__(self) -> str:
        return self.text

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("The timeline is append-only.")
        super().save(*args, **kwargs)
