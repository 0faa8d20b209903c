"""KvK and BAG import through the commands: counts, idempotence, bad input, crashes, audit."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from weerbaar.audit.models import PLATFORM_CHAIN, Action, AuditEntry
from weerbaar.registry.importing import hooks, runner
from weerbaar.registry.importing.datasets import ADDRESSES, BRANCHES, OFFICERS
from weerbaar.registry.importing.staging import TABLE
from weerbaar.registry.models import Address, Company, Officer, RegistryImport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_other_hooks(monkeypatch):
    """Other modules' after_import hooks (the lookup index) are tested where they live."""
    monkeypatch.setattr(hooks, "AFTER_IMPORT", [])


Row = dict[str, str]


def address(n: int, **changes: str) -> Row:
    row = dict.fromkeys(ADDRESSES.column_names, "")
    row |= {
        "verblijfsobject_id": f"0363010000{n:06d}",
        "nummeraanduiding_id": f"0363200000{n:06d}",
        "postcode": "1011 ab",
        "huisnummer": str(n),
        "straat": "Damrak",
        "woonplaats": "Amsterdam",
        "gemeentecode": "0363",
        "gebruiksdoel": "woonfunctie",
        "oppervlakte": "85",
        "rd_x": "121000.5",
        "rd_y": "487000.25",
    }
    return row | changes


def branch(kvk: str, branch_number: str = "", **changes: str) -> Row:
    row = dict.fromkeys(BRANCHES.column_names, "")
    row |= {
        "kvk_nummer": kvk,
        "vestigingsnummer": branch_number,
        "statutaire_naam": f"Bedrijf {kvk} B.V.",
        "handelsnamen": "De Hoek|Snackbar De Hoek",
        "rechtsvorm": "Besloten Vennootschap",
        "sbi_hoofd": "5610",
        "datum_inschrijving": "2019-03-01",
        "bezoek_straat": "Dorpsstraat",
        "bezoek_huisnummer": "12",
        "bezoek_postcode": "1234AB",
        "bezoek_plaats": "Assen",
    }
    return row | changes


def officer(kvk: str, surname: str, **changes: str) -> Row:
    row = dict.fromkeys(OFFICERS.column_names, "")
    row |= {
        "kvk_nummer": kvk,
        "voornamen": "Jan",
        "geslachtsnaam": surname,
        "functie": "bestuurder",
    }
    return row | changes


def write(path: Path, rows: list[Row], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(command: str, *args: Any) -> str:
    out = io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out)
    return out.getvalue()


def last_run() -> RegistryImport:
    return RegistryImport.objects.order_by("-pk").first()  # type: ignore[return-value]


def counts(run_: RegistryImport) -> tuple[int, int, int, int, int, int]:
    return (
        run_.rows_read,
        run_.inserted,
        run_.updated,
        run_.unchanged,
        run_.ended,
        run_.rejected,
    )


def test_bag_first_import_then_reimport_changes_nothing(tmp_path):
    path = write(tmp_path / "bag_adressen.csv", [address(1), address(2, huisletter="a")])
    output = run("import_bag", path)
    assert "2 gelezen, 2 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 vervallen, 0 afgekeurd" in output
    first = Address.objects.get(number_designation_id="0363200000000002")
    assert (first.postcode, first.municipality_code, first.house_letter) == (
        "1011AB",
        "GM0363",
        "a",
    )
    assert (first.floor_area, first.rd_y, first.lat, first.active) == (85, 487000.25, None, True)
    assert last_run().status == RegistryImport.Status.DONE

    run("import_bag", path)
    assert counts(last_run()) == (2, 0, 0, 2, 0, 0)
    assert Address.objects.count() == 2
    assert Address.objects.get(pk=first.pk).changed_at == first.changed_at


