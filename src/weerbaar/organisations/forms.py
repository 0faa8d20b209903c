from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Scope

from .models import District, Municipality, PartnerOrganisation, Region, Team


class PartnerOrganisationForm(forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "kind", "email", "municipalities", "regions"]
        widgets = {
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "regions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["regions"].queryset = Region.objects.for_user(actor)  # type: ignore[attr-defined]
        if actor.scope is not Scope.PLATFORM:
            # A municipality links partners to itself only (see actions.save_partner_organisation).
            del self.fields["regions"]
            del self.fields["municipalities"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind"]


class DistrictForm(forms.ModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Gemeenten in dit district"),
        queryset=Municipality.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    class Meta:
        model = District
        fields = ["code", "name", "region"]
        help_texts = {"code": _("Korte unieke code, bijvoorbeeld dvo-zhz.")}

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Municipality.objects.for_user(actor).select_related("region")
        self.fields["municipalities"].queryset = visible  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["municipalities"].initial = list(self.instance.municipalities.all())
