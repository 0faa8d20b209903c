"""After a KvK import: officers resolved into persons and the lookup index brought up to date,
through the import command with the real hooks. An unchanged file costs nothing, a changed
one replaces the keys of the changed records only, and the result is always what a full
rebuild gives; small and odd files (one officer, no dates, names in capitals) resolve too."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from weerbaar.entities import index
from weerbaar.entities.models import LookupKey
from weerbaar.registry.importing import hooks
from weerbaar.registry.importing.datasets import BRANCHES, OFFICERS
from weerbaar.registry.models import Company, Officer, RegistryImport

pytestmark = pytest.mark.django_db

Row = dict[str, str]
OFFICER = LookupKey.Target.OFFICER
COMPANY = LookupKey.Target.COMPANY


def officer(kvk: str, first: str, surname: str, born: str = "", prefix: str = "") -> Row:
    row = dict.fromkeys(OFFICERS.column_names, "")
    return row | {
        "kvk_nummer": kvk,
        "voornamen": first,
        "voorvoegsel": prefix,
        "geslachtsnaam": surname,
        "geboortedatum": born,
        "functie": "bestuurder",
    }


def branch(kvk: str, name: str, town: str = "Assen") -> Row:
    row = dict.fromkeys(BRANCHES.column_names, "")
    return row | {
        "kvk_nummer": kvk,
        "vestigingsnummer": f"0000{kvk}",
        "statutaire_naam": name,
        "bezoek_straat": "Dorpsstraat",
        "bezoek_huisnummer": "12",
        "bezoek_postcode": "9401AB",
        "bezoek_plaats": town,
    }


def write(path: Path, rows: list[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def import_kvk(path: Path) -> RegistryImport:
    call_command("import_kvk", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return RegistryImport.objects.order_by("-pk").first()  # type: ignore[return-value]


def stored(target: str) -> dict[tuple[str, int], int]:
    """The index of one target: (key, record) → row id (a rewritten row gets a new id)."""
    rows = LookupKey.objects.filter(target=target).values_list("key", "record_id", "pk")
    return {(key, record): pk for key, record, pk in rows}


def rebuilt(target: str) -> set[tuple[str, int]]:
    """What a full rebuild of the target gives (and leaves in the index)."""
    index.rebuild([target])
    return set(stored(target))


@pytest.fixture(autouse=True)
def only_the_index_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "AFTER_IMPORT", [index.after_import])


PEOPLE = [
    officer("10000001", "Johannes", "Meer", "1971-05-30", prefix="van der"),
    officer("10000002", "J.", "Meer", "1971-05-30", prefix="v.d."),
    officer("10000003", "Fatima", "El Amrani", "1985-09-01"),
    officer("10000004", "Pieter", "Vries", "1990-12-24", prefix="de"),
    officer("10000005", "Anna", "Bakker", "1979-03-03"),
]


def test_unchanged_file_leaves_persons_and_index_alone(tmp_path: Path) -> None:
    first = import_kvk(write(tmp_path / "f.csv", PEOPLE))
    assert first.message == ""
    keys = stored(OFFICER)
    persons = dict(Officer.objects.values_list("pk", "person_key"))
    assert keys and all(persons.values())
    assert len(set(persons.values())) == len(PEOPLE) - 1  # J. v.d. Meer is Johannes van der Meer

    again = import_kvk(write(tmp_path / "g.csv", PEOPLE))
    assert (again.inserted, again.ended, again.message) == (0, 0, "")
    assert stored(OFFICER) == keys  # not one row rewritten
    assert dict(Officer.objects.values_list("pk", "person_key")) == persons


def test_changed_officers_file_replaces_only_their_keys(tmp_path: Path) -> None:
    import_kvk(write(tmp_path / "f.csv", PEOPLE))
    before = stored(OFFICER)
    kept = set(Officer.objects.exclude(kvk_number="10000005").values_list("pk", flat=True))
    newer = [*PEOPLE[:4], officer("10000006", "Mohamed", "Amrani", "1985-09-01")]
    run = import_kvk(write(tmp_path / "g.csv", newer))
    assert (run.inserted, run.ended) == (1, 1)
    after = stored(OFFICER)
    new = Officer.objects.get(kvk_number="10000006").pk
    assert {record for _key, record in after} == {*kept, new}
    # The unchanged officers' rows were not rewritten; the result is a full rebuild's.
    assert {k: pk for k, pk in after.items() if k[1] in kept} == {
        k: pk for k, pk in before.items() if k[1] in kept
    }
    assert set(after) == rebuilt(OFFICER)
    assert Officer.objects.filter(person_key="").count() == 0


def test_changed_company_gets_new_keys_the_others_keep_theirs(tmp_path: Path) -> None:
    others = [branch(f"2100000{n}", f"Garage Nummer {n}") for n in range(4)]
    rows = [branch("20000001", "Kompas Interim B.V."), branch("20000002", "Bakkerij Het Anker")]
    import_kvk(write(tmp_path / "f.csv", rows + others))
    before = stored(COMPANY)
    renamed = [rows[0], branch("20000002", "Bakkerij De Molen"), branch("20000003", "Vof Tran")]
    renamed += others  # two of seven records written: their keys only are replaced
    run = import_kvk(write(tmp_path / "g.csv", renamed))
    assert (run.inserted, run.updated) == (1, 1)
    after = stored(COMPANY)
    kompas = Company.objects.get(kvk_number="20000001").pk
    assert {k: pk for k, pk in after.items() if k[1] == kompas} == {
        k: pk for k, pk in before.items() if k[1] == kompas
    }
    assert any(key.startswith("cn:bakkerijmolen") for key, _ in after)
    assert not any("anker" in key for key, _ in after)
    assert set(after) == rebuilt(COMPANY)


def test_after_a_failed_hook_the_next_run_redoes_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(kind: str, registry_import: RegistryImport) -> None:
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(hooks, "AFTER_IMPORT", [broken])
    with pytest.raises(CommandError, match="schijf vol"):
        import_kvk(write(tmp_path / "f.csv", PEOPLE))
    assert not LookupKey.objects.exists()
    assert "schijf vol" in RegistryImport.objects.get().message

    monkeypatch.setattr(hooks, "AFTER_IMPORT", [index.after_import])
    again = import_kvk(write(tmp_path / "g.csv", PEOPLE))  # unchanged, but catching up
    assert (again.inserted, again.ended) == (0, 0)
    assert set(stored(OFFICER)) == rebuilt(OFFICER) and stored(OFFICER)
    assert not Officer.objects.filter(person_key="").exists()
    assert list(RegistryImport.objects.values_list("after_import_pending", flat=True)) == [
        False,
        False,
    ]


EDGE_CASES = {
    "one officer": [officer("30000001", "Jan", "Jansen", "1970-01-01")],
    "two the same": [officer(f"3000000{n}", "Jan", "Jansen", "1970-01-01") for n in (1, 2)],
    "no dates of birth": [
        officer("30000001", "Jan", "Jansen"),
        officer("30000002", "Jan", "Jansen"),
        officer("30000003", "Piet", "Bakker", prefix="van"),
    ],
    "names in capitals only": [
        officer("30000001", "JAT", "JANSEN", "1970-01-01"),
        officer("30000002", "JP", "BAKKER"),
        officer("30000003", "HJ", "DE VRIES", "1980-02-03"),
        officer("30000004", "JAT", "JANSEN", "1970-01-01"),
    ],
    "capitals and written out": [
        officer("30000001", "JAT", "Jansen", "1970-01-01"),
        officer("30000002", "Johanna Antonia Theodora", "Jansen", "1970-01-01"),
    ],
    "no first names": [officer("30000001", "", "Jansen"), officer("30000002", "", "Jansen")],
}


@pytest.mark.parametrize("rows", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_small_and_odd_officer_files_resolve(tmp_path: Path, rows: list[Row]) -> None:
    run = import_kvk(write(tmp_path / "f.csv", rows))
    assert (run.inserted, run.message) == (len(rows), "")
    persons = list(Officer.objects.values_list("pk", "person_key"))
    assert len(persons) == len(rows) and all(key for _pk, key in persons)
    assert {record for _key, record in stored(OFFICER)} == {pk for pk, _key in persons}


def test_two_officers_alone_are_one_person_when_name_and_birth_date_are_equal(
    tmp_path: Path,
) -> None:
    # Too few records for the linker to learn weights from: exact equals only.
    rows = [
        officer("30000001", "Jan", "Jansen", "1970-01-01"),
        officer("30000002", "JAN", "jansen", "1970-01-01"),
    ]
    import_kvk(write(tmp_path / "f.csv", rows))
    assert len(set(Officer.objects.values_list("person_key", flat=True))) == 1
    Officer.objects.all().delete()
    rows[1] = officer("30000002", "Jan", "Jansen")  # no date of birth: not enough to say
    import_kvk(write(tmp_path / "g.csv", rows))
    assert len(set(Officer.objects.values_list("person_key", flat=True))) == 2


@pytest.mark.parametrize("target_exists", [False, True], ids=["renamed", "merged"])
def test_a_person_entity_follows_its_officers_when_their_key_changes(
    tmp_path: Path, target_exists: bool
) -> None:
    from weerbaar.audit.models import Action, AuditEntry
    from weerbaar.entities.models import Entity, EntityKind, EntityMerge

    import_kvk(write(tmp_path / "first.csv", PEOPLE))
    johannes = Officer.objects.get(kvk_number="10000001")
    same = Officer.objects.get(kvk_number="10000002")
    assert johannes.person_key == same.person_key == f"p{johannes.pk}"
    known = Entity.objects.create(
        kind=EntityKind.PERSON, key=f"persoon:{johannes.person_key}", label="Johannes van der Meer"
    )
    if target_exists:
        Entity.objects.create(
            kind=EntityKind.PERSON, key=f"persoon:p{same.pk}", label="J. v.d. Meer"
        )
    # The next extract no longer has the first company's officer: the person's key moves.
    import_kvk(write(tmp_path / "next.csv", PEOPLE[1:]))
    assert Officer.objects.get(pk=same.pk).person_key == f"p{same.pk}"
    known.refresh_from_db()
    if target_exists:
        assert (
            known.key == f"persoon:p{johannes.pk}"
            and known.merged_into.key == f"persoon:p{same.pk}"
        )
        assert EntityMerge.objects.get(source=known).merged_by is None  # by the system, undoable
    else:
        assert known.key == f"persoon:p{same.pk}"  # its links to subjects go with it
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="entities.Entity", actor_label="personen-clustering"
    ).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="an in-memory SQLite database has one process"
)
@pytest.mark.django_db(transaction=True)
def test_officers_clustered_in_a_process_of_their_own_get_the_same_keys(tmp_path: Path) -> None:
    from weerbaar.entities import persons

    import_kvk(write(tmp_path / "f.csv", PEOPLE))
    expected = dict(Officer.objects.values_list("pk", "person_key"))
    Officer.objects.update(person_key="")
    assert persons.resolve_officers(apart=True) == len(PEOPLE)
    assert dict(Officer.objects.values_list("pk", "person_key")) == expected


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="an in-memory SQLite database has one process"
)
@pytest.mark.django_db(transaction=True)
def test_lookup_keys_computed_by_worker_processes_equal_those_computed_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    branches = [branch(f"2000000{n}", f"Bouwbedrijf Nummer {n} B.V.") for n in range(8)]
    import_kvk(write(tmp_path / "b.csv", branches))
    here = rebuilt(COMPANY)
    monkeypatch.setattr(index, "PARALLEL_FROM", 0)
    monkeypatch.setattr(index, "PAGE", 2)  # four pages for two workers
    index.rebuild([COMPANY], workers=2)
    assert {(key, record) for key, record in stored(COMPANY)} == here
