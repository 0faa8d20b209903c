"""The regisseur's overview on the start page: open actions, late tasks, phases, interventions,
inspections against the yearly target; only the own municipality, only for case workers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from weerbaar.cases import actions as case_actions
from weerbaar.cases.models import CaseTask
from weerbaar.core.testing import login
from weerbaar.inspections import actions as inspection_actions
from weerbaar.interventions import actions as intervention_actions
from weerbaar.lio import actions as lio_actions
from weerbaar.lio.models import ActionItem

pytestmark = pytest.mark.django_db


def test_regie_overview_counts_what_is_open_and_late(world):
    regisseur = world["regisseur"]
    today = timezone.localdate()
    case = case_actions.open_case(regisseur, world.papendrecht, title="Casus Regie")
    task = case_actions.add_task(regisseur, case, title="Huurcontract opvragen", due_on=today)
    CaseTask.objects.filter(pk=task.pk).update(due_on=today - timedelta(days=2))
    meeting = lio_actions.schedule_meeting(
        regisseur, world.papendrecht, title="LIO", starts_at=timezone.now() + timedelta(hours=1)
    )
    action = lio_actions.add_action_item(
        regisseur,
        meeting,
        description="Kentekens natrekken",
        due_on=today + timedelta(days=3),
        owner=world["analist"],
    )
    ActionItem.objects.filter(pk=action.pk).update(due_on=today - timedelta(days=1))
    intervention_actions.register_intervention(regisseur, case, kind="sluiting_13b")
    inspection_actions.set_target(regisseur, world.papendrecht, year=today.year, planned_count=4)

    body = login(Client(), regisseur).get("/").content.decode()
    assert "Regie" in body
    assert "Kentekens natrekken" in body and "1 te laat" in body
    assert "Huurcontract opvragen" in body
    assert "Verkenning" in body
    assert "Sluiting pand (Opiumwet art. 13b)" in body
    assert "(doel 4)" in body

    # Another municipality's regisseur and roles without case work see none of it.
    other = login(Client(), world["regisseur_dordrecht"]).get("/").content.decode()
    assert "Kentekens natrekken" not in other and "Huurcontract" not in other
    for role in ("bestuurder", "medewerker", "partner", "beheerder"):
        page = login(Client(), world[role]).get("/").content.decode()
        assert 'id="regie"' not in page and "Kentekens natrekken" not in page
