"""The "add ..." forms of the case page, rendered when someone opens them.

A case page is read far more often than it is changed, and its forms were half of the
rendering time (choice lists of colleagues and partners, some 40 widgets) plus the queries
behind those lists. So each form sits in a closed ``<details>``; opening it fetches the form
(htmx), and without JavaScript the link inside opens the form on a page of its own. A form
that came back with errors is still rendered inline and open, with the input kept.

Other apps (interventions) register their own forms here, so the cases app does not
import them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.models import User

from .models import Case


@dataclass(frozen=True)
class PageForm:
    slug: str  # in the URL: /casussen/<pk>/formulier/<slug>/
    title: (
        Any  # (lazy) text: summary of the <details>, heading of the no-JS page and the button text
    )
    action: str  # URL name (with the case pk) the form posts to
    build: Callable[[User, Case], forms.BaseForm]
    multipart: bool = False
    after: str = ""  # template shown below the form (e.g. the legal bases of interventions)

    def url(self, case: Case) -> str:
        return reverse("cases:form", args=[case.pk, self.slug])

    def action_url(self, case: Case) -> str:
        return reverse(self.action, args=[case.pk])


PAGE_FORMS: dict[str, PageForm] = {}


def register(page_form: PageForm) -> PageForm:
    PAGE_FORMS[page_form.slug] = page_form
    return page_form


def slot(slug: str, case: Case, bound: forms.BaseForm | None = None) -> dict[str, Any]:
    """What the case page needs to show one form: closed and fetched on demand, or, when a
    post came back with errors, the bound form inline and open."""
    spec = PAGE_FORMS[slug]
    return {
        "spec": spec,
        "form": bound,
        "url": spec.url(case),
        "action_url": spec.action_url(case),
    }


def _register_case_forms() -> None:
    from weerbaar.signals.forms import SubjectForm

    from .forms import DocumentForm, MembersForm, PartnerForm, PhaseForm, TaskForm

    for spec in (
        PageForm("fase", _("Fase wijzigen"), "cases:phase", lambda u, c: PhaseForm(case=c)),
        PageForm(
            "betrokkene",
            _("Betrokkene toevoegen"),
            "cases:subject_add",
            lambda u, c: SubjectForm(prefix="nieuw"),
        ),
        PageForm("taak", _("Taak toevoegen"), "cases:task_add", lambda u, c: TaskForm(case=c)),
        PageForm(
            "document",
            _("Document toevoegen"),
            "cases:document_add",
            lambda u, c: DocumentForm(),
            multipart=True,
        ),
        PageForm(
            "partner",
            _("Partner toevoegen"),
            "cases:partner_add",
            lambda u, c: PartnerForm(actor=u, case=c),
        ),
        PageForm(
            "team", _("Casusteam wijzigen"), "cases:members", lambda u, c: MembersForm(case=c)
        ),
    ):
        register(spec)


_register_case_forms()
