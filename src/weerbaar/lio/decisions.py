"""The decisions an LIO can take on an agenda item, and what each does to a signal."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionKind(models.TextChoices):
    OPEN_CASE = "casus", _("Casus openen")
    PLAN_INSPECTION = "controle", _("Integrale controle plannen")
    PASS_TO_PARTNER = "partner", _("Overdragen aan partner")
    MONITOR = "monitoren", _("Monitoren")
    NO_ACTION = "geen_actie", _("Geen actie")


D = DecisionKind
# Which decisions fit which kind of agenda item.
FOR_SIGNAL = frozenset(DecisionKind)
FOR_CASE = frozenset({D.PLAN_INSPECTION, D.PASS_TO_PARTNER, D.MONITOR, D.NO_ACTION})
FOR_OTHER = frozenset({D.PLAN_INSPECTION, D.MONITOR, D.NO_ACTION})


def allowed_for(item_kind: str) -> frozenset[DecisionKind]:
    """The decisions that fit an agenda item of ``item_kind`` (signaal, casus, onderwerp)."""
    return {"signaal": FOR_SIGNAL, "casus": FOR_CASE}.get(item_kind, FOR_OTHER)
