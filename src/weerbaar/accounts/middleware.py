"""Send signed-in users who still owe their second factor to the code or set-up page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .otp import has_confirmed_device

EXEMPT_PREFIXES = ("/static/", "/api/", "/favicon")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            exempt = {
                reverse("accounts:verify"),
                reverse("accounts:enroll"),
                reverse("accounts:logout"),
            }
            if request.path not in exempt and not request.path.startswith(EXEMPT_PREFIXES):
                if has_confirmed_device(user):
                    return redirect("accounts:verify")
                if user.needs_second_factor:
                    return redirect("accounts:enroll")
        return self.get_response(request)
