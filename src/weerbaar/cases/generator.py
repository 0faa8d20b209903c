"""Synthetic, fictitious cases in bulk: for demos at scale and for the benchmarks.

Each case is opened from one to three existing signals of its municipality and takes over
their subjects (once per match key, as :func:`weerbaar.cases.actions.open_case` does) and
phenomena. Cases get a lead (a case worker of the municipality; two synthetic ones are made
where a municipality has none), a few tasks, a timeline, sometimes partners with shared
parts, and a phase spread over all phases; closed cases carry a closing date, a result and a
retention date. Reference numbers continue the municipality's :class:`CaseCounter` and the
counters are moved on, so cases opened later get the next free number.

Rows are written with bulk inserts, one municipality at a time, so memory stays bounded by
the signals of one municipality and one batch of cases. Everything that has an ``is_demo``
field is marked with it. One audit entry records the run (counts only). The signals
themselves are not changed (their status stays as generated).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm, Role, perms_for
from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.organisations.models import Municipality, PartnerKind, PartnerOrganisation
from weerbaar.signals.actions import SUBJECT_FIELDS
from weerbaar.signals.models import Signal, Subject

from .actions import COPIED_SUBJECT_FIELDS, retention_end
from .models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseMember,
    CasePartner,
    CaseSubject,
    CaseTask,
    PhaseChange,
    SharedPart,
)
from .workflow import Phase, Result, RiecStatus

# Share of the cases per phase (in percent); closed cases are the largest group over time.
PHASES = (
    [Phase.EXPLORATION] * 20
    + [Phase.ANALYSIS] * 20
    + [Phase.INTERVENTION] * 15
    + [Phase.AFTERCARE] * 10
    + [Phase.CLOSED] * 35
)
ORDER = [Phase.EXPLORATION, Phase.ANALYSIS, Phase.INTERVENTION, Phase.AFTERCARE]
SEARCH_WORD = "garage"  # in about 10% of the titles (for the benchmark's search)
SUBJECTS = [
    "Bedrijfspand",
    "Loods",
    "Opslagbox",
    "Kapsalon",
    "Clubhuis",
    "Bovenwoning",
    "Schuur",
    "Jachthaven",
    "Autobedrijf",
    "Nagelstudio",
]
STREETS = [
    "Industrieweg",
    "Havenstraat",
    "Dorpsstraat",
    "Kerkweg",
    "Molenlaan",
    "Stationsplein",
    "Nijverheidsweg",
    "Rijksstraatweg",
]
SUSPICIONS = [
    "mogelijke hennepteelt",
    "vermoeden van witwassen",
    "signalen van uitbuiting",
    "mogelijke drugsopslag",
    "onduidelijke geldstromen",
    "vermoeden van mensenhandel",
    "mogelijk katvangerschap",
    "illegale bewoning",
]
TASKS = [
    "Eigendomssituatie uitzoeken in het Kadaster",
    "KvK-inschrijving en bestuurders nagaan",
    "Politie vragen naar informatie over het adres",
    "Controle ter plaatse voorbereiden",
    "Bibob-toets aanvragen",
    "Vergunningen controleren",
    "Gesprek met de woningcorporatie plannen",
    "Verslag voor het LIO schrijven",
]
LEGAL_BASES = [
    "Partij bij het RIEC-convenant (synthetisch)",
    "Art. 16 Wpg, RIEC-convenant (synthetisch)",
    "Samenwerkingsconvenant ondermijning (synthetisch)",
]
SYNTHETIC_PARTNERS = [
    ("Politie {region} (synthetisch)", PartnerKind.POLITIE),
    ("Belastingdienst {region} (synthetisch)", PartnerKind.BELASTINGDIENST),
    ("Omgevingsdienst {region} (synthetisch)", PartnerKind.OMGEVINGSDIENST),
    ("Woningcorporatie {region} (synthetisch)", PartnerKind.WONINGCORPORATIE),
]


@dataclass
class GenerateResult:
    cases: int = 0
    subjects: int = 0
    tasks: int = 0
    events: int = 0
    partners: int = 0


@dataclass
class _Batch:
    """Cases of one batch with their parts, linked by the index of the case in ``cases``."""

    cases: list[Case] = field(default_factory=list)
    signals: list[list[int]] = field(default_factory=list)
    phenomena: list[set[int]] = field(default_factory=list)
    subjects: list[list[CaseSubject]] = field(default_factory=list)
    tasks: list[list[CaseTask]] = field(default_factory=list)
    events: list[list[CaseEvent]] = field(default_factory=list)
    history: list[list[PhaseChange]] = field(default_factory=list)
    partners: list[list[CasePartner]] = field(default_factory=list)
    members: list[list[int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cases)


@contextmanager
def _keep_given_dates() -> Iterator[None]:
    """Let bulk inserts keep the generated creation dates (auto_now fields would overwrite
    them with the current time)."""
    fields: list[Any] = [
        Case._meta.get_field("created_at"),
        Case._meta.get_field("updated_at"),
        CasePartner._meta.get_field("added_at"),
        CaseTask._meta.get_field("created_at"),
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _case_roles() -> list[str]:
    return [role for role in Role.values if Perm.CASES_WORK in perms_for(role)]


def _workers(municipality: Municipality) -> list[User]:
    roles = _case_roles()
    people = list(
        User.objects.filter(municipality=municipality, role__in=roles, is_active=True).order_by(
            "pk"
        )
    )
    if people:
        return people
    made = []
    for role, first in ((Role.REGISSEUR, "Regisseur"), (Role.ANALIST, "Analist")):
        user = User(
            username=f"synth-{municipality.code.lower()}-{role}",
            first_name=first,
            last_name=f"{municipality.name} (synthetisch)",
            role=role,
            municipality=municipality,
            is_demo=True,
        )
        user.set_unusable_password()
        user.save()
        made.append(user)
    return made


def _partners_by_municipality(municipalities: Sequence[Municipality]) -> dict[int, list[int]]:
    """The partner organisations that work with each municipality; synthetic ones for the
    regions where a municipality has none."""
    through_m = PartnerOrganisation.municipalities.through
    through_r = PartnerOrganisation.regions.through
    by_municipality: dict[int, set[int]] = defaultdict(set)
    by_region: dict[int, set[int]] = defaultdict(set)
    for m_id, org_id in through_m.objects.values_list("municipality_id", "partnerorganisation_id"):
        by_municipality[m_id].add(org_id)
    for r_id, org_id in through_r.objects.values_list("region_id", "partnerorganisation_id"):
        by_region[r_id].add(org_id)
    missing = {
        m.region_id for m in municipalities if not (by_municipality[m.pk] | by_region[m.region_id])
    }
    for municipality in municipalities:
        if municipality.region_id not in missing:
            continue
        missing.discard(municipality.region_id)
        region = municipality.region
        for name, kind in SYNTHETIC_PARTNERS:
            org, _ = PartnerOrganisation.objects.get_or_create(
                name=name.format(region=region.name)[:200],
                defaults={"kind": kind, "is_demo": True},
            )
            org.regions.add(region)
            by_region[region.pk].add(org.pk)
    return {m.pk: sorted(by_municipality[m.pk] | by_region[m.region_id]) for m in municipalities}


def _title(rng: random.Random) -> str:
    place = SEARCH_WORD.capitalize() if rng.random() < 0.10 else rng.choice(SUBJECTS)
    return f"{place} {rng.choice(STREETS)}: {rng.choice(SUSPICIONS)}"


def _moment(day: date, rng: random.Random) -> datetime:
    naive = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59))
    return timezone.make_aware(naive)


def generate(
    count: int,
    *,
    municipalities: list[Municipality] | None = None,
    seed: int = 1,
    batch: int = 2000,
) -> GenerateResult:
    """Create ``count`` cases spread over ``municipalities`` (default: those with signals)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    with_signals = dict(
        Signal.objects.values_list("municipality_id").annotate(n=Count("pk")).order_by()
    )
    if municipalities is None:
        municipalities = list(
            Municipality.objects.filter(pk__in=list(with_signals)).select_related("region")
        )
    municipalities = [m for m in municipalities if with_signals.get(m.pk)]
    if not municipalities:
        raise ValueError("No signals to open cases from: generate signals first.")
    # Spread the cases in proportion to the municipalities' signals.
    weights = [with_signals[m.pk] for m in municipalities]
    per_municipality: dict[int, int] = defaultdict(int)
    for m in rng.choices(municipalities, weights=weights, k=count):
        per_municipality[m.pk] += 1
    partners = _partners_by_municipality(municipalities)
    counters: dict[tuple[int, int], int] = defaultdict(int)
    for row in CaseCounter.objects.filter(municipality__in=municipalities):
        counters[(row.municipality_id, row.year)] = row.last
    result = GenerateResult()
    pending = _Batch()
    with _keep_given_dates():
        for municipality in municipalities:
            wanted = per_municipality.get(municipality.pk, 0)
            if not wanted:
                continue
            _municipality_cases(
                municipality, wanted, rng, counters, partners[municipality.pk], pending
            )
            if len(pending) >= batch:
                _write(pending, result)
                pending = _Batch()
        if pending.cases:
            _write(pending, result)
    with transaction.atomic():
        for (municipality_id, year), last in counters.items():
            CaseCounter.objects.update_or_create(
                municipality_id=municipality_id, year=year, defaults={"last": last}
            )
        record(
            Action.IMPORT,
            actor_label="generator",
            obj=Target("cases.Case", "", "synthetische casussen"),
            detail={
                "cases": result.cases,
                "subjects": result.subjects,
                "tasks": result.tasks,
                "partners": result.partners,
            },
        )
    return result


