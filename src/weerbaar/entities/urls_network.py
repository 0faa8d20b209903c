"""Network view and exports (routes added by the network module)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
