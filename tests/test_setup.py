"""Settings and the command line: embedded default, production refusals, the demo command."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Role
from weerbaar.organisations.models import Municipality


def run_settings(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = "import django; django.setup(); print('ok')"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": module, **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False
    )


def test_production_refuses_missing_secret_key(tmp_path):
    result = run_settings(
        "weerbaar.settings.production", WEERBAAR_SECRET_KEY="", WEERBAAR_DATA_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "WEERBAAR_SECRET_KEY" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = run_settings(
        "weerbaar.settings.production",
        WEERBAAR_SECRET_KEY="x" * 60,
        WEERBAAR_DEBUG="1",
        WEERBAAR_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "WEERBAAR_DEBUG" in result.stderr


def test_production_starts_with_proper_settings(tmp_path):
    result = run_settings(
        "weerbaar.settings.production",
        WEERBAAR_SECRET_KEY="k" * 60,
        WEERBAAR_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_embedded_default_needs_no_variables(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEERBAAR_")}
    env["WEERBAAR_DATA_DIR"] = str(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "weerbaar.settings.base"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3 False", result.stderr
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_cli_help_lists_commands():
    result = subprocess.run(
        [sys.executable, "-m", "weerbaar.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "import-boundaries" in result.stdout and "demo" in result.stdout


@pytest.mark.django_db
def test_demo_is_repeatable_and_covers_every_role():
    out = StringIO()
    call_command("demo", stdout=out)
    first = out.getvalue()
    assert "Weerbaar-demo-2026" in first
    counts = (User.objects.count(), Municipality.objects.count())
    secrets_before = dict(User.objects.values_list("username", "totpdevice__key"))
    out = StringIO()
    call_command("demo", stdout=out)
    assert (User.objects.count(), Municipality.objects.count()) == counts
    assert dict(User.objects.values_list("username", "totpdevice__key")) == secrets_before
    assert {u.role for u in User.objects.all()} == {r.value for r in Role}
    assert all(u.is_demo for u in User.objects.all())
    assert Municipality.objects.get(code="GM0590").is_participating
    for line in ("beheerder", "regionaal-analist", "platformbeheerder"):
        assert line in out.getvalue()
    code = StringIO()
    call_command("demo_code", "regisseur", stdout=code)
    assert code.getvalue().strip().isdigit() and len(code.getvalue().strip()) == 6


@pytest.mark.django_db
def test_demo_shows_the_enrichment_walk():
    """The analist's walk of issue 5: a company linked with reasons, the address shared with
    other companies, an officer to confirm, and the company known in Dordrecht too."""
    from weerbaar.entities.models import EntityLink, LinkStatus
    from weerbaar.registry.models import Address, Company, Officer

    call_command("demo", "--quiet-accounts", stdout=StringIO())
    assert Company.objects.count() > 1000 and Address.objects.count() > 5000
    assert not Officer.objects.filter(person_key="").exists()
    walk = EntityLink.objects.filter(signal_subject__signal__description__contains="verrijking")
    company = walk.get(
        status=LinkStatus.AUTO,
        entity__key__startswith="kvk:",
        signal_subject__signal__municipality__code="GM0590",
    )
    assert any("Naam komt overeen" in r["text"] for r in company.reasons)
    assert walk.filter(status=LinkStatus.AUTO, entity__key__startswith="bag:").exists()
    assert walk.filter(status=LinkStatus.SUGGESTED, entity__key__startswith="persoon:").exists()
    assert walk.filter(
        entity=company.entity, signal_subject__signal__municipality__code="GM0505"
    ).exists()
    assert Municipality.objects.get(code="GM0590").region.shares_references
