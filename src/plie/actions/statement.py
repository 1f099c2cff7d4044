"""The statement of days delivered of an action over a period (issue 12, §3; seed 000 « état
des jours consommés »): per cohort and per person, from the sessions and the attendance
(actions.delivery), shown as a page, written as a PDF and an XLSX (core.spreadsheets), and
handed in as the deliverable the agreement's final instalment waits for."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Prefetch

from plie.actions import attendance, delivery
from plie.actions.enums import SessionStatus
from plie.actions.models import Action, Attendance, Cohort, Session
from plie.agreements import services as agreement_services
from plie.agreements.enums import DeliverableKind
from plie.agreements.models import Deliverable
from plie.core import spreadsheets
from plie.core.pdf import render_pdf
from plie.core.spreadsheets import INTEGER, TEXT, Column, Decimals, Table

GONE = "Personne sortie de vos listes (fiche de suivi finale envoyée)"


@dataclasses.dataclass(frozen=True)
class PersonLine:
    name: str
    participant_id: int
    counts: delivery.Counts


@dataclasses.dataclass(frozen=True)
class CohortPart:
    cohort: Cohort
    delivery: delivery.Delivery
    lines: tuple[PersonLine, ...]


@dataclasses.dataclass(frozen=True)
class Statement:
    action: Action
    starts_on: datetime.date
    ends_on: datetime.date
    parts: tuple[CohortPart, ...]
    total: delivery.Delivery

    @property
    def participant_ids(self) -> list[int]:
        return [line.participant_id for part in self.parts for line in part.lines]


def _facts(session: Session) -> delivery.SessionFacts:
    return delivery.SessionFacts(
        key=session.pk,
        date=session.date,
        hours=session.hours,
        held=session.status != SessionStatus.CANCELLED,
        for_person=session.referral_id,
    )


def statement(
    action: Action,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date,
    cohort: Cohort | None = None,
    for_provider: bool = False,
) -> Statement:
    """The statement of `action` (or of one of its cohorts) from `starts_on` to `ends_on`; a
    provider reads « person gone from your lists » instead of the name of whom it no longer
    follows (their days still count)."""
    cohorts = list(
        (Cohort.objects.filter(pk=cohort.pk) if cohort else action.cohorts.all())
        .filter(sessions__date__range=(starts_on, ends_on))
        .distinct()
        .order_by("starts_on", "number")
        .prefetch_related(
            Prefetch(
                "sessions",
                Session.objects.filter(date__range=(starts_on, ends_on)),
                to_attr="in_period",
            )
        )
    )
    referrals = attendance.french_order(attendance.referrals_of_cohorts(cohorts))
    marks = {
        (session_id, referral_id): presence
        for session_id, referral_id, presence in Attendance.objects.filter(
            session__cohort__in=cohorts, session__date__range=(starts_on, ends_on)
        ).values_list("session_id", "referral_id", "presence")
    }
    parts = []
    for each in cohorts:
        people = [r for r in referrals if r.cohort_id == each.pk]
        result = delivery.deliver(
            [_facts(held) for held in each.in_period],
            [
                delivery.PersonFacts(r.pk, r.ended_on if r.status in attendance.LEFT else None)
                for r in people
            ],
            marks,
        )
        lines = tuple(
            PersonLine(
                GONE
                if for_provider and attendance.out_of_provider_lists(r)
                else attendance.name(r),
                r.participant_id,
                result.of(r.pk),
            )
            for r in people
        )
        parts.append(CohortPart(each, result, lines))
    return Statement(
        action, starts_on, ends_on, tuple(parts), delivery.combine(p.delivery for p in parts)
    )


# Files ------------------------------------------------------------------------------------

COLUMNS = (
    Column("Groupe", lambda row: row[0], TEXT),
    Column("Personne", lambda row: row[1], TEXT),
    Column("Demi-journées tenues", lambda row: row[2].concerned, INTEGER),
    Column("Présent(e)", lambda row: row[2].present, INTEGER),
    Column("Absent(e)", lambda row: row[2].absent, INTEGER),
    Column("Absences excusées", lambda row: row[2].excused, INTEGER),
    Column("Non saisies", lambda row: row[2].not_recorded, INTEGER),
    Column("Heures de présence", lambda row: row[2].hours_present, Decimals(1)),
    Column("Jours réalisés", lambda row: row[2].days_present, Decimals(1)),
    Column("Taux de présence (%)", lambda row: _percent(row[2].rate), Decimals(1)),
)


def _percent(rate):
    return None if rate is None else rate * 100


def table(found: Statement) -> Table:
    rows = []
    for part in found.parts:
        label = f"Groupe {part.cohort.number}"
        rows += [(label, line.name, line.counts) for line in part.lines]
        rows.append((label, "Total du groupe", part.delivery.totals))
    rows.append(("Toute l'action", "Total", found.total.totals))
    return Table("jours-realises", "Jours réalisés", COLUMNS, rows)


def xlsx(found: Statement) -> bytes:
    return spreadsheets.xlsx_bytes([table(found)])


def file_name(found: Statement, extension: str) -> str:
    return (
        f"etat-des-jours-action-{found.action.pk}-{found.starts_on:%Y%m%d}-"
        f"{found.ends_on:%Y%m%d}.{extension}"
    )


def pdf(found: Statement, *, cohort: Cohort | None = None) -> bytes:
    return render_pdf(
        "actions/days_statement_pdf.html",
        {"statement": found, "cohort": cohort},
        programme=found.action.programme,
    )


# The deliverable --------------------------------------------------------------------------


def awaited_deliverable(action: Action) -> Deliverable | None:
    """The statement of days the agreement's final instalment waits for (None: it waits for
    none)."""
    final = action.agreement.instalments.order_by("-order").first()
    if final is None:
        return None
    return final.deliverables.filter(kind=DeliverableKind.DAYS_STATEMENT).first()


def hand_in(*, action: Action, found: Statement, by) -> Deliverable:
    """The statement's PDF handed in as the final instalment's « état des jours consommés »,
    as if the provider had uploaded it (agreements.services.receive_deliverable)."""
    deliverable = awaited_deliverable(action)
    if deliverable is None:
        raise ValidationError(
            "La convention de cette action n'attend pas d'état des jours consommés à sa "
            "dernière échéance : téléchargez le PDF et joignez-le au livrable qui convient."
        )
    uploaded = SimpleUploadedFile(
        file_name(found, "pdf"), pdf(found), content_type="application/pdf"
    )
    return agreement_services.receive_deliverable(deliverable=deliverable, uploaded=uploaded, by=by)
