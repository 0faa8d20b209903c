"""The synthetic-case generator used for demos at scale and the benchmarks."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from weerbaar.cases import actions
from weerbaar.cases.generator import generate
from weerbaar.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    CasePartner,
    CaseSubject,
    CaseTask,
)
from weerbaar.cases.workflow import Phase
from weerbaar.core.testing import login
from weerbaar.signals.generator import generate as generate_signals
from weerbaar.signals.models import Signal, Subject

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"^(GM\d{4})-CAS-(\d{4})-(\d{4,})$")


@pytest.fixture
def generated(world):  # type: ignore[no-untyped-def]
    generate_signals(300, municipalities=[world.papendrecht, world.dordrecht], seed=3, batch=150)
    result = generate(120, municipalities=[world.papendrecht, world.dordrecht], seed=5, batch=50)
    return result


def test_generated_cases_are_complete(world, generated):
    cases = Case.objects.all()
    assert generated.cases == cases.count() == 120
    assert cases.filter(is_demo=True).count() == 120
    assert {c.municipality_id for c in cases} == {world.papendrecht.pk, world.dordrecht.pk}
    assert generated.subjects == CaseSubject.objects.count() > 120
    assert generated.tasks == CaseTask.objects.count()
    assert generated.events == CaseEvent.objects.count() >= 120
    assert generated.partners == CasePartner.objects.count() > 0
    # Every phase occurs; closed cases have their closing data.
    assert set(cases.values_list("phase", flat=True)) == set(Phase.values)
    for case in cases.filter(phase=Phase.CLOSED):
        assert case.closed_on and case.result and case.retain_until
        assert case.retain_until > case.closed_on >= case.created_at.date()
    for case in cases.exclude(phase=Phase.CLOSED):
        assert case.closed_on is None and case.result == "" and case.retain_until is None
    # Dates are spread over time, not all "now".
    assert len({c.created_at.date() for c in cases}) > 30
    for case in cases.prefetch_related("signals", "phase_history"):
        linked = list(case.signals.all())
        assert 1 <= len(linked) <= 3
        assert all(s.municipality_id == case.municipality_id for s in linked)
        assert case.created_at >= max(s.received_at for s in linked)
        history = list(case.phase_history.all())
        assert history[0].to_phase == Phase.EXPLORATION and history[-1].to_phase == case.phase
        if case.lead is not None:
            assert case.lead.municipality_id == case.municipality_id


def test_subjects_are_copied_once_per_match_key(generated):
    for case in Case.objects.prefetch_related("signals", "subjects"):
        originals = Subject.objects.filter(signal__in=case.signals.all())
        keys = {s.match_key for s in originals}
        copied = [s.match_key for s in case.subjects.all()]
        assert len(copied) == len(set(copied)), "each match key once"
        assert set(copied) == keys
        assert all(
            s.from_signal_id in {x.pk for x in case.signals.all()} for s in case.subjects.all()
        )


def test_references_unique_and_counters_consistent(world, generated):
    references = list(Case.objects.values_list("reference", "municipality__code"))
    assert len({r for r, _ in references}) == len(references)
    highest: dict[tuple[str, int], list[int]] = defaultdict(list)
    for reference, code in references:
        match = REFERENCE.match(reference)
        assert match and match.group(1) == code
        highest[(code, int(match.group(2)))].append(int(match.group(3)))
    counters = {
        (c.municipality.code, c.year): c.last
        for c in CaseCounter.objects.select_related("municipality")
    }
    assert set(counters) == set(highest)
    for key, numbers in highest.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), "gap-free from 1"
        assert counters[key] == len(numbers)
    # A case opened by hand afterwards gets the next free number.
    signal = Signal.objects.filter(municipality=world.papendrecht).first()
    case = actions.open_case(world["regisseur"], world.papendrecht, title="Na", signals=[signal])
    assert case.reference not in {r for r, _ in references}


def test_generated_cases_go_through_the_gate(world, generated):
    own = Case.objects.for_user(world["regisseur"])
    papendrecht = Case.objects.filter(municipality=world.papendrecht)
    assert own.count() > 0
    assert set(own) <= set(papendrecht)
    assert set(papendrecht.filter(restricted=False)) <= set(own)
    assert (
        not Case.objects.for_user(world["regisseur_dordrecht"])
        .filter(municipality=world.papendrecht)
        .exists()
    )
    assert not Case.objects.for_user(world["medewerker"]).exists()
    case = own.filter(restricted=False).first()
    client = login(Client(), world["regisseur"])
    assert (
        case.reference in client.get(reverse("cases:list"), {"phase": case.phase}).content.decode()
    )
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    other = Case.objects.filter(municipality=world.dordrecht).first()
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404


def test_command(world, capsys):
    generate_signals(40, municipalities=[world.papendrecht], seed=1)
    call_command("generate_cases", "--aantal", "10")
    assert "10 casussen" in capsys.readouterr().out
    assert Case.objects.filter(municipality=world.papendrecht).count() == 10
