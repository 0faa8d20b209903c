"""TOTP second factor (django-otp): set-up, checking, and the QR code for authenticator apps."""

from __future__ import annotations

import io
from base64 import b32encode

import segno
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "Authenticator-app"


def has_confirmed_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up, created on first visit and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        scale=5,
        title="QR-code voor uw authenticator-app",
    )
    return buffer.getvalue().decode()


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now (for the demo helper and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wait_seconds(device: TOTPDevice) -> int:
    """Seconds until another code may be tried (django-otp doubles the wait per failure)."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    from django.utils import timezone

    return max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)


def check_code(device: TOTPDevice, code: str) -> bool:
    """True if ``code`` is valid and not used before (django-otp refuses replays and throttles)."""
    code = "".join(code.split())
    if not code.isdigit() or wait_seconds(device):
        return False
    return bool(device.verify_token(code))
