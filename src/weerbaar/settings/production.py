"""Production settings: the base settings, hardened, refusing to start with unsafe values."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, env

if DEBUG:
    raise ImproperlyConfigured("WEERBAAR_DEBUG staat aan: dat mag niet in productie.")
if (
    not env("SECRET_KEY")
    or len(env("SECRET_KEY")) < 50
    or env("SECRET_KEY").startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "Zet WEERBAAR_SECRET_KEY op een eigen, willekeurige sleutel van minstens 50 tekens."
    )
SECRET_KEY = env("SECRET_KEY")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env("SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
