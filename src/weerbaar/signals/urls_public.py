from django.urls import path

from . import views_public

app_name = "report"

urlpatterns = [
    path("", views_public.choose_municipality, name="choose"),
    path("code/", views_public.reporter_status, name="status"),
    path("<str:code>/", views_public.public_report, name="form"),
]
