from django.urls import include, path

from . import views

app_name = "entities"

urlpatterns = [
    path("", views.EntitySearchView.as_view(), name="search"),
    path("koppeling/<int:pk>/", views.decide_link_view, name="decide-link"),
    path("samenvoeging/<int:pk>/ongedaan/", views.unmerge_view, name="unmerge"),
    path("", include("weerbaar.entities.urls_network")),
    path("<str:key>/", views.EntityDetailView.as_view(), name="detail"),
    path("<str:key>/samenvoegen/", views.merge_view, name="merge"),
]
