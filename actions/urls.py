from django.urls import path

from .views import actions, imports

app_name = "actions"

urlpatterns = [
    path("", actions.action_list, name="list"),
    path("proposer/", actions.action_create, name="create"),
    path("importer/", imports.programme_import, name="import"),
    path("exporter/<int:year>.<str:fmt>", imports.programme_export, name="export"),
    path("depuis-un-pitch/<int:sheet>/", actions.action_from_pitch, name="from_pitch"),
    path("<int:pk>/", actions.action_detail, name="detail"),
    path("<int:pk>/modifier/", actions.action_edit, name="edit"),
    path("<int:pk>/statut/", actions.action_status, name="status"),
    path("<int:pk>/reconduire/", actions.action_renew, name="renew"),
    path("<int:pk>/supprimer/", actions.action_delete, name="delete"),
]
