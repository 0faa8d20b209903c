from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.organisations.models import Municipality, PartnerOrganisation, Region, Team

from .models import User
from .roles import Role, assignable_roles


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        help_text=_("Zes cijfers; de code verandert elke 30 seconden."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "municipality",
            "team",
            "is_key_figure",
            "partner_organisation",
            "region",
            "is_service_account",
        ]

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        roles = set(assignable_roles(actor.role))
        self.fields["role"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (v, label) for v, label in Role.choices if v in roles
        ]
        self.fields["municipality"].queryset = Municipality.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["partner_organisation"].queryset = PartnerOrganisation.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["region"].queryset = Region.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["email"].required = True
        if actor.municipality_id:
            # A municipality's beheerder manages accounts of that municipality only, and no
            # application accounts (those belong to partner organisations).
            for name in ("partner_organisation", "region", "municipality", "is_service_account"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.actor.municipality_id:
            cleaned["municipality"] = self.actor.municipality
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Omschrijving"), max_length=100)
    expires_at = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leeg laten voor een token zonder einddatum (niet aanbevolen)."),
    )
