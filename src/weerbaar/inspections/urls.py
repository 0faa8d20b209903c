from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("jaardoel/", views.target_set, name="target"),
    path("plannen/", views.inspection_create, name="create"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/bewerken/", views.inspection_edit, name="edit"),
    path("<int:pk>/status/", views.inspection_status, name="status"),
    path("<int:pk>/objecten/", views.object_add, name="object_add"),
    path("<int:pk>/objecten/<int:object_pk>/weg/", views.object_remove, name="object_remove"),
    path("<int:pk>/objecten/<int:object_pk>/bevinding/", views.finding_save, name="finding"),
    path("<int:pk>/objecten/<int:object_pk>/signaal/", views.finding_signal, name="finding_signal"),
    path(
        "<int:pk>/objecten/<int:object_pk>/interventie/",
        views.finding_intervention,
        name="finding_intervention",
    ),
]
