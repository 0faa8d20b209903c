"""Benchmark: the 2-hop network of an entity on a loaded registry (prints figures).

    WEERBAAR_DATABASE_URL=postgres://postgres@127.0.0.1:55432/x \\
        .venv/bin/python bench/network.py --addresses 10000000 --companies 2600000
    .venv/bin/python bench/network.py --addresses 200000 --companies 52000     # SQLite

Builds a throw-away database (SQLite in a temp folder, or PostgreSQL database
``weerbaar_bench_network`` beside the given one, kept for re-runs with --reuse) and fills it:

- the registers: with ``--bestanden DIR`` the files of ``weerbaar generate-registry`` through
  the importers (``import-bag``, ``import-kvk``); otherwise synthetic rows written straight
  into the tables (COPY on PostgreSQL): addresses ~20 per postcode, companies on random
  addresses plus a few thousand "hub" addresses with dozens of companies each, 10% with a
  second branch, 1-3 officers per company drawn from a person pool with serial directors;
  officers get a ``person_key`` (grouping by name and date of birth when the importer left it
  empty, a stand-in for entity resolution);
- signals, cases, their subjects and links to registry entities in Papendrecht (and a quarter
  as many in Dordrecht, which the reader must not see).

Then it times ``network.neighbourhood(analist, key, depth=2)`` for ``--starts`` random start
entities (a third each companies, addresses with a company, persons), and the JSON endpoint
(the same plus serialising and the audit entry) for the same keys, in-process (no network).
"""

# ruff: noqa: S311 - synthetic data, not security

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

