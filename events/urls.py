from django.urls import include, path

from .views import checkin, exports, followup, history, management, public, settings, statistics

app_name = "events"

# The pages every event has, whatever its kind: mounted under /rencontres/<year>/ for the
# rencontre (below) and under /evenements/<event>/ for the others (occasion_urls).
event_patterns = [
    path("", public.edition, name="edition"),
    path("evenement.ics", public.edition_ics_view, name="edition_ics"),
    path("inscription/", public.register, name="register"),
    path("inscription/lien/", public.resend_link, name="resend_link"),
    path("inscription/envoyee/", public.registration_sent, name="registration_sent"),
    path("participants/", public.participants, name="participants"),
    # Organisers
    path("gestion/", management.dashboard, name="dashboard"),
    path("gestion/inscriptions/", management.registrations, name="registrations"),
    path(
        "gestion/inscriptions/ajouter/",
        management.registration_add,
        name="registration_add",
    ),
    path(
        "gestion/inscriptions/<int:pk>/",
        management.registration_edit,
        name="registration_edit",
    ),
    path(
        "gestion/inscriptions/<int:pk>/annuler/",
        management.registration_cancel_view,
        name="registration_cancel",
    ),
    path(
        "gestion/inscriptions/<int:pk>/retablir/",
        management.registration_reinstate_view,
        name="registration_reinstate",
    ),
    path("gestion/parametres/", settings.edition_edit, name="edition_edit"),
    path("gestion/programme/", settings.programme_edit, name="programme_edit"),
    path("gestion/documents/", settings.documents_edit, name="documents_edit"),
    path("gestion/inviter/", settings.invite, name="invite"),
    path("gestion/import/", settings.registrations_import_view, name="import"),
    path("gestion/export.csv", exports.registrations_csv, name="export_csv"),
    path("gestion/export.xlsx", exports.registrations_xlsx, name="export_xlsx"),
    path("gestion/emargement.pdf", exports.attendance_pdf, name="attendance_pdf"),
    path("gestion/badges.pdf", exports.badges_pdf, name="badges_pdf"),
    path("gestion/attestations/", followup.certificates_send_view, name="certificates_send"),
    path("gestion/questionnaire/", followup.survey_results, name="survey_results"),
    path("gestion/questionnaire.csv", followup.survey_csv, name="survey_csv"),
    # The day itself
    path("accueil/", checkin.checkin, name="checkin"),
    path("accueil/sur-place/", checkin.walk_in, name="walk_in"),
    path("accueil/<str:code>/", checkin.checkin_person, name="checkin_person"),
]

urlpatterns = [
    path("", public.editions, name="editions"),
    path("comparaison/", statistics.comparison, name="comparison"),
    path("nouvelle/", settings.edition_create_view, name="edition_create"),
    path("mes-participations/", history.my_events, name="history"),
    # The manage link serves a registration to any kind of event.
    path("inscription/<str:token>/", public.manage, name="manage"),
    path("inscription/<str:token>/annuler/", public.manage_cancel, name="manage_cancel"),
    path("inscription/<str:token>/effacer/", public.manage_erase, name="manage_erase"),
    path(
        "inscription/<str:token>/attestation.pdf",
        followup.manage_certificate,
        name="manage_certificate",
    ),
    path("inscription/<str:token>/avis/", followup.manage_survey, name="manage_survey"),
    # Kept as it always was, for links already sent and printed.
    path("<int:year>/rencontre.ics", public.edition_ics_view, name="rencontre_ics"),
    path("<int:year>/gestion/copier/", settings.edition_copy_view, name="edition_copy"),
    path("<int:year>/", include(event_patterns)),
]
