"""Cases in the hits panel of a signal: the cases it belongs to, and cases about the same
address, company, person, vehicle or vessel (only the cases the user may see)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.signals.hits import MAX_HITS, RelatedRecord
from weerbaar.signals.models import Signal

from .models import Case, CaseSubject


def related_cases(signal: Signal, user: User, keys: dict[str, Any]) -> list[RelatedRecord]:
    visible = Case.objects.for_user(user)
    found: dict[int, RelatedRecord] = {}

    def hit(case: Case) -> RelatedRecord:
        return found.setdefault(
            case.pk,
            RelatedRecord(
                label=_("Casus {ref}: {title} ({phase})").format(
                    ref=case.reference, title=case.title, phase=case.get_phase_display().lower()
                ),
                url=reverse("cases:detail", args=[case.pk]),
            ),
        )

    for case in visible.filter(signals=signal)[:MAX_HITS]:
        hit(case).reasons.append(_("dit signaal hoort bij de casus"))
    if keys:
        subjects = (
            CaseSubject.objects.for_user(user)
            .filter(match_key__in=list(keys), case__in=visible)
            .select_related("case")[:MAX_HITS]
        )
        for subject in subjects:
            seen = keys[subject.match_key]
            label = seen if isinstance(seen, str) else seen.label
            hit(subject.case).reasons.append(f"{subject.get_kind_display().lower()}: {label}")
    return list(found.values())
