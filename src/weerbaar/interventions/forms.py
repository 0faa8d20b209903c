from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.organisations.models import PartnerOrganisation

from .models import Intervention
from .workflow import CLOSURE_MONTHS, INITIAL_STATUSES, LEGAL_BASIS, TRANSITIONS, Kind, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DURATIONS = [("", _("— of kies een einddatum —"))] + [
    (str(m), _("{n} maanden").format(n=m)) for m in CLOSURE_MONTHS
]


class InterventionForm(forms.Form):
    """Register or edit an intervention; the action does the checks that need the database."""

    prefix = "interventie"  # unique ids: several forms share the case page

    kind = forms.ChoiceField(label=_("Soort interventie"), choices=[("", "—"), *Kind.choices])
    legal_basis = forms.CharField(
        label=_("Wettelijke grondslag"),
        max_length=300,
        required=False,
        help_text=_("Leeg laten: de grondslag die bij de soort hoort (zie de tabel hieronder)."),
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)
    executor = forms.ModelChoiceField(
        label=_("Uitvoerende organisatie"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("De gemeente zelf"),
    )
    status = forms.ChoiceField(label=_("Status"))
    decided_on = forms.DateField(label=_("Besluitdatum"), required=False, widget=DATE)
    objection_on = forms.DateField(label=_("Bezwaar ingediend op"), required=False, widget=DATE)
    appeal_on = forms.DateField(label=_("Beroep ingesteld op"), required=False, widget=DATE)
    starts_on = forms.DateField(
        label=_("Sluiting gaat in op"),
        required=False,
        widget=DATE,
        help_text=_("Alleen bij een sluiting (art. 13b Opiumwet of art. 174a Gemeentewet)."),
    )
    duration_months = forms.TypedChoiceField(
        label=_("Duur van de sluiting"),
        choices=DURATIONS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    ends_on = forms.DateField(label=_("Sluiting eindigt op"), required=False, widget=DATE)
    outcome = forms.CharField(
        label=_("Uitkomst"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self,
        *args: Any,
        actor: User,
        instance: Intervention | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in self.base_fields if hasattr(instance, f)},
                "executor": instance.executor_id,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        executors = PartnerOrganisation.objects.for_user(actor).order_by("name")
        self.fields["executor"].queryset = executors  # type: ignore[attr-defined]
        if instance is None:
            statuses = [s for s in Status.values if s in INITIAL_STATUSES]
        else:  # the current status and where it may go from there
            statuses = [
                s
                for s in Status.values
                if s == instance.status or s in TRANSITIONS[instance.status]
            ]
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        self.fields["status"].choices = [(s, Status(s).label) for s in statuses]  # type: ignore[attr-defined]

    @property
    def legal_bases(self) -> list[tuple[str, str]]:
        """The kinds and the legal basis each starts with, shown next to the form."""
        return [(str(Kind(k).label), basis) for k, basis in LEGAL_BASIS.items() if basis]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("duration_months", None)
        return data
