"""The synthetic-signal generator used for demos at scale and the benchmarks."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from weerbaar.signals import actions
from weerbaar.signals.generator import COMMON, generate
from weerbaar.signals.models import Signal, Subject
from weerbaar.signals.search import matching

pytestmark = pytest.mark.django_db


def test_generated_signals_are_complete_and_searchable(world):
    result = generate(300, municipalities=[world.papendrecht, world.dordrecht], seed=7, batch=120)
    assert result.signals == 300 and Signal.objects.count() == 300
    assert result.subjects == Subject.objects.count() >= 600
    assert Signal.objects.filter(is_demo=True).count() == 300
    assert Subject.objects.exclude(match_key="").count() == result.subjects
    share = matching(Signal.objects.all(), COMMON).count() / 300
    assert 0.2 < share < 0.4
    assert len(set(Signal.objects.values_list("reference", flat=True))) == 300
    # Numbering continues after the generated ones.
    signal = actions.create_signal(
        world["regisseur"],
        actions.NewSignal(municipality=world.papendrecht, channel="medewerker", description="na"),
    )
    assert signal.reference not in set(
        Signal.objects.exclude(pk=signal.pk).values_list("reference", flat=True)
    )


def test_command(world, capsys):
    call_command("generate_signals", "--aantal", "50")
    assert "50 signalen" in capsys.readouterr().out
