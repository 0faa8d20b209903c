"""A case's network as FollowTheMoney entities (JSON lines, for Aleph and similar tools) and
as CSV (one row per edge).

The entities are FtM's plain format (``{"id", "schema", "properties"}``), written here from a
fixed mapping instead of with the ``followthemoney`` library: that library would bring a
compiled ICU binding and a dozen packages into the running app for a mapping of a few dozen
lines. The tests validate every line with the library. Ids are stable across exports: the
sha1 of ``"weerbaar" + key``, exactly ``followthemoney.util.make_entity_id(key,
key_prefix="weerbaar")``. Signals and cases appear by reference and date only: no text of a
signal leaves through this export.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from weerbaar.cases.models import Case
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals.models import Signal

from .models import EntityKind
from .network import CASE, SIGNAL, VISIT_ADDRESS, Edge, Graph, Node

if TYPE_CHECKING:
    from weerbaar.accounts.models import User

FtmEntity = dict[str, Any]
PREFIX = "weerbaar"
COUNTRY = "nl"
# Legal forms that are not companies in FtM's sense (no shares, no owners).
NOT_COMPANIES = ("stichting", "vereniging", "kerkgenootschap", "publiekrechtelijk")
LOCAL_SCHEMA: dict[str, str] = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANISATION: "Organization",
    EntityKind.ADDRESS: "Address",
    EntityKind.VEHICLE: "Vehicle",
    EntityKind.VESSEL: "Vessel",
}
CSV_HEADER = [
    "bron_sleutel",
    "bron_soort",
    "bron_naam",
    "relatie",
    "doel_sleutel",
    "doel_soort",
    "doel_naam",
    "bron_ftm_id",
    "doel_ftm_id",
]


def ftm_id(key: str) -> str:
    return hashlib.sha1((PREFIX + key).encode(), usedforsecurity=False).hexdigest()


def _entity(key: str, schema: str, **properties: list[str] | str | None) -> FtmEntity:
    props: dict[str, list[str]] = {}
    for name, values in properties.items():
        listed = [values] if isinstance(values, str) else list(values or [])
        cleaned = list(dict.fromkeys(v.strip() for v in listed if v and v.strip()))
        if cleaned:
            props[name] = cleaned
    return {"id": ftm_id(key), "schema": schema, "properties": props}


def _date(value: Any) -> str | None:
    return value.isoformat()[:10] if value else None


class CaseExport:
    """The FtM entities and the CSV rows of one case's network (see ``network.case_network``),
    with the registry details that the graph's nodes do not carry."""

    def __init__(self, user: User, graph: Graph) -> None:
        self.user, self.graph = user, graph
        self.keys: dict[str, str] = {}  # node id → the key its FtM id is made from
        self._load()

    def _load(self) -> None:
        nodes = self.graph.nodes
        kvk = [i.partition(":")[2] for i in nodes if i.startswith("kvk:")]
        bag = [i.partition(":")[2] for i in nodes if i.startswith("bag:")]
        persons = [i.partition(":")[2] for i in nodes if i.startswith("persoon:")]
        officer_pks = [int(p[1:]) for p in persons if p[:1] == "f" and p[1:].isdigit()]
        self.companies: dict[str, list[Company]] = {}
        for company in Company.objects.for_user(self.user).filter(kvk_number__in=kvk):
            self.companies.setdefault(company.kvk_number, []).append(company)
        self.addresses = {
            a.number_designation_id: a
            for a in Address.objects.for_user(self.user).filter(number_designation_id__in=bag)
        }
        self.officers: dict[str, list[Officer]] = {}
        officers = Officer.objects.for_user(self.user).filter(
            Q(person_key__in=persons) | Q(pk__in=officer_pks)
        )
        for officer in officers:
            person = f"persoon:{officer.person_key or f'f{officer.pk}'}"
            self.officers.setdefault(person, []).append(officer)
        signals = [int(i.partition(":")[2]) for i in nodes if i.startswith(f"{SIGNAL}:")]
        self.signals = {
            f"{SIGNAL}:{s.pk}": s
            for s in Signal.objects.for_user(self.user)
            .filter(pk__in=signals)
            .only("pk", "reference", "received_at")
        }
        cases = [int(i.partition(":")[2]) for i in nodes if i.startswith(f"{CASE}:")]
        self.cases = {
            f"{CASE}:{c.pk}": c
            for c in Case.objects.for_user(self.user)
            .filter(pk__in=cases)
            .only("pk", "reference", "title", "created_at")
        }
        for node_id in nodes:
            record = self.signals.get(node_id) or self.cases.get(node_id)
            prefix = node_id.partition(":")[0]
            self.keys[node_id] = f"{prefix}:{record.reference}" if record else node_id

    # -- FollowTheMoney -----------------------------------------------------------------
    def entities(self) -> list[FtmEntity]:
        addresses: dict[str, list[str]] = {}
        for edge in self.graph.edges.values():
            if edge.label == VISIT_ADDRESS:
                addresses.setdefault(edge.source, []).append(edge.target)
        found = [self._node(node, addresses.get(node.id, [])) for node in self.graph.nodes.values()]
        found += [self._edge(edge) for edge in self.graph.edges.values()]
        return [e for e in found if e is not None]

    def _node(self, node: Node, addresses: list[str]) -> FtmEntity | None:
        key = self.keys[node.id]
        prefix, _sep, value = node.id.partition(":")
        if prefix == SIGNAL and node.id in self.signals:
            signal = self.signals[node.id]
            return _entity(key, "Event", name=signal.reference, date=_date(signal.received_at))
        if prefix == CASE and node.id in self.cases:
            case = self.cases[node.id]
            started = _date(case.created_at)
            return _entity(
                key, "Project", name=case.reference, summary=case.title, startDate=started
            )
        if prefix == "kvk" and value in self.companies:
            return self._company(key, self.companies[value], addresses)
        if prefix == "bag" and value in self.addresses:
            return self._address(key, self.addresses[value])
        if prefix == "persoon" and node.id in self.officers:
            return self._person(key, self.officers[node.id])
        schema = LOCAL_SCHEMA.get(node.kind)
        if schema is None:
            return None
        if schema == "Address":
            return _entity(key, schema, full=node.label)
        plate = value if prefix == "kenteken" else None
        return _entity(key, schema, name=node.label, registrationNumber=plate)

    def _company(self, key: str, branches: list[Company], addresses: list[str]) -> FtmEntity:
        main = min(branches, key=lambda c: (c.dissolved, c.branch_number or "~"))
        not_company = any(word in main.legal_form.lower() for word in NOT_COMPANIES)
        names = {n for b in branches for n in [b.name, *b.trade_name_list]} - {main.name}
        return _entity(
            key,
            "Organization" if not_company else "Company",
            name=main.name,
            alias=sorted(names),
            registrationNumber=main.kvk_number,
            jurisdiction=COUNTRY,
            country=COUNTRY,
            legalForm=main.legal_form,
            incorporationDate=_date(main.registered_on or main.started_on),
            dissolutionDate=_date(main.ended_on),
            status="opgeheven" if all(b.dissolved for b in branches) else None,
            sector=sorted({code for b in branches for code in b.sbi_codes}),
            address=[_visit_address(b) for b in branches],
            addressEntity=[ftm_id(self.keys[a]) for a in addresses],
        )

    def _address(self, key: str, address: Address) -> FtmEntity:
        return _entity(
            key,
            "Address",
            full=str(address),
            street=" ".join(p for p in (address.street, str(address.house_number or "")) if p),
            postalCode=address.postcode,
            city=address.town,
            country=COUNTRY,
            latitude=str(address.lat) if address.lat is not None else None,
            longitude=str(address.lon) if address.lon is not None else None,
            summary=f"gebruiksdoel: {', '.join(address.use_list)}" if address.uses else None,
        )

    def _person(self, key: str, officers: list[Officer]) -> FtmEntity:
        first = officers[0]
        return _entity(
            key,
            "Person",
            name=sorted({o.full_name for o in officers}),
            firstName=first.first_names,
            lastName=" ".join(p for p in (first.surname_prefix, first.surname) if p),
            birthDate=sorted({_date(o.date_of_birth) or "" for o in officers}),
        )

    def _edge(self, edge: Edge) -> FtmEntity | None:
        if edge.label == VISIT_ADDRESS:
            return None  # the company's addressEntity says it
        source, target = self.graph.nodes[edge.source], self.graph.nodes[edge.target]
        key = f"{self.keys[source.id]}|{edge.label}|{self.keys[target.id]}"
        if source.kind == EntityKind.PERSON and target.id.startswith("kvk:"):
            started = [
                o.started_on
                for o in self.officers.get(source.id, [])
                if o.kvk_number == target.id[4:] and o.role.lower() == edge.label
            ]
            return _entity(
                key,
                "Directorship",
                director=ftm_id(self.keys[source.id]),
                organization=ftm_id(self.keys[target.id]),
                role=edge.label,
                startDate=[_date(s) or "" for s in started],
            )
        return _entity(
            key,
            "UnknownLink",
            subject=ftm_id(self.keys[source.id]),
            object=ftm_id(self.keys[target.id]),
            role=edge.label,
        )

    # -- CSV ----------------------------------------------------------------------------
    def csv_rows(self) -> Iterator[list[str]]:
        yield CSV_HEADER
        for edge in self.graph.edges.values():
            source, target = self.graph.nodes[edge.source], self.graph.nodes[edge.target]
            yield [
                self.keys[source.id],
                source.kind,
                source.label,
                edge.label,
                self.keys[target.id],
                target.kind,
                target.label,
                ftm_id(self.keys[source.id]),
                ftm_id(self.keys[target.id]),
            ]


def _visit_address(company: Company) -> str:
    number = f"{company.visit_house_number or ''}{company.visit_house_letter}"
    if company.visit_house_number_addition:
        number += f"-{company.visit_house_number_addition}"
    street = " ".join(p for p in (company.visit_street, number) if p)
    place = " ".join(p for p in (company.visit_postcode, company.visit_town) if p)
    return ", ".join(p for p in (street, place) if p)
