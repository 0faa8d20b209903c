"""Network view and exports: included by ``entities/urls.py`` before ``<key>/``."""

from django.urls import URLPattern, path

from . import views_case, views_network

urlpatterns: list[URLPattern] = [
    path(
        "casus/<int:pk>/netwerk.ftm.jsonl",
        views_network.case_network_ftm,
        name="case-network-ftm",
    ),
    path("casus/<int:pk>/netwerk.csv", views_network.case_network_csv, name="case-network-csv"),
    path(
        "casus/<int:pk>/verrijking/",
        views_case.case_enrichment_view,
        name="case-enrichment",
    ),
    path("<str:key>/netwerk/", views_network.network_page, name="network"),
    path("<str:key>/netwerk.json", views_network.network_json, name="network-json"),
]
