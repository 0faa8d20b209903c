"""Uploading a boundary file in Beheer: stored through the storage API, imported as a task."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weerbaar.core.testing import assert_isolated, login
from weerbaar.organisations.models import Boundary, BoundaryImport, ImportStatus
from weerbaar.organisations.reference import load_reference_data

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "geo"
pytestmark = pytest.mark.django_db
URL = reverse("organisations:boundaries")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.skipif(not SHARED_GEO.is_dir(), reason="../shared/geo is not beside the checkout")
def test_upload_runs_the_import_in_the_background(world, django_capture_on_commit_callbacks):
    load_reference_data()
    client = login(Client(), world["platformbeheerder"])
    upload = SimpleUploadedFile(
        "provincie_2025.geojson", (SHARED_GEO / "provincie_2025.geojson").read_bytes()
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(URL, {"file": upload})
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is queued only after the commit
    job = BoundaryImport.objects.get()
    assert job.status == ImportStatus.DONE
    assert job.result["created"] == 12
    assert Boundary.objects.filter(level="provincie").count() == 12
    assert not job.file and not default_storage.listdir("imports/boundaries")[1]  # upload removed
    page = client.get(URL).content.decode()
    assert "12 nieuw" in page


def test_bad_file_is_reported_and_imports_nothing(
    world, django_capture_on_commit_callbacks, tmp_path
):
    client = login(Client(), world["platformbeheerder"])
    bad = b'{"type": "FeatureCollection", "features": [{"properties": {"statcode": "GM9999", "statnaam": "X"}, "geometry": {"type": "Point", "coordinates": [5, 52]}}]}'
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"file": SimpleUploadedFile("fout.geojson", bad)})
    job = BoundaryImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "GM9999" in job.result["problems"][0]
    assert not Boundary.objects.exists()
    assert "GM9999 komt niet voor" in client.get(URL).content.decode()


def test_wrong_file_type_is_refused_before_storing(world):
    client = login(Client(), world["platformbeheerder"])
    response = client.post(URL, {"file": SimpleUploadedFile("grenzen.xlsx", b"PK")})
    assert response.status_code == 400
    assert "Kies een GeoJSON-bestand" in response.content.decode()
    assert not BoundaryImport.objects.exists()


def test_only_the_platform_administrator_imports(world):
    BoundaryImport.objects.create(original_name="geheim-bestand.geojson", status=ImportStatus.DONE)
    assert_isolated(
        URL,
        owner=world["platformbeheerder"],
        outsiders=[world["beheerder"], world["regionaal_analist"], world["partner"]],
        markers=["geheim-bestand.geojson"],
    )
    client = login(Client(), world["beheerder"])
    assert client.post(URL, {"file": SimpleUploadedFile("a.geojson", b"{}")}).status_code == 403
    assert BoundaryImport.objects.count() == 1
