"""Throttling for the public pages without keeping anyone's IP address.

The counter key is an HMAC of the client address and the hour, so the cache never holds the
address itself and yesterday's keys cannot be linked to today's. Production should use a
cache shared by all web processes (WEERBAAR_CACHE_URL); the embedded default is per process.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The client's address; behind a reverse proxy, the one that proxy reports.

    Set WEERBAAR_PROXY_CLIENT_HEADER (e.g. HTTP_X_FORWARDED_FOR) only when a trusted proxy
    sets it: the last address in the header is the one the proxy saw.
    """
    header = settings.PROXY_CLIENT_HEADER
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(request: HttpRequest, scope: str) -> str:
    address = client_address(request)
    hour = timezone.now().strftime("%Y%m%d%H")
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}|{address}|{hour}".encode(), hashlib.sha256
    )
    return f"throttle:{scope}:{digest.hexdigest()[:32]}"


def allow(request: HttpRequest, scope: str, limit: int) -> bool:
    """Count one attempt; False once ``limit`` attempts this hour came from this client."""
    key = _key(request, scope)
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count <= limit
