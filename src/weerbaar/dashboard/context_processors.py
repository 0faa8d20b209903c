from typing import Any

from django.http import HttpRequest

from .navigation import modules_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Navigation only once sign-in is complete (second factor included where required)."""
    user = getattr(request, "user", None)
    ready = bool(
        user is not None
        and user.is_authenticated
        and (user.is_verified() or not user.needs_second_factor)
    )
    items = []
    if ready:
        for module in modules_for(user):
            url = module.url
            items.append(
                {
                    "slug": module.slug,
                    "label": module.label,
                    "url": url,
                    "current": request.path.startswith(url),
                }
            )
    return {"nav_items": items, "nav_ready": ready}
