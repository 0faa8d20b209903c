"""Full-text search over descriptions: Dutch on PostgreSQL, FTS5 on SQLite, within the gate."""

from __future__ import annotations

import pytest
from django.db import connection

from weerbaar.signals import actions
from weerbaar.signals.models import Signal
from weerbaar.signals.search import matching

pytestmark = pytest.mark.django_db


def file(world, text, by="regisseur"):  # type: ignore[no-untyped-def]
    user = world[by]
    return actions.create_signal(
        user,
        actions.NewSignal(municipality=user.municipality, channel="medewerker", description=text),
    )


def found(world, text, by="regisseur"):  # type: ignore[no-untyped-def]
    return set(
        matching(Signal.objects.for_user(world[by]), text).values_list("description", flat=True)
    )


def test_words_prefixes_and_all_terms(world):
    file(world, "Hennepkwekerij op zolder, sterke geur")
    file(world, "Witwassen via een kapsalon zonder klanten")
    file(world, "Geur van anijs bij de loods")
    assert found(world, "hennep") == {"Hennepkwekerij op zolder, sterke geur"}
    assert found(world, "geur") == {
        "Hennepkwekerij op zolder, sterke geur",
        "Geur van anijs bij de loods",
    }
    assert found(world, "geur loods") == {"Geur van anijs bij de loods"}
    assert found(world, "KAPSALON") == {"Witwassen via een kapsalon zonder klanten"}
    assert found(world, "'); DROP TABLE signals_signal; --") == set()
    assert found(world, "   ") == {s.description for s in Signal.objects.all()}


def test_updates_and_deletes_stay_in_sync(world):
    signal = file(world, "Boot in de jachthaven")
    Signal.objects.filter(pk=signal.pk).update(description="Auto op het bedrijventerrein")
    assert found(world, "jachthaven") == set() and found(world, "bedrijventerrein") == {
        "Auto op het bedrijventerrein"
    }
    signal.delete()
    assert found(world, "bedrijventerrein") == set()


def test_search_respects_the_gate(world):
    file(world, "Hennep in Dordrecht", by="regisseur_dordrecht")
    assert found(world, "hennep") == set()
    assert found(world, "hennep", by="regisseur_dordrecht") == {"Hennep in Dordrecht"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch stemming exists on PostgreSQL only"
)
def test_dutch_stemming_on_postgresql(world):
    file(world, "De huurders van de woningen zijn arbeidsmigranten")
    assert found(world, "huurder woning") == {"De huurders van de woningen zijn arbeidsmigranten"}


def test_reference_finds_its_signal(world):
    signal = file(world, "Iets")
    assert found(world, signal.reference) == {"Iets"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="plan choice exists on PostgreSQL only"
)
def test_rare_words_take_the_index_path_with_the_same_results(world, monkeypatch):
    from weerbaar.signals import search

    file(world, "Zeilboot in de jachthaven")
    file(world, "Woning met zeilboot in de tuin")
    file(world, "Woning zonder boot")
    monkeypatch.setattr(search, "_frequent_lexemes", lambda: {"woning": 0.3, "jachthav": 0.02})
    assert search._has_rare_word(["zeilboot"]) and not search._has_rare_word(["woningen"])
    assert found(world, "zeilboot") == {
        "Zeilboot in de jachthaven",
        "Woning met zeilboot in de tuin",
    }
    assert found(world, "woning zeilboot") == {"Woning met zeilboot in de tuin"}
    assert found(world, "woning") == {"Woning met zeilboot in de tuin", "Woning zonder boot"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 plan choice exists on SQLite only")
def test_sqlite_frequent_words_path_gives_the_same_results(world, monkeypatch):
    from weerbaar.signals import search

    file(world, "Woning met zeilboot in de tuin")
    file(world, "Woning zonder boot")
    assert search._sqlite_has_rare_word(["woning"])  # 2 signals: rare
    monkeypatch.setattr(search, "SQLITE_RARE_DOCS", 0)
    assert not search._sqlite_has_rare_word(["woning"])
    assert found(world, "woning") == {"Woning met zeilboot in de tuin", "Woning zonder boot"}
    assert found(world, "woning zeilboot") == {"Woning met zeilboot in de tuin"}
