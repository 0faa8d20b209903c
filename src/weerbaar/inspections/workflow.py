"""The inspection statuses as data: which status may follow which, in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    HELD = "gehouden", _("Gehouden")
    COMPLETED = "afgerond", _("Afgerond")
    CANCELLED = "geannuleerd", _("Geannuleerd")


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED: frozenset({S.HELD, S.CANCELLED}),
    S.HELD: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset({S.HELD}),  # reopen to correct the findings
    S.CANCELLED: frozenset({S.PLANNED}),  # planned again after all
}
# Statuses in which the inspection counts as held (for the yearly target).
HELD_STATUSES = frozenset({S.HELD, S.COMPLETED})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class Kind(models.TextChoices):
    PLANNED = "planmatig", _("Planmatige integrale controle")
    INCIDENTAL = "incidenteel", _("Incidentele controle na een signaal")
    HEIT = "heit", _("HEIT-controle")
    DOR = "dor", _("DOR-controle")
    DHW = "dhw", _("Alcoholwetcontrole (DHW)")
    BRP = "brp", _("Adrescontrole (BRP)")
    HEMP = "hennep", _("Hennepruiming / hennepscan")
    OTHER = "overig", _("Overig")


class FollowUp(models.TextChoices):
    """The enforcement that follows a finding (linked to interventions later)."""

    NONE = "geen", _("Geen")
    WARNING = "waarschuwing", _("Waarschuwing")
    PENALTY_ORDER = "last_onder_dwangsom", _("Last onder dwangsom")
    CLOSURE = "sluiting", _("Sluiting")
    BIBOB = "bibob", _("Bibob-onderzoek")
    PARTNER = "partner", _("Overdragen aan een partner")
    OTHER = "overig", _("Anders")


# Follow-ups that need a note saying what exactly (which partner, what else).
NOTE_REQUIRED = frozenset({FollowUp.PARTNER, FollowUp.OTHER})
