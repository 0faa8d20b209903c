"""Reading the rows of one case (``of_case``): the same rows as the full gate, for everyone.

The case page reads a case through the case gate and then eight kinds of its rows; those
skip the case rule only when the case object itself passed the gate for the same user."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from weerbaar.cases import actions
from weerbaar.cases.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseMember,
    CasePartner,
    CaseSubject,
    CaseTask,
)
from weerbaar.core import gate
from weerbaar.interventions.models import Intervention

from .test_cases import open_case, signal

pytestmark = pytest.mark.django_db

SCOPED = [CaseSubject, CaseTask, CaseDocument, CaseEvent, CasePartner, CaseMember, Intervention]
PEOPLE = ["regisseur", "analist", "medewerker", "partner", "regisseur_dordrecht", "bestuurder"]


@pytest.fixture
def shared_case(world):  # type: ignore[no-untyped-def]
    case = open_case(world, signal(world), title="Gedeelde casus")
    actions.add_task(world["regisseur"], case, title="Huurcontract", due_on=date(2030, 1, 1))
    actions.add_partner(
        world["regisseur"], case, world.police, legal_basis="RIEC-convenant", parts=["subjects"]
    )
    return case


def test_only_objects_the_gated_queryset_returned_carry_the_mark(world, shared_case):
    regisseur, other = world["regisseur"], world["regisseur_dordrecht"]
    read = Case.objects.for_user(regisseur).get(pk=shared_case.pk)
    assert gate.passed(read, regisseur)
    assert not gate.passed(read, other) and not gate.passed(read, None)
    assert not gate.passed(Case.objects.get(pk=shared_case.pk), regisseur)
    regisseur.is_active = False  # switched off since the read: nothing passes any more
    assert not gate.passed(read, regisseur)
    regisseur.is_active = True
    assert Case.objects.for_user(regisseur).filter(pk=shared_case.pk).first() == read
    assert gate.passed(Case.objects.for_user(regisseur).filter(pk=shared_case.pk)[0], regisseur)
    # Combined with a queryset that did not pass the gate: no mark, whatever the order.
    gated = Case.objects.for_user(regisseur)
    for combined in (
        gated | Case.objects.all(),
        gated ^ Case.objects.none(),
        gated.order_by().union(Case.objects.order_by()),
        gated | Case.objects.none(),
        Case.objects.none() | gated,
    ):
        assert combined and not any(gate.passed(c, regisseur) for c in combined)
    assert Case.objects.for_user(regisseur).values("pk")[0] == {"pk": shared_case.pk}
    # The queryset combined from does not lose its own mark.
    assert all(gate.passed(c, regisseur) for c in Case.objects.for_user(regisseur))


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("through_gate", [True, False])
def test_of_case_gives_the_rows_the_full_gate_gives(world, shared_case, who, through_gate):
    user = world[who]
    readable = Case.objects.for_user(user).filter(pk=shared_case.pk).first()
    case = readable if (through_gate and readable) else Case.objects.get(pk=shared_case.pk)
    for model in SCOPED:
        expected = set(model.objects.for_user(user).filter(case=shared_case))
        assert set(model.objects.of_case(user, case)) == expected, (model.__name__, who)


def test_a_case_that_passed_for_one_user_opens_nothing_for_another(world, shared_case):
    read = Case.objects.for_user(world["regisseur"]).get(pk=shared_case.pk)
    stranger = world["regisseur_dordrecht"]
    assert not CaseSubject.objects.of_case(stranger, read).exists()
    assert not CaseTask.objects.of_case(world["partner"], read).exists()


def test_the_partner_still_gets_only_the_shared_parts_of_a_case_it_is_on(world, shared_case):
    partner = world["partner"]
    case = Case.objects.for_user(partner).get(pk=shared_case.pk)
    assert gate.passed(case, partner)
    assert CaseSubject.objects.of_case(partner, case).exists()  # shared
    assert not CaseTask.objects.of_case(partner, case).exists()  # not shared
    assert not CaseMember.objects.of_case(partner, case).exists()  # never to partners
    assert {p.organisation for p in CasePartner.objects.of_case(partner, case)} == {world.police}
    assert not CaseEvent.objects.of_case(partner, case).filter(internal=True).exists()


def test_the_mark_does_not_survive_what_could_widen_or_change_the_object(world, shared_case):
    regisseur, stranger = world["regisseur"], world["regisseur_dordrecht"]
    elsewhere = open_case(world, signal(world, "Ander signaal"), title="Andere casus")
    gated = Case.objects.for_user(regisseur)
    # Another case's pk put in: the mark names the pk it was read with.
    moved = gated.get(pk=shared_case.pk)
    moved.pk = elsewhere.pk
    assert not gate.passed(moved, regisseur)
    # Extra selected columns may overwrite the pk; & copies the other side's extra columns.
    pk_as = {"id": str(shared_case.pk)}
    for extended in (
        gated.extra(select=pk_as),  # noqa: S610 - a test of exactly that
        gated & Case.objects.extra(select=pk_as),  # noqa: S610 - a test of exactly that
    ):
        assert not any(gate.passed(c, regisseur) for c in extended)
    assert all(gate.passed(c, regisseur) for c in gated.extra(where=["1 = 1"]))
    # Changed through the gated queryset: read again before it counts as passed.
    changed, _ = gated.update_or_create(pk=shared_case.pk, defaults={"title": "Nieuw"})
    assert not gate.passed(changed, regisseur)
    assert not CaseSubject.objects.of_case(stranger, changed).exists()


def test_a_partner_taken_off_after_the_read_sees_no_general_events_either(world, shared_case):
    partner = world["partner"]
    case = Case.objects.for_user(partner).get(pk=shared_case.pk)
    assert CaseEvent.objects.of_case(partner, case).filter(part="").exists()
    CasePartner.objects.filter(case=shared_case).update(removed_at=timezone.now())
    for model in SCOPED:
        assert not model.objects.of_case(partner, case).exists(), model.__name__
