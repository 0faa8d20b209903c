"""Facts from the registers about an entity, each with its source and date, for the signal,
case and entity pages: company age, branch, companies at the same address, the officers'
other companies, a business at a residential address, recent changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.registry import sbi
from weerbaar.registry.models import Address, Company, Officer, RegistryImport

RECENT_DAYS = 365


@dataclass(frozen=True)
class Fact:
    text: str
    source: str
    date: date | None
    notable: bool = False  # worth the analist's attention (a red flag, not a verdict)


def _source(kind: str) -> tuple[str, date | None]:
    latest = (
        RegistryImport.objects.filter(kind=kind, status=RegistryImport.Status.DONE)
        .order_by("-finished_at")
        .first()
    )
    name = _("KvK Handelsregister") if kind == RegistryImport.Kind.KVK else _("BAG")
    if latest is None:
        return name, None
    when = latest.extract_date or (latest.finished_at.date() if latest.finished_at else None)
    return name, when


def facts_for(key: str, today: date | None = None) -> list[Fact]:
    kind, _sep, value = key.partition(":")
    today = today or timezone.localdate()
    if kind == "kvk":
        return company_facts(value, today)
    if kind == "bag":
        return address_facts(value)
    if kind == "persoon":
        return person_facts(value)
    return []


def _years(since: date, today: date) -> int:
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def _at_address(postcode: str, number: int | None) -> Any:
    return Company.objects.filter(
        visit_postcode=postcode, visit_house_number=number, dissolved=False
    )


def company_facts(kvk_number: str, today: date) -> list[Fact]:
    branches = list(Company.objects.filter(kvk_number=kvk_number))
    if not branches:
        return []
    source, when = _source(RegistryImport.Kind.KVK)
    main = min(branches, key=lambda c: (c.dissolved, c.branch_number or "~"))
    facts = []
    since = main.registered_on or main.started_on
    if since:
        years = _years(since, today)
        facts.append(
            Fact(
                ngettext(
                    "Ingeschreven sinds {date} ({n} jaar)",
                    "Ingeschreven sinds {date} ({n} jaar)",
                    years,
                ).format(date=since.strftime("%d-%m-%Y"), n=years),
                source,
                when,
                notable=(today - since).days < RECENT_DAYS,
            )
        )
    if main.sbi_main:
        facts.append(
            Fact(
                _("Branche: {code} {label}").format(
                    code=main.sbi_main, label=sbi.label(main.sbi_main)
                ),
                source,
                when,
            )
        )
    if main.legal_form:
        facts.append(Fact(_("Rechtsvorm: {form}").format(form=main.legal_form), source, when))
    if any(c.dissolved for c in branches):
        ended = max((c.ended_on for c in branches if c.ended_on), default=None)
        text = _("Opgeheven") + (f" {ended:%d-%m-%Y}" if ended else "")
        facts.append(Fact(text, source, when, notable=True))
    if main.visit_postcode and main.visit_house_number:
        others = (
            _at_address(main.visit_postcode, main.visit_house_number)
            .exclude(kvk_number=kvk_number)
            .values("kvk_number")
            .distinct()
            .count()
        )
        facts.append(
            Fact(
                ngettext(
                    "{n} ander bedrijf ingeschreven op hetzelfde adres",
                    "{n} andere bedrijven ingeschreven op hetzelfde adres",
                    others,
                ).format(n=others),
                source,
                when,
                notable=others >= 5,
            )
        )
        facts.extend(_residential(main))
    facts.extend(_officers_elsewhere(kvk_number, source, when))
    return facts


def _residential(company: Company) -> list[Fact]:
    address = Address.objects.filter(
        postcode=company.visit_postcode, house_number=company.visit_house_number, active=True
    ).first()
    if address is None or not address.is_residential:
        return []
    source, when = _source(RegistryImport.Kind.BAG)
    only_living = address.use_list == ["woonfunctie"]
    text = (
        _("Bedrijf op een adres met alleen een woonfunctie")
        if only_living
        else _("Bedrijf op een adres met (ook) een woonfunctie")
    )
    return [Fact(text, source, when, notable=only_living)]


def _officers_elsewhere(kvk_number: str, source: str, when: date | None) -> list[Fact]:
    facts = []
    for officer in Officer.objects.filter(kvk_number=kvk_number).exclude(person_key=""):
        other = (
            Officer.objects.filter(person_key=officer.person_key)
            .exclude(kvk_number=kvk_number)
            .values("kvk_number")
            .distinct()
            .count()
        )
        if other:
            facts.append(
                Fact(
                    ngettext(
                        "{name} ({role}) is ook functionaris bij {n} ander bedrijf",
                        "{name} ({role}) is ook functionaris bij {n} andere bedrijven",
                        other,
                    ).format(name=officer.full_name, role=officer.role, n=other),
                    source,
                    when,
                    notable=other >= 5,
                )
            )
    return facts


def address_facts(number_designation_id: str) -> list[Fact]:
    address = Address.objects.filter(number_designation_id=number_designation_id).first()
    if address is None:
        return []
    source, when = _source(RegistryImport.Kind.BAG)
    facts = [
        Fact(
            _("Gebruiksdoel: {uses}").format(uses=", ".join(address.use_list) or "-"),
            source,
            when,
        )
    ]
    if address.floor_area:
        facts.append(Fact(_("Oppervlakte: {m2} m²").format(m2=address.floor_area), source, when))
    if not address.active:
        facts.append(Fact(_("Komt niet meer voor in de BAG"), source, when, notable=True))
    companies = (
        _at_address(address.postcode, address.house_number).values("kvk_number").distinct().count()
    )
    kvk_source, kvk_when = _source(RegistryImport.Kind.KVK)
    facts.append(
        Fact(
            ngettext(
                "{n} bedrijf ingeschreven op dit adres",
                "{n} bedrijven ingeschreven op dit adres",
                companies,
            ).format(n=companies),
            kvk_source,
            kvk_when,
            notable=companies >= 5 or (companies > 0 and address.use_list == ["woonfunctie"]),
        )
    )
    return facts


def person_facts(person_key: str) -> list[Fact]:
    query = (
        Q(pk=int(person_key[1:]))
        if person_key.startswith("f") and person_key[1:].isdigit()
        else Q(person_key=person_key)
    )
    roles = list(Officer.objects.filter(query))
    if not roles:
        return []
    source, when = _source(RegistryImport.Kind.KVK)
    names = dict(
        Company.objects.filter(kvk_number__in={o.kvk_number for o in roles})
        .order_by("kvk_number", "branch_number")
        .values_list("kvk_number", "name")
    )
    facts = [
        Fact(
            _("{role} bij {name} (KvK {kvk}) sinds {since}").format(
                role=o.role,
                name=names.get(o.kvk_number, "?"),
                kvk=o.kvk_number,
                since=o.started_on.strftime("%d-%m-%Y") if o.started_on else "?",
            ),
            source,
            when,
        )
        for o in roles
    ]
    distinct = len({o.kvk_number for o in roles})
    if distinct >= 5:
        facts.insert(
            0,
            Fact(
                _("Functionaris bij {n} bedrijven").format(n=distinct),
                source,
                when,
                notable=True,
            ),
        )
    return facts
