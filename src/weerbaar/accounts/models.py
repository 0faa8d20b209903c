"""Accounts: one role each, belonging to a municipality, a partner organisation or a region."""

from __future__ import annotations

import hashlib
import secrets
from typing import Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.core.gate import GatedQuerySet

from .roles import Perm, Role, Scope, perms_for, requires_second_factor, scope_of


class UserQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        own = Q(pk=user.pk)
        if user.has_role_perm(Perm.MANAGE_ACCOUNTS):
            if scope_of(user.role) is Scope.PLATFORM:
                return self.all()
            if user.municipality_id is None:
                return self.filter(own)
            return self.filter(own | Q(municipality_id=user.municipality_id))
        return self.filter(own)


class WeerbaarUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    personal_data = True  # reads of another person's account are audit-logged

    email = models.EmailField(_("e-mailadres"), blank=True)
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("gemeente"),
    )
    partner_organisation = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("partnerorganisatie"),
    )
    region = models.ForeignKey(
        "organisations.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("RIEC-regio"),
    )
    team = models.ForeignKey(
        "organisations.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
    )
    is_key_figure = models.BooleanField(
        _("sleutelfiguur"),
        default=False,
        help_text=_("Ambassadeur van het team die signalen en kennis doorgeeft."),
    )
    is_service_account = models.BooleanField(
        _("applicatie-account"),
        default=False,
        help_text=_("Voor een koppeling van een partnerapplicatie: alleen API-toegang met token."),
    )
    is_demo = models.BooleanField(_("demogegevens"), default=False, editable=False)

    objects = WeerbaarUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_unique_email_ci",
                violation_error_message=_("Er is al een account met dit e-mailadres."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def is_verified(self) -> bool:
        """Replaced per request by django-otp's middleware; False until a second factor is used."""
        return False

    # -- roles -----------------------------------------------------------------------------
    def has_role_perm(self, perm: Perm) -> bool:
        return self.is_active and perm in perms_for(self.role)

    @property
    def needs_second_factor(self) -> bool:
        return requires_second_factor(self.role) and not self.is_service_account

    @property
    def scope(self) -> Scope:
        return scope_of(self.role)

    @property
    def organisation_name(self) -> str:
        """The organisation this account acts for, as written in the audit log."""
        if self.municipality_id:
            return f"Gemeente {self.municipality}"
        if self.partner_organisation_id:
            return str(self.partner_organisation)
        if self.region_id:
            return str(self.region)
        return "Platform"

    def clean(self) -> None:
        super().clean()
        if not self.role:
            return
        scope = scope_of(self.role)
        required = {
            Scope.MUNICIPALITY: ("municipality", _("Kies de gemeente van dit account.")),
            Scope.PARTNER: ("partner_organisation", _("Kies de partnerorganisatie.")),
            Scope.REGION: ("region", _("Kies de RIEC-regio.")),
        }
        errors: dict[str, str] = {}
        for field_scope, (field, message) in required.items():
            value = getattr(self, f"{field}_id")
            if scope is field_scope and not value:
                errors[field] = str(message)
            elif scope is not field_scope and value:
                errors[field] = str(
                    _("Past niet bij de rol {role}.").format(role=self.get_role_display())
                )
        if self.is_service_account and scope is not Scope.PARTNER:
            errors["is_service_account"] = str(
                _("Een applicatie-account hoort bij een partnerorganisatie (rol partner).")
            )
        if self.team_id and self.team and self.team.municipality_id != self.municipality_id:
            errors["team"] = str(_("Het team hoort bij een andere gemeente."))
        if errors:
            raise ValidationError(errors)


class ApiTokenQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(user__in=User.objects.for_user(user))

    def usable(self) -> Self:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


TOKEN_PREFIX = "wb"  # noqa: S105 - a public prefix, not a secret


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for the API; only its hash is stored, the secret is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("account")
    )
    name = models.CharField(_("omschrijving"), max_length=100)
    key_id = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @staticmethod
    def new_key() -> tuple[str, str, str]:
        """Return (full token, key id, secret hash)."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        full = f"{TOKEN_PREFIX}_{key_id}_{secret}"
        return full, key_id, hash_token_secret(full)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
