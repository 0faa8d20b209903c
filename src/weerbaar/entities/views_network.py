"""The network page of an entity (graph plus a text list), its JSON for expanding step by
step, and the export of a case's network as FollowTheMoney JSON lines and as CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.cases.models import Case
from weerbaar.core.http import current_user

from . import network
from .crossref import Elsewhere, elsewhere, family
from .ftm import CaseExport
from .models import Entity

DEPTHS = (1, 2)


def _reader(request: HttpRequest) -> User:
    user = current_user(request)
    if not user.has_role_perm(Perm.MODULE_ENTITIES) or not user.has_role_perm(Perm.REGISTRY_READ):
        raise PermissionDenied
    return user


def _int(request: HttpRequest, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else default


def _kinds(request: HttpRequest) -> list[str]:
    return [k for k in request.GET.getlist("soort") if k in network.KIND_ORDER]


def _log_read(user: User, graph: network.Graph, request: HttpRequest) -> None:
    """Who saw which signals, cases and persons around an entity (references, not content)."""
    ids = {kind: [n.id for n in graph.nodes.values() if n.kind == kind] for kind in network.KINDS}
    record(
        Action.READ,
        actor=user,
        obj=Target("entities.Entity", graph.start[:64], ""),
        detail={
            "weergave": "netwerk",
            "sleutel": graph.start,
            "signalen": ids[network.SIGNAL][:200],
            "casussen": ids[network.CASE][:200],
            "personen": len(ids["persoon"]),
            "knopen": len(graph.nodes),
        },
        purpose=_("Netwerk bekijken"),
        request=request,
    )


def network_page(request: HttpRequest, key: str) -> HttpResponse:
    user = _reader(request)
    depth = _int(request, "diepte", 2)
    kinds = _kinds(request)
    graph = network.neighbourhood(user, key, depth if depth in DEPTHS else 2, kinds or None)
    if graph.start != key:  # a merged entity: show the one it stands under now
        return redirect("entities:network", key=graph.start)
    _log_read(user, graph, request)
    data = graph.as_dict()
    context = {
        "start": graph.nodes[graph.start],
        "graph_json": json.dumps(data),
        "groups": _groups(data),
        "edges": len(data["edges"]),
        "depth": depth,
        "elsewhere": _elsewhere(user, graph.start),
        "export_case": _exportable_case(user, graph.start),
        "kinds": [
            {"value": k, "label": network.KIND_LABELS[k], "checked": not kinds or k in kinds}
            for k in network.KIND_ORDER
        ],
    }
    return render(request, "entities/network.html", context)


def _elsewhere(user: User, key: str) -> list[Elsewhere]:
    """Other municipalities of the region that know the start entity: a reference only."""
    entity = Entity.objects.for_user(user).filter(key=key).first()
    return elsewhere(user, family(entity.canonical())) if entity is not None else []


def _exportable_case(user: User, key: str) -> int | None:
    """The case whose network this is, when the reader may export it (see _case_export)."""
    kind, _sep, pk = key.partition(":")
    return int(pk) if kind == network.CASE and user.has_role_perm(Perm.CASES_WORK) else None


def _groups(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes by kind, each with its connections: the text alternative to the picture."""
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    relations: dict[str, list[str]] = {}
    for edge in data["edges"]:
        for one, other in ((edge["source"], edge["target"]), (edge["target"], edge["source"])):
            text = labels[other] + (f" ({edge['label']})" if edge["label"] else "")
            relations.setdefault(one, []).append(text)
    groups: dict[str, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        groups.setdefault(node["kind"], []).append({**node, "relations": relations.get(node["id"])})
    return [
        {"kind": kind, "label": network.KIND_LABELS[kind], "nodes": groups[kind]}
        for kind in network.KINDS
        if kind in groups
    ]


def network_json(request: HttpRequest, key: str) -> JsonResponse:
    """The graph as JSON; ``diepte=1`` for one node's neighbours (expanding), ``vanaf=N`` for
    the neighbours behind a "+N meer" node, ``soort=`` (repeatable) to keep some kinds."""
    user = _reader(request)
    graph = network.neighbourhood(
        user,
        key,
        min(_int(request, "diepte", 1), max(DEPTHS)),
        _kinds(request) or None,
        offset=_int(request, "vanaf", 0),
    )
    _log_read(user, graph, request)
    response = JsonResponse(graph.as_dict())
    response["Cache-Control"] = "private, no-store"
    return response


def _case_export(request: HttpRequest, pk: int, fmt: str) -> CaseExport:
    user = current_user(request)
    if not user.has_role_perm(Perm.CASES_WORK):
        raise PermissionDenied
    case = get_object_or_404(Case.objects.for_user(user), pk=pk)
    export = CaseExport(user, network.case_network(user, case))
    record(
        Action.EXPORT,
        actor=user,
        obj=case,
        detail={"formaat": fmt, "knopen": len(export.graph.nodes)},
        purpose=_("Netwerk van de casus exporteren"),
        request=request,
    )
    return export


def _download(body: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def case_network_ftm(request: HttpRequest, pk: int) -> HttpResponse:
    export = _case_export(request, pk, "ftm")
    lines = (json.dumps(e, ensure_ascii=False, sort_keys=True) for e in export.entities())
    name = f"{export.keys[export.graph.start].partition(':')[2]}-netwerk.ftm.jsonl"
    return _download("\n".join(lines) + "\n", "application/x-ndjson; charset=utf-8", name)


def case_network_csv(request: HttpRequest, pk: int) -> HttpResponse:
    export = _case_export(request, pk, "csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in export.csv_rows():
        writer.writerow([_neutralise(cell) for cell in row])
    name = f"{export.keys[export.graph.start].partition(':')[2]}-netwerk.csv"
    return _download("\ufeff" + buffer.getvalue(), "text/csv; charset=utf-8", name)


def _neutralise(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
