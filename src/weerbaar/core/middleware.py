"""Request-level safeguards shared by every page and the API."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

TOO_LARGE = "Het verzoek is te groot. Stuur minder of kleinere gegevens."


class RequestSizeLimitMiddleware:
    """Refuse oversized requests with 413 before any view reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": TOO_LARGE}, status=413)
            body = render_to_string("errors/error.html", {"status": 413, "message": TOO_LARGE})
            return HttpResponse(body, status=413)
        return self.get_response(request)


class LoginRequiredMiddleware:
    """Django's login-required default for pages; the API authenticates itself (tokens)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

        self.get_response = get_response
        self._inner = DjangoLoginRequired(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponseBase | None:
        if request.path.startswith("/api/"):
            return None
        return self._inner.process_view(request, view_func, view_args, view_kwargs)


class IdleSessionMiddleware:
    """A sliding idle timeout without a database write on every page.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` rewrites the session row on every request, which
    made each page view a write transaction. Here a signed-in session's expiry is moved on
    (the session saved) at most once per ``TOUCH_SECONDS``: a session still ends after
    ``SESSION_COOKIE_AGE`` without activity, give or take that minute."""

    TOUCH_SECONDS = 60
    KEY = "_touched"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.TOUCH_SECONDS:
                session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
