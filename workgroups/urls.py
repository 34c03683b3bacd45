from django.urls import path

from .views import groups, jury, sheets

app_name = "workgroups"

urlpatterns = [
    path("", groups.index, name="index"),
    path("<int:year>/", groups.groups, name="groups"),
    path("<int:year>/gestion/", groups.manage, name="manage"),
    path("<int:year>/gestion/composer/", groups.compose, name="compose"),
    path("<int:year>/gestion/deplacer/", groups.move, name="move"),
    path("<int:year>/chrono/", groups.countdown, name="countdown"),
    path("<int:year>/jury/", jury.jury, name="jury"),
    path("<int:year>/jury/reglages/", jury.jury_settings, name="jury_settings"),
    path("<int:year>/jury/<int:number>/", jury.score, name="score"),
    path("<int:year>/resultats/", jury.results, name="results"),
    path("<int:year>/notes.csv", jury.scores_csv, name="scores_csv"),
    path("<int:year>/projets/", sheets.gallery, name="gallery"),
    path("<int:year>/recueil.pdf", sheets.booklet, name="booklet"),
    path("<int:year>/<int:number>/", sheets.sheet, name="sheet"),
    path("<int:year>/<int:number>/modifier/", sheets.sheet_edit, name="sheet_edit"),
]
