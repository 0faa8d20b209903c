"""From scored pairs to decisions: one-to-one links, or clusters that do not chain.

Connected components alone chain: A~B and B~C put A and C together even when A and C
clearly differ (a father and son at one address). A component that holds such a
contradiction (a scored pair far below the threshold), or grows past ``max_size``, is rebuilt
greedily from its strongest pairs, never joining two groups that contradict each other.
"""

from __future__ import annotations

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


def _rebuild(
    members: Ints,
    edges: list[tuple[float, int, int]],
    conflicts: set[tuple[int, int]],
    max_size: int,
) -> dict[int, int]:
    """Greedy merging, strongest pair first, refusing merges that join a contradiction."""
    parent = {int(m): int(m) for m in members}
    group = {int(m): {int(m)} for m in members}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for _weight, a, b in sorted(edges, reverse=True):
        ra, rb = root(a), root(b)
        if ra == rb or len(group[ra]) + len(group[rb]) > max_size:
            continue
        small, large = sorted((group[ra], group[rb]), key=len)
        if any((x, y) in conflicts or (y, x) in conflicts for x in small for y in large):
            continue
        parent[rb] = ra
        group[ra] = group[ra] | group.pop(rb)
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
    conflict = weight < conflict_below
    conflicted = set(np.unique(labels[i[conflict]][labels[i[conflict]] == labels[j[conflict]]]))
    suspect = conflicted | set(np.flatnonzero(sizes > max_size).tolist())
    if suspect:
        in_suspect = np.isin(labels, list(suspect))
        pair_in = in_suspect[i] & (labels[i] == labels[j])
        by_label: dict[int, tuple[list[tuple[float, int, int]], set[tuple[int, int]]]] = {}
        for index in np.flatnonzero(pair_in):
            label = int(labels[i[index]])
            edges, conflicts = by_label.setdefault(label, ([], set()))
            a, b, w = int(i[index]), int(j[index]), float(weight[index])
            if w >= threshold:
                edges.append((w, a, b))
            elif w < conflict_below:
                conflicts.add((a, b))
        nodes = np.flatnonzero(in_suspect)
        nodes = nodes[np.argsort(labels[nodes], kind="stable")]
        starts = np.flatnonzero(np.diff(labels[nodes], prepend=-1))
        members_of = {
            int(labels[nodes[s]]): nodes[s:e].astype(np.int32)
            for s, e in zip(starts, [*starts[1:], len(nodes)], strict=True)
        }
        next_label = int(labels.max(initial=-1)) + 1
        for label, (edges, conflicts) in by_label.items():
            members = members_of[label]
            roots = _rebuild(members, edges, conflicts, max_size)
            renumber: dict[int, int] = {}
            for node, node_root in roots.items():
                if node_root not in renumber:
                    renumber[node_root] = next_label
                    next_label += 1
                labels[node] = renumber[node_root]
    # Stable ids: the smallest record index of each cluster.
    first = np.full(int(labels.max(initial=-1)) + 1, count, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(count))
    return first[labels].astype(np.int32)
