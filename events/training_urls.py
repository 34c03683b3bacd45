from django.urls import path

from .views import trainings

app_name = "trainings"

urlpatterns = [
    path("", trainings.catalogue, name="catalogue"),
    path("nouvelle/", trainings.training_create_view, name="training_create"),
    path("<slug:slug>/", trainings.training, name="training"),
    path("<slug:slug>/modifier/", trainings.training_edit, name="training_edit"),
    path("<slug:slug>/sessions/ajouter/", trainings.session_create, name="session_create"),
]
