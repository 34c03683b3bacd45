from django.urls import path

from . import views

app_name = "neighbourhoods"

# Fixed addresses first: a territory's slug cannot take "trouver" or "perimetre" from them
# (contrat_ville.services.RESERVED_TERRITORY_SLUGS).
urlpatterns = [
    path("", views.index, name="index"),
    path("trouver/", views.finder, name="finder"),
    path("perimetre/", views.perimeter, name="perimeter"),
    path("perimetre/contour/<int:pk>/", views.contour_edit, name="contour"),
    path("<slug:slug>/", views.detail, name="detail"),
]
