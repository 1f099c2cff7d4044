"""The satisfaction survey's addresses (issue 13, §1), included from actions/urls.py."""

from django.urls import path

from plie.actions import survey_views

COHORT = "actions/groupes/<int:pk>/questionnaire/"
urlpatterns = [
    path("actions/<int:pk>/questionnaire/", survey_views.survey_action, name="survey_action"),
    path(COHORT, survey_views.survey_cohort, name="survey_cohort"),
    path(COHORT + "ouverture/", survey_views.survey_open, name="survey_open"),
    path(COHORT + "fermeture/", survey_views.survey_close, name="survey_close"),
    path(COHORT + "liens/", survey_views.survey_links, name="survey_links"),
    path(COHORT + "liens.pdf", survey_views.survey_sheet, name="survey_sheet"),
    # The participant's own page: no account, the token is the key.
    path("questionnaire/<str:token>/", survey_views.survey_answer, name="survey_answer"),
]
