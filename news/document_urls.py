from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="library"),
    path("ajouter/", views.document_create, name="create"),
    path("gestion/<int:pk>/", views.document_edit, name="edit"),
    path("gestion/<int:pk>/publier/", views.document_publish, name="publish"),
    path("gestion/<int:pk>/retirer/", views.document_unpublish, name="unpublish"),
    path("<slug:slug>/", views.document_detail, name="detail"),
    path("<slug:slug>/fichier", views.document_file, name="file"),
]
