"""Beheer > Fenomenen: the national list, and a municipality's own additions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.http import current_user, errors_onto

from . import actions
from .models import Phenomenon


class PhenomenonForm(forms.ModelForm):
    class Meta:
        model = Phenomenon
        fields = ["name", "guidance", "is_active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}


def phenomena(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = current_user(request)
    if not user.has_role_perm(Perm.MANAGE_PHENOMENA):
        raise PermissionDenied
    visible = Phenomenon.objects.for_user(user)
    instance = (
        get_object_or_404(visible.filter(municipality_id=user.municipality_id), pk=pk)
        if pk
        else Phenomenon()
    )
    form = PhenomenonForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_local_phenomenon(user, form.instance, request=request)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Het fenomeen is opgeslagen."))
            return redirect("signals:phenomena")
    context = {
        "form": form,
        "editing": instance if pk else None,
        "national": visible.filter(municipality__isnull=True),
        "local": visible.filter(municipality_id=user.municipality_id),
    }
    return render(request, "signals/phenomena.html", context, status=400 if form.errors else 200)