def test_kvk_newer_extract_updates_adds_and_dissolves(tmp_path):
    run(
        "import_kvk",
        write(
            tmp_path / "v1.csv",
            [
                branch("11111111", "000000000001"),
                branch("22222222"),
                branch("33333333"),
            ],
        ),
    )
    newer = [
        branch("11111111", "000000000001", statutaire_naam="Nieuwe Naam B.V."),
        branch("22222222", datum_opheffing="2026-10-01"),
        branch("44444444"),
    ]
    output = run("import_kvk", write(tmp_path / "v2.csv", newer), "--peildatum", "2026-11-01")
    assert "3 gelezen, 1 nieuw, 2 gewijzigd, 0 ongewijzigd, 2 opgeheven, 0 afgekeurd" in output
    companies = {c.kvk_number: c for c in Company.objects.all()}
    assert len(companies) == 4
    assert companies["11111111"].name == "Nieuwe Naam B.V." and not companies["11111111"].dissolved
    assert companies["22222222"].dissolved and str(companies["22222222"].ended_on) == "2026-10-01"
    assert companies["33333333"].dissolved and companies["33333333"].ended_on is None
    assert not companies["44444444"].dissolved
    assert str(last_run().extract_date) == "2026-11-01"

    run("import_kvk", write(tmp_path / "v2.csv", newer))
    assert counts(last_run()) == (3, 0, 0, 3, 0, 0)
    assert Company.objects.count() == 4


def test_bag_full_extract_deactivates_absent_addresses_mutaties_does_not(tmp_path):
    run("import_bag", write(tmp_path / "a.csv", [address(1), address(2), address(3)]))
    run("import_bag", write(tmp_path / "b.csv", [address(1, straat="Rokin")]), "--mutaties")
    assert counts(last_run()) == (1, 0, 1, 0, 0, 0)
    assert Address.objects.filter(active=True).count() == 3

    run("import_bag", write(tmp_path / "c.csv", [address(1, straat="Rokin"), address(4)]))
    assert counts(last_run()) == (2, 1, 0, 1, 2, 0)
    active = set(Address.objects.filter(active=True).values_list("house_number", flat=True))
    assert active == {1, 4}

    run("import_bag", write(tmp_path / "d.csv", [address(2)]), "--mutaties")
    assert Address.objects.get(house_number=2).active
    assert Address.objects.count() == 4


def test_officers_of_a_number_in_the_file_replace_its_officers(tmp_path):
    run(
        "import_kvk",
        write(
            tmp_path / "f1.csv",
            [
                officer("11111111", "Berg", voorvoegsel="van der", geboortedatum="1971-05-30"),
                officer("11111111", "Jansen"),
                officer("22222222", "Pietersen"),
                officer("33333333", "Smit"),
            ],
        ),
    )
    assert counts(last_run()) == (4, 4, 0, 0, 0, 0)
    berg = Officer.objects.get(surname="Berg")
    Officer.objects.filter(pk=berg.pk).update(person_key="p-1")

    newer = [
        officer("11111111", "Berg", voorvoegsel="van der", geboortedatum="1971-05-30"),
        officer("11111111", "Jansen", functie="commissaris"),
        officer("33333333", "Smit"),
    ]
    run("import_kvk", write(tmp_path / "f2.csv", newer), "--mutaties")
    assert counts(last_run()) == (3, 1, 0, 2, 1, 0)
    assert Officer.objects.get(surname="Berg").person_key == "p-1"  # unchanged row kept
    assert Officer.objects.get(surname="Jansen").role == "commissaris"
    assert Officer.objects.filter(surname="Pietersen").exists()  # not in a delta: kept

    run("import_kvk", write(tmp_path / "f3.csv", newer))
    assert counts(last_run()) == (3, 0, 0, 3, 1, 0)
    assert sorted(Officer.objects.values_list("surname", flat=True)) == ["Berg", "Jansen", "Smit"]


def test_latin1_file_is_refused_before_anything_is_written(tmp_path):
    rows = [address(n) for n in range(1, 4)] + [address(4, straat="Cafépad")]
    path = write(tmp_path / "bag.csv", rows, encoding="latin-1")
    with pytest.raises(CommandError, match=r"geen UTF-8 \(regel 5 .*0xE9.*Latin-1"):
        run("import_bag", path)
    assert not RegistryImport.objects.exists()
    assert not Address.objects.exists()
    [attempt] = AuditEntry.objects.filter(action=Action.IMPORT)  # the attempt is logged
    assert "UTF-8" in attempt.detail["refused"] and attempt.object_repr == "bag.csv"
    assert attempt.actor_label == "import-bag" and attempt.chain == PLATFORM_CHAIN


