from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


def current_user(request: HttpRequest) -> User:
    """The signed-in account of a request (views behind the login requirement only)."""
    from weerbaar.accounts.models import User

    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def errors_onto(form: BaseForm, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form it came from: field errors on their
    field (others at the top), so the page re-renders with the user's input and the reason."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def private_download(file: FieldFile, name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download that browsers and proxies never sniff or cache.
    Callers read the row through its gate and log the read first."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
