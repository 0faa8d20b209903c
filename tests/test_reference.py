"""The shipped municipality table, the region hierarchy, and importing official boundaries."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from weerbaar.organisations.models import Boundary, District, Municipality, Region
from weerbaar.organisations.reference import TABLE, load_reference_data, read_table

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "geo"
needs_shared = pytest.mark.skipif(
    not SHARED_GEO.is_dir(), reason="../shared/geo is not beside the checkout"
)


@needs_shared
def test_shipped_table_matches_the_reference():
    with (SHARED_GEO / "gemeenten.csv").open(newline="", encoding="utf-8") as handle:
        reference = {row["gemeentecode"]: row for row in csv.DictReader(handle)}
    shipped = {r.code: r for r in read_table()}
    assert shipped.keys() == reference.keys()
    for code, row in shipped.items():
        ref = reference[code]
        assert (row.name, row.province_code, row.safety_region_code, row.region_name) == (
            ref["gemeentenaam"],
            ref["provinciecode"],
            ref["veiligheidsregiocode"],
            ref["politie_eenheid"],
        ), code


@pytest.mark.django_db
def test_loading_is_idempotent_and_builds_the_hierarchy():
    first = load_reference_data()
    assert first.created == 342
    assert load_reference_data().created == 0
    assert Region.objects.count() == 10
    papendrecht = Municipality.objects.get(code="GM0590")
    assert papendrecht.district.name == "Zuid-Holland-Zuid"
    assert papendrecht.district.region == papendrecht.region
    assert papendrecht.region.name == "Rotterdam"
    assert District.objects.count() == 25
    assert Municipality.objects.filter(region__name="Rotterdam").count() == 23


@pytest.mark.django_db
def test_a_redefined_district_survives_reloading(world):
    load_reference_data()
    from weerbaar.organisations.actions import save_district

    rotterdam = Region.objects.get(name="Rotterdam")
    members = list(Municipality.objects.filter(code__in=["GM0590", "GM0505"]))
    dvo = save_district(
        world["platformbeheerder"],
        District(code="dvo-drechtsteden", name="DVO Drechtsteden", region=rotterdam),
        municipalities=members,
    )
    load_reference_data()
    assert set(dvo.municipalities.values_list("code", flat=True)) == {"GM0590", "GM0505"}


def test_table_has_facts_only():
    header = TABLE.read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == [
        "gemeentecode",
        "gemeentenaam",
        "provinciecode",
        "provincienaam",
        "veiligheidsregiocode",
        "veiligheidsregionaam",
        "politie_eenheid",
    ]


@needs_shared
@pytest.mark.django_db
def test_import_boundaries_from_the_official_files():
    load_reference_data()
    call_command(
        "import_boundaries",
        str(SHARED_GEO / "gemeente_2025.geojson"),
        str(SHARED_GEO / "provincie_2025.geojson"),
        str(SHARED_GEO / "veiligheidsregio_2025.geojson"),
    )
    assert Boundary.objects.filter(level="gemeente").count() == 342
    assert Boundary.objects.filter(level="provincie").count() == 12
    assert Boundary.objects.filter(level="veiligheidsregio").count() == 25
    papendrecht = Boundary.objects.get(code="GM0590")
    assert papendrecht.year == 2025
    assert 4.6 < papendrecht.min_lon < papendrecht.max_lon < 4.8
    assert 51.8 < papendrecht.min_lat < papendrecht.max_lat < 51.9
    from shapely.geometry import Point, shape

    assert shape(papendrecht.geometry).contains(Point(4.69, 51.835))
    assert all(shape(b.geometry).is_valid for b in Boundary.objects.all())  # repaired on import
    call_command("import_boundaries", str(SHARED_GEO / "provincie_2025.geojson"))  # again: updates
    assert Boundary.objects.count() == 379


@pytest.mark.django_db
def test_unknown_code_imports_nothing(tmp_path, world):
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"statcode": "GM0590", "statnaam": "Papendrecht"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.6, 51.8], [4.7, 51.8], [4.7, 51.9], [4.6, 51.8]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"statcode": "GM9999", "statnaam": "Nergenshuizen"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[4.6, 51.8], [4.7, 51.8], [4.7, 51.9], [4.6, 51.8]]],
                },
            },
        ],
    }
    path = tmp_path / "gemeenten.geojson"
    path.write_text(json.dumps(geojson))
    with pytest.raises(CommandError) as excinfo:
        call_command("import_boundaries", str(path))
    assert "GM9999 komt niet voor in de gemeententabel" in str(excinfo.value)
    assert "niets geïmporteerd" in str(excinfo.value)
    assert not Boundary.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{niet json", "geen geldige GeoJSON"),
        ('{"type": "Feature"}', "geen GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "geen gebieden"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"statcode": "GM0590", "statnaam": "P"}, "geometry": {"type": "Polygon", "coordinates": "x"}}]}',
            "geometrie is ongeldig",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"statcode": "XX12"}, "geometry": null}]}',
            "onbekende soort code",
        ),
    ],
)
def test_bad_files_give_dutch_messages(tmp_path, world, content, message):
    path = tmp_path / "fout.geojson"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_boundaries", str(path))
    assert not Boundary.objects.exists()


def test_missing_file():
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        call_command("import_boundaries", "/nonexistent.geojson")
