from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("beheer/", views.admin_overview, name="admin"),
    path("module/<slug:slug>/", views.module, name="module"),
]