def _municipality_cases(
    municipality: Municipality,
    wanted: int,
    rng: random.Random,
    counters: dict[tuple[int, int], int],
    partner_ids: list[int],
    out: _Batch,
) -> None:
    """Add ``wanted`` cases of one municipality (with all their parts) to ``out``."""
    signals = list(
        Signal.objects.filter(municipality=municipality)
        .order_by("pk")
        .values_list("pk", "received_at", "reference")
    )
    workers = _workers(municipality)
    today = timezone.localdate()
    now = timezone.now()
    drafts = []
    for _ in range(wanted):
        chosen = rng.sample(signals, min(len(signals), rng.choice((1, 1, 1, 2, 2, 3))))
        latest = max(s[1] for s in chosen)
        created = min(now, latest + timedelta(days=rng.randint(0, 30), minutes=rng.randint(1, 600)))
        drafts.append((created, chosen))
    drafts.sort(key=lambda d: d[0])  # numbers go up with the opening date
    chosen_ids = {s[0] for _, chosen in drafts for s in chosen}
    phenomena: dict[int, set[int]] = defaultdict(set)
    through = Signal.phenomena.through
    for signal_id, phenomenon_id in through.objects.filter(
        signal_id__in=list(chosen_ids)
    ).values_list("signal_id", "phenomenon_id"):
        phenomena[signal_id].add(phenomenon_id)
    subjects: dict[int, list[Subject]] = defaultdict(list)
    for subject in (
        Subject.objects.filter(signal_id__in=list(chosen_ids))
        .order_by("signal_id", "pk")
        .only("signal", *SUBJECT_FIELDS, *COPIED_SUBJECT_FIELDS)
    ):
        subjects[subject.signal_id].append(subject)
    for created, chosen in drafts:
        chosen.sort(key=lambda s: s[1])
        year = timezone.localtime(created).year
        counters[(municipality.pk, year)] += 1
        number = counters[(municipality.pk, year)]
        lead = rng.choice(workers) if rng.random() < 0.9 else None
        phase = rng.choice(PHASES)
        created_day = timezone.localtime(created).date()
        case = Case(
            reference=f"{municipality.code}-CAS-{year}-{number:04d}",
            municipality=municipality,
            title=_title(rng),
            summary=(
                "Casus geopend naar aanleiding van "
                + ", ".join(s[2] for s in chosen)
                + ". (synthetisch)"
            ),
            phase=phase,
            lead=lead,
            restricted=rng.random() < 0.05,
            created_at=created,
            created_by=lead,
            updated_at=created,
            is_demo=True,
        )
        if rng.random() < 0.15:
            case.riec_referred_on = min(today, created_day + timedelta(days=rng.randint(1, 60)))
            case.riec_reference = f"RIEC-{year}-{rng.randint(100, 9999)}"
            case.riec_status = rng.choice(RiecStatus.values)
        if phase != Phase.CLOSED and rng.random() < 0.2:
            case.review_on = today + timedelta(days=rng.randint(0, 60))
        steps = (
            [*ORDER[: rng.randint(1, len(ORDER))], Phase.CLOSED]
            if phase == Phase.CLOSED
            else ORDER[: ORDER.index(phase) + 1]
        )
        span = max(1, (today - created_day).days)
        moments = sorted(
            [created]
            + [_moment(created_day + timedelta(days=rng.randint(1, span)), rng) for _ in steps[1:]]
        )
        moments = [min(m, now) for m in moments]
        if phase == Phase.CLOSED:
            closed_on = timezone.localtime(moments[-1]).date()
            case.closed_on = closed_on
            case.result = rng.choice(Result.values)
            case.result_note = "Afgesloten. (synthetisch)"
            case.retain_until = retention_end(closed_on)
        case.updated_at = moments[-1]
        history = []
        events = [
            CaseEvent(
                at=created,
                by=lead,
                text="Casus geopend uit signaal " + ", ".join(s[2] for s in chosen),
            )
        ]
        previous = ""
        for step, at in zip(steps, moments, strict=True):
            history.append(PhaseChange(at=at, from_phase=previous, to_phase=step, by=lead))
            if previous:
                text = f"Fase: {Phase(previous).label} → {Phase(step).label}"
                if step == Phase.CLOSED:
                    text += f" (resultaat: {Result(case.result).label})"
                events.append(CaseEvent(at=at, by=lead, text=text))
            previous = step
        copied = []
        seen: set[str] = set()
        for signal_id, _received, _ref in chosen:
            for subject in subjects.get(signal_id, ()):
                key = subject.match_key or f"los:{subject.pk}"
                if key in seen:
                    continue
                seen.add(key)
                values = {f: getattr(subject, f) for f in (*SUBJECT_FIELDS, *COPIED_SUBJECT_FIELDS)}
                copied.append(CaseSubject(from_signal_id=signal_id, **values))
        tasks = []
        for _ in range(rng.choice((0, 1, 2, 2, 3, 4))):
            due = created_day + timedelta(days=rng.randint(7, 90))
            done = phase == Phase.CLOSED or rng.random() < 0.5
            done_at = (
                min(now, _moment(due - timedelta(days=rng.randint(0, 6)), rng)) if done else None
            )
            by_partner = partner_ids and rng.random() < 0.2
            tasks.append(
                CaseTask(
                    title=rng.choice(TASKS),
                    owner=None if by_partner else rng.choice(workers),
                    owner_organisation_id=rng.choice(partner_ids) if by_partner else None,
                    due_on=due,
                    done_at=done_at,
                    done_by=lead if done else None,
                    created_at=created,
                )
            )
            events.append(
                CaseEvent(at=created, by=lead, text=f"Taak: {tasks[-1].title}", part="tasks")
            )
        memberships = []
        if partner_ids and rng.random() < 0.4:
            for org_id in rng.sample(partner_ids, min(len(partner_ids), rng.choice((1, 1, 2)))):
                added = min(now, created + timedelta(days=rng.randint(0, 20)))
                shares = {f"share_{p}": rng.random() < 0.5 for p in SharedPart.values}
                removed = (
                    min(now, added + timedelta(days=rng.randint(1, 90)))
                    if rng.random() < 0.1
                    else None
                )
                memberships.append(
                    CasePartner(
                        organisation_id=org_id,
                        legal_basis=rng.choice(LEGAL_BASES),
                        added_at=added,
                        added_by=lead,
                        removed_at=removed,
                        **shares,
                    )
                )
                events.append(
                    CaseEvent(at=added, by=lead, text="Partner toegevoegd", internal=True)
                )
        members = []
        if case.restricted and len(workers) > 1:
            members = [w.pk for w in rng.sample(workers, 2)]
        out.cases.append(case)
        out.signals.append([s[0] for s in chosen])
        out.phenomena.append({p for s in chosen for p in phenomena.get(s[0], ())})
        out.subjects.append(copied)
        out.tasks.append(tasks)
        out.events.append(events)
        out.history.append(history)
        out.partners.append(memberships)
        out.members.append(members)


