"""The read gate, tested once and exhaustively per model: who sees which rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from weerbaar.accounts.models import User
from weerbaar.audit.log import record
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.organisations.models import Municipality, PartnerOrganisation, Team

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(o) for o in qs}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("beheerder", {"Papendrecht"}),
        ("regisseur", {"Papendrecht"}),
        ("medewerker", {"Papendrecht"}),
        ("bestuurder", {"Papendrecht"}),
        ("regisseur_dordrecht", {"Dordrecht"}),
        ("partner", {"Papendrecht"}),
        ("regionaal_analist", {"Papendrecht", "Dordrecht"}),
        ("regionaal_elders", {"Maastricht"}),
        ("platformbeheerder", {"Papendrecht", "Dordrecht", "Maastricht"}),
    ],
)
def test_municipality_gate(world, who, expected):
    assert names(Municipality.objects.for_user(world[who])) == expected


def test_nobody_sees_anything_when_anonymous_or_inactive(world):
    inactive = world["regisseur"]
    inactive.is_active = False
    for user in (AnonymousUser(), None, inactive):
        assert not Municipality.objects.for_user(user).exists()
        assert not Team.objects.for_user(user).exists()
        assert not User.objects.for_user(user).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("beheerder", {"Handhaving Papendrecht"}),
        ("analist", {"Handhaving Papendrecht"}),
        ("regisseur_dordrecht", {"Handhaving Dordrecht"}),
        ("partner", set()),
        ("regionaal_analist", set()),
        ("platformbeheerder", {"Handhaving Papendrecht", "Handhaving Dordrecht"}),
    ],
)
def test_team_gate(world, who, expected):
    assert names(Team.objects.for_user(world[who])) == expected


def test_partner_gate_follows_links(world):
    regional = PartnerOrganisation.objects.create(name="RIEC Rotterdam", kind="riec")
    regional.regions.set([world.region])
    assert names(PartnerOrganisation.objects.for_user(world["regisseur"])) == {
        "Politie Drechtsteden",
        "RIEC Rotterdam",
    }
    assert names(PartnerOrganisation.objects.for_user(world["regisseur_dordrecht"])) == {
        "RIEC Rotterdam"
    }
    assert names(PartnerOrganisation.objects.for_user(world["partner"])) == {"Politie Drechtsteden"}
    assert names(PartnerOrganisation.objects.for_user(world["regionaal_elders"])) == set()


def test_accounts_gate(world):
    beheerder = world["beheerder"]
    visible = set(User.objects.for_user(beheerder).values_list("username", flat=True))
    assert visible == {"beheerder", "regisseur", "analist", "medewerker", "bestuurder"}
    assert set(User.objects.for_user(world["regisseur"]).values_list("username", flat=True)) == {
        "regisseur"
    }
    assert User.objects.for_user(world["platformbeheerder"]).count() == User.objects.count()


def test_audit_gate(world):
    record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    record(Action.UPDATE, actor=world["regisseur_dordrecht"], obj=world.dordrecht)
    assert {e.municipality.name for e in AuditEntry.objects.for_user(world["beheerder"])} == {
        "Papendrecht"
    }
    assert not AuditEntry.objects.for_user(world["regisseur"]).exists()
    assert (
        AuditEntry.objects.for_user(world["platformbeheerder"]).count()
        == AuditEntry.objects.count()
    )


def test_every_model_has_a_gate():
    from django.core.checks import run_checks

    assert not [e for e in run_checks() if e.id == "weerbaar.E001"]
