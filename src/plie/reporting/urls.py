from django.urls import path

from plie.reporting import extraction_views, views
from plie.reporting.cohort_views import cohort_page
from plie.reporting.dashboard_views import dashboard_page
from plie.reporting.quality_views import quality_page
from plie.reporting.quarterly_views import quarterly_review_page

app_name = "reporting"
urlpatterns = [
    path("", views.key_figures_page, name="key_figures"),
    path("cohorte/", cohort_page, name="cohort"),
    path("definitions/", views.definitions_page, name="definitions"),
    path("qualite/", quality_page, name="quality"),
    path("tableau-de-bord/", dashboard_page, name="dashboard"),
    path("extractions/", extraction_views.extractions_page, name="extractions"),
    path(
        "extractions/<uuid:pk>/telecharger/",
        extraction_views.extraction_download,
        name="extraction_download",
    ),
    path("point-trimestriel/", quarterly_review_page, name="quarterly_review"),
]
