"""Searching and exporting the audit log (beheerder: own municipality; platform: everything)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django import forms
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.views import GatedListView

from .filters import AuditEntryFilter
from .log import Target, record
from .models import Action, AuditEntry

CSV_COLUMNS = [
    ("timestamp", "tijdstip"),
    ("chain", "keten"),
    ("sequence", "volgnummer"),
    ("action", "handeling"),
    ("actor_id", "account_id"),
    ("actor_label", "account"),
    ("organisation", "organisatie"),
    ("object_type", "soort_gegeven"),
    ("object_id", "id"),
    ("object_repr", "omschrijving"),
    ("changed_fields", "gewijzigde_velden"),
    ("purpose", "doel"),
    ("ip_address", "ip_adres"),
    ("prev_hash", "vorige_hash"),
    ("hash", "hash"),
]


class ExportForm(forms.Form):
    purpose = forms.CharField(
        label=_("Doel van de export"),
        max_length=300,
        min_length=5,
        help_text=_("Verplicht: waarvoor u deze gegevens nodig heeft. Dit wordt vastgelegd."),
    )


class AuditLogView(GatedListView):
    model = AuditEntry
    required_perm = Perm.VIEW_AUDIT_LOG
    filterset_class = AuditEntryFilter
    template_name = "audit/auditentry_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["export_form"] = ExportForm()
        context["query"] = self.request.GET.urlencode()
        return context


class AuditExportView(GatedListView):
    model = AuditEntry
    required_perm = Perm.VIEW_AUDIT_LOG
    filterset_class = AuditEntryFilter
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = ExportForm(request.POST)
        entries = self.get_queryset()
        if not form.is_valid():
            self.object_list = entries
            context = self.get_context_data(export_form=form)
            context["export_form"] = form
            return render(request, "audit/auditentry_list.html", context, status=400)
        record(
            Action.EXPORT,
            actor=request.user,  # type: ignore[arg-type]
            obj=Target("audit.AuditEntry", "", "auditlog (CSV)"),
            detail={"filters": {k: v for k, v in request.GET.items()}, "rows": entries.count()},
            purpose=form.cleaned_data["purpose"],
            request=request,
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            _csv_rows(entries.order_by("chain", "sequence")), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="auditlog-{stamp}.csv"'
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _field, label in CSV_COLUMNS])
    for entry in entries.iterator(chunk_size=2000):
        row = []
        for field, _label in CSV_COLUMNS:
            value = getattr(entry, field)
            if field == "timestamp":
                value = timezone.localtime(value).isoformat(timespec="seconds")
            elif field == "changed_fields":
                value = " ".join(value)
            row.append("" if value is None else _neutralise(str(value)))
        yield writer.writerow(row)


def _neutralise(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
