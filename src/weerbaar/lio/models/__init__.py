from .agenda import ActionItem, AgendaItem, Decision, ItemKind
from .meeting import (
    Attendee,
    Meeting,
    MeetingOrganisation,
    MeetingSeries,
    MeetingStatus,
    Recurrence,
)

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendee",
    "Decision",
    "ItemKind",
    "Meeting",
    "MeetingOrganisation",
    "MeetingSeries",
    "MeetingStatus",
    "Recurrence",
]
