"""The evaluation's models, one module per subject (reports.py…), all importable from here."""

from plie.evaluation.models.reports import ActionReport, ReportBudgetLine

__all__ = ["ActionReport", "ReportBudgetLine"]
