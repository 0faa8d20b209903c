"""The network around an entity: who runs a company, where it is registered, who else is
there, and which signals and cases the reader may see point at any of them.

Nodes are entities (their key: ``kvk:…``, ``bag:…``, ``persoon:…``, ``kenteken:…``,
``lokaal:…``), signals (``signaal:<pk>``) and cases (``casus:<pk>``). The graph is built hop
by hop with :class:`~weerbaar.entities.neighbours.Reader`, which asks a fixed number of batched
questions per hop, so a 2-hop neighbourhood stays a few dozen queries. Registry facts need
``registry_read``; signals, cases and links always go through their own gates, so a node is
never shown for something the reader may not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from weerbaar.accounts.roles import Perm

from .models import EntityKind
from .neighbours import CASE, MORE, SIGNAL, VISIT_ADDRESS, Edge, Found, Node, Reader

if TYPE_CHECKING:
    from weerbaar.accounts.models import User
    from weerbaar.cases.models import Case

__all__ = ["CASE", "SIGNAL", "VISIT_ADDRESS", "Edge", "Graph", "Node", "neighbourhood"]

KIND_ORDER: list[str] = ["organisatie", "persoon", "adres", "voertuig", "vaartuig", SIGNAL, CASE]
KINDS: list[str] = [*KIND_ORDER, MORE]
KIND_LABELS: dict[str, str] = {
    **{str(kind): str(kind.label) for kind in EntityKind},
    SIGNAL: "Signaal",
    CASE: "Casus",
    MORE: "Meer",
}
FAN_OUT = 50  # neighbours shown per node; the rest behind a "+N meer" node
MAX_NODES = 250  # past this, further neighbours wait behind "+N meer" nodes too


@dataclass
class Graph:
    start: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)
    more: dict[str, tuple[str, int]] = field(default_factory=dict)  # "meer" node → (node, offset)

    def add(self, node: Node) -> bool:
        if node.id in self.nodes:
            return False
        self.nodes[node.id] = node
        return True

    def add_more(self, source: str, offset: int, rest: int) -> None:
        """A "+N meer" node standing for ``source``'s neighbours from ``offset`` on."""
        more = Node(f"{MORE}:{source}:{offset}", MORE, f"+{rest} meer")
        self.add(more)
        self.more[more.id] = (source, offset)
        self.connect(Edge(source, more.id, ""))

    def connect(self, edge: Edge) -> None:
        self.edges.setdefault((edge.source, edge.target, edge.label), edge)

    def as_dict(self) -> dict[str, Any]:
        nodes = sorted(self.nodes.values(), key=_sort_key)
        return {
            "start": self.start,
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "kind_label": KIND_LABELS.get(n.kind, n.kind),
                    "label": n.label,
                    "detail": n.detail,
                    "url": n.url,
                    "expand": expand_url(*self.more.get(n.id, (n.id, 0))) if n.routable else "",
                }
                for n in nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "label": e.label}
                for e in self.edges.values()
            ],
        }


def expand_url(node_id: str, offset: int = 0) -> str:
    query = {"diepte": 1, **({"vanaf": offset} if offset else {})}
    return reverse("entities:network-json", args=[node_id]) + "?" + urlencode(query)


def _sort_key(node: Node) -> tuple[int, str, str]:
    order = KIND_ORDER.index(node.kind) if node.kind in KIND_ORDER else len(KIND_ORDER)
    return (order, node.label.lower(), node.id)


def neighbourhood(
    user: User,
    key: str,
    depth: int = 1,
    kinds: Iterable[str] | None = None,
    *,
    offset: int = 0,
    fan_out: int = FAN_OUT,
    max_nodes: int = MAX_NODES,
) -> Graph:
    """The nodes within ``depth`` hops of ``key`` that ``user`` may see.

    ``kinds`` keeps only nodes of those kinds (others are neither shown nor followed);
    ``offset`` skips the start node's first neighbours (to page through a "+N meer" node).
    Raises PermissionDenied without ``registry_read`` and Http404 for an unknown key.
    """
    if not user.has_role_perm(Perm.REGISTRY_READ):
        raise PermissionDenied
    reader = Reader(user)
    start = reader.node(key)
    if start is None:
        raise Http404
    graph = Graph(start=start.id)
    graph.add(start)
    allowed = set(kinds) if kinds else None
    frontier = [start.id]
    for hop in range(max(1, min(depth, 3))):
        by_source: dict[str, list[Found]] = {}
        for item in reader.neighbours(frontier):
            if allowed is None or item[1].kind in allowed:
                by_source.setdefault(item[0], []).append(item)
        next_frontier: list[str] = []
        for source in frontier:
            items = _by_neighbour(by_source.get(source, []))
            skip = offset if hop == 0 else 0
            room = max(0, max_nodes - len(graph.nodes))
            shown = items[skip : skip + min(fan_out, room)]
            for node, edges in shown:
                if graph.add(node):
                    next_frontier.append(node.id)
                for edge in edges:
                    graph.connect(edge)
            rest = len(items) - skip - len(shown)
            if rest > 0:
                graph.add_more(source, skip + len(shown), rest)
        frontier = next_frontier
        if not frontier:
            break
    return graph


def case_network(user: User, case: Case, fan_out: int = 200) -> Graph:
    """What a case is about, for an export: the case, its signals, the entities linked to
    their subjects, and those entities' registry neighbours one hop out (not further signals
    or cases). Each step through the reader's gates, as in :func:`neighbourhood`."""
    reader = Reader(user)
    start = reader.node(f"{CASE}:{case.pk}")
    if start is None:
        raise Http404
    graph = Graph(start=start.id)
    graph.add(start)
    found = reader.neighbours([start.id])
    signals = [n.id for _s, n, _e in found if n.kind == SIGNAL]
    found += [f for f in reader.neighbours(signals) if f[1].kind != CASE]
    for _source, node, edge in found:
        graph.add(node)
        graph.connect(edge)
    entities = [n.id for n in graph.nodes.values() if n.kind not in (SIGNAL, CASE)]
    by_source: dict[str, list[Found]] = {}
    for item in reader.neighbours(entities, registry_only=True):
        by_source.setdefault(item[0], []).append(item)
    for items in by_source.values():
        for node, edges in _by_neighbour(items)[:fan_out]:
            graph.add(node)
            for edge in edges:
                graph.connect(edge)
    return graph


def _by_neighbour(found: Iterable[Found]) -> list[tuple[Node, list[Edge]]]:
    """Each neighbour once, with every edge to it (an officer can be bestuurder and
    aandeelhouder), in display order."""
    grouped: dict[str, tuple[Node, list[Edge]]] = {}
    for _source, node, edge in found:
        grouped.setdefault(node.id, (node, []))[1].append(edge)
    return sorted(grouped.values(), key=lambda item: _sort_key(item[0]))
