from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.signals.models.subjects import SubjectKind

SEARCH_KINDS = [
    ("", _("Alles (bedrijf, of postcode en huisnummer)")),
    (SubjectKind.COMPANY, _("Bedrijf")),
    (SubjectKind.PERSON, _("Persoon")),
    (SubjectKind.ADDRESS, _("Adres (postcode en huisnummer)")),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken"),
        max_length=200,
        help_text=_(
            "Een bedrijfsnaam, KvK-nummer, naam van een persoon, of postcode en huisnummer."
        ),
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=SEARCH_KINDS, required=False)


class MergeForm(forms.Form):
    prefix = "samenvoegen"

    target = forms.CharField(
        label=_("Samenvoegen met (sleutel)"),
        max_length=120,
        help_text=_("De sleutel van de andere entiteit, bijvoorbeeld kvk:12345678."),
    )
    reason = forms.CharField(
        label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
