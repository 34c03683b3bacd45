"""The events that are not the rencontre (training sessions, bodies' meetings, thematic
workshops): the same pages, found by their number."""

from django.urls import include, path

from .urls import event_patterns
from .views import occasions

app_name = "occasions"

urlpatterns = [
    path("", occasions.occasions, name="index"),
    path("nouveau/", occasions.occasion_create_view, name="create"),
    path("<int:event>/", include(event_patterns)),
]
