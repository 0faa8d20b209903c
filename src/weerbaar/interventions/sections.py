"""The interventions section of the case page (registered with ``weerbaar.cases.sections``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.cases import page_forms
from weerbaar.cases.models import Case, CasePartner, SharedPart
from weerbaar.core.http import current_user

from .forms import InterventionForm
from .models import Intervention

INTERVENTION_FORM = page_forms.PageForm(
    "interventie",
    _("Interventie registreren"),
    "interventions:add",
    lambda user, case: InterventionForm(actor=user),
    after="interventions/legal_bases.html",
)

# A form with errors from intervention_add, re-shown on the case page with the input kept.
BOUND_FORM_ATTR = "_intervention_form"


def interventions_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    """Case workers see the list and the form; a partner only a shared list; others nothing."""
    user = current_user(request)
    worker = user.has_role_perm(Perm.CASES_WORK)
    if not worker:
        if not user.partner_organisation_id:
            return None
        shared = CasePartner.active_for(user.partner_organisation_id, SharedPart.INTERVENTIONS)
        if not shared.filter(case_id=case.pk).exists():
            return None
    rows = list(Intervention.objects.of_case(user, case).select_related("executor"))
    record_read(user, rows, request=request)
    today = timezone.localdate()
    section: dict[str, Any] = {
        "template": "interventions/section.html",
        "interventions": [(i, i.ends_soon(today)) for i in rows],
        "today": today,
        "reminder_days": settings.INTERVENTION_CLOSURE_REMINDER_DAYS,
        "can_edit": worker,
    }
    if worker:
        bound = getattr(request, BOUND_FORM_ATTR, None)
        section["form"] = page_forms.slot(INTERVENTION_FORM.slug, case, bound)
    return section
