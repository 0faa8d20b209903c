from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.organisations.models import PartnerOrganisation

from .actions import SUBJECT_FIELDS
from .files import check_upload
from .models import Phenomenon, Priority, Signal, Subject
from .workflow import MANUAL, Status


class PhenomenaField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class StaffSignalForm(forms.Form):
    description = forms.CharField(
        label=_("Wat heeft u gezien of gehoord?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        help_text=_("Wie, wat, waar en wanneer. Ook een los detail kan het verschil maken."),
    )
    phenomena = PhenomenaField(
        label=_("Om welk fenomeen gaat het vermoedelijk?"),
        queryset=Phenomenon.objects.none(),
        required=False,
    )
    street = forms.CharField(label=_("Straat"), max_length=200, required=False)
    house_number = forms.IntegerField(
        label=_("Huisnummer"), min_value=1, max_value=99999, required=False
    )
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=10, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)
    area_name = forms.CharField(
        label=_("Of: gebied"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld een bedrijventerrein, jachthaven of park."),
    )
    reporter_name = forms.CharField(
        label=_("Naam van de melder"),
        max_length=200,
        required=False,
        help_text=_(
            "Alleen als iemand anders dit aan u vertelde en dat goed vindt; wordt apart bewaard."
        ),
    )
    reporter_phone = forms.CharField(
        label=_("Telefoon van de melder"), max_length=30, required=False
    )
    reporter_email = forms.EmailField(label=_("E-mailadres van de melder"), required=False)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    attachment = forms.FileField(
        label=_("Bijlage"),
        required=False,
        help_text=_("Een foto, PDF, Word- of Excel-bestand of tekst, tot 10 MB."),
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload, upload.size)
        return upload

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Phenomenon.objects.for_user(actor).filter(is_active=True)
        self.fields["phenomena"].queryset = visible  # type: ignore[attr-defined]

    def reporter(self) -> dict[str, str] | None:
        data = {
            "name": self.cleaned_data.get("reporter_name") or "",
            "phone": self.cleaned_data.get("reporter_phone") or "",
            "email": self.cleaned_data.get("reporter_email") or "",
        }
        return data if any(data.values()) else None

    def location(self) -> dict[str, Any]:
        keys = (
            "street",
            "house_number",
            "house_number_addition",
            "postcode",
            "city",
            "area_name",
            "latitude",
            "longitude",
        )
        return {k: self.cleaned_data.get(k) for k in keys}


class SubjectForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = list(SUBJECT_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].max_length = 7  # type: ignore[attr-defined]
        self.fields["postcode"].widget.attrs["maxlength"] = 7
        self.fields["licence_plate"].widget.attrs["maxlength"] = 10
        # Written as people write them ("1234 5678"); normalised in actions.clean_subject.
        self.fields["kvk_number"].max_length = 12  # type: ignore[attr-defined]
        self.fields["kvk_number"].validators = []
        self.fields["kvk_number"].widget.attrs["maxlength"] = 12

    def _post_clean(self) -> None:
        """Field rules run in actions.clean_subject (one place, also for the API and imports)."""


SubjectFormSet = forms.formset_factory(SubjectForm, extra=1, max_num=20, validate_max=True)


class StatusForm(forms.Form):
    target = forms.ChoiceField(label=_("Nieuwe status"), choices=())
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = MANUAL.get(signal.status, frozenset())
        self.fields["target"].choices = [(s.value, s.label) for s in Status if s in allowed]  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("Behandelaar"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("niemand"),
    )

    def __init__(self, *args: Any, signal: Signal, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = [
            u.pk
            for u in User.objects.filter(municipality_id=signal.municipality_id, is_active=True)
            if u.has_role_perm(Perm.SIGNALS_TRIAGE)
        ]
        self.fields["handler"].queryset = User.objects.filter(pk__in=candidates)  # type: ignore[attr-defined]
        self.fields["handler"].initial = signal.handler_id


class TriageForm(forms.Form):
    priority = forms.ChoiceField(label=_("Prioriteit"), choices=Priority.choices)
    phenomena = PhenomenaField(
        label=_("Fenomenen"), queryset=Phenomenon.objects.none(), required=False
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Delen met partnerorganisaties"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen delen wat de partner voor zijn taak nodig heeft."),
    )

    def __init__(self, *args: Any, signal: Signal, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phenomena"].queryset = Phenomenon.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["shared_with"].queryset = PartnerOrganisation.objects.for_user(actor)  # type: ignore[attr-defined]
        self.fields["priority"].initial = signal.priority
        self.fields["phenomena"].initial = list(signal.phenomena.all())
        self.fields["shared_with"].initial = list(signal.shared_with.all())


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Bijlage toevoegen"),
        help_text=_("Een foto, PDF, Word- of Excel-bestand of tekst, tot 10 MB."),
    )