DB_NAME = "weerbaar_bench_network"
STREETS = ["Dorpsstraat", "Kerkstraat", "Industrieweg", "Stationsweg", "Havenkade", "Molenweg"]
TOWNS = ["Papendrecht", "Dordrecht", "Utrecht", "Zwolle", "Tilburg", "Groningen", "Venlo"]
WORDS = ["Bouw", "Handel", "Transport", "Holding", "Beheer", "Schoonmaak", "Snackbar", "Garage"]
FIRST = ["Jan", "Piet", "Mohamed", "Fatima", "Anna", "Kees", "Sanne", "Ahmet", "Eva", "Daan"]
SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Yilmaz", "Visser", "Smit", "Meijer"]
FORMS = ["Besloten Vennootschap", "B.V.", "Eenmanszaak", "Vennootschap onder firma", "Stichting"]
ROLES = ["Bestuurder", "Eigenaar", "Gevolmachtigde", "Vennoot"]
USES = ["woonfunctie"] * 8 + ["kantoorfunctie", "winkelfunctie", "industriefunctie"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def postcode(index: int) -> str:
    digits, letters = divmod(index, 676)
    return f"{1000 + digits % 9000:04d}{chr(65 + letters // 26)}{chr(65 + letters % 26)}"


def address_rows(count: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(count):
        letter = "A" if rng.random() < 0.03 else ""
        yield {
            "number_designation_id": f"{i + 1:016d}",
            "object_id": f"{i + 1:016d}",
            "street": STREETS[(i // 20) % len(STREETS)],
            "house_number": 1 + i % 20,
            "house_letter": letter,
            "postcode": postcode(i // 20),
            "town": TOWNS[(i // 20) % len(TOWNS)],
            "municipality_code": f"{(i // 5000) % 342:04d}",
            "uses": rng.choice(USES),
        }


def place_of(address: int) -> dict[str, Any]:
    return {"visit_postcode": postcode(address // 20), "visit_house_number": 1 + address % 20}


def company_rows(
    count: int, addresses: int, rng: random.Random, hubs: list[int]
) -> Iterator[dict[str, Any]]:
    for i in range(count):
        kvk = f"{10_000_000 + i}"
        spot = rng.choice(hubs) if rng.random() < 0.05 else rng.randrange(addresses)
        row = {
            "kvk_number": kvk,
            "branch_number": "",
            "name": f"{rng.choice(WORDS)} {rng.choice(SURNAMES)} {i}",
            "legal_form": rng.choice(FORMS),
            "visit_street": STREETS[(spot // 20) % len(STREETS)],
            "visit_town": TOWNS[(spot // 20) % len(TOWNS)],
            "registered_on": date(1990, 1, 1) + timedelta(days=rng.randrange(12_000)),
            **place_of(spot),
        }
        yield row
        if rng.random() < 0.10:
            other = rng.randrange(addresses)
            yield {**row, "branch_number": f"{i:012d}", **place_of(other)}


def officer_rows(companies: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    persons = max(10, int(companies * 0.9))
    serial = max(10, companies // 500)
    for i in range(companies):
        for _n in range(rng.choice((1, 1, 1, 2, 2, 3))):
            person = rng.randrange(serial) if rng.random() < 0.02 else rng.randrange(persons)
            person_rng = random.Random(person)
            yield {
                "kvk_number": f"{10_000_000 + i}",
                "first_names": person_rng.choice(FIRST),
                "surname": person_rng.choice(SURNAMES),
                "date_of_birth": date(1950, 1, 1) + timedelta(days=person_rng.randrange(18_000)),
                "role": rng.choice(ROLES),
                "person_key": f"p{person}",
            }


def write(model: Any, rows: Iterable[dict[str, Any]], batch: int = 20_000) -> int:
    """Rows straight into the model's table: COPY on PostgreSQL, batches elsewhere."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()

    def default(field: Any) -> Any:
        if field.null:
            return None
        if field.get_internal_type() == "BooleanField":
            return field.default
        if field.get_internal_type() == "DateTimeField":
            return now
        return ""

    defaults = {f.attname: default(f) for f in fields}
    count = 0
    if connection.vendor == "postgresql":
        columns = ", ".join(f.column for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])
                    count += 1
        return count
    chunk: list[Any] = []
    for row in rows:
        chunk.append(model(**{**defaults, **row}))
        if len(chunk) >= batch:
            model.objects.bulk_create(chunk)
            count, chunk = count + len(chunk), []
    model.objects.bulk_create(chunk)
    return count + len(chunk)


def load_registry(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from weerbaar.registry.models import Address, Company, Officer

    if Address.objects.exists():
        return
    start = time.perf_counter()
    if args.bestanden:
        folder = Path(args.bestanden)
        call_command("import_bag", str(folder / "bag_adressen.csv"))
        call_command("import_kvk", str(folder / "kvk_vestigingen.csv"))
        call_command("import_kvk", str(folder / "kvk_functionarissen.csv"))
        group_officers_without_person_key()
    else:
        rng = random.Random(args.seed)
        n = write(Address, address_rows(args.addresses, rng))
        print(f"  {n:,} addresses in {time.perf_counter() - start:.0f} s", flush=True)
        hubs = [rng.randrange(args.addresses) for _ in range(max(1, args.companies // 1300))]
        n = write(Company, company_rows(args.companies, args.addresses, rng, hubs))
        print(f"  {n:,} company rows in {time.perf_counter() - start:.0f} s", flush=True)
        n = write(Officer, officer_rows(args.companies, rng))
        print(f"  {n:,} officers in {time.perf_counter() - start:.0f} s", flush=True)
    print(f"registry loaded in {time.perf_counter() - start:.0f} s", flush=True)


def group_officers_without_person_key() -> None:
    """A stand-in for entity resolution: same name and date of birth, same person."""
    import hashlib

    from django.db import connection

    from weerbaar.registry.models import Officer

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_officer SET person_key = 'g' || left(md5(lower(first_names "
                "|| '|' || surname_prefix || '|' || surname || '|' || coalesce(date_of_birth::text,"
                " ''))), 20) WHERE person_key = ''"
            )
        return
    changed = []
    for officer in Officer.objects.filter(person_key="").iterator(chunk_size=5000):
        name = f"{officer.first_names}|{officer.surname_prefix}|{officer.surname}".lower()
        digest = hashlib.md5(
            f"{name}|{officer.date_of_birth or ''}".encode(), usedforsecurity=False
        )
        officer.person_key = "g" + digest.hexdigest()[:20]
        changed.append(officer)
    Officer.objects.bulk_update(changed, ["person_key"], batch_size=5000)


def load_signals(args: argparse.Namespace, rng: random.Random) -> None:
    """Signals with subjects linked to registry entities, and cases over them (bulk)."""
    from django.utils import timezone

    from weerbaar.cases.models import Case, CaseSubject
    from weerbaar.entities.models import Entity, EntityLink, LinkStatus
    from weerbaar.organisations.models import Municipality
    from weerbaar.registry.models import Address, Company, Officer
    from weerbaar.signals.models import Signal, Subject

    if Signal.objects.exists():
        return
    start = time.perf_counter()
    companies = Company.objects.count()
    picks = list(
        Company.objects.filter(
            pk__in=[rng.randrange(1, companies) for _ in range(20_000)]
        ).values_list("kvk_number", "visit_postcode", "visit_house_number")
    )
    persons = list(
        Officer.objects.filter(
            pk__in=[rng.randrange(1, companies) for _ in range(5_000)]
        ).values_list("person_key", flat=True)
    )
    bag = dict(
        ((pc, nr), nd)
        for nd, pc, nr in Address.objects.filter(postcode__in={p[1] for p in picks}).values_list(
            "number_designation_id", "postcode", "house_number"
        )
    )
    keys: list[tuple[str, str]] = []
    for kvk, pc, nr in picks:
        keys.append((f"kvk:{kvk}", "organisatie"))
        if (pc, nr) in bag:
            keys.append((f"bag:{bag[pc, nr]}", "adres"))
    keys += [(f"persoon:{p}", "persoon") for p in persons if p]
    Entity.objects.bulk_create(
        [Entity(key=k, kind=kind, label=k, from_registry=True) for k, kind in dict(keys).items()],
        ignore_conflicts=True,
        batch_size=5000,
    )
    entity_ids = dict(Entity.objects.values_list("key", "pk"))
    now = timezone.now()
    subject_kind = {"organisatie": "bedrijf", "adres": "adres", "persoon": "persoon"}
    for code, count in (("GM0590", args.signals), ("GM0505", args.signals // 4)):
        municipality = Municipality.objects.get(code=code)
        signals = Signal.objects.bulk_create(
            [
                Signal(
                    reference=f"{code}-B-{i:07d}",
                    municipality=municipality,
                    received_at=now - timedelta(days=rng.randrange(700)),
                    channel="medewerker",
                    description="Synthetisch signaal",
                    first_read_due=now,
                )
                for i in range(count)
            ],
            batch_size=5000,
        )
        subjects, chosen = [], []
        for signal in signals:
            for _n in range(rng.choice((1, 1, 2, 3))):
                key, kind = rng.choice(keys)
                subjects.append(Subject(signal=signal, kind=subject_kind[kind], match_key=key))
                chosen.append(key)
        subjects = Subject.objects.bulk_create(subjects, batch_size=5000)
        EntityLink.objects.bulk_create(
            [
                EntityLink(
                    entity_id=entity_ids[key],
                    municipality=municipality,
                    signal_subject=subject,
                    status=LinkStatus.AUTO,
                    score=0.95,
                )
                for subject, key in zip(subjects, chosen, strict=True)
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        cases = Case.objects.bulk_create(
            [
                Case(reference=f"{code}-BC-{i:06d}", municipality=municipality, title=f"Casus {i}")
                for i in range(count // 10)
            ],
            batch_size=5000,
        )
        through, case_subjects, case_keys = [], [], []
        for case in cases:
            for signal in rng.sample(signals, rng.choice((1, 1, 2))):
                through.append(Case.signals.through(case_id=case.pk, signal_id=signal.pk))
            key, kind = rng.choice(keys)
            case_subjects.append(CaseSubject(case=case, kind=subject_kind[kind], match_key=key))
            case_keys.append(key)
        Case.signals.through.objects.bulk_create(through, batch_size=5000, ignore_conflicts=True)
        case_subjects = CaseSubject.objects.bulk_create(case_subjects, batch_size=5000)
        EntityLink.objects.bulk_create(
            [
                EntityLink(
                    entity_id=entity_ids[key],
                    municipality=municipality,
                    case_subject=subject,
                    status=LinkStatus.AUTO,
                    score=0.95,
                )
                for subject, key in zip(case_subjects, case_keys, strict=True)
            ],
            batch_size=5000,
        )
    print(f"signals, cases and links loaded in {time.perf_counter() - start:.0f} s", flush=True)


def start_keys(count: int, rng: random.Random) -> list[str]:
    from weerbaar.entities.models import EntityLink
    from weerbaar.registry.models import Address, Company, Officer

    top = Company.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    companies = list(
        Company.objects.filter(pk__in=[rng.randrange(1, top) for _ in range(count)]).values_list(
            "kvk_number", "visit_postcode", "visit_house_number"
        )
    )
    keys = [f"kvk:{c[0]}" for c in companies[: count // 3]]
    for _kvk, pc, nr in companies[count // 3 : 2 * count // 3]:
        found = Address.objects.filter(postcode=pc, house_number=nr).values_list(
            "number_designation_id", flat=True
        )
        keys += [f"bag:{nd}" for nd in found[:1]]
    top = Officer.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    persons = Officer.objects.filter(pk__in=[rng.randrange(1, top) for _ in range(count)])
    keys += [f"persoon:{p}" for p in persons.values_list("person_key", flat=True)]
    linked = EntityLink.objects.values_list("entity__key", flat=True)[:10]
    keys += list(linked)  # some starts with signals and cases around them
    rng.shuffle(keys)
    return keys[:count]


def busiest_keys(count: int) -> list[str]:
    """The hardest starts: addresses with the most companies, entities with the most links."""
    from django.db.models import Count

    from weerbaar.entities.models import Entity
    from weerbaar.registry.models import Address, Company

    spots = (
        Company.objects.values("visit_postcode", "visit_house_number")
        .annotate(n=Count("pk"))
        .order_by("-n")[: count // 2]
    )
    keys = []
    for spot in spots:
        found = Address.objects.filter(
            postcode=spot["visit_postcode"], house_number=spot["visit_house_number"]
        ).values_list("number_designation_id", flat=True)
        keys += [f"bag:{nd}" for nd in found[:1]]
    linked = Entity.objects.annotate(n=Count("links")).order_by("-n")[: count - len(keys)]
    return keys + list(linked.values_list("key", flat=True))


def measure(label: str, keys: list[str], user: Any) -> None:
    from django.db import connection, reset_queries
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from weerbaar.entities import network, views_network

    for key in keys[:10]:  # warm-up
        network.neighbourhood(user, key, depth=2)
    times, sizes = [], []
    for key in keys:
        began = time.perf_counter()
        graph = network.neighbourhood(user, key, depth=2)
        times.append((time.perf_counter() - began) * 1000)
        sizes.append(len(graph.nodes))
    queries = []
    for key in keys[:20]:
        with CaptureQueriesContext(connection) as captured:
            network.neighbourhood(user, key, depth=2)
        queries.append(len(captured.captured_queries))
        reset_queries()
    factory = RequestFactory()
    views: list[float] = []
    for key in keys:
        request = factory.get(f"/entiteiten/{key}/netwerk.json", {"diepte": 2})
        request.user = user
        began = time.perf_counter()
        response = views_network.network_json(request, key)
        views.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    print(
        f"{label}, {len(keys)} starts: 2-hop neighbourhood p50 "
        f"{statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, max "
        f"{max(times):.1f} ms; nodes p50 {statistics.median(sizes):.0f}, max {max(sizes)}; "
        f"queries p50 {statistics.median(queries):.0f}, max {max(queries)}; JSON endpoint "
        f"(+ serialising + audit entry) p50 {statistics.median(views):.1f} ms, p95 "
        f"{percentile(views, 95):.1f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=200_000)
    parser.add_argument("--companies", type=int, default=52_000)
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--starts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bestanden", help="folder with the files of generate-registry")
    parser.add_argument("--reuse", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--db-name", default=DB_NAME, help="the PostgreSQL bench database")
    args = parser.parse_args()

    os.environ.setdefault("WEERBAAR_DATA_DIR", tempfile.mkdtemp(prefix="weerbaar-bench-"))
    url = os.environ.get("WEERBAAR_DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["WEERBAAR_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + args.db_name
        if not args.reuse:
            _recreate(url, args.db_name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings.test")
    os.environ["WEERBAAR_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from weerbaar.accounts.models import User
    from weerbaar.organisations.models import Municipality
    from weerbaar.organisations.reference import load_reference_data
    from weerbaar.registry.models import Address, Company, Officer

    call_command("migrate", verbosity=0)
    load_reference_data()
    load_registry(args)
    rng = random.Random(args.seed)
    load_signals(args, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    papendrecht = Municipality.objects.get(code="GM0590")
    analist = User.objects.filter(username="bench-analist").first() or User.objects.create(
        username="bench-analist", role="analist", municipality=papendrecht
    )
    print(
        f"database: {connection.vendor}; {Address.objects.count():,} addresses, "
        f"{Company.objects.count():,} company rows, {Officer.objects.count():,} officers; "
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        flush=True,
    )
    measure("random", start_keys(args.starts, random.Random(args.seed + 1)), analist)
    measure("busiest", busiest_keys(min(args.starts, 100)), analist)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


def _recreate(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
