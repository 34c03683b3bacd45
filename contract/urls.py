from django.urls import path

from . import views

app_name = "contract"

urlpatterns = [
    path("", views.index, name="index"),
    path("priorites/<slug:slug>/", views.priority, name="priority"),
    path("instances/<slug:slug>/", views.body, name="body"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/priorites/ajouter/", views.priority_create_view, name="priority_create"),
    path("gestion/priorites/<int:pk>/", views.priority_edit, name="priority_edit"),
    path("gestion/priorites/<int:pk>/deplacer/", views.priority_move_view, name="priority_move"),
    path(
        "gestion/priorites/<int:pk>/supprimer/", views.priority_delete_view, name="priority_delete"
    ),
    path("gestion/instances/ajouter/", views.body_create_view, name="body_create"),
    path("gestion/instances/<int:pk>/", views.body_edit, name="body_edit"),
    path("gestion/instances/<int:pk>/deplacer/", views.body_move_view, name="body_move"),
    path("gestion/instances/<int:pk>/supprimer/", views.body_delete_view, name="body_delete"),
]
