from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.otp import current_code


class Command(BaseCommand):
    help = "Toont de huidige tweede-factorcode van een demo-account (alleen demo-accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        from django.conf import settings

        if (settings.SETTINGS_MODULE or "").endswith(".production"):
            raise CommandError("Niet beschikbaar in een productie-installatie.")
        device = TOTPDevice.objects.filter(
            user__username=username, user__is_demo=True, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"Geen demo-account met tweede factor gevonden: {username}")
        self.stdout.write(current_code(device))
