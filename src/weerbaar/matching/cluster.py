"""From scored pairs to decisions: one-to-one links, or clusters that do not chain.

Connected components alone chain: A~B and B~C put A and C together even when A and C
clearly differ (a father and son at one address). A component that holds a scored pair below
the threshold, or grows past ``max_size``, is rebuilt by greedy additive edge contraction (a
standard heuristic for correlation clustering): two groups join only while the evidence of
all scored pairs between them, summed, is for it, and never across a pair that contradicts
(below ``conflict_below``).
"""

from __future__ import annotations

import heapq

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]


def one_to_one(i: Ints, j: Ints, weight: Floats, threshold: float) -> npt.NDArray[np.bool_]:
    """Greedy best-first assignment: each record is linked at most once."""
    chosen = np.zeros(len(i), dtype=bool)
    used_left: set[int] = set()
    used_right: set[int] = set()
    above = np.flatnonzero(weight >= threshold)
    for index in above[np.argsort(-weight[above], kind="stable")]:
        a, b = int(i[index]), int(j[index])
        if a not in used_left and b not in used_right:
            used_left.add(a)
            used_right.add(b)
            chosen[index] = True
    return chosen


def _components(count: int, i: Ints, j: Ints) -> Ints:
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(count, count))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int32)


def _contract(edges: list[tuple[int, int, float]], veto: float, max_size: int) -> dict[int, int]:
    """Greedy additive edge contraction: join the two groups with the largest summed evidence
    (log-odds above the threshold, over every scored pair between them) while it is positive,
    never across a pair below ``veto`` and never past ``max_size`` records."""
    links: dict[int, dict[int, float]] = {}
    vetoed: dict[int, set[int]] = {}
    for a, b, weight in edges:
        for x, y in ((a, b), (b, a)):
            links.setdefault(x, {})
            links[x][y] = links[x].get(y, 0.0) + weight
            vetoed.setdefault(x, set())
        if weight < veto:
            vetoed[a].add(b)
            vetoed[b].add(a)
    parent = {node: node for node in links}
    size = dict.fromkeys(links, 1)
    heap = [(-w, x, y) for x, row in links.items() for y, w in row.items() if x < y and w > 0]
    heapq.heapify(heap)
    while heap:
        negative, x, y = heapq.heappop(heap)
        if parent[x] != x or parent[y] != y or links[x].get(y) != -negative:
            continue  # stale: a group was merged or the sum changed since
        if y in vetoed[x] or size[x] + size[y] > max_size:
            continue
        parent[y] = x
        size[x] += size.pop(y)
        vetoed[x] |= vetoed[y]
        for other in vetoed[y]:
            vetoed[other].add(x)
        for other, weight in links.pop(y).items():
            if other == x:
                continue
            del links[other][y]
            total = links[x].get(other, 0.0) + weight
            links[x][other] = links[other][x] = total
            if total > 0:
                heapq.heappush(heap, (-total, min(x, other), max(x, other)))
        links[x].pop(y, None)

    def root(node: int) -> int:
        while parent[node] != node:
            node = parent[node]
        return node

    return {node: root(node) for node in parent}


def clusters(
    count: int,
    i: Ints,
    j: Ints,
    weight: Floats,
    threshold: float,
    conflict_below: float,
    max_size: int = 50,
) -> Ints:
    """A cluster id per record (the smallest record index in its cluster)."""
    keep = weight >= threshold
    labels = _components(count, i[keep], j[keep])
    sizes = np.bincount(labels)
    inside = labels[i] == labels[j]
    doubt = inside & (weight < threshold)
    suspect = np.zeros(len(sizes), dtype=bool)
    suspect[labels[i[doubt]]] = True
    suspect[sizes > max_size] = True
    rows = np.flatnonzero(inside & suspect[labels[i]])
    rows = rows[np.argsort(labels[i[rows]], kind="stable")]
    groups = labels[i[rows]]
    starts = np.flatnonzero(np.diff(groups, prepend=-1))
    ends = [*starts[1:].tolist(), len(rows)] if len(rows) else []
    next_label = int(labels.max(initial=-1)) + 1
    for start, end in zip(starts.tolist(), ends, strict=True):
        chosen = rows[start:end]
        edges = list(
            zip(
                i[chosen].tolist(),
                j[chosen].tolist(),
                (weight[chosen] - threshold).tolist(),
                strict=True,
            )
        )
        renumber: dict[int, int] = {}
        for node, node_root in _contract(edges, conflict_below - threshold, max_size).items():
            if node_root not in renumber:
                renumber[node_root] = next_label
                next_label += 1
            labels[node] = renumber[node_root]
    # Stable ids: the smallest record index of each cluster.
    first = np.full(int(labels.max(initial=-1)) + 1, count, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(count))
    return first[labels].astype(np.int32)
