"""Inspections on other modules' pages: the signal's connections panel and the case page.

Registered in ``apps.py`` so that signals and cases do not import this app; every read goes
through the inspection gate of the user looking at the page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.signals.hits import MAX_HITS, RelatedRecord
from weerbaar.signals.models import Signal

from .models import Finding, Inspection, InspectionObject


def related_inspections(signal: Signal, user: User, keys: dict[str, Any]) -> list[RelatedRecord]:
    visible = Inspection.objects.for_user(user)
    found: dict[int, RelatedRecord] = {}

    def hit(inspection: Inspection) -> RelatedRecord:
        return found.setdefault(
            inspection.pk,
            RelatedRecord(
                label=_("Controle {ref}: {title} ({status})").format(
                    ref=inspection.reference,
                    title=inspection.title,
                    status=inspection.get_status_display().lower(),
                ),
                url=reverse("inspections:detail", args=[inspection.pk]),
            ),
        )

    for inspection in visible.filter(signal=signal)[:MAX_HITS]:
        hit(inspection).reasons.append(_("de controle is naar aanleiding van dit signaal gepland"))
    findings = Finding.objects.for_user(user).filter(signal=signal)
    for finding in findings.select_related("target__inspection")[:MAX_HITS]:
        hit(finding.target.inspection).reasons.append(_("dit signaal komt uit een bevinding"))
    if keys:
        items = (
            InspectionObject.objects.for_user(user)
            .filter(match_key__in=list(keys))
            .select_related("inspection")[:MAX_HITS]
        )
        for item in items:
            seen = keys[item.match_key]
            label = seen if isinstance(seen, str) else seen.label
            hit(item.inspection).reasons.append(
                _("op de controlelijst: {label}").format(label=label)
            )
    return list(found.values())


def case_section(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """The inspections linked to a case, on the case page."""
    rows = list(Inspection.objects.for_user(request.user).filter(case=case).order_by("-planned_on"))
    if not rows:
        return None
    return {"template": "inspections/case_section.html", "inspections": rows}
