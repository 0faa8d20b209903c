"""Prepare the embedded demo: migrate, reference data, demo region, and print the accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.demo.lio import load_demo_cases_and_lio
from weerbaar.demo.region import DEMO_PASSWORD, load_demo_region
from weerbaar.demo.registry import load_demo_enrichment, load_demo_registry
from weerbaar.demo.signals import load_demo_signals
from weerbaar.organisations.reference import load_reference_data
from weerbaar.signals.taxonomy import load_phenomena


class Command(BaseCommand):
    help = "Zet de demo klaar (database, gemeententabel, demoregio, accounts) en toont de accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="Accounts niet tonen")

    def handle(self, *args: Any, quiet_accounts: bool = False, **options: Any) -> None:
        if (settings.SETTINGS_MODULE or "").endswith(".production"):
            raise CommandError("Demogegevens horen niet in een productie-installatie.")
        call_command("migrate", interactive=False, verbosity=0)
        result = load_reference_data()
        self.stdout.write(f"Gemeententabel: {result.created} nieuw, {result.updated} bijgewerkt.")
        accounts = load_demo_region()
        load_phenomena()
        if load_demo_registry():
            self.stdout.write("Demoregisters (KvK en BAG, fictief) gemaakt en ingelezen.")
        load_demo_signals()
        load_demo_cases_and_lio()
        load_demo_enrichment()
        if quiet_accounts:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo-accounts (alle gegevens zijn fictief)"))
        self.stdout.write(f"Wachtwoord voor elk account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Tweede factor: voeg de geheime sleutel toe aan een authenticator-app, of vraag de "
            "huidige code op met: .venv/bin/weerbaar demo-code GEBRUIKERSNAAM"
        )
        self.stdout.write("")
        header = f"{'gebruikersnaam':<22}{'rol':<26}{'organisatie':<40}tweede factor (TOTP-sleutel)"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for a in accounts:
            secret = a.totp_secret or "niet vereist"
            self.stdout.write(f"{a.username:<22}{a.role_label:<26}{a.organisation:<40}{secret}")
        self.stdout.write("")
