"""The enrichment panel on the signal page and the case page: per subject its links to
registry entities (with reasons), suggestions to confirm or reject, and the registry facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.core.http import current_user

from .enrichment import Fact, facts_for
from .models import EntityLink, LinkStatus

TEMPLATE = "entities/enrichment_panel.html"


@dataclass
class LinkView:
    link: EntityLink
    facts: list[Fact] = field(default_factory=list)
    also_in: str = ""  # "ook in 2 andere signalen die u mag zien"

    @property
    def is_suggestion(self) -> bool:
        return self.link.status == LinkStatus.SUGGESTED


@dataclass
class SubjectEnrichment:
    subject: Any
    linked: list[LinkView]
    suggestions: list[LinkView]


def enrichment(request: HttpRequest, subjects: Sequence[Any], field_name: str) -> dict[str, Any]:
    user = current_user(request)
    links = (
        EntityLink.objects.for_user(user)
        .filter(**{f"{field_name}__in": list(subjects)})
        .exclude(status=LinkStatus.REJECTED)
        .select_related("entity", "entity__merged_into")
        .order_by("-score")
    )
    by_subject: dict[int, list[EntityLink]] = {}
    for link in links:
        by_subject.setdefault(getattr(link, f"{field_name}_id"), []).append(link)
    also = _also_in(user, links, subjects, field_name)
    rows = []
    for subject in subjects:
        own = by_subject.get(subject.pk, [])
        linked = [
            LinkView(lk, facts_for(lk.entity.key), also.get(lk.entity_id, ""))
            for lk in own
            if lk.status != LinkStatus.SUGGESTED
        ]
        suggestions = [LinkView(lk) for lk in own if lk.status == LinkStatus.SUGGESTED]
        rows.append(SubjectEnrichment(subject, linked, suggestions))
    record_read(user, [lk.entity for lk in links], request=request)
    return {
        "template": TEMPLATE,
        "rows": rows,
        "can_resolve": user.has_role_perm(Perm.ENTITIES_RESOLVE),
        "next": request.get_full_path(),
    }


def _also_in(
    user: Any, links: Iterable[EntityLink], subjects: Sequence[Any], field_name: str
) -> dict[int, str]:
    """Per linked entity: in how many other signals and cases (that the reader may see) it
    occurs, the way the hits panel counts shared subjects, but through the registers."""
    ids = {lk.entity_id for lk in links if lk.status != LinkStatus.SUGGESTED}
    if not ids:
        return {}
    owner = "signal" if field_name == "signal_subject" else "case"
    own = {getattr(subject, f"{owner}_id") for subject in subjects}
    visible = (
        EntityLink.objects.for_user(user)
        .filter(entity_id__in=ids)
        .exclude(status=LinkStatus.REJECTED)
    )
    signals = visible.filter(signal_subject__isnull=False)
    cases = visible.filter(case_subject__isnull=False)
    if owner == "signal":
        signals = signals.exclude(signal_subject__signal_id__in=own)
    else:
        cases = cases.exclude(case_subject__case_id__in=own)
    counts: dict[int, list[int]] = {}
    for column, rows, place in (
        ("signal_subject__signal", signals, 0),
        ("case_subject__case", cases, 1),
    ):
        for entity_id, n in rows.values_list("entity_id").annotate(n=Count(column, distinct=True)):
            counts.setdefault(entity_id, [0, 0])[place] = n
    return {entity_id: _also_text(*numbers) for entity_id, numbers in counts.items()}


def _also_text(signals: int, cases: int) -> str:
    parts = []
    if signals:
        parts.append(
            ngettext("%(n)d ander signaal", "%(n)d andere signalen", signals) % {"n": signals}
        )
    if cases:
        parts.append(ngettext("%(n)d andere casus", "%(n)d andere casussen", cases) % {"n": cases})
    return _("Ook in %(parts)s die u mag zien") % {"parts": _(" en ").join(parts)} if parts else ""


def signal_panel(
    request: HttpRequest, signal: Any, subjects: Sequence[Any]
) -> dict[str, Any] | None:
    if not subjects or not current_user(request).has_role_perm(Perm.REGISTRY_READ):
        return None
    return enrichment(request, subjects, "signal_subject")


def case_section(request: HttpRequest, case: Any) -> dict[str, Any] | None:
    """A placeholder that loads the case's enrichment after the page (htmx): the registry
    facts take more time than the rest of the case page together, and sit below the fold."""
    from weerbaar.cases.models import CaseSubject

    user = current_user(request)
    if not user.has_role_perm(Perm.REGISTRY_READ):
        return None
    if not CaseSubject.objects.of_case(user, case).exists():
        return None
    return {
        "template": "entities/enrichment_lazy.html",
        "url": reverse("entities:case-enrichment", args=[case.pk]),
    }


def case_enrichment(request: HttpRequest, case: Any) -> dict[str, Any]:
    """The case's enrichment panel: its subjects' links, suggestions and facts."""
    from weerbaar.cases.models import CaseSubject

    user = current_user(request)
    subjects = list(CaseSubject.objects.for_user(user).filter(case=case))
    context = enrichment(request, subjects, "case_subject")
    context.update(case=case, next=reverse("cases:detail", args=[case.pk]))
    return context
