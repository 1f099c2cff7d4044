from django.urls import path

from plie.programme import views

app_name = "programme"
OPERATION = "programmation/operations/<int:pk>/"
urlpatterns = [
    path("programmation/", views.years, name="years"),
    path("programmation/<int:year>/", views.year_page, name="year"),
    path(
        "programmation/<int:year>/operations/nouvelle/",
        views.operation_create,
        name="operation_create",
    ),
    path(OPERATION, views.operation_page, name="operation"),
    path(OPERATION + "modifier/", views.operation_edit, name="operation_edit"),
    path(OPERATION + "financement/", views.operation_funding, name="operation_funding"),
    path(OPERATION + "etat/", views.operation_state, name="operation_state"),
    path(OPERATION + "situation/<slug:kind>/", views.statement_edit, name="statement_edit"),
    path(
        OPERATION + "situation/<slug:kind>/justificatifs/",
        views.statement_evidence_add,
        name="statement_evidence_add",
    ),
    path(
        OPERATION + "situation/<slug:kind>/justificatifs/<int:evidence_pk>/",
        views.statement_evidence,
        name="statement_evidence",
    ),
]
