"""Entity pages: search the registers and known entities, an entity with its facts and
cross-references, decisions on suggested links, merge and unmerge."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record_read
from weerbaar.core.http import current_user
from weerbaar.signals.models import Subject
from weerbaar.signals.models.subjects import SubjectKind

from . import actions, resolve
from .crossref import cross_references
from .enrichment import facts_for
from .forms import MergeForm, SearchForm
from .models import Entity, EntityLink, EntityMerge

POSTCODE_NUMBER = re.compile(r"^\s*(\d{4}\s?[A-Za-z]{2})\s+(\d{1,5})\s*(\S*)\s*$")


def _reader(request: HttpRequest) -> User:
    user = current_user(request)
    if not user.has_role_perm(Perm.MODULE_ENTITIES) or not user.has_role_perm(Perm.REGISTRY_READ):
        raise PermissionDenied
    return user


def _probe(kind: str, text: str) -> Subject:
    """An unsaved subject to search with: the same matching as for a signal's subjects."""
    found = POSTCODE_NUMBER.match(text)
    if kind == SubjectKind.ADDRESS or (found and kind == ""):
        if not found:
            return Subject(kind=SubjectKind.ADDRESS)
        postcode, number, addition = found.groups()
        return Subject(
            kind=SubjectKind.ADDRESS,
            postcode=postcode.replace(" ", "").upper(),
            house_number=int(number),
            house_number_addition=addition,
        )
    if re.fullmatch(r"\d{8}", text.strip()):
        return Subject(kind=SubjectKind.COMPANY, kvk_number=text.strip())
    return Subject(kind=kind or SubjectKind.COMPANY, name=text.strip())


class EntitySearchView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = _reader(request)
        form = SearchForm(request.GET or None)
        results: list[resolve.Candidate] = []
        known = Entity.objects.none()
        if form.is_valid():
            text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
            results = resolve.candidates(_probe(kind, text), limit=20)
            known = (
                Entity.objects.for_user(user)
                .canonical()
                .filter(from_registry=False, label__icontains=text)
                .order_by("label")[:20]
            )
        return render(
            request,
            "entities/search.html",
            {"form": form, "results": results, "known": known, "searched": form.is_bound},
        )


def _entity(user: User, key: str) -> Entity:
    """An entity the reader may see; registry records get their entity on first visit."""
    entity = Entity.objects.for_user(user).filter(key=key).first()
    if entity is not None:
        return entity
    if not user.has_role_perm(Perm.REGISTRY_READ) or not facts_for(key):
        raise Http404
    kind = {"kvk": "organisatie", "bag": "adres", "persoon": "persoon"}[key.partition(":")[0]]
    label = _registry_label(key)
    entity, _created = Entity.objects.get_or_create(
        key=key, defaults={"kind": kind, "label": label, "from_registry": True}
    )
    return entity


def _registry_label(key: str) -> str:
    from weerbaar.registry.models import Address, Company, Officer

    kind, _sep, value = key.partition(":")
    if kind == "kvk":
        company = Company.objects.filter(kvk_number=value).order_by("branch_number").first()
        return f"{company.name} (KvK {value})" if company else key
    if kind == "bag":
        address = Address.objects.filter(number_designation_id=value).first()
        return str(address) if address else key
    officer = (
        Officer.objects.filter(pk=int(value[1:]))
        if value.startswith("f") and value[1:].isdigit()
        else Officer.objects.filter(person_key=value)
    ).first()
    return officer.full_name if officer else key


class EntityDetailView(View):
    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        return self.render(request, key)

    def render(
        self, request: HttpRequest, key: str, merge_form: MergeForm | None = None, status: int = 200
    ) -> HttpResponse:
        user = _reader(request)
        entity = _entity(user, key)
        canonical = entity.canonical()
        refs = cross_references(user, entity)
        record_read(user, [entity, *refs.records()], request=request)
        merges = EntityMerge.objects.for_user(user).filter(target=canonical).select_related(
            "source", "merged_by", "undone_by"
        ) | EntityMerge.objects.for_user(user).filter(source=entity).select_related(
            "target", "merged_by", "undone_by"
        )
        context: dict[str, Any] = {
            "entity": entity,
            "canonical": canonical,
            "facts": facts_for(canonical.key),
            "refs": refs,
            "merges": merges.order_by("-merged_at"),
            "merged": Entity.objects.for_user(user).filter(merged_into=canonical),
            "can_resolve": user.has_role_perm(Perm.ENTITIES_RESOLVE),
            "merge_form": merge_form or MergeForm(),
        }
        return render(request, "entities/detail.html", context, status=status)


@require_POST
def merge_view(request: HttpRequest, key: str) -> HttpResponse:
    user = _reader(request)
    source = _entity(user, key)
    form = MergeForm(request.POST)
    if form.is_valid():
        target = Entity.objects.for_user(user).filter(key=form.cleaned_data["target"]).first()
        if target is None:
            form.add_error("target", _("Geen entiteit met deze sleutel gevonden."))
        else:
            try:
                actions.merge(user, source, target, form.cleaned_data["reason"], request=request)
            except ValidationError as exc:
                from weerbaar.core.http import errors_onto

                errors_onto(form, exc)
            else:
                messages.success(request, _("Samengevoegd met {label}.").format(label=target.label))
                return redirect("entities:detail", key=target.canonical().key)
    return EntityDetailView().render(request, key, merge_form=form, status=400)


@require_POST
def unmerge_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    merge = get_object_or_404(EntityMerge.objects.for_user(user), pk=pk)
    try:
        actions.unmerge(user, merge, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De samenvoeging is ongedaan gemaakt."))
    return redirect("entities:detail", key=merge.source.key)


@require_POST
def decide_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    link = get_object_or_404(EntityLink.objects.for_user(user), pk=pk)
    verdict = request.POST.get("besluit")
    if verdict not in ("bevestigen", "afwijzen"):
        messages.error(request, _("Kies bevestigen of afwijzen."))
    else:
        actions.decide_link(user, link, confirmed=verdict == "bevestigen", request=request)
        text = (
            _("Koppeling met {label} bevestigd.")
            if verdict == "bevestigen"
            else _("Koppeling met {label} afgewezen; dit voorstel komt niet terug.")
        )
        messages.success(request, text.format(label=link.entity.label))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("entities:detail", key=link.entity.key)
