"""Follow-up enforcement of a finding: registered as an intervention on the inspection's case."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.audit.log import record
from weerbaar.audit.models import Action
from weerbaar.interventions import actions as intervention_actions
from weerbaar.interventions.models import Intervention
from weerbaar.interventions.workflow import Kind

from ..models import Finding
from ..workflow import FollowUp
from .planning import require_planner

# The intervention kind a follow-up most often becomes; the planner can choose another.
SUGGESTED_KIND: dict[str, str] = {
    FollowUp.WARNING: Kind.WARNING,
    FollowUp.PENALTY_ORDER: Kind.REMEDIAL,
    FollowUp.CLOSURE: Kind.CLOSURE_DRUGS,
    FollowUp.BIBOB: Kind.BIBOB,
}


@transaction.atomic
def intervention_from_finding(
    actor: User, finding: Finding, *, kind: str, request: HttpRequest | None = None
) -> Intervention:
    """Register the enforcement that follows a finding on the inspection's case, once."""
    inspection = finding.target.inspection
    require_planner(actor, inspection)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.intervention_id:
        raise ValidationError(_("Voor deze bevinding is al een interventie geregistreerd."))
    if inspection.case is None:
        raise ValidationError(
            _("Koppel de controle eerst aan een casus; interventies horen bij een casus.")
        )
    note = _("Na controle {ref}, {target}").format(ref=inspection.reference, target=finding.target)
    intervention = intervention_actions.register_intervention(
        actor,
        inspection.case,
        kind=kind,
        description=f"{note}: {finding.violations or finding.observations}"[:300],
        request=request,
    )
    finding.intervention = intervention
    finding.save(update_fields=["intervention"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=finding,
        municipality=inspection.municipality,
        changed_fields=["intervention"],
        request=request,
    )
    return intervention
