"""The demo action's reports (issue 13, §4): the three reports seed 001 asks for (after the
first quarter, at mid-term, final) are planned; the earliest is written by the provider from
its figures, with a budget statement, sent and validated by the coordinator (its figures
frozen, its PDF stored); the next is in draft; the last is not started. Everything is read
from the dates and the data the action story wrote, not from a number of groups."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from plie.actions.models import Action
from plie.evaluation import report_plan, reports
from plie.evaluation.report_figures import compute
from plie.programme.enums import StatementSide


def _sections(figures) -> dict[str, str]:
    started = figures.figure("started").text
    completed = figures.figure("completed").text
    rate = figures.figure("attendance_rate").text
    return {
        "quantitative": (
            f"{started} personnes sont entrées dans un groupe sur la période et {completed} "
            f"sont allées au bout de l'action ; le taux de présence est de {rate}. Les "
            "orientations sont arrivées plus vite que prévu après le premier groupe."
        ),
        "qualitative": (
            "Les groupes se sont vite soudés ; les ateliers de mobilité et de numérique ont été "
            "les plus suivis. Les entretiens individuels ont permis de préciser les projets."
        ),
        "lessons": (
            "La mobilité reste le premier frein à la suite des parcours ; le positionnement "
            "CléA donne aux référents une base concrète pour proposer une formation."
        ),
        "adjustments": (
            "Prévoir une demi-journée avec la Plateforme Mobilité dès la première semaine, et "
            "inviter les référents à la dernière séance de chaque groupe."
        ),
    }


BUDGET = (
    (StatementSide.EXPENSE, "Salaires et charges des animateurs", Decimal("9800.00")),
    (StatementSide.EXPENSE, "Location de salle et fournitures", Decimal("1150.00")),
    (StatementSide.RESOURCE, "Versement du PLIE (FSE+)", Decimal("10950.00")),
)


def _evidence(label: str, amount: Decimal) -> SimpleUploadedFile:
    """A one-page PDF standing for the invoice or pay slips of an expense."""
    content = HTML(
        string=f"<h1>Justificatif (démonstration)</h1><p>{label} : {amount} €</p>"
    ).write_pdf()
    return SimpleUploadedFile("justificatif.pdf", content, content_type="application/pdf")


def write_reports(action: Action, coordinator, provider) -> int:
    """The action's reports as the demo shows them; returns how many were planned."""
    planned = reports.open_reports(
        action=action, plan=report_plan.CALL_FOR_PROJECTS, by=coordinator
    )
    earliest, following = planned[0], planned[1]
    figures = compute(action, starts_on=earliest.starts_on, ends_on=earliest.ends_on)
    for side, label, amount in BUDGET:
        reports.add_budget_line(
            report=earliest,
            side=side,
            label=label,
            amount=amount,
            uploaded=_evidence(label, amount) if side == StatementSide.EXPENSE else None,
            by=provider,
        )
    reports.save_sections(report=earliest, sections=_sections(figures), by=provider)
    reports.submit(report=earliest, by=provider)
    reports.comment(report=earliest, text="Merci pour ce bilan clair et complet.", by=coordinator)
    reports.validate(report=earliest, by=coordinator)
    draft = _sections(compute(action, starts_on=following.starts_on, ends_on=following.ends_on))
    reports.save_sections(
        report=following,
        sections={"quantitative": draft["quantitative"], "qualitative": draft["qualitative"]},
        by=provider,
    )
    return len(planned)
