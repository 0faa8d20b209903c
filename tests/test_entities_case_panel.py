"""The case page loads its enrichment after the page (htmx): the placeholder points at the
case's enrichment, which shows its subjects' links and facts through the same gates, and
opens on its own without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import login
from weerbaar.entities.models import EntityLink, LinkStatus

from .test_entities_network import CLUB, LOODS, link, net  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_case_page_defers_the_enrichment_to_its_own_request(world, net):  # noqa: F811
    client = login(Client(), world["analist"])
    url = reverse("entities:case-enrichment", args=[net.case.pk])
    page = client.get(reverse("cases:detail", args=[net.case.pk])).content.decode()
    assert f'hx-get="{url}"' in page
    assert "Loodsverhuur Zuid B.V." not in page  # the facts come with the second request

    reads = AuditEntry.objects.filter(action=Action.READ).count()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "Loodsverhuur Zuid B.V." in fragment
    assert reverse("entities:case-network-ftm", args=[net.case.pk]) in fragment
    assert f"kvk:{LOODS}" in fragment  # the link to the entity
    assert AuditEntry.objects.filter(action=Action.READ).count() > reads

    whole = client.get(url).content.decode()  # without JavaScript: a page of its own
    assert "<html" in whole and "Loodsverhuur Zuid B.V." in whole
    assert reverse("cases:detail", args=[net.case.pk]) in whole


def test_a_decision_in_the_case_enrichment_returns_to_the_case(world, net):  # noqa: F811
    subject = net.case.subjects.get(kind="bedrijf")
    link(f"kvk:{CLUB}", subject, LinkStatus.SUGGESTED)
    suggestion = EntityLink.objects.get(entity__key=f"kvk:{CLUB}", case_subject=subject)
    client = login(Client(), world["analist"])
    case_url = reverse("cases:detail", args=[net.case.pk])
    fragment = client.get(
        reverse("entities:case-enrichment", args=[net.case.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'name="next" value="{case_url}"' in fragment
    decide = reverse("entities:decide-link", args=[suggestion.pk])
    response = client.post(decide, {"besluit": "bevestigen", "next": case_url})
    assert response.status_code == 302 and response["Location"] == case_url
    suggestion.refresh_from_db()
    assert suggestion.status == LinkStatus.CONFIRMED


@pytest.mark.parametrize(
    ("name", "status"),
    [("regisseur_dordrecht", 404), ("partner", 403), ("medewerker", 403), ("bestuurder", 403)],
)
def test_others_cannot_read_the_case_enrichment(world, net, name, status):  # noqa: F811
    client = login(Client(), world[name])
    response = client.get(reverse("entities:case-enrichment", args=[net.case.pk]))
    assert response.status_code == status
    assert "Loodsverhuur" not in response.content.decode()


def test_no_placeholder_for_a_case_reader_without_registry_access(world, net):  # noqa: F811
    from weerbaar.accounts.roles import Perm

    shown = {}
    for name in ("regisseur", "analist"):
        page = login(Client(), world[name]).get(reverse("cases:detail", args=[net.case.pk]))
        shown[name] = "/verrijking/" in page.content.decode()
        assert shown[name] == world[name].has_role_perm(Perm.REGISTRY_READ)
    assert shown["analist"]
