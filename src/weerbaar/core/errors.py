"""Dutch error pages; never a stack trace outside DEBUG."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MESSAGES = {
    400: "Het verzoek kon niet worden verwerkt. Controleer de invoer en probeer het opnieuw.",
    403: "U heeft geen toegang tot deze pagina.",
    404: "Deze pagina bestaat niet of u heeft er geen toegang toe.",
    413: "Het verzoek is te groot.",
    429: "Te veel verzoeken. Wacht even en probeer het opnieuw.",
    500: "Er ging iets mis aan onze kant. De fout is vastgelegd; probeer het later opnieuw.",
}


def render_error(request: HttpRequest, status: int, message: str | None = None) -> HttpResponse:
    text = message or _(MESSAGES.get(status, MESSAGES[400]))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    body = render_to_string("errors/error.html", {"status": status, "message": text}, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render_error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render_error(
        request,
        403,
        _("Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."),
    )
