"""One hop of the network for many nodes at once, each source read through its own gate.

Who runs a company (officers), where it is registered (its BAG visiting address), who else is
registered there, which persons' other companies, and which signals and cases the reader may
see whose subjects are linked to an entity (following merges). Every call asks a fixed number
of batched questions, whatever the number of nodes: :mod:`weerbaar.entities.network` builds
a 2-hop graph from two calls.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.urls import reverse

from weerbaar.cases.models import Case, CaseSubject
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals.models import Signal, Subject
from weerbaar.signals.models.subjects import SubjectRole

from .models import Entity, EntityKind, EntityLink

if TYPE_CHECKING:
    from weerbaar.accounts.models import User

SIGNAL, CASE, MORE = "signaal", "casus", "meer"
REGISTRY_PREFIX_KIND = {
    "kvk": EntityKind.ORGANISATION,
    "bag": EntityKind.ADDRESS,
    "persoon": EntityKind.PERSON,
}
VISIT_ADDRESS, SAME_ADDRESS = "vestigingsadres", "zelfde adres"
SIGNAL_IN_CASE = "signaal in casus"
PERSON_FIELDS = ("pk", "person_key", "first_names", "surname_prefix", "surname", "date_of_birth")
OFFICER_FIELDS = (*PERSON_FIELDS, "kvk_number", "role")
VISIT_FIELDS = (
    "visit_postcode",
    "visit_house_number",
    "visit_house_letter",
    "visit_house_number_addition",
)


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    label: str
    detail: str = ""

    @property
    def url(self) -> str:
        prefix, _sep, value = self.id.partition(":")
        if prefix == SIGNAL:
            return reverse("signals:detail", args=[int(value)])
        if prefix == CASE:
            return reverse("cases:detail", args=[int(value)])
        if prefix == MORE or not self.routable:
            return ""
        return reverse("entities:detail", args=[self.id])

    @property
    def routable(self) -> bool:
        """A key with a slash cannot be a URL path segment: no page, no expanding."""
        return "/" not in self.id


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


Found = tuple[str, Node, Edge]  # (the node expanded, a neighbour, the edge between them)


Place = tuple[str, int, str]  # postcode, house number, letter + addition


def _place(postcode: str, number: int | None, letter: str, addition: str) -> Place:
    """An address as a comparable key: house letters and additions are written in many ways
    ("12a-2", "12 A 2", "12A2"); only letters and digits count."""
    rest = re.sub(r"[^0-9A-Z]", "", f"{letter}{addition}".upper())
    return (postcode.replace(" ", "").upper(), number or 0, rest)


def _visit_place(row: dict[str, Any]) -> Place:
    return _place(*(row[f] for f in VISIT_FIELDS))


def _bag_place(address: Address) -> Place:
    return _place(
        address.postcode, address.house_number, address.house_letter, address.house_number_addition
    )


def _any(pairs: Iterable[tuple[str, int]], postcode: str, number: str) -> Q:
    clauses = [Q(**{postcode: pc, number: nr}) for pc, nr in sorted(set(pairs))]
    return reduce(operator.or_, clauses, Q(pk__in=[]))


def _person_id(person_key: str, pk: int) -> str:
    return f"persoon:{person_key or f'f{pk}'}"


def _person_label(row: dict[str, Any]) -> tuple[str, str]:
    name = " ".join(p for p in (row["first_names"], row["surname_prefix"], row["surname"]) if p)
    born = row["date_of_birth"]
    return name, (f"geb. {born:%Y}" if born else "")


def _role(role: str, where: str) -> str:
    """ "betrokkene bij signaal (huurder)": the subject's role, when it says more than 'overig'."""
    text = f"betrokkene bij {where}"
    if role in SubjectRole.values and role != SubjectRole.OTHER:
        text += f" ({str(SubjectRole(role).label).lower()})"
    return text


