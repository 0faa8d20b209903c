from django.urls import path

from . import views

app_name = "interventions"

# Included under casussen/, next to the case pages.
urlpatterns = [
    path("<int:case_pk>/interventies/", views.intervention_add, name="add"),
    path("<int:case_pk>/interventies/<int:pk>/bewerken/", views.intervention_edit, name="edit"),
]
