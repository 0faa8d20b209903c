"""Issue 5's "Done when", in a real browser, on the demo itself.

The demo's analist signs in, finds a walk signal "(demo verrijking)", sees its company linked
to a (fictitious) register entry with reasons, confirms a suggested person, opens the
company's network from the Entiteiten module, sees another signal at the same address and a
reference to Dordrecht, opens the case's network and downloads it as FollowTheMoney JSON
lines (every line validated by ``followthemoney``) and as CSV.

The walk records are found by the demo's "(demo verrijking)" signals and their links, not by
company names: the registry generator may name its companies differently.
``call_command("demo")`` in a transactional test database takes 10-20 s on the 2-core
machine, so the whole walk is one test.
"""

from __future__ import annotations

import csv
import io
import json
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from followthemoney.util import make_entity_id
from playwright.sync_api import Page, expect

from weerbaar.accounts.otp import current_code
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.cases.models import Case
from weerbaar.demo.region import DEMO_MUNICIPALITY, DEMO_PASSWORD
from weerbaar.entities.models import EntityLink, LinkStatus
from weerbaar.registry.models import Company, Officer

from ..test_entities_network import assert_valid_ftm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WALK = "(demo verrijking)"
SLOW = 30_000  # ms; the machine is shared with benchmarks


def sign_in(page: Page, username: str) -> None:
    # The test's own queries run before the browser acts: on SQLite in memory the live server
    # shares this thread's connection, so the two must not use it at the same moment.
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.goto("/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_label("Code uit uw authenticator-app")).to_be_visible()
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")


def find_signal(page: Page, reference: str) -> None:
    """From the main menu: the signal list, searched for the walk, then the signal."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    page.get_by_label("Zoeken").fill(WALK)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state("networkidle")  # the list's htmx requests are done
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signaal {reference}")


def validated_ftm(path: Path) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert_valid_ftm(lines)
    return lines


def test_the_demo_analist_walks_the_enrichment(request: pytest.FixtureRequest) -> None:
    started = time.monotonic()
    # Before the live server: it runs under override_settings, where the demo command's
    # production guard finds no SETTINGS_MODULE.
    call_command("demo", "--quiet-accounts", stdout=StringIO())
    print(f"demo prepared in {time.monotonic() - started:.1f} s")  # shown with -s
    page: Page = request.getfixturevalue("page")
    page.set_default_timeout(SLOW)

    walk = EntityLink.objects.filter(
        signal_subject__signal__description__contains=WALK,
        signal_subject__signal__municipality__code=DEMO_MUNICIPALITY,
    ).select_related("entity", "signal_subject__signal")
    company_link = walk.get(status=LinkStatus.AUTO, entity__key__startswith="kvk:")
    company, company_signal = company_link.entity, company_link.signal_subject.signal
    address_link = walk.get(status=LinkStatus.AUTO, entity__key__startswith="bag:")
    address, address_signal = address_link.entity, address_link.signal_subject.signal
    kvk_number = company.key.removeprefix("kvk:")
    officers = {
        f"persoon:{o.person_key or f'f{o.pk}'}"
        for o in Officer.objects.filter(kvk_number=kvk_number)
    }
    # The company's officer, suggested for the person in a walk signal (among other persons).
    suggestion = walk.get(status=LinkStatus.SUGGESTED, entity__key__in=officers)
    person_signal = suggestion.signal_subject.signal
    elsewhere = (
        EntityLink.objects.filter(entity=company, signal_subject__isnull=False)
        .exclude(municipality__code=DEMO_MUNICIPALITY)
        .select_related("municipality")
        .get()
        .municipality
    )
    assert elsewhere.name == "Dordrecht"
    case = Case.objects.get(subjects__entity_links__entity=company)
    name = Company.objects.filter(kvk_number=kvk_number).order_by("branch_number").first().name

    sign_in(page, "analist")

    # A signal with its company linked to the register, with the reasons why.
    find_signal(page, company_signal.reference)
    panel = page.get_by_role("region", name="Verrijking uit KvK en BAG")
    expect(panel.get_by_role("link", name=company.label)).to_be_visible()
    expect(panel).to_contain_text("Automatisch gekoppeld")
    reasons = panel.get_by_role("list", name="Redenen van de koppeling")
    expect(reasons).to_contain_text("Naam komt overeen")
    expect(panel).to_contain_text("Ingeschreven sinds")  # a fact, with its source
    expect(panel).to_contain_text("bron: KvK Handelsregister")

    # A suggested person, confirmed through the panel; the page stays on the signal.
    find_signal(page, person_signal.reference)
    panel = page.get_by_role("region", name="Verrijking uit KvK en BAG")
    expect(panel).to_contain_text("Mogelijke koppelingen")
    proposal = panel.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=suggestion.entity.label)
    )
    proposal.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"Koppeling met {suggestion.entity.label} bevestigd."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signaal {person_signal.reference}")
    expect(proposal).to_have_count(0)  # no longer a suggestion, but a link:
    confirmed = panel.get_by_role("paragraph").filter(
        has=page.get_by_role("link", name=suggestion.entity.label)
    )
    expect(confirmed).to_contain_text("Bevestigd")
    page.wait_for_load_state("networkidle")  # before this thread uses the shared connection
    suggestion.refresh_from_db()
    assert suggestion.status == LinkStatus.CONFIRMED
    assert suggestion.decided_by is not None and suggestion.decided_by.username == "analist"
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_id=str(suggestion.pk), actor_id=suggestion.decided_by_id
    ).exists()

    # The company from the Entiteiten module: its signal and the reference to Dordrecht.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Entiteiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Entiteiten")
    page.get_by_role("search").get_by_role("textbox", name="Zoeken").fill(name)
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("table").get_by_role("link", name=f"KvK {kvk_number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(company.label)
    expect(page.get_by_role("link", name=company_signal.reference)).to_be_visible()
    expect(page.get_by_text(f"Ook bekend bij gemeente {elsewhere.name}")).to_be_visible()

    # Its network: the other signal at the same address, the person just confirmed, and
    # the reference to Dordrecht (only a reference: none of Dordrecht's signals).
    page.get_by_role("link", name="Netwerk bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Netwerk van ")
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    nodes = page.locator("#network-list")
    expect(nodes.locator(f'[data-node="{company.key}"]')).to_contain_text(
        f"{address.label} (vestigingsadres)"
    )
    at_address = nodes.locator(f'[data-node="signaal:{address_signal.pk}"]')
    expect(at_address.get_by_role("link", name=address_signal.reference)).to_be_visible()
    expect(at_address).to_contain_text(f"{address.label} (betrokkene bij signaal")
    expect(nodes.locator(f'[data-node="{suggestion.entity.key}"]')).to_contain_text(
        person_signal.reference
    )
    expect(nodes).not_to_contain_text("GM0505-")
    region = page.get_by_role("region", name="Elders in de regio")
    expect(region).to_contain_text(f"Ook bekend bij gemeente {elsewhere.name}")
    expect(region).to_contain_text("Neem contact op met de regisseur")

    # The case's network, exported from its network page as FollowTheMoney and as CSV.
    nodes.locator(f'[data-node="casus:{case.pk}"]').get_by_role(
        "link", name="netwerk vanaf hier"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    with page.expect_download() as ftm_download:
        page.get_by_role("link", name="Netwerk van de casus exporteren (FollowTheMoney)").click()
    assert ftm_download.value.suggested_filename.endswith("-netwerk.ftm.jsonl")
    lines = validated_ftm(Path(ftm_download.value.path()))
    by_id = {line["id"]: line for line in lines}
    exported = by_id[make_entity_id(company.key, key_prefix="weerbaar")]
    assert exported["schema"] == "Company"
    assert name in exported["properties"]["name"]  # type: ignore[index]
    assert make_entity_id(address.key, key_prefix="weerbaar") in by_id
    assert {"Company", "Address", "Person", "Event", "Project"} <= {
        str(line["schema"]) for line in lines
    }
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, object_type="cases.Case", object_id=str(case.pk)
    ).exists()

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="als CSV").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["bron_sleutel", "bron_soort", "bron_naam", "relatie"]
    relations = {(r[0], r[3], r[4]) for r in rows[1:]}
    assert (company.key, "vestigingsadres", address.key) in relations
    assert any(r[0] == company.key and r[4] == f"casus:{case.reference}" for r in rows[1:])
    assert any(r[0] == suggestion.entity.key and r[4] == company.key for r in rows[1:])
    assert "GM0505-" not in text  # Dordrecht's signal stays in Dordrecht
