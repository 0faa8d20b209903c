from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.cases.models import Case
from weerbaar.organisations.models import PartnerOrganisation
from weerbaar.signals.models import Signal

from .models import MAX_YEAR, MIN_YEAR, Finding, Inspection
from .workflow import TRANSITIONS, FollowUp, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", "—"), ("ja", _("Ja")), ("nee", _("Nee"))]


class ReferenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = getattr(obj, "title", "") or getattr(obj, "description", "")
        return f"{obj.reference}: {text[:60]}"


def partners_for(actor: User) -> Any:
    """The partner organisations that work with the planner's municipality."""
    municipality = actor.municipality
    if municipality is None:
        return PartnerOrganisation.objects.none()
    works_here = Q(municipalities=municipality.pk) | Q(regions=municipality.region_id)
    return PartnerOrganisation.objects.for_user(actor).filter(works_here).distinct()


class InspectionForm(forms.ModelForm):
    """Planning an inspection, and editing it later (with the results summary)."""

    signal = ReferenceChoiceField(
        label=_("Naar aanleiding van signaal"), queryset=Signal.objects.none(), required=False
    )
    case = ReferenceChoiceField(
        label=_("Hoort bij casus"), queryset=Case.objects.none(), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Deelnemende partners"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen organisaties die met uw gemeente samenwerken."),
    )

    class Meta:
        model = Inspection
        fields = ["kind", "title", "area", "planned_on", "partners", "signal", "case"]
        widgets = {"planned_on": DATE}

    def __init__(self, *args: Any, actor: User, with_summary: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = actor.municipality_id
        self.fields["partners"].queryset = partners_for(actor)  # type: ignore[attr-defined]
        self.fields["signal"].queryset = (  # type: ignore[attr-defined]
            Signal.objects.for_user(actor)
            .filter(municipality_id=municipality_id)
            .order_by("-received_at")
        )
        self.fields["case"].queryset = (  # type: ignore[attr-defined]
            Case.objects.for_user(actor).filter(municipality_id=municipality_id)
        )
        if with_summary:
            self.fields["results_summary"] = forms.CharField(
                label=_("Samenvatting van de resultaten"),
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                initial=self.instance.results_summary,
            )


class StatusForm(forms.Form):
    prefix = "status"  # unique ids: several forms share the inspection page

    target = forms.ChoiceField(label=_("Naar status"))
    held_on = forms.DateField(
        label=_("Gehouden op"),
        required=False,
        widget=DATE,
        help_text=_("Nodig bij 'gehouden'; niet in de toekomst."),
    )
    results_summary = forms.CharField(
        label=_("Samenvatting van de resultaten"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Nodig bij afronden: overtredingen, vervolg en nieuwe informatie."),
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=500,
        required=False,
        help_text=_("Nodig bij annuleren: de reden."),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = list(Status.values)
        targets = sorted(TRANSITIONS.get(inspection.status, ()), key=order.index)
        self.fields["target"].choices = [(t, Status(t).label) for t in targets]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["held_on"] = inspection.held_on or timezone.localdate()
            self.initial["results_summary"] = inspection.results_summary


class TargetForm(forms.Form):
    prefix = "doel"  # unique ids: the target form sits on the list page

    year = forms.IntegerField(label=_("Jaar"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    planned_count = forms.IntegerField(
        label=_("Aantal te houden controles"),
        min_value=0,
        max_value=366,
        help_text=_("Bijvoorbeeld 4: één per kwartaal."),
    )


class ObjectForm(forms.Form):
    prefix = "object"  # unique ids: several forms share the inspection page

    name = forms.CharField(label=_("Bedrijfsnaam"), max_length=200, required=False)
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=12, required=False)
    street = forms.CharField(label=_("Straat"), max_length=200, required=False)
    house_number = forms.IntegerField(
        label=_("Huisnummer"), min_value=1, max_value=99999, required=False
    )
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)


class FindingForm(forms.Form):
    """One per target on the inspection page; the prefix carries the target's id."""

    violations_found = forms.ChoiceField(
        label=_("Overtredingen geconstateerd?"), choices=YES_NO, widget=forms.RadioSelect
    )
    violations = forms.CharField(
        label=_("Welke overtredingen"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    observations = forms.CharField(
        label=_("Waarnemingen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Ook zonder overtreding: wat viel op (nieuwe informatie)?"),
    )
    follow_up = forms.ChoiceField(label=_("Vervolg"), choices=FollowUp.choices)
    follow_up_note = forms.CharField(
        label=_("Toelichting op het vervolg"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, finding: Finding | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violations_found"].choices = YES_NO[1:]  # type: ignore[attr-defined]
        if finding is not None and not self.is_bound:
            self.initial.update(
                {
                    "violations_found": "ja" if finding.violations_found else "nee",
                    "violations": finding.violations,
                    "observations": finding.observations,
                    "follow_up": finding.follow_up,
                    "follow_up_note": finding.follow_up_note,
                }
            )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["violations_found"] = data["violations_found"] == "ja"
        return data


def finding_prefix(target_pk: int) -> str:
    return f"bevinding-{target_pk}"
