"""The network around an entity and the export of a case's network (FollowTheMoney, CSV):
what it connects, that it never shows a signal or case the reader may not see, paging past
the fan-out cap, and that every exported line is valid FollowTheMoney."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from followthemoney import model
from followthemoney.util import make_entity_id

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.cases import actions as case_actions
from weerbaar.cases.models import Case, CaseSubject
from weerbaar.core.testing import assert_isolated, login
from weerbaar.entities import network
from weerbaar.entities.models import Entity, EntityLink, LinkStatus
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals import actions as signal_actions
from weerbaar.signals.models import Signal, Subject

pytestmark = pytest.mark.django_db

LOODS, CLUB, HOLDING = "11111111", "22222222", "33333333"
BAG_LOODS, BAG_HOLDING = "0590200000000007", "0363200000000001"
SECRET = "Geheime omschrijving van de melding"
HERE = {"visit_postcode": "3356LK", "visit_house_number": 7}
KEYS = {"adres": f"bag:{BAG_LOODS}", "voertuig": "kenteken:12ABC3", "bedrijf": f"kvk:{LOODS}"}


@dataclass
class Net:
    ours: Signal  # Papendrecht: subject at the address of the Loods company
    theirs: Signal  # Dordrecht: subject is the Loods company itself
    case: Case  # Papendrecht, from ``ours``


def company(kvk: str, name: str, postcode: str, number: int, **kwargs: object) -> Company:
    return Company.objects.create(
        kvk_number=kvk,
        name=name,
        legal_form=str(kwargs.pop("legal_form", "Besloten Vennootschap")),
        visit_street="Industrieweg",
        visit_postcode=postcode,
        visit_house_number=number,
        visit_town="Papendrecht",
        **kwargs,
    )


def link(entity_key: str, subject: Subject | CaseSubject, status: str = LinkStatus.AUTO) -> None:
    prefix = entity_key.partition(":")[0]
    kind = {"kvk": "organisatie", "bag": "adres", "kenteken": "voertuig"}[prefix]
    entity, _created = Entity.objects.get_or_create(
        key=entity_key,
        defaults={"kind": kind, "label": entity_key, "from_registry": prefix != "kenteken"},
    )
    field = "case_subject" if isinstance(subject, CaseSubject) else "signal_subject"
    owner = subject.case if isinstance(subject, CaseSubject) else subject.signal
    EntityLink.objects.update_or_create(
        entity=entity,
        **{field: subject},
        defaults={"municipality": owner.municipality, "status": status, "score": 1.0},
    )


def file(world, by: str, subjects: list[dict[str, object]]) -> Signal:  # type: ignore[no-untyped-def]
    user = world[by]
    new = signal_actions.NewSignal(
        municipality=user.municipality, channel="medewerker", description=SECRET, subjects=subjects
    )
    return signal_actions.create_signal(user, new)


@pytest.fixture
def net(world) -> Net:  # type: ignore[no-untyped-def]
    company(LOODS, "Loodsverhuur Zuid B.V.", "3356LK", 7, registered_on=date(2019, 3, 1))
    company(CLUB, "Vereniging De Hoek", "3356LK", 7, legal_form="Vereniging")
    company(HOLDING, "Stichting Jansen Beheer", "1234AB", 1, legal_form="Stichting")
    Address.objects.create(
        number_designation_id=BAG_LOODS,
        street="Industrieweg",
        house_number=7,
        postcode="3356LK",
        town="Papendrecht",
        municipality_code="0590",
        uses="woonfunctie",
        lat=51.83,
        lon=4.69,
    )
    Address.objects.create(
        number_designation_id=BAG_HOLDING,
        street="Damrak",
        house_number=1,
        postcode="1234AB",
        town="Amsterdam",
        municipality_code="0363",
    )
    jan = {"first_names": "Jan", "surname_prefix": "de", "surname": "Vries"}
    Officer.objects.create(kvk_number=LOODS, role="Bestuurder", person_key="p-jan", **jan)
    Officer.objects.create(
        kvk_number=HOLDING,
        role="Bestuurder",
        person_key="p-jan",
        date_of_birth=date(1971, 5, 30),
        started_on=date(2020, 1, 1),
        **jan,
    )
    Officer.objects.create(kvk_number=CLUB, role="Eigenaar", surname="Bakker")
    address = {"kind": "adres", "street": "Industrieweg", "house_number": 7, "postcode": "3356LK"}
    plate = {"kind": "voertuig", "licence_plate": "12-ABC-3"}
    loods = {"kind": "bedrijf", "name": "Loodsverhuur Zuid", "kvk_number": LOODS}
    ours = file(world, "regisseur", [address, plate, loods])
    theirs = file(world, "regisseur_dordrecht", [loods])
    case = case_actions.open_case(
        world["regisseur"], world.papendrecht, title="Loods Industrieweg", signals=[ours]
    )
    for subject in [*ours.subjects.all(), *theirs.subjects.all(), *case.subjects.all()]:
        link(KEYS[subject.kind], subject)
    return Net(ours=ours, theirs=theirs, case=case)


def edges(graph: network.Graph) -> set[tuple[str, str, str]]:
    return {(e.source, e.target, e.label) for e in graph.edges.values()}


def test_two_hops_from_a_company(world, net):
    graph = network.neighbourhood(world["analist"], f"kvk:{LOODS}", depth=2)
    found = edges(graph)
    assert ("persoon:p-jan", f"kvk:{LOODS}", "bestuurder") in found
    assert (f"kvk:{LOODS}", f"bag:{BAG_LOODS}", "vestigingsadres") in found
    # Second hop: the other company at the address, the officer's other company, our signal.
    assert (f"kvk:{CLUB}", f"bag:{BAG_LOODS}", "vestigingsadres") in found
    assert ("persoon:p-jan", f"kvk:{HOLDING}", "bestuurder") in found
    assert (f"bag:{BAG_LOODS}", f"signaal:{net.ours.pk}", "betrokkene bij signaal") in found
    assert (f"signaal:{net.ours.pk}", f"casus:{net.case.pk}", "signaal in casus") in found
    # Dordrecht's signal about this very company is not ours to see.
    assert f"signaal:{net.theirs.pk}" not in graph.nodes
    assert graph.nodes[f"kvk:{LOODS}"].label == "Loodsverhuur Zuid B.V."
    one_hop = network.neighbourhood(world["analist"], f"kvk:{LOODS}", depth=1)
    assert set(one_hop.nodes) == {
        f"kvk:{LOODS}",
        "persoon:p-jan",
        f"bag:{BAG_LOODS}",
        f"signaal:{net.ours.pk}",
        f"casus:{net.case.pk}",  # its subjects link to the company too
    }


def test_another_municipality_sees_only_its_own_signals(world, net):
    graph = network.neighbourhood(world["regisseur_dordrecht"], f"kvk:{LOODS}", depth=2)
    assert f"signaal:{net.theirs.pk}" in graph.nodes
    assert f"signaal:{net.ours.pk}" not in graph.nodes
    assert f"casus:{net.case.pk}" not in graph.nodes


def test_a_signal_leads_to_its_entities_and_case(world, net):
    graph = network.neighbourhood(world["analist"], f"signaal:{net.ours.pk}", depth=1)
    assert {f"bag:{BAG_LOODS}", "kenteken:12ABC3", f"casus:{net.case.pk}"} <= set(graph.nodes)
    assert (f"signaal:{net.ours.pk}", f"casus:{net.case.pk}", "signaal in casus") in edges(graph)
    # A restricted case disappears for whoever is not on its team.
    case_actions.update_case(
        world["regisseur"], net.case, version=net.case.version, changes={"restricted": True}
    )
    graph = network.neighbourhood(world["analist"], f"signaal:{net.ours.pk}", depth=1)
    assert f"casus:{net.case.pk}" not in graph.nodes


def test_merged_entities_count_for_their_target(world, net):
    other = file(world, "analist", [{"kind": "bedrijf", "name": "Loodsverhuur"}])
    stand_in = Entity.objects.create(key="lokaal:bedrijf:naam:loods", kind="organisatie", label="L")
    EntityLink.objects.filter(signal_subject__signal=other).delete()
    EntityLink.objects.create(
        entity=stand_in,
        signal_subject=other.subjects.get(),
        municipality=world.papendrecht,
        status=LinkStatus.CONFIRMED,
        score=0.95,
    )
    target = Entity.objects.get(key=f"kvk:{LOODS}")
    stand_in.merged_into = target
    stand_in.save()
    graph = network.neighbourhood(world["analist"], f"kvk:{LOODS}", depth=1)
    assert f"signaal:{other.pk}" in graph.nodes  # the merged entity's link counts for it
    graph = network.neighbourhood(world["analist"], stand_in.key, depth=1)
    assert graph.start == target.key  # and the merged entity stands under its target
    response = login(Client(), world["analist"]).get(
        reverse("entities:network", args=[stand_in.key])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("entities:network", args=[target.key])


def test_kinds_filter_neither_shows_nor_follows(world, net):
    graph = network.neighbourhood(
        world["analist"], f"kvk:{LOODS}", depth=2, kinds=["persoon", "organisatie"]
    )
    assert set(graph.nodes) == {f"kvk:{LOODS}", "persoon:p-jan", f"kvk:{HOLDING}"}


def test_companies_sharing_an_address_unknown_to_bag_are_linked_directly(world, net):
    company("44444444", "Kapsalon Noord", "9999ZZ", 3, visit_house_letter="b")
    company("55555555", "Nagelstudio Noord", "9999ZZ", 3, visit_house_number_addition="B")
    company("66666666", "Fietsenmaker Noord", "9999ZZ", 3)  # number 3 without the b
    graph = network.neighbourhood(world["analist"], "kvk:44444444", depth=1)
    assert ("kvk:44444444", "kvk:55555555", "zelfde adres") in edges(graph)
    assert "kvk:66666666" not in graph.nodes


def test_fan_out_is_capped_and_the_rest_can_be_expanded(world, net):
    Company.objects.bulk_create(
        Company(kvk_number=f"5{n:07d}", name=f"Postbus {n:02d}", **HERE) for n in range(55)
    )
    client = login(Client(), world["analist"])
    url = reverse("entities:network-json", args=[f"bag:{BAG_LOODS}"])
    first = client.get(url, {"diepte": 1}).json()
    kinds = [n["kind"] for n in first["nodes"]]
    assert kinds.count("organisatie") == network.FAN_OUT
    more = next(n for n in first["nodes"] if n["kind"] == "meer")
    assert more["label"] == "+9 meer"  # 57 companies there; the signal and case sort last
    rest = client.get(more["expand"]).json()
    shown = {n["id"] for n in first["nodes"]} | {n["id"] for n in rest["nodes"]}
    assert {f"signaal:{net.ours.pk}", f"casus:{net.case.pk}", f"kvk:{LOODS}"} <= shown
    assert len(shown) == 1 + 57 + 2 + 1  # the address, its companies, signal, case, "meer"
    assert not [n for n in rest["nodes"] if n["kind"] == "meer"]


def test_a_two_hop_graph_costs_a_fixed_number_of_queries(world, net, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        network.neighbourhood(world["analist"], f"kvk:{LOODS}", depth=2)


def test_pages_and_json_are_gated(world, net):
    outsiders = [world[r] for r in ("regisseur_dordrecht", "partner", "medewerker", "bestuurder")]
    outsiders += [world["beheerder"], world["regionaal_analist"], world["platformbeheerder"]]
    for url in (
        reverse("entities:network", args=[f"kvk:{LOODS}"]),
        reverse("entities:network-json", args=[f"kvk:{LOODS}"]) + "?diepte=2",
    ):
        assert_isolated(
            url, owner=world["analist"], outsiders=outsiders, markers=[net.ours.reference]
        )
    client = login(Client(), world["analist"])
    body = client.get(reverse("entities:network", args=[f"kvk:{LOODS}"])).content.decode()
    assert "Loodsverhuur Zuid B.V." in body and "Jan de Vries" in body
    assert "Vereniging De Hoek" in body and "Stichting Jansen Beheer" in body
    assert net.theirs.reference not in body and SECRET not in body
    assert client.get(reverse("entities:network", args=["kvk:99999999"])).status_code == 404
    theirs = reverse("entities:network-json", args=[f"signaal:{net.theirs.pk}"])
    assert client.get(theirs).status_code == 404
    entry = (
        AuditEntry.objects.filter(action=Action.READ, object_id=f"kvk:{LOODS}")
        .filter(actor_id=world["analist"].pk)
        .order_by("-pk")
        .first()
    )
    assert entry is not None and entry.detail["signalen"] == [f"signaal:{net.ours.pk}"]


def export(client: Client, case: Case, kind: str = "ftm") -> list[dict[str, object]]:
    response = client.get(reverse(f"entities:case-network-{kind}", args=[case.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "private, no-store"
    return [json.loads(line) for line in response.content.decode().splitlines()]


def assert_valid_ftm(lines: list[dict[str, object]]) -> None:
    """Every line a valid FollowTheMoney entity, as Aleph would take it in."""
    ids = {line["id"] for line in lines}
    for line in lines:
        schema = model.get(str(line["schema"]))
        assert schema is not None, line
        schema.validate(line)  # raises on an invalid value
        assert set(schema.required) <= set(line["properties"]), line  # type: ignore[arg-type]
        cleaned = model.get_proxy(line, cleaned=False).to_dict()  # drops what FtM rejects
        assert cleaned["properties"] == line["properties"], line
        for prop, values in line["properties"].items():  # type: ignore[attr-defined]
            if schema.get(prop).type.name == "entity":  # type: ignore[union-attr]
                assert set(values) <= ids, (prop, line)  # references stay inside the file


def test_case_network_exports_valid_followthemoney(world, net):
    client = login(Client(), world["analist"])
    lines = export(client, net.case)
    assert_valid_ftm(lines)
    schemas = {str(line["schema"]) for line in lines}
    assert {"Project", "Event", "Address", "Company", "Organization", "Person"} <= schemas
    assert {"Directorship", "Vehicle", "UnknownLink"} <= schemas
    by_schema = {str(line["schema"]): line for line in lines}
    assert by_schema["Vehicle"]["properties"]["registrationNumber"] == ["12ABC3"]  # type: ignore[index]
    assert by_schema["Organization"]["properties"]["name"] == ["Vereniging De Hoek"]  # type: ignore[index]
    ids = {line["id"] for line in lines}
    assert make_entity_id(f"kvk:{LOODS}", key_prefix="weerbaar") in ids  # a stable id
    text = json.dumps(lines)
    assert SECRET not in text and net.theirs.reference not in text
    assert export(client, net.case) == lines  # the same network, the same export
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_type="cases.Case").last()
    assert entry is not None and entry.object_id == str(net.case.pk)
    assert entry.detail["formaat"] == "ftm"


def test_case_network_as_csv_has_one_row_per_edge(world, net):
    client = login(Client(), world["analist"])
    response = client.get(reverse("entities:case-network-csv", args=[net.case.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["bron_sleutel", "bron_soort", "bron_naam", "relatie"]
    relations = {(r[0], r[3], r[4]) for r in rows[1:]}
    case_key, signal_key = f"casus:{net.case.reference}", f"signaal:{net.ours.reference}"
    assert (signal_key, "signaal in casus", case_key) in relations
    assert (f"kvk:{LOODS}", "vestigingsadres", f"bag:{BAG_LOODS}") in relations
    assert ("persoon:p-jan", "bestuurder", f"kvk:{LOODS}") in relations
    assert SECRET not in response.content.decode()


def test_case_network_export_only_for_who_may_work_the_case(world, net):
    case_actions.add_partner(
        world["regisseur"], net.case, world.police, legal_basis="RIEC-convenant", parts=["subjects"]
    )
    for name, status in (
        ("regisseur_dordrecht", 404),
        ("partner", 403),
        ("medewerker", 403),
        ("bestuurder", 403),
    ):
        client = login(Client(), world[name])
        for kind in ("ftm", "csv"):
            url = reverse(f"entities:case-network-{kind}", args=[net.case.pk])
            assert client.get(url).status_code == status, (name, kind)
    case_actions.update_case(
        world["regisseur"], net.case, version=net.case.version, changes={"restricted": True}
    )
    analist = login(Client(), world["analist"])
    url = reverse("entities:case-network-ftm", args=[net.case.pk])
    assert analist.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_network_page_refers_to_the_region_only_where_it_agreed(world, net):
    client = login(Client(), world["analist"])
    url = reverse("entities:network", args=[f"kvk:{LOODS}"])
    assert "Ook bekend bij gemeente" not in client.get(url).content.decode()
    world.region.shares_references = True
    world.region.save()
    body = client.get(url).content.decode()
    assert "Ook bekend bij gemeente <strong>Dordrecht</strong>" in body
    assert net.theirs.reference not in body  # a reference, never the content


def test_case_network_page_offers_the_exports_to_who_may_work_the_case(world, net):
    url = reverse("entities:network", args=[f"casus:{net.case.pk}"])
    export = reverse("entities:case-network-ftm", args=[net.case.pk])
    assert export in login(Client(), world["analist"]).get(url).content.decode()
    # Whoever may not read the network gets neither the page nor the links.
    for name in ("medewerker", "regisseur_dordrecht"):
        response = login(Client(), world[name]).get(url)
        assert response.status_code in (403, 404) and export not in response.content.decode()


def test_signal_panel_counts_other_visible_signals_and_cases_of_an_entity(world, net):
    page = login(Client(), world["analist"]).get(reverse("signals:detail", args=[net.ours.pk]))
    panel = (
        page.content.decode().partition("Verrijking uit KvK en BAG")[2].partition("</section>")[0]
    )
    # The company is also on the case (ours); Dordrecht's signal about it is not ours to count.
    assert panel.count("Ook in 1 andere casus die u mag zien") == 3  # address, plate, company
    assert "andere signalen" not in panel and "ander signaal" not in panel
    dordrecht = login(Client(), world["regisseur_dordrecht"])
    theirs = dordrecht.get(reverse("signals:detail", args=[net.theirs.pk])).content.decode()
    assert "Ook in" not in theirs  # Papendrecht's signal and case stay out of the count
