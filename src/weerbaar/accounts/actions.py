"""Writes on accounts and API tokens. Each runs in one transaction and writes its audit entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.audit.log import changed, record, snapshot
from weerbaar.audit.models import Action

from .models import ApiToken, User
from .roles import Perm, Scope, assignable_roles

ACCOUNT_FIELDS = (
    "username",
    "email",
    "first_name",
    "last_name",
    "role",
    "municipality_id",
    "partner_organisation_id",
    "region_id",
    "team_id",
    "is_key_figure",
    "is_service_account",
    "is_active",
)


def ensure_can_manage(actor: User, target: User) -> None:
    """The actor may manage the target account as it is (or is about to be) set up."""
    if not actor.has_role_perm(Perm.MANAGE_ACCOUNTS) or target.role not in assignable_roles(
        actor.role
    ):
        raise PermissionDenied
    if actor.scope is not Scope.PLATFORM and target.municipality_id != actor.municipality_id:
        raise PermissionDenied


@transaction.atomic
def create_account(
    actor: User | None,
    *,
    password: str | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> User:
    """Create an account. ``actor`` None is the installation itself (demo, first set-up)."""
    user = User(**fields)
    if actor is not None:
        ensure_can_manage(actor, user)
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(
        Action.CREATE,
        actor=actor,
        actor_label="systeem",
        obj=user,
        changed_fields=[f for f in ACCOUNT_FIELDS if getattr(user, f) not in (None, "", False)],
        request=request,
    )
    return user


@transaction.atomic
def update_account(
    actor: User, user: User, *, request: HttpRequest | None = None, **changes: Any
) -> User:
    ensure_can_manage(actor, user)
    before = snapshot(user, ACCOUNT_FIELDS)
    for field, value in changes.items():
        setattr(user, field, value)
    ensure_can_manage(actor, user)
    if user.pk == actor.pk and (not user.is_active or user.role != before["role"]):
        raise PermissionDenied("U kunt uw eigen rol niet wijzigen en uzelf niet blokkeren.")
    user.full_clean(exclude=["password"])
    user.save()
    fields = changed(user, before, ACCOUNT_FIELDS)
    if fields:
        record(Action.UPDATE, actor=actor, obj=user, changed_fields=fields, request=request)
    return user


@transaction.atomic
def reset_second_factor(actor: User, user: User, *, request: HttpRequest | None = None) -> None:
    ensure_can_manage(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    record(Action.UPDATE, actor=actor, obj=user, changed_fields=["second_factor"], request=request)


@transaction.atomic
def confirm_second_factor(
    user: User, device: TOTPDevice, *, request: HttpRequest | None = None
) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    record(Action.UPDATE, actor=user, obj=user, changed_fields=["second_factor"], request=request)


@transaction.atomic
def create_api_token(
    actor: User,
    user: User,
    *,
    name: str,
    expires_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (oneself, or an account the actor manages).

    Returns the token row and the full secret, which is shown once and never stored.
    """
    if user.pk != actor.pk:
        ensure_can_manage(actor, user)
        if not user.is_service_account:  # others' tokens only for application accounts
            raise PermissionDenied
    if not user.has_role_perm(Perm.USE_API_TOKENS):
        raise PermissionDenied
    full, key_id, key_hash = ApiToken.new_key()
    token = ApiToken(user=user, name=name, key_id=key_id, key_hash=key_hash, expires_at=expires_at)
    token.full_clean()
    token.save()
    record(Action.CREATE, actor=actor, obj=token, municipality=user.municipality, request=request)
    return token, full


@transaction.atomic
def revoke_api_token(actor: User, token: ApiToken, *, request: HttpRequest | None = None) -> None:
    if token.user_id != actor.pk:
        ensure_can_manage(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            Action.UPDATE,
            actor=actor,
            obj=token,
            municipality=token.user.municipality,
            changed_fields=["revoked_at"],
            request=request,
        )


@transaction.atomic
def change_own_password(
    user: User, new_password: str, *, request: HttpRequest | None = None
) -> None:
    """Set a new password (already validated); other sessions of the account stop working."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(Action.UPDATE, actor=user, obj=user, changed_fields=["password"], request=request)


@transaction.atomic
def send_password_link(actor: User, user: User, *, request: HttpRequest) -> None:
    """E-mail a one-time set-password link; recorded, and sent once the entry is committed."""
    from .passwords import send_set_password_link

    ensure_can_manage(actor, user)
    record(
        Action.UPDATE,
        actor=actor,
        obj=user,
        changed_fields=["password_link"],
        detail={"sent_to_domain": user.email.rpartition("@")[2]},
        request=request,
    )
    transaction.on_commit(lambda: send_set_password_link(request, user))
