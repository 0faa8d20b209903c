"""The case phases as data: which phase may follow which, in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    EXPLORATION = "verkenning", _("Verkenning")
    ANALYSIS = "analyse", _("Analyse")
    INTERVENTION = "interventie", _("Interventie")
    AFTERCARE = "nazorg", _("Nazorg en evaluatie")
    CLOSED = "afgesloten", _("Afgesloten")


P = Phase
TRANSITIONS: dict[str, frozenset[str]] = {
    P.EXPLORATION: frozenset({P.ANALYSIS, P.CLOSED}),
    P.ANALYSIS: frozenset({P.EXPLORATION, P.INTERVENTION, P.CLOSED}),
    P.INTERVENTION: frozenset({P.ANALYSIS, P.AFTERCARE, P.CLOSED}),
    P.AFTERCARE: frozenset({P.INTERVENTION, P.CLOSED}),
    P.CLOSED: frozenset({P.EXPLORATION, P.ANALYSIS, P.INTERVENTION, P.AFTERCARE}),  # reopen
}
OPEN_PHASES = frozenset(Phase) - {P.CLOSED}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class Result(models.TextChoices):
    """How a case ended; asked when it is closed."""

    INTERVENED = "interventie", _("Bestuurlijk, strafrechtelijk of fiscaal ingegrepen")
    PREVENTED = "voorkomen", _("Ondermijning voorkomen of gestopt")
    PASSED_ON = "overgedragen", _("Overgedragen aan een partner")
    NO_GROUNDS = "geen_grond", _("Onvoldoende grond om in te grijpen")
    INFORMATION = "informatie", _("Informatiepositie verbeterd, geen interventie")
    OTHER = "overig", _("Overig")


class RiecStatus(models.TextChoices):
    REFERRED = "aangemeld", _("Aangemeld")
    ACCEPTED = "geaccepteerd", _("Geaccepteerd als RIEC-casus")
    DECLINED = "afgewezen", _("Niet geaccepteerd")
    FINISHED = "afgerond", _("Afgerond")
