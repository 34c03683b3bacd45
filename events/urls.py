from django.urls import path

from .views import checkin, exports, management, public, settings, statistics

app_name = "events"

urlpatterns = [
    path("", public.editions, name="editions"),
    path("comparaison/", statistics.comparison, name="comparison"),
    path("nouvelle/", settings.edition_create_view, name="edition_create"),
    path("inscription/<str:token>/", public.manage, name="manage"),
    path("inscription/<str:token>/annuler/", public.manage_cancel, name="manage_cancel"),
    path("inscription/<str:token>/effacer/", public.manage_erase, name="manage_erase"),
    path("<int:year>/", public.edition, name="edition"),
    path("<int:year>/rencontre.ics", public.edition_ics_view, name="edition_ics"),
    path("<int:year>/inscription/", public.register, name="register"),
    path("<int:year>/inscription/lien/", public.resend_link, name="resend_link"),
    path("<int:year>/inscription/envoyee/", public.registration_sent, name="registration_sent"),
    path("<int:year>/participants/", public.participants, name="participants"),
    # Organisers
    path("<int:year>/gestion/", management.dashboard, name="dashboard"),
    path("<int:year>/gestion/inscriptions/", management.registrations, name="registrations"),
    path(
        "<int:year>/gestion/inscriptions/ajouter/",
        management.registration_add,
        name="registration_add",
    ),
    path(
        "<int:year>/gestion/inscriptions/<int:pk>/",
        management.registration_edit,
        name="registration_edit",
    ),
    path(
        "<int:year>/gestion/inscriptions/<int:pk>/annuler/",
        management.registration_cancel_view,
        name="registration_cancel",
    ),
    path(
        "<int:year>/gestion/inscriptions/<int:pk>/retablir/",
        management.registration_reinstate_view,
        name="registration_reinstate",
    ),
    path("<int:year>/gestion/parametres/", settings.edition_edit, name="edition_edit"),
    path("<int:year>/gestion/programme/", settings.programme_edit, name="programme_edit"),
    path("<int:year>/gestion/copier/", settings.edition_copy_view, name="edition_copy"),
    path("<int:year>/gestion/inviter/", settings.invite, name="invite"),
    path("<int:year>/gestion/import/", settings.registrations_import_view, name="import"),
    path("<int:year>/gestion/export.csv", exports.registrations_csv, name="export_csv"),
    path("<int:year>/gestion/export.xlsx", exports.registrations_xlsx, name="export_xlsx"),
    path("<int:year>/gestion/emargement.pdf", exports.attendance_pdf, name="attendance_pdf"),
    path("<int:year>/gestion/badges.pdf", exports.badges_pdf, name="badges_pdf"),
    # The day itself
    path("<int:year>/accueil/", checkin.checkin, name="checkin"),
    path("<int:year>/accueil/sur-place/", checkin.walk_in, name="walk_in"),
    path("<int:year>/accueil/<str:code>/", checkin.checkin_person, name="checkin_person"),
]