def test_missing_and_unknown_columns_are_named(tmp_path):
    row = address(1)
    del row["gemeentecode"]
    row["kleur"] = "rood"
    with pytest.raises(CommandError) as refused:
        run("import_bag", write(tmp_path / "bag.csv", [row]))
    assert "ontbrekende kolommen: gemeentecode" in str(refused.value)
    assert "onbekende kolommen: kleur" in str(refused.value)
    with pytest.raises(CommandError, match="bag_adressen-bestand; gebruik import-bag"):
        run("import_kvk", write(tmp_path / "bag2.csv", [address(1)]))
    assert not RegistryImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leeg"),
        (b"\xef\xbb\xbf\n", "leeg"),
        (",".join(ADDRESSES.column_names).encode() + b"\n", "alleen een kopregel"),
        (b"PK\x03\x04" + bytes(200), "geen CSV- of Parquet-bestand"),
        (b"%PDF-1.7\n" + bytes(100), "geen CSV- of Parquet-bestand"),
    ],
)
def test_empty_or_foreign_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bag_adressen.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import_bag", path)
    assert not RegistryImport.objects.exists()


def test_malformed_rows_are_reported_by_line_and_good_rows_imported(tmp_path):
    rows = [
        address(1),
        address(2, postcode="123"),
        address(3, huisnummer="12a", gebruiksdoel="woonfunctie|pretparkfunctie"),
        address(4, nummeraanduiding_id="12"),
        address(5, toevoeging="abcde"),
        address(6, rd_y=""),
        address(7, nummeraanduiding_id="0363200000000001"),
        address(8, gemeentecode="GM363"),
    ]
    path = write(tmp_path / "bag.csv", rows)
    with path.open("a") as handle:
        handle.write("0363010000000009,0363200000000009,1011AB\n\n")
    output = run("import_bag", path)
    assert "10 gelezen, 1 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 vervallen, 9 afgekeurd" in output
    problems = {p["line"]: p["reason"] for p in last_run().problems}
    assert problems == {
        3: "postcode is geen postcode (1234AB)",
        4: "huisnummer is geen geheel getal van 1 tot en met 99999; "
        "gebruiksdoel bevat een onbekend gebruiksdoel",
        5: "nummeraanduiding_id is geen 16 cijfers",
        6: "toevoeging is langer dan 4 tekens",
        7: "rd_x en rd_y horen samen; één van beide ontbreekt",
        8: "dubbel: dezelfde nummeraanduiding_id staat al op regel 2; die telt",
        9: "gemeentecode is geen gemeentecode (4 cijfers, met of zonder GM)",
        10: "verwacht 15 velden, gevonden 3",
        11: "lege regel",
    }
    assert "regel 10: verwacht 15 velden, gevonden 3" in output
    assert list(Address.objects.values_list("house_number", flat=True)) == [1]


def test_kvk_row_reasons_and_dates(tmp_path):
    rows = [
        branch("1234567"),
        branch("22222222", datum_aanvang="2021-02-30"),
        branch("33333333", statutaire_naam="x" * 251, sbi_overig="12|abc"),
        branch("44444444", statutaire_naam=""),
        branch("55555555"),
    ]
    run("import_kvk", write(tmp_path / "kvk.csv", rows))
    problems = {p["line"]: p["reason"] for p in last_run().problems}
    assert problems == {
        2: "kvk_nummer is geen 8 cijfers",
        3: "datum_aanvang is geen bestaande datum (JJJJ-MM-DD)",
        4: "statutaire_naam is langer dan 250 tekens; sbi_overig zijn geen SBI-codes "
        "(2-6 cijfers, gescheiden door |, max. 200)",
        5: "statutaire_naam ontbreekt",
    }
    assert list(Company.objects.values_list("kvk_number", flat=True)) == ["55555555"]


def test_rejected_row_does_not_end_its_live_row(tmp_path):
    run("import_kvk", write(tmp_path / "a.csv", [branch("11111111"), branch("22222222")]))
    newer = [branch("11111111"), branch("22222222", bezoek_postcode="onzin")]
    run("import_kvk", write(tmp_path / "b.csv", newer))
    assert counts(last_run()) == (2, 0, 0, 1, 0, 1)
    assert not Company.objects.filter(dissolved=True).exists()


def test_officers_of_a_number_with_a_rejected_row_stay_as_they_were(tmp_path):
    run("import_kvk", write(tmp_path / "a.csv", [officer("11111111", "Berg")]))
    newer = [
        officer("11111111", "Jansen"),
        officer("11111111", "Smit", geboortedatum="1971"),
        officer("22222222", "Pietersen"),
    ]
    run("import_kvk", write(tmp_path / "b.csv", newer))
    assert counts(last_run()) == (3, 1, 0, 0, 0, 2)
    assert [p["line"] for p in last_run().problems] == [2, 3]
    assert last_run().problems[0]["reason"].startswith("niet verwerkt")
    assert sorted(Officer.objects.values_list("surname", flat=True)) == ["Berg", "Pietersen"]


