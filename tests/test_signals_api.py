"""Signals through /api/v1/: same gate, partner tokens, Dutch validation, triage updates."""

from __future__ import annotations

import pytest

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import assert_isolated, token_client
from weerbaar.signals import actions
from weerbaar.signals.models import Signal

pytestmark = pytest.mark.django_db
LIST = "/api/v1/signals/"


def test_partner_application_files_a_signal(world):
    client = token_client(world["partner"])
    body = {
        "municipality": "GM0590",
        "description": "Bij controle aangetroffen: hennepkwekerij op zolder",
        "phenomena": ["hennepteelt"],
        "postcode": "3351 ab",
        "house_number": 7,
        "subjects": [{"kind": "adres", "role": "locatie", "postcode": "3351AB", "house_number": 7}],
    }
    response = client.post(LIST, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"].startswith("GM0590-") and data["postcode"] == "3351AB"
    signal = Signal.objects.get()
    assert signal.channel == "partner" and signal.created_by == world["partner"]
    # The partner sees what it filed; Papendrecht's regisseur sees it in triage.
    assert client.get(LIST).json()["count"] == 1
    assert token_client(world["regisseur"]).get(LIST).json()["count"] == 1
    assert AuditEntry.objects.filter(action=Action.CREATE, object_id=str(signal.pk)).exists()


def test_partner_cannot_file_for_municipalities_it_does_not_serve(world):
    response = token_client(world["partner"]).post(
        LIST, {"municipality": "GM0505", "description": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Signal.objects.exists()


def test_validation_errors_are_dutch_and_save_nothing(world):
    body = {
        "municipality": "GM0590",
        "description": "x",
        "postcode": "12",
        "subjects": [{"kind": "voertuig", "licence_plate": "XYZ"}],
    }
    response = token_client(world["regisseur"]).post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "postcode" in response.json()
    assert not Signal.objects.exists()
    response = token_client(world["regisseur"]).post(
        LIST, {"municipality": "GM9999", "description": "x"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_list_and_detail_are_isolated(world):
    signal = actions.create_signal(
        world["regisseur"],
        actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="api-geheim"
        ),
    )
    outsiders = [world["regisseur_dordrecht"], world["partner"], world["regionaal_analist"]]
    assert_isolated(
        LIST, owner=world["analist"], outsiders=outsiders, markers=["api-geheim"], api=True
    )
    assert_isolated(
        f"{LIST}{signal.pk}/",
        owner=world["regisseur"],
        outsiders=outsiders,
        markers=["api-geheim"],
        api=True,
    )


def test_filer_without_triage_role_sees_coarse_status_only(world):
    from django.test import Client

    from weerbaar.core.testing import login

    actions.create_signal(
        world["medewerker"],
        actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="eigen melding"
        ),
    )
    assert (
        token_client(world["medewerker"]).get(LIST).status_code == 401
    )  # no API tokens for this role
    data = login(Client(), world["medewerker"]).get(LIST).json()["results"]
    assert (
        data[0]["status"] == "Ontvangen" and "priority" not in data[0] and "subjects" not in data[0]
    )


def test_triage_update_through_the_workflow(world):
    signal = actions.create_signal(
        world["medewerker"],
        actions.NewSignal(municipality=world.papendrecht, channel="medewerker", description="x"),
    )
    client = token_client(world["regisseur"])
    url = f"{LIST}{signal.pk}/"
    assert client.patch(url, {"status": "lio"}, content_type="application/json").status_code == 400
    response = client.patch(
        url,
        {"status": "in_behandeling", "priority": "hoog", "handler": "analist"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["priority"], response.json()["handler"]) == (
        "in_behandeling",
        "hoog",
        "analist",
    )
    assert (
        token_client(world["regisseur_dordrecht"])
        .patch(url, {"priority": "laag"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        token_client(world["partner"])
        .patch(url, {"priority": "laag"}, content_type="application/json")
        .status_code
        == 403
    )
    signal.refresh_from_db()
    assert signal.priority == "hoog"
