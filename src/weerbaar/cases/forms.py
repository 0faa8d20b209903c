from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.organisations.models import PartnerOrganisation

from .filters import _case_roles
from .models import Case, SharedPart
from .workflow import TRANSITIONS, Phase, Result

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def case_workers(case_or_municipality_id: int) -> Any:
    return User.objects.filter(
        municipality_id=case_or_municipality_id, is_active=True, role__in=_case_roles()
    ).order_by("last_name", "first_name", "username")


class CaseForm(forms.ModelForm):
    """The case record; ``version`` catches edits that crossed each other."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields = [
            "title",
            "summary",
            "lead",
            "restricted",
            "review_on",
            "riec_referred_on",
            "riec_reference",
            "riec_status",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "review_on": DATE,
            "riec_referred_on": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = case_workers(self.instance.municipality_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["version"] = self.instance.version


class OpenCaseForm(forms.Form):
    title = forms.CharField(label=_("Titel van de casus"), max_length=200)
    summary = forms.CharField(
        label=_("Samenvatting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead = forms.ModelChoiceField(label=_("Casusregisseur"), queryset=User.objects.none())

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = case_workers(municipality_id)  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    prefix = "fase"  # unique ids: several forms share the case page

    version = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.ChoiceField(label=_("Naar fase"))
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)
    result = forms.ChoiceField(
        label=_("Resultaat (bij afsluiten)"),
        choices=[("", "—"), *Result.choices],
        required=False,
    )
    result_note = forms.CharField(
        label=_("Toelichting op het resultaat"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    closed_on = forms.DateField(label=_("Afgesloten op"), required=False, widget=DATE)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        order = list(Phase.values)
        targets = sorted(TRANSITIONS.get(case.phase, ()), key=order.index)
        self.fields["target"].choices = [(t, Phase(t).label) for t in targets]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["version"] = case.version
            self.initial["closed_on"] = timezone.localdate()


class PartnerForm(forms.Form):
    prefix = "partner"  # unique ids: several forms share the case page

    organisation = forms.ModelChoiceField(
        label=_("Partnerorganisatie"), queryset=PartnerOrganisation.objects.none()
    )
    legal_basis = forms.CharField(
        label=_("Grondslag voor delen"),
        max_length=300,
        help_text=_("Bijvoorbeeld: partij bij het RIEC-convenant; art. 16 Wpg; art. 6 lid 1e AVG."),
    )
    parts = forms.MultipleChoiceField(
        label=_("Wat deelt u met deze partner?"),
        choices=SharedPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("De partner ziet altijd de titel, fase en samenvatting; de rest alleen zo."),
    )

    def __init__(self, *args: Any, actor: User, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_case = PartnerOrganisation.objects.filter(
            case_memberships__case=case, case_memberships__removed_at=None
        )
        available = PartnerOrganisation.objects.for_user(actor).exclude(pk__in=on_case)
        self.fields["organisation"].queryset = available  # type: ignore[attr-defined]


class TaskForm(forms.Form):
    prefix = "taak"  # unique ids: several forms share the case page

    title = forms.CharField(label=_("Taak"), max_length=300)
    due_on = forms.DateField(label=_("Uiterlijk"), widget=DATE)
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=User.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Of: partnerorganisatie"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        colleagues = User.objects.filter(municipality_id=case.municipality_id, is_active=True)
        on_case = PartnerOrganisation.objects.filter(
            case_memberships__case=case, case_memberships__removed_at=None
        )
        self.fields["owner"].queryset = colleagues.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = on_case  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    prefix = "document"  # unique ids: several forms share the case page

    file = forms.FileField(label=_("Document"))
    description = forms.CharField(label=_("Omschrijving"), max_length=300, required=False)


class MembersForm(forms.Form):
    prefix = "team"  # unique ids: several forms share the case page

    members = forms.ModelMultipleChoiceField(
        label=_("Casusteam"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = case_workers(case.municipality_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["members"] = [m.user_id for m in case.members.all()]
