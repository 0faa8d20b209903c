"""The enrichment panel on the signal page and the case page: per subject its links to
registry entities (with reasons), suggestions to confirm or reject, and the registry facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

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
    rows = []
    for subject in subjects:
        own = by_subject.get(subject.pk, [])
        linked = [LinkView(lk, facts_for(lk.entity.key)) for lk in own if lk.status != "voorstel"]
        suggestions = [LinkView(lk) for lk in own if lk.status == LinkStatus.SUGGESTED]
        rows.append(SubjectEnrichment(subject, linked, suggestions))
    record_read(user, [lk.entity for lk in links], request=request)
    return {
        "template": TEMPLATE,
        "rows": rows,
        "can_resolve": user.has_role_perm(Perm.ENTITIES_RESOLVE),
        "next": request.get_full_path(),
    }


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
    if not CaseSubject.objects.for_user(user).filter(case=case).exists():
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
