"""Dutch messages for API errors, and no internals in the response body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

DUTCH = {
    exceptions.NotAuthenticated: "Inloggen vereist: stuur een geldig API-token mee.",
    exceptions.PermissionDenied: "U heeft geen toegang tot dit gegeven.",
    exceptions.NotFound: "Niet gevonden.",
    exceptions.MethodNotAllowed: "Deze methode is hier niet toegestaan.",
    exceptions.ParseError: "Het verzoek bevat geen geldige gegevens.",
    exceptions.UnsupportedMediaType: "Dit gegevensformaat wordt niet ondersteund.",
    exceptions.Throttled: "Te veel verzoeken. Probeer het later opnieuw.",
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    for kind, message in DUTCH.items():
        if type(exc) is kind:
            response.data = {"detail": _(message)}
            break
    if isinstance(exc, exceptions.AuthenticationFailed) and "detail" not in (response.data or {}):
        response.data = {"detail": _("Inloggen mislukt.")}
    if response.status_code == status.HTTP_404_NOT_FOUND:
        response.data = {"detail": _("Niet gevonden.")}
    return response
