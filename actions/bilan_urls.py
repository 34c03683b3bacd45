from django.urls import path

from .views import bilan, documents

app_name = "bilan"

urlpatterns = [
    path("", bilan.bilan_index, name="index"),
    path("<int:year>/", bilan.bilan_page, name="year"),
    path("<int:year>/bilan-<int:same_year>.csv", bilan.bilan_csv, name="csv"),
    path("<int:year>/bilan-<int:same_year>.pdf", documents.bilan_pdf, name="pdf"),
    path("<int:year>/bilan-<int:same_year>.odt", documents.bilan_odt, name="odt"),
]
