"""Roles and what each may do: the one place where permissions are defined.

Every read gate (``Model.objects.for_user``), view, API endpoint and navigation item asks
:func:`has_perm` or the scope helpers below; nothing else decides who may do what.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("Beheerder")
    REGISSEUR = "regisseur", _("Regisseur ondermijning")
    ANALIST = "analist", _("Analist")
    MEDEWERKER = "medewerker", _("Medewerker")
    PARTNER = "partner", _("Partner")
    BESTUURDER = "bestuurder", _("Bestuurder")
    REGIONAAL_ANALIST = "regionaal_analist", _("Regionaal analist")
    PLATFORMBEHEERDER = "platformbeheerder", _("Platformbeheerder")


class Scope(StrEnum):
    """Which organisation an account belongs to, and so which data it can reach at most."""

    MUNICIPALITY = "municipality"
    PARTNER = "partner"
    REGION = "region"
    PLATFORM = "platform"


class Perm(StrEnum):
    SEE_PERSONAL_DATA = "see_personal_data"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_DISTRICTS = "manage_districts"
    MANAGE_REFERENCE_DATA = "manage_reference_data"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_ORGANISATIONS = "view_organisations"
    USE_API_TOKENS = "use_api_tokens"
    # Signals
    SIGNALS_REPORT = "signals_report"  # file signals; see one's own
    SIGNALS_TRIAGE = "signals_triage"  # all signals of the municipality: read, assign, move on
    SIGNALS_REPORTER_IDENTITY = "signals_reporter_identity"  # who reported, when known
    MANAGE_PHENOMENA = "manage_phenomena"  # extend the phenomenon taxonomy
    # Cases, LIO, inspections
    CASES_WORK = "cases_work"  # open, lead and edit the municipality's cases
    LIO_PREPARE = "lio_prepare"  # schedule LIO meetings, build the agenda, record decisions
    INSPECTIONS_PLAN = "inspections_plan"  # plan and record integral inspections
    REGISTRY_READ = "registry_read"  # read the KvK and BAG copies (enrichment)
    ENTITIES_RESOLVE = "entities_resolve"  # confirm/reject matches, merge and unmerge entities
    # Modules; each grants its navigation item and entry page.
    MODULE_SIGNALS = "module_signals"
    MODULE_LIO = "module_lio"
    MODULE_CASES = "module_cases"
    MODULE_INSPECTIONS = "module_inspections"
    MODULE_ENTITIES = "module_entities"
    MODULE_PICTURE = "module_picture"
    MODULE_RESILIENCE = "module_resilience"
    MODULE_KNOWLEDGE = "module_knowledge"
    MODULE_PLAN = "module_plan"
    MODULE_ADMIN = "module_admin"


ROLE_SCOPE: dict[str, Scope] = {
    Role.BEHEERDER: Scope.MUNICIPALITY,
    Role.REGISSEUR: Scope.MUNICIPALITY,
    Role.ANALIST: Scope.MUNICIPALITY,
    Role.MEDEWERKER: Scope.MUNICIPALITY,
    Role.BESTUURDER: Scope.MUNICIPALITY,
    Role.PARTNER: Scope.PARTNER,
    Role.REGIONAAL_ANALIST: Scope.REGION,
    Role.PLATFORMBEHEERDER: Scope.PLATFORM,
}

_P = Perm
ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.BEHEERDER: frozenset(
        {
            _P.SEE_PERSONAL_DATA,  # account details of colleagues, the audit log
            _P.MANAGE_ACCOUNTS,
            _P.MANAGE_ORGANISATION,
            _P.MANAGE_PHENOMENA,
            _P.VIEW_AUDIT_LOG,
            _P.VIEW_ORGANISATIONS,
            _P.USE_API_TOKENS,
            _P.MODULE_RESILIENCE,
            _P.MODULE_KNOWLEDGE,
            _P.MODULE_ADMIN,
        }
    ),
    Role.REGISSEUR: frozenset(
        {
            _P.SEE_PERSONAL_DATA,
            _P.SIGNALS_REPORT,
            _P.SIGNALS_TRIAGE,
            _P.SIGNALS_REPORTER_IDENTITY,
            _P.CASES_WORK,
            _P.LIO_PREPARE,
            _P.INSPECTIONS_PLAN,
            _P.REGISTRY_READ,
            _P.ENTITIES_RESOLVE,
            _P.VIEW_ORGANISATIONS,
            _P.USE_API_TOKENS,
            _P.MODULE_SIGNALS,
            _P.MODULE_LIO,
            _P.MODULE_CASES,
            _P.MODULE_INSPECTIONS,
            _P.MODULE_ENTITIES,
            _P.MODULE_PICTURE,
            _P.MODULE_RESILIENCE,
            _P.MODULE_KNOWLEDGE,
            _P.MODULE_PLAN,
        }
    ),
    Role.ANALIST: frozenset(
        {
            _P.SEE_PERSONAL_DATA,
            _P.SIGNALS_REPORT,
            _P.SIGNALS_TRIAGE,
            _P.CASES_WORK,
            _P.LIO_PREPARE,
            _P.INSPECTIONS_PLAN,
            _P.REGISTRY_READ,
            _P.ENTITIES_RESOLVE,
            _P.VIEW_ORGANISATIONS,
            _P.USE_API_TOKENS,
            _P.MODULE_SIGNALS,
            _P.MODULE_LIO,
            _P.MODULE_CASES,
            _P.MODULE_INSPECTIONS,
            _P.MODULE_ENTITIES,
            _P.MODULE_PICTURE,
            _P.MODULE_KNOWLEDGE,
        }
    ),
    # Reports signals and sees only their own.
    Role.MEDEWERKER: frozenset(
        {_P.SEE_PERSONAL_DATA, _P.SIGNALS_REPORT, _P.MODULE_SIGNALS, _P.MODULE_KNOWLEDGE}
    ),
    # Sees only what is shared with their organisation.
    Role.PARTNER: frozenset(
        {
            _P.SEE_PERSONAL_DATA,
            _P.VIEW_ORGANISATIONS,  # the municipalities and region it works with
            _P.USE_API_TOKENS,
            _P.SIGNALS_REPORT,  # through the API, for the municipalities it works with
            _P.MODULE_SIGNALS,
            _P.MODULE_LIO,
            _P.MODULE_CASES,
            _P.MODULE_INSPECTIONS,
        }
    ),
    # Dashboards, no personal data.
    Role.BESTUURDER: frozenset(
        {_P.VIEW_ORGANISATIONS, _P.MODULE_PICTURE, _P.MODULE_RESILIENCE, _P.MODULE_PLAN}
    ),
    # Aggregates across the municipalities of a region, no personal data.
    Role.REGIONAAL_ANALIST: frozenset(
        {
            _P.VIEW_ORGANISATIONS,
            _P.USE_API_TOKENS,
            _P.MODULE_PICTURE,
            _P.MODULE_RESILIENCE,
            _P.MODULE_KNOWLEDGE,
        }
    ),
    # Installation-wide: accounts, organisations, reference data; no case content.
    Role.PLATFORMBEHEERDER: frozenset(
        {
            _P.SEE_PERSONAL_DATA,  # account details across the installation
            _P.MANAGE_ACCOUNTS,
            _P.MANAGE_ORGANISATION,
            _P.MANAGE_DISTRICTS,
            _P.MANAGE_REFERENCE_DATA,
            _P.VIEW_AUDIT_LOG,
            _P.VIEW_ORGANISATIONS,
            _P.USE_API_TOKENS,
            _P.MODULE_KNOWLEDGE,
            _P.MODULE_ADMIN,
        }
    ),
}


def perms_for(role: str) -> frozenset[Perm]:
    return ROLE_PERMS.get(role, frozenset())


def role_has_perm(role: str, perm: Perm) -> bool:
    return perm in perms_for(role)


def requires_second_factor(role: str) -> bool:
    """A second factor is required for every role that can see personal data."""
    return role_has_perm(role, Perm.SEE_PERSONAL_DATA)


def scope_of(role: str) -> Scope:
    return ROLE_SCOPE[role]


def assignable_roles(actor_role: str) -> list[str]:
    """The roles an account with ``actor_role`` may give to accounts it manages."""
    if not role_has_perm(actor_role, Perm.MANAGE_ACCOUNTS):
        return []
    if scope_of(actor_role) is Scope.PLATFORM:
        return [r.value for r in Role]
    return [r.value for r in Role if scope_of(r) is Scope.MUNICIPALITY]
