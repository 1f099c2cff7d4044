"""Addresses of the judgement, under /achats/jugement/ (src/plie/urls.py)."""

from django.urls import path

from plie.purchasing import consultation_views, scoring_views

app_name = "scoring"
urlpatterns = [
    path("appels/<int:pk>/classement/", scoring_views.ranking, name="ranking"),
    path("propositions/<int:pk>/notation/", scoring_views.scoring, name="scoring"),
    path("propositions/<int:pk>/declaration/", scoring_views.declare, name="declare"),
    path("propositions/<int:pk>/offres/", scoring_views.offers, name="offers"),
    path("propositions/<int:pk>/lettre.pdf", scoring_views.letter, name="letter"),
    path(
        "appels/<int:pk>/consultation/ouvrir/",
        consultation_views.consultation_open,
        name="consultation_open",
    ),
    path(
        "appels/<int:pk>/consultation/",
        consultation_views.consultation_answer,
        name="consultation_answer",
    ),
    path(
        "appels/<int:pk>/consultation/clore/",
        consultation_views.consultation_close,
        name="consultation_close",
    ),
    path("appels/<int:pk>/attribuer/", consultation_views.award, name="award"),
    path("appels/<int:pk>/sans-suite/", consultation_views.unsuccessful, name="unsuccessful"),
]