def _write(batch: _Batch, result: GenerateResult) -> None:
    with transaction.atomic():
        Case.objects.bulk_create(batch.cases, batch_size=1000)
        if not batch.cases[0].pk:  # backends without RETURNING: look the ids up
            by_ref = dict(
                Case.objects.filter(reference__in=[c.reference for c in batch.cases]).values_list(
                    "reference", "pk"
                )
            )
            for c in batch.cases:
                c.pk = by_ref[c.reference]

        def attach(rows: list[list[Any]]) -> list[Any]:
            flat = []
            for case, parts in zip(batch.cases, rows, strict=True):
                for part in parts:
                    part.case_id = case.pk
                    flat.append(part)
            return flat

        signal_links = Case.signals.through
        phenomenon_links = Case.phenomena.through
        _bulk(
            signal_links,
            [
                signal_links(case_id=c.pk, signal_id=s)
                for c, ids in zip(batch.cases, batch.signals, strict=True)
                for s in ids
            ],
        )
        _bulk(
            phenomenon_links,
            [
                phenomenon_links(case_id=c.pk, phenomenon_id=p)
                for c, ids in zip(batch.cases, batch.phenomena, strict=True)
                for p in ids
            ],
        )
        _bulk(
            CaseMember,
            [
                CaseMember(case_id=c.pk, user_id=u)
                for c, ids in zip(batch.cases, batch.members, strict=True)
                for u in ids
            ],
        )
        subjects = attach(batch.subjects)
        tasks = attach(batch.tasks)
        events = attach(batch.events)
        partners = attach(batch.partners)
        _bulk(CaseSubject, subjects)
        _bulk(CaseTask, tasks)
        _bulk(CaseEvent, events)
        _bulk(PhaseChange, attach(batch.history))
        _bulk(CasePartner, partners)
    result.cases += len(batch.cases)
    result.subjects += len(subjects)
    result.tasks += len(tasks)
    result.events += len(events)
    result.partners += len(partners)


def _bulk(model: type[models.Model], rows: list[Any]) -> None:
    if rows:
        model.objects.bulk_create(rows, batch_size=2000)  # type: ignore[attr-defined]
