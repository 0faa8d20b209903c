"""Sign-in in two steps: password (with lock-out), then the TOTP code (or its first set-up)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action

from . import actions, otp
from .forms import CodeForm, LoginForm
from .models import User

MAX_CODE_FAILURES = 5
NEXT_KEY = "weerbaar_next"


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Te veel mislukte inlogpogingen. Inloggen is voor dit account {minutes} minuten "
        "geblokkeerd. Neem contact op met uw beheerder als u uw wachtwoord kwijt bent."
    ).format(minutes=minutes)
    return render(
        request, "accounts/login.html", {"form": LoginForm(), "error": message}, status=429
    )


def _known_account(login: str) -> User | None:
    """The account a failed attempt was aimed at, so its municipality sees it in the log."""
    return (
        User.objects.filter(username__iexact=login.strip()).select_related("municipality").first()
        or User.objects.filter(email__iexact=login.strip()).select_related("municipality").first()
        if login.strip()
        else None
    )


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return settings.LOGIN_REDIRECT_URL


@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False) or user is None:
            known = _known_account(username)
            action = (
                Action.LOCKED_OUT
                if getattr(request, "axes_locked_out", False)
                else Action.LOGIN_FAILED
            )
            record(
                action,
                actor_label=username,
                obj=Target("accounts.User", str(known.pk)) if known else None,
                municipality=known.municipality if known else None,
                request=request,
            )
            if action == Action.LOCKED_OUT:
                return lockout_response(request)
            error = _("Gebruikersnaam of wachtwoord is onjuist.")
        else:
            assert isinstance(user, User)
            next_url = request.GET.get("next")
            login(request, user)
            request.session[NEXT_KEY] = _safe_next(request, next_url)
            if otp.has_confirmed_device(user):
                return redirect("accounts:verify")
            if user.needs_second_factor:
                return redirect("accounts:enroll")
            record(Action.LOGIN, actor=user, request=request, detail={"second_factor": False})
            return redirect(request.session.pop(NEXT_KEY))
    status = 400 if error or form.errors else 200
    return render(request, "accounts/login.html", {"form": form, "error": error}, status=status)


def _code_failed(request: HttpRequest, user: User) -> HttpResponse | None:
    record(Action.SECOND_FACTOR_FAILED, actor=user, request=request)
    failures = request.session.get("otp_failures", 0) + 1
    request.session["otp_failures"] = failures
    if failures >= MAX_CODE_FAILURES:
        logout(request)
        messages.error(request, _("Te vaak een onjuiste code. Log opnieuw in."))
        return redirect("accounts:login")
    return None


def _try_code(
    request: HttpRequest, user: User, device: TOTPDevice, code: str, wrong: str
) -> tuple[bool, str, HttpResponse | None]:
    """Check a code: (accepted, message for the user, response that ends the attempt)."""
    wait = otp.wait_seconds(device)
    if wait:
        message = _(
            "Te snel na een onjuiste code. Wacht {seconds} seconden en probeer het opnieuw."
        )
        return False, message.format(seconds=wait), None
    if otp.check_code(device, code):
        return True, "", None
    return False, wrong, _code_failed(request, user)


def _complete_login(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once fully signed in
    request.session.pop("otp_failures", None)
    record(Action.LOGIN, actor=user, request=request, detail={"second_factor": True})
    return redirect(request.session.pop(NEXT_KEY, settings.LOGIN_REDIRECT_URL))


def verify_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:enroll")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        ok, error, response = _try_code(
            request,
            user,
            device,
            form.cleaned_data["code"],
            _("De code is onjuist, verlopen of al gebruikt. Wacht op een nieuwe code."),
        )
        if ok:
            return _complete_login(request, user, device)
        if response is not None:
            return response
    status = 400 if error else 200
    return render(request, "accounts/verify.html", {"form": form, "error": error}, status=status)


def enroll_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.is_verified() or otp.has_confirmed_device(user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = otp.pending_device(user)
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        ok, error, response = _try_code(
            request,
            user,
            device,
            form.cleaned_data["code"],
            _("De code klopt niet. Controleer of de tijd op uw telefoon goed staat."),
        )
        if ok:
            actions.confirm_second_factor(user, device, request=request)
            return _complete_login(request, user, device)
        if response is not None:
            return response
    context = {
        "form": form,
        "error": error,
        "qr_svg": otp.qr_svg(device),
        "secret": otp.secret_base32(device),
    }
    return render(request, "accounts/enroll.html", context, status=400 if error else 200)


@require_POST
@login_not_required
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(Action.LOGOUT, actor=request.user, request=request)
    logout(request)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Django's set-password-by-link page, with the change written to the audit log."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record(
                Action.UPDATE,
                actor=form.user,
                obj=form.user,
                changed_fields=["password"],
                request=self.request,
            )
        return response
