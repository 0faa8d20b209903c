"""Beheerders extend the phenomenon taxonomy for their municipality; key figures file as such."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.core.testing import assert_cannot_change, login
from weerbaar.signals import actions
from weerbaar.signals.models import Phenomenon

pytestmark = pytest.mark.django_db


def test_beheerder_adds_a_local_phenomenon_seen_only_in_own_municipality(world):
    client = login(Client(), world["beheerder"])
    response = client.post(
        reverse("signals:phenomena"),
        {
            "name": "Fatbikes met drugs",
            "guidance": "Jongeren die pakketjes rondbrengen",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    local = Phenomenon.objects.get(code="fatbikes-met-drugs")
    assert local.municipality == world.papendrecht
    assert local in Phenomenon.objects.for_user(world["medewerker"])
    assert local not in Phenomenon.objects.for_user(world["regisseur_dordrecht"])
    assert (
        "Fatbikes met drugs"
        in login(Client(), world["medewerker"]).get(reverse("signals:create")).content.decode()
    )
    # National names cannot be taken over.
    response = client.post(reverse("signals:phenomena"), {"name": "Hennepteelt", "is_active": "on"})
    assert response.status_code == 400 and "landelijke lijst" in response.content.decode()


def test_only_beheerders_of_the_municipality_change_local_phenomena(world):
    local = Phenomenon.objects.create(code="lokaal", name="Lokaal", municipality=world.papendrecht)
    state = lambda: list(
        Phenomenon.objects.filter(municipality__isnull=False).values_list("name", "is_active")
    )
    url = reverse("signals:phenomenon_update", args=[local.pk])
    assert_cannot_change(
        url,
        {"name": "Gekaapt"},
        outsiders=[world["beheerder_dordrecht"], world["regisseur"], world["medewerker"]],
        unchanged=state,
    )
    national = Phenomenon.objects.get(code="hennepteelt")
    assert (
        login(Client(), world["beheerder"])
        .post(reverse("signals:phenomenon_update", args=[national.pk]), {"name": "x"})
        .status_code
        == 404
    )


def test_key_figure_files_on_the_key_figure_channel(world):
    user = world["medewerker"]
    user.is_key_figure = True
    user.save()
    assert actions.default_channel(user) == "sleutelfiguur"
