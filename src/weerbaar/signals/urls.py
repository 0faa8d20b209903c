from django.urls import path

from . import views, views_phenomena

app_name = "signals"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("nieuw/", views.signal_create, name="create"),
    path("importeren/", views.signal_import, name="import"),
    path("kaart/gemeentegrens/", views.municipality_outline, name="outline"),
    path("fenomenen/", views_phenomena.phenomena, name="phenomena"),
    path("fenomenen/<int:pk>/", views_phenomena.phenomena, name="phenomenon_update"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/status/", views.signal_status, name="status"),
    path("<int:pk>/behandelaar/", views.signal_assign, name="assign"),
    path("<int:pk>/beoordeling/", views.signal_triage, name="triage"),
    path("<int:pk>/samenvoegen/", views.signal_merge, name="merge"),
    path("<int:pk>/blokkade/", views.signal_legal_hold, name="legal_hold"),
    path("<int:pk>/bijlagen/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/betrokkenen/", views.subject_add, name="subject_add"),
    path("<int:pk>/betrokkenen/<int:subject_pk>/", views.subject_edit, name="subject_edit"),
    path(
        "<int:pk>/betrokkenen/<int:subject_pk>/verwijderen/",
        views.subject_remove,
        name="subject_remove",
    ),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
