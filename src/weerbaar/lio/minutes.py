"""Minutes per recipient: the internal version holds everything; a partner's version holds
only the items shared with its organisation, their decisions and the actions that concern it.

The filtering happens here, once, for the meeting page, the projector view and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.template.loader import render_to_string

from weerbaar.organisations.models import PartnerOrganisation

from .models import ActionItem, AgendaItem, Attendee, Meeting, MeetingOrganisation


@dataclass
class Audience:
    """Who a view of the meeting is for: the municipality itself, one partner, or everyone
    in the room (only what every participating partner may see)."""

    label: str
    organisation: PartnerOrganisation | None = None
    everyone: bool = False
    participants: list[int] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return self.organisation is None and not self.everyone


def internal() -> Audience:
    return Audience("intern (gemeente)")


def for_organisation(organisation: PartnerOrganisation) -> Audience:
    return Audience(str(organisation), organisation=organisation)


def for_room(meeting: Meeting) -> Audience:
    participants = list(
        MeetingOrganisation.objects.filter(meeting=meeting).values_list(
            "organisation_id", flat=True
        )
    )
    return Audience("alle deelnemers", everyone=True, participants=participants)


def items_for(meeting: Meeting, audience: Audience) -> QuerySet[AgendaItem]:
    items = AgendaItem.objects.filter(meeting=meeting)
    if audience.organisation is not None:
        items = items.filter(shared_with=audience.organisation)
    elif audience.everyone:
        for organisation_id in audience.participants:
            items = items.filter(shared_with=organisation_id)
    return items.select_related("decision", "decision__partner", "decision__case", "signal")


def actions_for(meeting: Meeting, audience: Audience, items: list[AgendaItem]) -> QuerySet[Any]:
    rows = ActionItem.objects.filter(meeting=meeting).select_related("owner", "owner_organisation")
    if audience.internal:
        return rows
    visible = Q(item__in=[i.pk for i in items])
    if audience.organisation is not None:
        visible |= Q(item__isnull=True, owner_organisation=audience.organisation)
    return rows.filter(visible)


def context(meeting: Meeting, audience: Audience) -> dict[str, Any]:
    items = list(items_for(meeting, audience))
    hidden = AgendaItem.objects.filter(meeting=meeting).count() - len(items)
    return {
        "meeting": meeting,
        "audience": audience,
        "items": items,
        "hidden_count": hidden,
        "actions": list(actions_for(meeting, audience, items)),
        "organisations": MeetingOrganisation.objects.filter(meeting=meeting).select_related(
            "organisation"
        ),
        "attendees": Attendee.objects.filter(meeting=meeting).select_related(
            "user", "user__partner_organisation"
        ),
    }


def render_pdf(meeting: Meeting, audience: Audience) -> bytes:
    """The minutes as a real PDF (WeasyPrint), with only what ``audience`` may see."""
    from weasyprint import HTML

    html = render_to_string("lio/minutes_pdf.html", context(meeting, audience))
    return bytes(HTML(string=html).write_pdf())