def test_crash_during_apply_leaves_previous_state_and_marks_run_failed(tmp_path, monkeypatch):
    run("import_kvk", write(tmp_path / "a.csv", [branch("11111111"), branch("22222222")]))
    before = sorted(Company.objects.values_list("kvk_number", "name", "dissolved"))

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(runner, "record", crash)  # the last step inside the transaction
    newer = [branch("11111111", statutaire_naam="Anders B.V."), branch("33333333")]
    with pytest.raises(RuntimeError):
        run("import_kvk", write(tmp_path / "b.csv", newer))
    assert sorted(Company.objects.values_list("kvk_number", "name", "dissolved")) == before
    failed = last_run()
    assert failed.status == RegistryImport.Status.FAILED and "stroomstoring" in failed.message
    assert TABLE not in connection.introspection.table_names()

    monkeypatch.undo()
    run("import_kvk", write(tmp_path / "b.csv", newer))
    assert counts(last_run()) == (2, 1, 1, 0, 1, 0)


def test_run_left_running_by_a_killed_import_is_marked_failed(tmp_path):
    killed = RegistryImport.objects.create(
        kind=RegistryImport.Kind.BAG, file_name="oud.csv", status=RegistryImport.Status.RUNNING
    )
    run("import_bag", write(tmp_path / "bag.csv", [address(1)]))
    killed.refresh_from_db()
    assert (killed.status, killed.message) == (RegistryImport.Status.FAILED, "afgebroken")
    assert last_run().status == RegistryImport.Status.DONE


def test_parquet_with_typed_columns_imports_like_csv(tmp_path):
    rows = [address(1), address(2, oppervlakte="", lat="52.37", lon="4.89")]
    columns: dict[str, Any] = {name: [r[name] for r in rows] for name in ADDRESSES.column_names}
    columns["huisnummer"] = pa.array([1, 2], pa.int32())
    columns["oppervlakte"] = pa.array([85, None], pa.int64())
    columns["lat"] = pa.array([None, 52.37])
    pq.write_table(pa.table(columns), tmp_path / "bag_adressen.parquet")
    run("import_bag", tmp_path / "bag_adressen.parquet")
    assert counts(last_run()) == (2, 2, 0, 0, 0, 0)
    second = Address.objects.get(house_number=2)
    assert (second.floor_area, second.lat, second.lon, second.postcode) == (
        None,
        52.37,
        4.89,
        "1011AB",
    )
    run("import_bag", write(tmp_path / "bag.csv", rows))
    assert counts(last_run()) == (2, 0, 0, 2, 0, 0)


def test_one_audit_entry_per_run_on_the_platform_chain(tmp_path):
    run("import_bag", write(tmp_path / "bag.csv", [address(1), address(2, postcode="x")]))
    entry = AuditEntry.objects.get(action=Action.IMPORT)
    the_run = last_run()
    assert (entry.chain, entry.actor_id, entry.actor_label) == (PLATFORM_CHAIN, None, "import-bag")
    assert (entry.object_type, entry.object_id) == ("registry.RegistryImport", str(the_run.pk))
    assert entry.detail["dataset"] == "bag_adressen" and entry.detail["full"] is True
    assert (entry.detail["inserted"], entry.detail["rejected"]) == (1, 1)


def test_after_import_hooks_get_the_dataset_and_run(tmp_path, monkeypatch):
    seen: list[tuple[str, int]] = []

    def broken(kind: str, registry_import: RegistryImport) -> None:
        raise ValueError("index kapot")

    hooks.AFTER_IMPORT.append(lambda kind, r: seen.append((kind, r.pk)))
    run("import_bag", write(tmp_path / "bag.csv", [address(1)]))
    assert seen == [("bag_adressen", last_run().pk)]

    hooks.AFTER_IMPORT.insert(0, broken)
    with pytest.raises(CommandError, match=r"import is gelukt, maar .*index kapot"):
        run("import_bag", write(tmp_path / "bag2.csv", [address(2)]))
    assert Address.objects.count() == 2 and len(seen) == 2


def test_file_without_a_single_good_row_changes_nothing(tmp_path):
    run("import_bag", write(tmp_path / "a.csv", [address(1)]))
    with pytest.raises(CommandError, match="Geen enkele regel is goedgekeurd"):
        run("import_bag", write(tmp_path / "b.csv", [address(2, postcode="x")]))
    assert Address.objects.get().active
    failed = last_run()
    assert failed.status == RegistryImport.Status.FAILED
    assert failed.problems == [{"line": 2, "reason": "postcode is geen postcode (1234AB)"}]


