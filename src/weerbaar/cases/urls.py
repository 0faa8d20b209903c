from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("uit-signaal/<int:signal_pk>/", views.open_from_signal, name="open_from_signal"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/bewerken/", views.case_edit, name="edit"),
    path("<int:pk>/fase/", views.case_phase, name="phase"),
    path("<int:pk>/partners/", views.partner_add, name="partner_add"),
    path("<int:pk>/partners/<int:membership_pk>/weg/", views.partner_remove, name="partner_remove"),
    path("<int:pk>/taken/", views.task_add, name="task_add"),
    path("<int:pk>/taken/<int:task_pk>/klaar/", views.task_done, name="task_done"),
    path("<int:pk>/documenten/", views.document_add, name="document_add"),
    path("<int:pk>/documenten/<int:document_pk>/", views.document_download, name="document"),
    path("<int:pk>/betrokkenen/", views.subject_add, name="subject_add"),
    path("<int:pk>/team/", views.members, name="members"),
    path("<int:pk>/blokkade/", views.legal_hold, name="legal_hold"),
    path("<int:pk>/formulier/<slug:slug>/", views.case_form, name="form"),
]
