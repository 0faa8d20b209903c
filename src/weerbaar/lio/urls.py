from django.urls import path

from . import views

app_name = "lio"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/vergadering/", views.meeting_present, name="present"),
    path("<int:pk>/verslag.pdf", views.minutes_pdf, name="minutes"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/partners/", views.organisation_add, name="organisation_add"),
    path(
        "<int:pk>/partners/<int:row_pk>/weg/", views.organisation_remove, name="organisation_remove"
    ),
    path("<int:pk>/genodigden/", views.attendees, name="attendees"),
    path("<int:pk>/agenda/vullen/", views.agenda_build, name="agenda_build"),
    path("<int:pk>/agenda/", views.item_add, name="item_add"),
    path("<int:pk>/agenda/<int:item_pk>/delen/", views.item_share, name="item_share"),
    path("<int:pk>/agenda/<int:item_pk>/besluit/", views.item_decide, name="item_decide"),
    path("<int:pk>/acties/", views.action_add, name="action_add"),
    path("<int:pk>/acties/<int:action_pk>/klaar/", views.action_done, name="action_done"),
]
