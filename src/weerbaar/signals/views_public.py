"""The public, anonymous report form and the reporter-code page (no account, no IP kept)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from weerbaar.core.http import errors_onto
from weerbaar.organisations.models import Municipality

from . import actions, throttle
from .models import Phenomenon

TOO_MANY = gettext_lazy(
    "Er zijn vanaf deze verbinding veel meldingen gedaan. Probeer het over een uur opnieuw; eerdere meldingen zijn bewaard."
)


class PublicReportForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("Wat is er aan de hand?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=gettext_lazy(
            "Beschrijf wat u zag of hoorde: wat, waar, wanneer en wie. Noem uw eigen naam niet als u anoniem wilt blijven."
        ),
    )
    phenomena = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Waar denkt u dat het om gaat?"),
        queryset=Phenomenon.objects.filter(municipality__isnull=True, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    street = forms.CharField(label=gettext_lazy("Straat"), max_length=200, required=False)
    house_number = forms.IntegerField(
        label=gettext_lazy("Huisnummer"), min_value=1, max_value=99999, required=False
    )
    house_number_addition = forms.CharField(
        label=gettext_lazy("Toevoeging"), max_length=10, required=False
    )
    postcode = forms.CharField(label=gettext_lazy("Postcode"), max_length=7, required=False)
    city = forms.CharField(label=gettext_lazy("Plaats"), max_length=100, required=False)
    area_name = forms.CharField(
        label=gettext_lazy("Of: de plek of het gebied"), max_length=200, required=False
    )
    # Honeypot: hidden from people (CSS), filled in by bots.
    website = forms.CharField(label=gettext_lazy("Laat dit veld leeg"), required=False)

    def location(self) -> dict[str, object]:
        keys = ("street", "house_number", "house_number_addition", "postcode", "city", "area_name")
        return {k: self.cleaned_data.get(k) for k in keys}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Uw meldcode"),
        max_length=30,
        help_text=gettext_lazy(
            "De code die u kreeg na uw melding, bijvoorbeeld ABCD-EFGH-JKLM-NPQR."
        ),
    )
    text = forms.CharField(
        label=gettext_lazy("Aanvulling (niet verplicht)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        required=False,
    )


@login_not_required
def choose_municipality(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.filter(is_participating=True).order_by("name")
    return render(request, "signals/public_choose.html", {"municipalities": municipalities})


@never_cache
@login_not_required
def public_report(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, code=code.upper(), is_participating=True)
    form = PublicReportForm(request.POST or None)
    if request.method == "POST":
        if not throttle.allow(request, "public-report", settings.PUBLIC_REPORTS_PER_HOUR):
            return render(
                request,
                "signals/public_form.html",
                {"form": form, "municipality": municipality, "error": TOO_MANY},
                status=429,
            )
        if form.is_valid():
            if form.cleaned_data["website"]:
                return render(
                    request,
                    "signals/public_thanks.html",
                    {"municipality": municipality, "code": None},
                )
            new = actions.NewSignal(
                municipality=municipality,
                channel="anoniem",
                description=form.cleaned_data["description"],
                phenomena=form.cleaned_data["phenomena"],
                location=form.location(),
            )
            try:
                _signal, reporter_code = actions.create_anonymous_signal(new)
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                return render(
                    request,
                    "signals/public_thanks.html",
                    {"municipality": municipality, "code": reporter_code},
                )
    status = 400 if form.errors else 200
    return render(
        request,
        "signals/public_form.html",
        {"form": form, "municipality": municipality},
        status=status,
    )


@never_cache
@login_not_required
def reporter_status(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST":
        if not throttle.allow(request, "reporter-code", settings.REPORTER_CODE_TRIES_PER_HOUR):
            context["error"] = TOO_MANY
            return render(request, "signals/public_status.html", context, status=429)
        if form.is_valid():
            signal = actions.signal_for_code(form.cleaned_data["code"])
            if signal is None:
                context["error"] = _(
                    "Deze code kennen we niet. Controleer de code; na afronding en de bewaartermijn vervalt een code."
                )
                return render(request, "signals/public_status.html", context, status=404)
            if form.cleaned_data["text"]:
                actions.add_reporter_information(signal, form.cleaned_data["text"])
                context["added"] = True
            context["status"] = signal.coarse_status
            context["form"] = CodeForm(initial={"code": form.cleaned_data["code"]})
    return render(
        request, "signals/public_status.html", context, status=400 if form.errors else 200
    )
