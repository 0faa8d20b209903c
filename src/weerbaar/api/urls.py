from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from weerbaar.accounts.api import CurrentUserView
from weerbaar.cases.api import CaseViewSet
from weerbaar.entities.api import EntityLinkViewSet, EntityMergeViewSet, EntityViewSet
from weerbaar.inspections.api import InspectionViewSet
from weerbaar.interventions.api import InterventionViewSet
from weerbaar.lio.api import DecisionViewSet, MeetingViewSet
from weerbaar.organisations.api import MunicipalityViewSet, PartnerOrganisationViewSet, TeamViewSet
from weerbaar.signals.api import SignalViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("partner-organisations", PartnerOrganisationViewSet, basename="partnerorganisation")
router.register("teams", TeamViewSet, basename="team")
router.register("signals", SignalViewSet, basename="signal")
router.register("cases", CaseViewSet, basename="case")
router.register("lio-meetings", MeetingViewSet, basename="lio-meeting")
router.register("lio-decisions", DecisionViewSet, basename="lio-decision")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("interventions", InterventionViewSet, basename="intervention")
router.register("entities", EntityViewSet, basename="entity")
router.register("entity-links", EntityLinkViewSet, basename="entity-link")
router.register("entity-merges", EntityMergeViewSet, basename="entity-merge")

urlpatterns = [
    path("me/", CurrentUserView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles from its own (self-hosted) script; scripts stay 'self' only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
