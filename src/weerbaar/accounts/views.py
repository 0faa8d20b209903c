"""Account management (Beheer > Accounts) and one's own profile with API tokens."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.audit.log import record_read
from weerbaar.core.http import current_user
from weerbaar.core.views import GatedDetailView, GatedListView

from . import actions
from .filters import AccountFilter
from .forms import AccountForm, ApiTokenForm
from .models import ApiToken, User
from .otp import has_confirmed_device
from .roles import Perm


class AccountListView(GatedListView):
    model = User
    required_perm = Perm.MANAGE_ACCOUNTS
    filterset_class = AccountFilter
    template_name = "accounts/account_list.html"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("municipality", "partner_organisation", "region", "team")
        )


class AccountDetailView(GatedDetailView):
    model = User
    required_perm = Perm.MANAGE_ACCOUNTS
    template_name = "accounts/account_detail.html"
    context_object_name = "account"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["has_second_factor"] = has_confirmed_device(self.object)
        if self.object.is_service_account:
            context["tokens"] = ApiToken.objects.for_user(self.request.user).filter(
                user=self.object
            )
            context["token_form"] = kwargs.get("token_form") or ApiTokenForm()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Create an API token for an application account (shown once)."""
        account = self.get_object()
        assert isinstance(account, User)
        self.object = account
        if not account.is_service_account:
            raise PermissionDenied
        form = ApiTokenForm(request.POST)
        new_token = None
        if form.is_valid():
            expires = _end_of_day(form.cleaned_data["expires_at"])
            if expires is not None and expires <= timezone.now():
                form.add_error("expires_at", _("Kies een datum in de toekomst."))
            else:
                _row, new_token = actions.create_api_token(
                    current_user(request),
                    account,
                    name=form.cleaned_data["name"],
                    expires_at=expires,
                    request=request,
                )
                form = ApiTokenForm()
        context = self.get_context_data(object=account, token_form=form)
        context["new_token"] = new_token
        return self.render_to_response(context, status=400 if form.errors else 200)


def _apply_form(request: HttpRequest, form: AccountForm, account: User | None) -> User | None:
    """Run the create/update action; map its validation errors back onto the form."""
    data = {k: v for k, v in form.cleaned_data.items()}
    try:
        if account is None:
            return actions.create_account(request.user, request=request, **data)  # type: ignore[arg-type]
        return actions.update_account(request.user, account, request=request, **data)  # type: ignore[arg-type]
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


def account_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role_perm(Perm.MANAGE_ACCOUNTS):  # type: ignore[union-attr]
        raise PermissionDenied
    form = AccountForm(request.POST or None, actor=current_user(request))
    if request.method == "POST" and form.is_valid():
        account = _apply_form(request, form, None)
        if account is not None:
            messages.success(
                request,
                _(
                    "Account {name} is aangemaakt. Stuur de gebruiker een link om een wachtwoord in te stellen."
                ).format(name=account.username),
            )
            return redirect("accounts:detail", pk=account.pk)
    status = 400 if form.errors else 200
    return render(request, "accounts/account_form.html", {"form": form}, status=status)


def account_update(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_role_perm(Perm.MANAGE_ACCOUNTS):  # type: ignore[union-attr]
        raise PermissionDenied
    account = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    if request.method == "GET":
        record_read(current_user(request), account, request=request)
    form = AccountForm(request.POST or None, instance=account, actor=current_user(request))
    if request.method == "POST":
        # The form must not touch the instance: the action applies the changes.
        form.instance = User.objects.get(pk=account.pk)
        if form.is_valid() and _apply_form(request, form, account) is not None:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:detail", pk=account.pk)
    status = 400 if form.errors else 200
    return render(
        request, "accounts/account_form.html", {"form": form, "account": account}, status=status
    )


@require_POST
def account_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    actions.update_account(request.user, account, is_active=active, request=request)  # type: ignore[arg-type]
    messages.success(
        request, _("Het account is geactiveerd.") if active else _("Het account is geblokkeerd.")
    )
    return redirect("accounts:detail", pk=account.pk)


@require_POST
def account_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    actions.reset_second_factor(request.user, account, request=request)  # type: ignore[arg-type]
    messages.success(
        request,
        _(
            "De tweede factor is gewist; bij de volgende keer inloggen stelt de gebruiker een nieuwe in."
        ),
    )
    return redirect("accounts:detail", pk=account.pk)


@require_POST
def account_send_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    if not account.email:
        messages.error(request, _("Dit account heeft geen e-mailadres."))
    else:
        actions.send_password_link(current_user(request), account, request=request)
        messages.success(
            request,
            _("Er is een link om het wachtwoord in te stellen verstuurd naar {email}.").format(
                email=account.email
            ),
        )
    return redirect("accounts:detail", pk=account.pk)


def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    tokens = ApiToken.objects.for_user(user).filter(user=user)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if not user.has_role_perm(Perm.USE_API_TOKENS):
            raise PermissionDenied
        if form.is_valid():
            expires = _end_of_day(form.cleaned_data["expires_at"])
            if expires is not None and expires <= timezone.now():
                form.add_error("expires_at", _("Kies een datum in de toekomst."))
            else:
                _token, new_token = actions.create_api_token(
                    user, user, name=form.cleaned_data["name"], expires_at=expires, request=request
                )
                form = ApiTokenForm()
    context = {
        "tokens": tokens,
        "form": form,
        "new_token": new_token,
        "can_use_tokens": user.has_role_perm(Perm.USE_API_TOKENS),
        "has_second_factor": has_confirmed_device(user),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)


def _end_of_day(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    actions.revoke_api_token(request.user, token, request=request)  # type: ignore[arg-type]
    messages.success(request, _("Het token is ingetrokken."))
    if token.user_id != request.user.pk:
        return redirect("accounts:detail", pk=token.user_id)
    return redirect("accounts:profile")


def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (the old one is asked again); logged, sessions elsewhere end."""
    from django.contrib.auth import update_session_auth_hash
    from django.contrib.auth.forms import PasswordChangeForm

    user = current_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_own_password(user, form.cleaned_data["new_password1"], request=request)
        update_session_auth_hash(request, user)
        messages.success(request, _("Uw wachtwoord is gewijzigd."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200
    )