class Reader:
    """Reads the neighbours of many nodes at once, each source through its own gate."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.companies = Company.objects.for_user(user)
        self.officers = Officer.objects.for_user(user)
        self.addresses = Address.objects.for_user(user)
        self.entities = Entity.objects.for_user(user)

    # -- single nodes -------------------------------------------------------------------
    def node(self, key: str) -> Node | None:
        """The node for a key, or None when it does not exist or is not visible."""
        prefix, _sep, value = key.partition(":")
        if prefix in (SIGNAL, CASE):
            return self._record_node(prefix, value)
        entity = self.entities.filter(key=key).first()
        if entity is not None and entity.merged_into_id is not None:
            key = entity.canonical().key
            entity = self.entities.filter(key=key).first()
            prefix, _sep, value = key.partition(":")
        if prefix in REGISTRY_PREFIX_KIND:
            found = self.registry_nodes([key]).get(key)
            if found is not None:
                return found
        if entity is None:
            return None
        return Node(entity.key, entity.kind, entity.label)

    def _record_node(self, prefix: str, value: str) -> Node | None:
        if not value.isdigit():
            return None
        if prefix == SIGNAL:
            signals = self.signal_nodes([int(value)])
            return signals[0] if signals else None
        cases = self.case_nodes([int(value)])
        return cases[0] if cases else None

    def registry_nodes(self, keys: Iterable[str]) -> dict[str, Node]:
        """Nodes (with their registry label) for ``kvk:``, ``bag:`` and ``persoon:`` keys."""
        by_prefix: dict[str, list[str]] = {}
        for key in keys:
            prefix, _sep, value = key.partition(":")
            by_prefix.setdefault(prefix, []).append(value)
        nodes: dict[str, Node] = {}
        for node in self._organisations(by_prefix.get("kvk", [])):
            nodes[node.id] = node
        for row in self.addresses.filter(number_designation_id__in=by_prefix.get("bag", [])):
            nodes[f"bag:{row.number_designation_id}"] = _address_node(row)
        persons = by_prefix.get("persoon", [])
        officer_pks = [int(p[1:]) for p in persons if re.fullmatch(r"f\d+", p)]
        rows = self.officers.filter(Q(person_key__in=persons) | Q(pk__in=officer_pks)).values(
            *PERSON_FIELDS
        )
        for row in rows:
            node_id = _person_id(row["person_key"], row["pk"])
            nodes.setdefault(node_id, Node(node_id, EntityKind.PERSON, *_person_label(row)))
        return nodes

    def _organisations(self, kvk_numbers: Iterable[str]) -> list[Node]:
        rows = (
            self.companies.filter(kvk_number__in=set(kvk_numbers))
            .order_by("kvk_number", "dissolved", "branch_number")
            .values("kvk_number", "name", "dissolved")
        )
        nodes: dict[str, Node] = {}
        for row in rows:
            detail = f"KvK {row['kvk_number']}" + (" · opgeheven" if row["dissolved"] else "")
            node_id = f"kvk:{row['kvk_number']}"
            nodes.setdefault(node_id, Node(node_id, EntityKind.ORGANISATION, row["name"], detail))
        return list(nodes.values())

    def signal_nodes(self, pks: Iterable[int]) -> list[Node]:
        rows = Signal.objects.for_user(self.user).filter(pk__in=set(pks))
        return [
            Node(f"{SIGNAL}:{s['pk']}", SIGNAL, s["reference"], f"{s['received_at']:%d-%m-%Y}")
            for s in rows.values("pk", "reference", "received_at")
        ]

    def case_nodes(self, pks: Iterable[int]) -> list[Node]:
        rows = Case.objects.for_user(self.user).filter(pk__in=set(pks))
        return [
            Node(f"{CASE}:{c['pk']}", CASE, c["reference"], c["title"])
            for c in rows.values("pk", "reference", "title")
        ]

    # -- one hop for many nodes ---------------------------------------------------------
    def neighbours(self, node_ids: list[str], registry_only: bool = False) -> list[Found]:
        """Every neighbour of every node; ``registry_only``: only facts of the registers."""
        by_prefix: dict[str, list[str]] = {}
        for node_id in node_ids:
            prefix, _sep, value = node_id.partition(":")
            by_prefix.setdefault(prefix, []).append(value)
        found: list[Found] = []
        found += self._from_organisations(by_prefix.get("kvk", []))
        found += self._from_persons(by_prefix.get("persoon", []))
        found += self._from_addresses(by_prefix.get("bag", []))
        if registry_only:
            return found
        entity_ids = [n for n in node_ids if n.partition(":")[0] not in (SIGNAL, CASE, MORE)]
        found += self._from_links(entity_ids)
        found += self._from_signals([int(v) for v in by_prefix.get(SIGNAL, []) if v.isdigit()])
        found += self._from_cases([int(v) for v in by_prefix.get(CASE, []) if v.isdigit()])
        return found

    def _from_organisations(self, kvk_numbers: list[str]) -> list[Found]:
        if not kvk_numbers:
            return []
        found: list[Found] = []
        officers = self.officers.filter(kvk_number__in=kvk_numbers).values(*OFFICER_FIELDS)
        for row in officers:
            person = Node(
                _person_id(row["person_key"], row["pk"]), EntityKind.PERSON, *_person_label(row)
            )
            found.append((f"kvk:{row['kvk_number']}", person, _officer_edge(person.id, row)))
        branches = self.companies.filter(kvk_number__in=kvk_numbers).values(
            "kvk_number", *VISIT_FIELDS
        )
        places: dict[Place, set[str]] = {}
        for row in branches:
            if row["visit_postcode"] and row["visit_house_number"]:
                places.setdefault(_visit_place(row), set()).add(row["kvk_number"])
        matched: set[Place] = set()
        addresses = self.addresses.filter(
            _any(((p[0], p[1]) for p in places), "postcode", "house_number")
        )
        for address in addresses:
            place = _bag_place(address)
            for kvk in places.get(place, ()):
                node = _address_node(address)
                found.append((f"kvk:{kvk}", node, Edge(f"kvk:{kvk}", node.id, VISIT_ADDRESS)))
                matched.add(place)
        found += self._same_place(
            {place: kvks for place, kvks in places.items() if place not in matched}
        )
        return found

    def _same_place(self, places: dict[Place, set[str]]) -> list[Found]:
        """No BAG address for a visiting address: link companies that share it directly."""
        if not places:
            return []
        found: list[Found] = []
        for (place, _node_id), node in self._companies_at(places).items():
            for kvk in places[place]:
                if node.id != f"kvk:{kvk}":
                    found.append((f"kvk:{kvk}", node, Edge(f"kvk:{kvk}", node.id, SAME_ADDRESS)))
        return found

    def _companies_at(self, places: dict[Place, Any]) -> dict[tuple[Place, str], Node]:
        rows = (
            self.companies.filter(
                _any(((p[0], p[1]) for p in places), "visit_postcode", "visit_house_number")
            )
            .order_by("kvk_number", "dissolved", "branch_number")
            .values("kvk_number", "name", "dissolved", *VISIT_FIELDS)
        )
        nodes: dict[tuple[Place, str], Node] = {}
        for row in rows:
            place = _visit_place(row)
            if place in places:
                detail = f"KvK {row['kvk_number']}" + (" · opgeheven" if row["dissolved"] else "")
                node_id = f"kvk:{row['kvk_number']}"
                node = Node(node_id, EntityKind.ORGANISATION, row["name"], detail)
                nodes.setdefault((place, node_id), node)
        return nodes

    def _from_persons(self, person_keys: list[str]) -> list[Found]:
        if not person_keys:
            return []
        officer_pks = [int(p[1:]) for p in person_keys if re.fullmatch(r"f\d+", p)]
        rows = list(
            self.officers.filter(Q(person_key__in=person_keys) | Q(pk__in=officer_pks)).values(
                "pk", "kvk_number", "person_key", "role"
            )
        )
        companies = {n.id: n for n in self._organisations(r["kvk_number"] for r in rows)}
        found: list[Found] = []
        for row in rows:
            person = _person_id(row["person_key"], row["pk"])
            company = companies.get(f"kvk:{row['kvk_number']}")
            if company is not None:
                found.append((person, company, _officer_edge(person, row, company.id)))
        return found

    def _from_addresses(self, designation_ids: list[str]) -> list[Found]:
        if not designation_ids:
            return []
        addresses = list(self.addresses.filter(number_designation_id__in=designation_ids))
        places = {_bag_place(a): f"bag:{a.number_designation_id}" for a in addresses}
        found: list[Found] = []
        for (place, _kvk), company in self._companies_at(places).items():
            address = places[place]
            found.append((address, company, Edge(company.id, address, VISIT_ADDRESS)))
        return found

    def _families(self, keys: list[str]) -> dict[int, str]:
        """Entity ids behind each key: the entity and every entity merged into it."""
        rows = self.entities.filter(key__in=keys).order_by().values_list("pk", "key")
        owner = {pk: key for pk, key in rows}
        frontier = list(owner)
        while frontier:
            merged = (
                self.entities.filter(merged_into_id__in=frontier).exclude(pk__in=owner).order_by()
            )
            pairs = list(merged.values_list("pk", "merged_into_id"))
            for pk, into in pairs:
                owner[pk] = owner[into]
            frontier = [pk for pk, _into in pairs]
        return owner

    def _canonical(self, entity_ids: set[int]) -> dict[int, Node]:
        """The node each entity now stands under (following merges)."""
        rows = {
            e["pk"]: e
            for e in self.entities.filter(pk__in=entity_ids)
            .order_by()
            .values("pk", "key", "kind", "label", "merged_into_id")
        }
        missing = {r["merged_into_id"] for r in rows.values() if r["merged_into_id"]} - set(rows)
        while missing:
            more = (
                self.entities.filter(pk__in=missing)
                .order_by()
                .values("pk", "key", "kind", "label", "merged_into_id")
            )
            rows.update({e["pk"]: e for e in more})
            missing = {r["merged_into_id"] for r in more if r["merged_into_id"]} - set(rows)
        nodes: dict[int, Node] = {}
        for pk in entity_ids:
            row, seen = rows.get(pk), set()
            while row is not None and row["merged_into_id"] and row["pk"] not in seen:
                seen.add(row["pk"])
                row = rows.get(row["merged_into_id"], row)
            if row is not None:
                nodes[pk] = Node(row["key"], row["kind"], row["label"])
        registry = self.registry_nodes(n.id for n in nodes.values())
        return {pk: registry.get(node.id, node) for pk, node in nodes.items()}

    def _links(self, **filters: Any) -> list[dict[str, Any]]:
        """The linked subjects the reader may see, narrowed by ``filters`` first.

        The rule is EntityLink's gate (a link is visible exactly when its subject is), applied
        to the few subjects these links start from: the gate as one query is an OR of two
        subqueries over every visible subject, which PostgreSQL evaluates in full (30-100 ms
        on a loaded database) instead of starting from the entity index.
        """
        rows = list(
            EntityLink.objects.linked()
            .filter(**filters)
            .values("entity_id", "signal_subject_id", "case_subject_id")
        )
        signal_subjects = {
            s["pk"]: s
            for s in Subject.objects.for_user(self.user)
            .filter(pk__in={r["signal_subject_id"] for r in rows} - {None})
            .values("pk", "signal_id", "role")
        }
        case_subjects = {
            s["pk"]: s
            for s in CaseSubject.objects.for_user(self.user)
            .filter(pk__in={r["case_subject_id"] for r in rows} - {None})
            .values("pk", "case_id", "role")
        }
        links = []
        for row in rows:
            if row["signal_subject_id"] in signal_subjects:
                subject = signal_subjects[row["signal_subject_id"]]
                links.append(
                    {"entity_id": row["entity_id"], SIGNAL: subject["signal_id"], **subject}
                )
            elif row["case_subject_id"] in case_subjects:
                subject = case_subjects[row["case_subject_id"]]
                links.append({"entity_id": row["entity_id"], CASE: subject["case_id"], **subject})
        return links

    def _from_links(self, keys: list[str]) -> list[Found]:
        """Signals and cases whose subjects are linked to these entities."""
        owner = self._families(keys) if keys else {}
        if not owner:
            return []
        links = self._links(entity_id__in=list(owner))
        signals = {n.id: n for n in self.signal_nodes(_ids(links, SIGNAL))}
        cases = {n.id: n for n in self.case_nodes(_ids(links, CASE))}
        found: list[Found] = []
        for link in links:
            source = owner[link["entity_id"]]
            record = SIGNAL if SIGNAL in link else CASE
            target = (signals if record == SIGNAL else cases).get(f"{record}:{link[record]}")
            role = _role(link["role"], record)
            if target is not None:
                found.append((source, target, Edge(source, target.id, role)))
        return found

    def _to_entities(self, links: list[dict[str, Any]], record: str) -> list[Found]:
        entities = self._canonical({link["entity_id"] for link in links})
        found: list[Found] = []
        for link in links:
            node = entities.get(link["entity_id"])
            if node is None:
                continue
            source = f"{record}:{link[record]}"
            found.append((source, node, Edge(node.id, source, _role(link["role"], record))))
        return found

    def _from_signals(self, pks: list[int]) -> list[Found]:
        if not pks:
            return []
        found = self._to_entities(self._links(signal_subject__signal_id__in=pks), SIGNAL)
        cases = Case.objects.for_user(self.user).filter(signals__in=pks)
        for row in cases.values("pk", "reference", "title", "signals"):
            node = Node(f"{CASE}:{row['pk']}", CASE, row["reference"], row["title"])
            source = f"{SIGNAL}:{row['signals']}"
            found.append((source, node, Edge(source, node.id, SIGNAL_IN_CASE)))
        return found

    def _from_cases(self, pks: list[int]) -> list[Found]:
        if not pks:
            return []
        found = self._to_entities(self._links(case_subject__case_id__in=pks), CASE)
        signals = Signal.objects.for_user(self.user).filter(cases__in=pks)
        for row in signals.values("pk", "reference", "received_at", "cases"):
            node = Node(
                f"{SIGNAL}:{row['pk']}", SIGNAL, row["reference"], f"{row['received_at']:%d-%m-%Y}"
            )
            target = f"{CASE}:{row['cases']}"
            found.append((target, node, Edge(node.id, target, SIGNAL_IN_CASE)))
        return found


def _ids(links: list[dict[str, Any]], record: str) -> set[int]:
    return {link[record] for link in links if record in link}


def _officer_edge(person: str, row: dict[str, Any], company: str = "") -> Edge:
    return Edge(
        person, company or f"kvk:{row['kvk_number']}", (row["role"] or "functionaris").lower()
    )


def _address_node(address: Address) -> Node:
    uses = ", ".join(address.use_list)
    return Node(f"bag:{address.number_designation_id}", EntityKind.ADDRESS, str(address), uses)
