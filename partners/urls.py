from django.urls import path

from .views import directory, moderation, opendata, profile, taxonomy

app_name = "partners"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("carte/", directory.directory_map_view, name="directory_map"),
    path("export.csv", opendata.export_csv, name="export_csv"),
    path("export.json", opendata.export_json, name="export_json"),
    path("proposer/", profile.actor_create_view, name="actor_create"),
    path("mes-structures/", profile.my_actors, name="my_actors"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("a-mettre-a-jour/", moderation.stale, name="stale"),
    path("demandes/<int:pk>/", moderation.join_request_decide_view, name="join_request_decide"),
    path("thematiques/", taxonomy.taxonomy, name="taxonomy"),
    path("thematiques/theme/ajouter/", taxonomy.theme_create, name="theme_create"),
    path("thematiques/theme/<int:pk>/", taxonomy.theme_edit, name="theme_edit"),
    path("thematiques/competence/ajouter/", taxonomy.competence_create, name="competence_create"),
    path("thematiques/competence/<int:pk>/", taxonomy.competence_edit, name="competence_edit"),
    path("thematiques/public/ajouter/", taxonomy.public_create, name="public_create"),
    path("thematiques/public/<int:pk>/", taxonomy.public_edit, name="public_edit"),
    path("<slug:slug>/", directory.actor_detail, name="actor_detail"),
    path("<slug:slug>/logo", directory.actor_logo, name="actor_logo"),
    path("<slug:slug>/modifier/", profile.actor_edit, name="actor_edit"),
    path("<slug:slug>/contacts/", profile.actor_contacts, name="actor_contacts"),
    path("<slug:slug>/a-jour/", profile.actor_verify_view, name="actor_verify"),
    path("<slug:slug>/statut/", moderation.actor_status, name="actor_status"),
    path("<slug:slug>/rejoindre/", profile.actor_join, name="actor_join"),
    path(
        "<slug:slug>/membres/<int:membership_id>/retirer/",
        profile.member_remove,
        name="member_remove",
    ),
]
