from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User
from weerbaar.organisations.models import PartnerOrganisation, Team

from .decisions import DecisionKind, allowed_for
from .models import AgendaItem, ItemKind, Meeting, MeetingOrganisation, Recurrence

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.Form):
    prefix = "overleg"

    title = forms.CharField(label=_("Titel"), max_length=200, initial="LIO")
    starts_at = forms.DateTimeField(label=_("Aanvang"), widget=DATETIME)
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    recurrence = forms.ChoiceField(
        label=_("Herhalen"),
        choices=[("", _("Eenmalig")), *Recurrence.choices],
        required=False,
    )
    count = forms.IntegerField(
        label=_("Aantal overleggen vooruit plannen"),
        min_value=1,
        max_value=24,
        initial=12,
        required=False,
    )


class OrganisationForm(forms.Form):
    prefix = "partner"

    organisation = forms.ModelChoiceField(
        label=_("Partnerorganisatie"), queryset=PartnerOrganisation.objects.none()
    )
    legal_basis = forms.CharField(
        label=_("Grondslag voor delen"),
        max_length=300,
        help_text=_("Bijvoorbeeld: partij bij het RIEC-convenant; art. 16 Wpg."),
    )

    def __init__(self, *args: Any, actor: User, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taking_part = MeetingOrganisation.objects.filter(meeting=meeting).values("organisation_id")
        available = PartnerOrganisation.objects.for_user(actor).exclude(pk__in=taking_part)
        self.fields["organisation"].queryset = available  # type: ignore[attr-defined]


class AttendeesForm(forms.Form):
    prefix = "deelnemers"

    teams = forms.ModelMultipleChoiceField(
        label=_("Teams van de gemeente"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Genodigden"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = MeetingOrganisation.objects.filter(meeting=meeting).values("organisation_id")
        people = User.objects.filter(is_active=True, is_service_account=False).filter(
            models_q(meeting.municipality_id, orgs)
        )
        self.fields["attendees"].queryset = people.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        teams = Team.objects.filter(municipality_id=meeting.municipality_id)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["attendees"] = list(meeting.attendees.values_list("user_id", flat=True))
            self.initial["teams"] = list(meeting.teams.values_list("pk", flat=True))


def models_q(municipality_id: int, orgs: Any) -> Any:
    from django.db.models import Q

    return Q(municipality_id=municipality_id) | Q(partner_organisation_id__in=orgs)


class ItemForm(forms.Form):
    prefix = "punt"

    reference = forms.CharField(
        label=_("Signaal- of casusnummer"),
        max_length=30,
        required=False,
        help_text=_("Bijvoorbeeld GM0590-2026-00012 of GM0590-CAS-2026-0003."),
    )
    title = forms.CharField(label=_("Of: onderwerp"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ShareForm(forms.Form):
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Zichtbaar voor"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"delen-{item.pk}")
        super().__init__(*args, **kwargs)
        orgs = MeetingOrganisation.objects.filter(meeting=item.meeting_id).values("organisation_id")
        self.fields["shared_with"].queryset = PartnerOrganisation.objects.filter(pk__in=orgs)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["shared_with"] = list(item.shared_with.values_list("pk", flat=True))


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Besluit"))
    rationale = forms.CharField(
        label=_("Onderbouwing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    partner = forms.ModelChoiceField(
        label=_("Overdragen aan (bij overdracht)"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
    )
    case_title = forms.CharField(
        label=_("Titel van de casus (bij casus openen)"), max_length=200, required=False
    )
    inspection_on = forms.DateField(
        label=_("Datum van de controle (bij controle plannen)"), required=False, widget=DATE
    )

    def __init__(self, *args: Any, item: AgendaItem, actor: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"besluit-{item.pk}")
        super().__init__(*args, **kwargs)
        allowed = allowed_for(item.kind)
        self.fields["kind"].choices = [(k.value, k.label) for k in DecisionKind if k in allowed]  # type: ignore[attr-defined]
        self.fields["partner"].queryset = PartnerOrganisation.objects.for_user(actor)  # type: ignore[attr-defined]
        if item.kind != ItemKind.SIGNAL:
            del self.fields["case_title"]


class ActionItemForm(forms.Form):
    prefix = "actie"

    description = forms.CharField(label=_("Actie"), max_length=300)
    due_on = forms.DateField(label=_("Uiterlijk"), widget=DATE)
    owner = forms.ModelChoiceField(
        label=_("Eigenaar"), queryset=User.objects.none(), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Of: partnerorganisatie"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
    )
    item = forms.ModelChoiceField(
        label=_("Bij agendapunt"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        colleagues = User.objects.filter(municipality_id=meeting.municipality_id, is_active=True)
        orgs = MeetingOrganisation.objects.filter(meeting=meeting).values("organisation_id")
        self.fields["owner"].queryset = colleagues.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = PartnerOrganisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=orgs
        )
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting)  # type: ignore[attr-defined]
