"""Meld Misdaad Anoniem import: CSV and JSON, idempotent, per-row report, nothing half-written."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import assert_cannot_change, login
from weerbaar.signals.models import Signal, Subject

pytestmark = pytest.mark.django_db

CSV = """mma_nummer;ontvangen_op;gemeentecode;omschrijving;fenomenen;postcode;huisnummer
MMA-1;2026-11-20T14:30;GM0590;Hennepgeur bij loods;hennepteelt;3351AB;7
MMA-2;2026-11-20T15:00;GM0590;Dure auto's, geen klanten;automotive;;
MMA-3;gisteren;GM0590;Datum kapot;;;
MMA-4;2026-11-20T16:00;GM0505;Andere gemeente;;;
MMA-5;2026-11-20T17:00;GM0590;Onbekend fenomeen;paddenstoelen;9999XX;abc
"""


def upload(world, name, content, who="regisseur"):  # type: ignore[no-untyped-def]
    client = login(Client(), world[who])
    return client.post(
        reverse("signals:import"), {"file": SimpleUploadedFile(name, content.encode())}
    )


def test_csv_import_reports_per_row_and_is_idempotent(world):
    response = upload(world, "mma.csv", CSV)
    body = response.content.decode()
    assert response.status_code == 200
    assert "5 regels: 2 nieuw, 0 al aanwezig, 3 met fouten." in body
    assert (
        "geen datum en tijd" in body
        and "andere gemeente" in body
        and "paddenstoelen" in body
        and "huisnummer" in body
    )
    signals = Signal.objects.order_by("external_id")
    assert [(s.external_id, s.channel) for s in signals] == [("MMA-1", "mma"), ("MMA-2", "mma")]
    assert signals[0].postcode == "3351AB" and signals[0].phenomena.get().code == "hennepteelt"
    assert not Subject.objects.exists()
    again = upload(world, "mma.csv", CSV).content.decode()
    assert "5 regels: 0 nieuw, 2 al aanwezig, 3 met fouten." in again
    assert Signal.objects.count() == 2
    assert AuditEntry.objects.filter(action=Action.IMPORT, detail__created=2).exists()


def test_json_import_and_duplicates_within_one_file(world):
    rows = [
        {
            "mma_nummer": "J-1",
            "ontvangen_op": "2026-11-20T14:30:00+01:00",
            "gemeentecode": "GM0590",
            "omschrijving": "Een",
            "huisnummer": 3,
        },
        {
            "mma_nummer": "J-1",
            "ontvangen_op": "2026-11-20T14:30:00+01:00",
            "gemeentecode": "GM0590",
            "omschrijving": "Een, nogmaals",
        },
    ]
    body = upload(world, "mma.json", json.dumps({"meldingen": rows})).content.decode()
    assert "2 regels: 1 nieuw, 1 al aanwezig, 0 met fouten." in body
    assert Signal.objects.get().description == "Een"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("mma.json", "{kapot", "geen geldige JSON"),
        ("mma.csv", "a,b\n1,2\n", "Kolommen ontbreken"),
        ("mma.xlsx", "x", "Kies een .csv- of .json-bestand"),
    ],
)
def test_unreadable_files_are_refused_whole(world, name, content, message):
    response = upload(world, name, content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Signal.objects.exists()


def test_import_is_for_triage_roles_only(world):
    state = lambda: Signal.objects.count()
    assert_cannot_change(
        reverse("signals:import"),
        {"file": SimpleUploadedFile("mma.csv", CSV.encode())},
        outsiders=[world["medewerker"], world["partner"], world["beheerder"]],
        unchanged=state,
    )


def test_command(world, tmp_path):
    path = tmp_path / "mma.csv"
    path.write_text(CSV)
    with pytest.raises(CommandError, match="Niet alle regels"):
        call_command("import_mma", str(path), gebruiker="regisseur")
    assert Signal.objects.count() == 2
    with pytest.raises(CommandError, match="mag geen meldingen importeren"):
        call_command("import_mma", str(path), gebruiker="medewerker")
