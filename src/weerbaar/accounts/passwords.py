"""Set-password links: new accounts get no password from the administrator."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User


def set_password_url(request: HttpRequest, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    )


def send_set_password_link(request: HttpRequest, user: User) -> None:
    url = set_password_url(request, user)
    send_mail(
        _("Stel uw wachtwoord in voor Weerbaar"),
        _(
            "Beste {name},\n\nEr is een account voor u klaargezet in Weerbaar. Stel via deze link "
            "een wachtwoord in (de link werkt één keer):\n\n{url}\n\nDaarna stelt u bij het eerste "
            "inloggen een authenticator-app in als tweede factor."
        ).format(name=user.get_full_name() or user.username, url=url),
        None,
        [user.email],
    )


class MinimumLengthValidator:
    """Django's length rule with a Dutch message (Django's own Dutch text is missing here)."""

    def __init__(self, min_length: int = 12) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: object = None) -> None:
        from django.core.exceptions import ValidationError

        if len(password) < self.min_length:
            raise ValidationError(
                _("Dit wachtwoord is te kort: gebruik minstens {n} tekens.").format(
                    n=self.min_length
                ),
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return _("Uw wachtwoord moet minstens {n} tekens bevatten.").format(n=self.min_length)
