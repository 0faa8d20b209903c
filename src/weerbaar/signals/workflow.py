"""The signal status workflow as data: allowed transitions, in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "nieuw", _("Nieuw")
    IN_PROGRESS = "in_behandeling", _("In behandeling")
    ENRICHED = "verrijkt", _("Verrijkt")
    ON_LIO_AGENDA = "lio", _("Op de LIO-agenda")
    DECIDED = "besloten", _("Besloten")
    PASSED_TO_PARTNER = "overgedragen", _("Overgedragen aan partner")
    MERGED = "samengevoegd", _("Samengevoegd")
    CLOSED = "afgesloten", _("Afgesloten")


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    # DECIDED straight from NEW or IN_PROGRESS: a case opened at once, without a LIO.
    S.NEW: frozenset({S.IN_PROGRESS, S.DECIDED, S.PASSED_TO_PARTNER, S.CLOSED, S.MERGED}),
    S.IN_PROGRESS: frozenset(
        {S.ENRICHED, S.ON_LIO_AGENDA, S.DECIDED, S.PASSED_TO_PARTNER, S.CLOSED, S.MERGED}
    ),
    S.ENRICHED: frozenset({S.ON_LIO_AGENDA, S.DECIDED, S.PASSED_TO_PARTNER, S.CLOSED, S.MERGED}),
    S.ON_LIO_AGENDA: frozenset({S.DECIDED, S.ENRICHED}),
    S.DECIDED: frozenset({S.PASSED_TO_PARTNER, S.CLOSED}),
    S.PASSED_TO_PARTNER: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.IN_PROGRESS}),  # reopen
    S.MERGED: frozenset(),
}
# Merging has its own action (it needs the other signal); it is not offered as a button.
MANUAL = {s: t - {S.MERGED} for s, t in TRANSITIONS.items()}


class CoarseStatus(models.TextChoices):
    """What a reporter or the filing medewerker sees: never the internal steps."""

    RECEIVED = "ontvangen", _("Ontvangen")
    HANDLING = "in_behandeling", _("In behandeling")
    DONE = "afgerond", _("Afgerond")


def coarse(status: str) -> CoarseStatus:
    if status == S.NEW:
        return CoarseStatus.RECEIVED
    if status in (S.CLOSED, S.MERGED):
        return CoarseStatus.DONE
    return CoarseStatus.HANDLING


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


OPEN_STATUSES = frozenset(Status) - {S.CLOSED, S.MERGED}
