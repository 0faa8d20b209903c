from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from weerbaar.core.errors import bad_request, page_not_found, permission_denied, server_error

handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error

urlpatterns = [
    path(
        "favicon.ico",
        login_not_required(
            RedirectView.as_view(url="/static/weerbaar/favicon.svg", permanent=True)
        ),
    ),
    path("", include("weerbaar.accounts.urls")),
    path("", include("weerbaar.dashboard.urls")),
    path("signalen/", include("weerbaar.signals.urls")),
    path("casussen/", include("weerbaar.cases.urls")),
    path("controles/", include("weerbaar.inspections.urls")),
    path("casussen/", include("weerbaar.interventions.urls")),
    path("lio/", include("weerbaar.lio.urls")),
    path("entiteiten/", include("weerbaar.entities.urls")),
    path("melden/", include("weerbaar.signals.urls_public")),
    path("berichten/", include("weerbaar.notifications.urls")),
    path("beheer/", include("weerbaar.organisations.urls")),
    path("beheer/auditlog/", include("weerbaar.audit.urls")),
    path("api/v1/", include("weerbaar.api.urls")),
]