def test_problems_are_capped_but_all_counted(tmp_path):
    rows = [address(1)] + [address(n, postcode="?") for n in range(2, 1203)]
    output = run("import_bag", write(tmp_path / "bag.csv", rows))
    assert "1.201 afgekeurd" in output
    assert "de eerste 20 van 1.201; de eerste 1.000 staan bij registerimport" in output
    assert output.count("  regel ") == 20
    problems = last_run().problems
    assert len(problems) == 1000 and problems[0]["line"] == 3 and problems[-1]["line"] == 1002


def test_after_import_work_left_undone_is_caught_up_then_runs_may_do_only_their_changes(
    tmp_path,
):
    """A run whose hooks did not run (none registered, failed, killed) stays marked; the next
    run of the dataset must redo everything, and once its hooks succeed the marks are gone."""
    run("import_bag", write(tmp_path / "a.csv", [address(1)]))
    assert last_run().after_import_pending and last_run().dataset == "bag_adressen"

    seen: list[tuple[bool, bool, object]] = []

    def note(kind: str, r: RegistryImport) -> None:
        seen.append(
            (hooks.catching_up(kind, r), hooks.changed_nothing(kind, r), hooks.since(kind, r))
        )

    hooks.AFTER_IMPORT.append(note)
    run("import_bag", write(tmp_path / "b.csv", [address(1)]))  # unchanged, but catching up
    assert seen[-1] == (True, False, None)
    assert not RegistryImport.objects.filter(after_import_pending=True).exists()

    run("import_bag", write(tmp_path / "c.csv", [address(1)]))  # unchanged: nothing to do
    assert seen[-1] == (False, True, last_run().started_at)
    run("import_bag", write(tmp_path / "d.csv", [address(1), address(2)]))  # one new address
    assert seen[-1] == (False, False, last_run().started_at)

    def broken(kind: str, r: RegistryImport) -> None:
        raise OSError("schijf vol")

    hooks.AFTER_IMPORT.insert(0, broken)
    with pytest.raises(CommandError, match="schijf vol"):
        run("import_bag", write(tmp_path / "e.csv", [address(1), address(2)]))
    assert "schijf vol" in last_run().message and last_run().after_import_pending
    hooks.AFTER_IMPORT.remove(broken)
    run("import_bag", write(tmp_path / "f.csv", [address(1), address(2)]))
    assert seen[-1] == (True, False, None)


def test_a_second_import_while_one_runs_is_refused_and_then_allowed(tmp_path):
    path = write(tmp_path / "bag_adressen.csv", [address(1)])
    if connection.vendor == "postgresql":
        import psycopg

        from weerbaar.registry.importing.postgres import LOCK_KEY

        settings = connection.settings_dict
        other = psycopg.connect(  # another session holds the import lock
            host=settings["HOST"],
            port=settings["PORT"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname=settings["NAME"],
            autocommit=True,
        )
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        release = other.close
    else:
        from weerbaar.registry.importing.sqlite import ImportLock, lock_path

        held = ImportLock(lock_path())
        assert held.acquire()
        release = held.release
    try:
        with pytest.raises(CommandError, match="Er loopt al een registerimport"):
            run("import_bag", path)
        assert not Address.objects.exists()
        refused = AuditEntry.objects.get(action=Action.IMPORT)
        assert "registerimport" in refused.detail["refused"]
    finally:
        release()
    run("import_bag", path)
    assert Address.objects.count() == 1


def test_the_sqlite_import_lock_on_a_database_file_is_held_until_released(tmp_path):
    from weerbaar.registry.importing.sqlite import ImportLock

    first, second = (
        ImportLock(str(tmp_path / "db.import-lock")),
        ImportLock(str(tmp_path / "db.import-lock")),
    )
    assert first.acquire()
    assert not second.acquire()  # flock: another open file, so another holder
    first.release()
    assert second.acquire()
    second.release()


def test_only_a_database_file_is_shared_with_worker_processes() -> None:
    from weerbaar.core.processes import in_memory

    assert in_memory(":memory:") and in_memory("file:memorydb_default?mode=memory&cache=shared")
    assert not in_memory("/srv/weerbaar/data/weerbaar.sqlite3")
