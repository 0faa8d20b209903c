from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("gemeenten/", views.MunicipalityListView.as_view(), name="municipality_list"),
    path("gemeenten/<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("gemeenten/<int:municipality_pk>/teams/nieuw/", views.team_edit, name="team_create"),
    path("gemeenten/<int:municipality_pk>/teams/<int:pk>/", views.team_edit, name="team_update"),
    path(
        "gemeenten/<int:municipality_pk>/teams/<int:pk>/verwijderen/",
        views.team_delete,
        name="team_delete",
    ),
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/nieuw/", views.partner_edit, name="partner_create"),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<int:pk>/wijzigen/", views.partner_edit, name="partner_update"),
    path("grenzen/", views.boundaries, name="boundaries"),
    path("districten/", views.DistrictListView.as_view(), name="district_list"),
    path("regios/", views.region_list, name="region_list"),
    path("districten/nieuw/", views.district_edit, name="district_create"),
    path("districten/<int:pk>/", views.district_edit, name="district_update"),
]
