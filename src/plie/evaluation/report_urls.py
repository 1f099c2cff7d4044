"""Addresses of this part of the evaluation; included by evaluation/urls.py."""

from django.urls import path

from plie.evaluation import report_views

REPORT = "bilans/<int:pk>/"
LINE = "bilans/budget/<int:pk>/"
urlpatterns = [
    path("actions/<int:pk>/bilans/", report_views.reports_open, name="reports_open"),
    path(REPORT, report_views.report_detail, name="report"),
    path(REPORT + "budget/", report_views.budget_line_add, name="budget_line_add"),
    path(REPORT + "relecture/", report_views.report_review, name="report_review"),
    path(REPORT + "pdf/", report_views.report_pdf, name="report_pdf"),
    path(LINE + "retrait/", report_views.budget_line_remove, name="budget_line_remove"),
    path(LINE + "justificatif/", report_views.budget_evidence, name="budget_evidence"),
]
