"""The demo PLIE's remobilisation action (seed 001): an agreement with the demo provider for
the year, its action — groups of up to 12 entering every three weeks, three weeks of half-day
workshops on Monday, Tuesday and Thursday mornings, French, mobility, CléA and self-assessment
diagnostics — and its cohorts generated around the public holidays.

The story, told from the real day as the services compare with it: the action started about
eight months ago. Its earlier groups are told lightly (people who had entered the PLIE before
their group started, accepted, their attendance, completed or dropped out, and for two in three
of those who completed a step their référent found after the action), so that its added value
(evaluation) has enough participants to compare; the last two groups over are told in detail
(attendance with a few absences, diagnostics, final follow-up sheets sent to the référents, one
drop-out), one is under way (attendance so far, diagnostics at the start, an interim sheet in
draft, a message from a référent), and the next one is filling up from several référents'
referrals (accepted by the provider, one waiting for an answer). The statement of days
delivered is then on the action's page.

The past is replayed as it happened: a person accepted in a group already over cannot be
referred through the pages any more (`actions.referrals` refuses a group that has started),
so the demo writes those acceptances with their step as the provider's answer did then.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from plie.accounts.models import Organisation, User
from plie.actions import diagnostics, follow_up, referrals, services
from plie.actions.attendance import record_attendance
from plie.actions.enums import (
    CefrLevel,
    CleaLevel,
    Diagnostic,
    DrivingLicence,
    DropOutReason,
    Fundamental,
    Moment,
    Presence,
    RecommendationAxis,
    ReferralStatus,
    SessionStatus,
    SheetKind,
    TransportAutonomy,
    Vehicle,
)
from plie.actions.models import ActionReferral, CleaSubdomain, Cohort, FollowUpSheet
from plie.agreements import services as agreement_services
from plie.agreements.models import PaymentScheduleTemplate
from plie.core.months import add_months
from plie.demo.reports import write_reports
from plie.demo.surveys import answer_finished_cohorts
from plie.participants.enums import PathwayStatus
from plie.pathways import recording
from plie.pathways.models import Pathway, StepType
from plie.territory.models import Programme

SHARED = ["participants.Participant.phone", "pathways.Pathway.education_level"]
REASONS = (
    "Reprendre un rythme et sortir de l'isolement avant de chercher un emploi.",
    "Faire le point sur le français et la mobilité avant une formation.",
    "Retrouver confiance et préciser un projet professionnel.",
    "Lever les freins de mobilité et se positionner sur CléA.",
)
OBSERVATIONS = (
    "Présente et impliquée dans le groupe ; a pris la parole dès la deuxième semaine.",
    "Assidu, à l'aise à l'oral, plus en difficulté à l'écrit ; motivé par un emploi dans la "
    "logistique.",
    "Quelques absences la première semaine, puis une vraie dynamique ; projet d'aide à domicile.",
)
ENTRANTS_WINDOW = datetime.timedelta(days=120)
FOLLOW_ON_PLACES = ("AFPA Dijon", "GRETA 21", "Restaurant Le Cèdre", "Logistique Bourgogne")
RECOMMENDATIONS = (
    (RecommendationAxis.FRENCH, "Atelier de français à visée professionnelle (2 demi-journées)."),
    (RecommendationAxis.MOBILITY, "Rendez-vous à la Plateforme Mobilité pour le permis B."),
    (RecommendationAxis.BASIC_SKILLS, "Formation CléA sur le domaine numérique, puis évaluation."),
    (RecommendationAxis.EMPLOYMENT, "Immersion (PMSMP) en logistique pour confirmer le projet."),
)


class ActionStory:
    def __init__(self, programme: Programme, provider: Organisation, today=None):
        self.programme = programme
        self.provider = provider
        self.day = timezone.localdate()
        # The rest of the demo's day (its generator's `today`): a step's end written here is
        # never after it, so that the demo's export re-imports on that day.
        self.ended_by = min(self.day, today or self.day)
        self.coordinator = User.objects.get(username="coordinatrice")
        self.provider_user = User.objects.get(username="prestataire")
        self.step_type = StepType.objects.get(code=referrals.PLIE_ACTION_STEP)
        self.follow_on_types = list(
            StepType.objects.filter(code__in=("training-prequalifying", "pmsmp")).order_by("code")
        )
        self.counts: dict[str, int] = {}

    def create(self) -> dict[str, int]:
        action = self.create_action()
        cohorts = [c for c in action.cohorts.order_by("starts_on") if not c.cancelled]
        finished = [c for c in cohorts if c.ends_on < self.day]
        running = [c for c in cohorts if c.starts_on <= self.day <= c.ends_on]
        coming = [c for c in cohorts if c.starts_on > self.day]
        people = self._people()
        # One person in three of those who entered in the weeks before a group joins it (all
        # of them in a small demo base): the others stay comparable people who did not.
        stride = 3 if len(people) >= 3 * 36 else 1

        def take(count: int, cohort: Cohort) -> list[Pathway]:
            """People who had entered the PLIE before the group started (new entrants first
            considered: within four months), not yet in a group."""
            latest = cohort.starts_on - datetime.timedelta(days=3)
            recent = [p for p in people if latest - ENTRANTS_WINDOW <= p.entry_date <= latest]
            taken = (recent[::stride] or [p for p in people if p.entry_date <= latest])[:count]
            people[:] = [p for p in people if p not in taken]
            return taken

        # A small demo base (the tests') has fewer people: the groups are smaller.
        for number, cohort in enumerate(finished[:-2]):
            if group := take(8 + number % 3, cohort):
                self.past_cohort(cohort, group)
        for number, cohort in enumerate(finished[-2:]):
            if group := take(9 + number, cohort):
                self.finished_cohort(cohort, group)
        for cohort in running[:1]:
            if group := take(10, cohort):
                self.running_cohort(cohort, group)
        for cohort in coming[:1]:
            if group := take(7, cohort):
                self.coming_cohort(cohort, group)
        self.counts["actions"] = 1
        self.counts["conventions"] = 1  # added to the purchasing story's
        self.counts["orientations vers une action"] = ActionReferral.objects.filter(
            action=action
        ).count()
        self.counts["réponses au questionnaire"] = answer_finished_cohorts(
            action, by=self.provider_user
        )
        self.counts["bilans d'action"] = write_reports(action, self.coordinator, self.provider_user)
        return self.counts

    # The agreement and its action ----------------------------------------------------------

    def create_action(self):
        # About eight months ago (a Monday): earlier groups, the last two over, one under way,
        # the next to come.
        starts_on = add_months(self.day, -8)
        starts_on -= datetime.timedelta(days=starts_on.weekday())
        agreement = agreement_services.create_agreement(
            programme=self.programme,
            provider=self.provider,
            title="Action de remobilisation : diagnostic français, mobilité et CléA",
            purpose=(
                "Accueillir des groupes d'environ 8 à 12 participants entrant toutes les trois "
                "semaines, trois semaines à temps partiel en journée : remobilisation, "
                "diagnostic du français, de la mobilité et des compétences CléA, fiche de "
                "suivi transmise au référent de chaque participant."
            ),
            amount=Decimal(48000),
            starts_on=starts_on,
            schedule_template=PaymentScheduleTemplate.objects.get(name__startswith="Consultation"),
            by=self.coordinator,
            objectives="120 participants sur l'année ; un diagnostic pour chacun.",
        )
        agreement_services.sign(agreement=agreement, signed_on=starts_on, by=self.coordinator)
        action = services.create_action(
            programme=self.programme,
            agreement=agreement,
            title="Remobilisation et diagnostic (français, mobilité, CléA)",
            content=(
                "Ateliers collectifs trois demi-journées par semaine (confiance en soi, "
                "projet, numérique, mobilité) et deux entretiens individuels par personne."
            ),
            places=120,
            starts_on=starts_on,
            ends_on=agreement.ends_on,
            weekdays=[0, 1, 3],
            individual_interviews=2,
            diagnostics=[choice.value for choice in Diagnostic],
            for_new_entrants=True,
            by=self.coordinator,
        )
        services.generate_cohorts(action=action, by=self.coordinator)
        return action

    def _people(self) -> list[Pathway]:
        """People in the PLIE followed by a référent (each group takes those who had entered
        before it started), spread over the référents."""
        return list(
            Pathway.objects.filter(
                participant__programme=self.programme,
                status=PathwayStatus.ACTIVE,
                referent__isnull=False,
                entry_date__lte=self.day - datetime.timedelta(days=14),
            )
            .select_related("participant", "referent")
            .order_by("pk")
        )

    # Groups over, under way, to come ------------------------------------------------------

    def _accepted_then(self, pathway: Pathway, cohort: Cohort, reason: str) -> ActionReferral:
        """The referral and the provider's acceptance as they were made before the group
        started: the step « Action du PLIE » over the group's dates."""
        step = recording.add_step(
            pathway=pathway,
            data={
                "step_type": self.step_type,
                "organisation_name": str(self.provider)[:200],
                "start_date": cohort.starts_on,
                "planned_end_date": cohort.ends_on,
            },
            by=self.provider_user,
        )
        referral = ActionReferral.objects.create(
            participant=pathway.participant,
            pathway=pathway,
            action=cohort.action,
            cohort=cohort,
            expected_diagnostics=[choice.value for choice in Diagnostic],
            reason=reason,
            shared_fields=SHARED,
            status=ReferralStatus.ACCEPTED,
            answered_by=self.provider_user,
            step=step,
            created_by=pathway.referent,
        )
        sent = timezone.make_aware(
            datetime.datetime.combine(
                cohort.starts_on - datetime.timedelta(days=10), datetime.time(10)
            )
        )
        ActionReferral.objects.filter(pk=referral.pk).update(
            created_at=sent, answered_at=sent + datetime.timedelta(days=2)
        )
        referral.refresh_from_db()
        return referral

    def _attendance(self, cohort: Cohort, accepted: list[ActionReferral], *, until) -> None:
        """Everyone present, but for a few absences (one excused in three)."""
        sessions = cohort.sessions.filter(status=SessionStatus.PLANNED, date__lte=until)
        for index, session in enumerate(sessions.order_by("date")):
            presences = {}
            for rank, referral in enumerate(accepted):
                if referral.ended_on and session.date > referral.ended_on:
                    continue
                missed = (index * 7 + rank * 3) % 17 == 0
                presences[referral.pk] = (
                    Presence.PRESENT
                    if not missed
                    else (Presence.EXCUSED if rank % 3 == 0 else Presence.ABSENT)
                )
            if presences:
                record_attendance(session=session, presences=presences, by=self.provider_user)

    def _diagnostics(self, referral: ActionReferral, rank: int, day, *, at_end: bool) -> None:
        levels = (CefrLevel.A2, CefrLevel.B1, CefrLevel.A1, CefrLevel.B2)
        level = levels[rank % len(levels)]
        diagnostics.record_french(
            referral=referral,
            moment=Moment.START,
            assessed_on=day,
            levels={
                "oral_comprehension": level,
                "written_comprehension": level,
                "oral_expression": level,
                "written_expression": CefrLevel.NOT_ASSESSED if rank % 4 == 2 else level,
            },
            by=self.provider_user,
        )
        diagnostics.record_mobility(
            referral=referral,
            assessed_on=day,
            values={
                "driving_licence": (DrivingLicence.NONE, DrivingLicence.CAR)[rank % 2],
                "vehicle": (Vehicle.NONE, Vehicle.CAR, Vehicle.BICYCLE)[rank % 3],
                "public_transport": (TransportAutonomy.AUTONOMOUS, TransportAutonomy.WITH_HELP)[
                    rank % 2
                ],
                "travel_radius_km": (5, 15, 30)[rank % 3],
                "oriented_to_platform": rank % 2 == 0,
            },
            by=self.provider_user,
        )
        subdomains = list(CleaSubdomain.objects.order_by("domain__number", "number"))
        acquired = 14 + (rank * 3) % 12
        diagnostics.record_clea(
            referral=referral,
            moment=Moment.START,
            assessed_on=day,
            levels={
                sub.pk: CleaLevel.ACQUIRED if n < acquired else CleaLevel.TO_WORK_ON
                for n, sub in enumerate(subdomains)
            },
            oriented_to_daq=acquired >= 21,
            by=self.provider_user,
        )
        start = {f.value: 1 + (rank + n) % 3 for n, f in enumerate(Fundamental)}
        diagnostics.record_self_assessment(
            referral=referral,
            moment=Moment.START,
            assessed_on=day,
            scores=start,
            by=self.provider_user,
        )
        if at_end:
            diagnostics.record_self_assessment(
                referral=referral,
                moment=Moment.END,
                assessed_on=referral.cohort.ends_on,
                scores={key: min(4, score + 1) for key, score in start.items()},
                by=self.provider_user,
            )

    def _sheet(self, referral: ActionReferral, rank: int, kind: str, *, send: bool) -> None:
        sheet = follow_up.save_sheet(
            referral=referral,
            kind=kind,
            observations=OBSERVATIONS[rank % len(OBSERVATIONS)],
            recommendations=[
                (str(axis), text)
                for axis, text in (
                    RECOMMENDATIONS[rank % len(RECOMMENDATIONS)],
                    RECOMMENDATIONS[(rank + 1) % len(RECOMMENDATIONS)],
                )
            ],
            by=self.provider_user,
        )
        if send:
            follow_up.send_sheet(sheet=sheet, by=self.provider_user)
            sent = timezone.make_aware(
                datetime.datetime.combine(referral.cohort.ends_on, datetime.time(16))
            )
            FollowUpSheet.objects.filter(pk=sheet.pk).update(sent_at=sent, written_at=sent)

    def past_cohort(self, cohort: Cohort, pathways: list[Pathway]) -> None:
        """An earlier group, told lightly: accepted, attendance, the last one dropped out
        after the first week, the others completed; two in three of them then started a step
        their référent found (a training or an immersion), two weeks after the group."""
        accepted = [
            self._accepted_then(pathway, cohort, REASONS[n % len(REASONS)])
            for n, pathway in enumerate(pathways)
        ]
        leaver = accepted[-1] if len(accepted) >= 3 else None
        if leaver is not None:
            referrals.close(
                referral=leaver,
                outcome=ReferralStatus.DROPPED_OUT,
                ended_on=cohort.starts_on + datetime.timedelta(days=4),
                drop_out_reason=DropOutReason.PERSONAL,
                by=self.provider_user,
            )
            leaver.refresh_from_db()
        self._attendance(cohort, accepted, until=cohort.ends_on)
        follow_on = cohort.ends_on + datetime.timedelta(days=14)
        follow_on += datetime.timedelta(days=(7 - follow_on.weekday()) % 7)  # a Monday
        for rank, referral in enumerate(accepted):
            if referral is leaver:
                continue
            referrals.close(
                referral=referral,
                outcome=ReferralStatus.COMPLETED,
                ended_on=cohort.ends_on,
                by=self.provider_user,
            )
            if rank % 3 != 2 and follow_on <= self.ended_by:
                self._step_after(referral.pathway, rank, follow_on)

    def _step_after(self, pathway: Pathway, rank: int, start) -> None:
        step_type = self.follow_on_types[rank % len(self.follow_on_types)]
        planned_end = start + datetime.timedelta(weeks=8 if rank % 2 else 4, days=-3)
        recording.add_step(
            pathway=pathway,
            data={
                "step_type": step_type,
                "organisation_name": FOLLOW_ON_PLACES[rank % len(FOLLOW_ON_PLACES)],
                "start_date": start,
                "planned_end_date": planned_end,
                "end_date": planned_end if planned_end < self.ended_by else None,
            },
            by=pathway.referent,
        )

    def finished_cohort(self, cohort: Cohort, pathways: list[Pathway]) -> None:
        accepted = [
            self._accepted_then(pathway, cohort, REASONS[n % len(REASONS)])
            for n, pathway in enumerate(pathways)
        ]
        if len(accepted) < 3:
            self._attendance(cohort, accepted, until=cohort.ends_on)
            return
        # One person left after the first week for a job: her step ends then.
        leaver = accepted[-1]
        first_week_end = cohort.starts_on + datetime.timedelta(days=4)
        referrals.close(
            referral=leaver,
            outcome=ReferralStatus.DROPPED_OUT,
            ended_on=first_week_end,
            drop_out_reason=DropOutReason.JOB,
            by=self.provider_user,
        )
        leaver.refresh_from_db()
        self._attendance(cohort, accepted, until=cohort.ends_on)
        for rank, referral in enumerate(accepted[:-1]):
            self._diagnostics(referral, rank, cohort.starts_on, at_end=True)
            referrals.close(
                referral=referral,
                outcome=ReferralStatus.COMPLETED,
                ended_on=cohort.ends_on,
                by=self.provider_user,
            )
            # The last one's sheet is still to write: she stays in the provider's lists.
            if rank < len(accepted) - 2:
                self._sheet(referral, rank, SheetKind.FINAL, send=True)

    def running_cohort(self, cohort: Cohort, pathways: list[Pathway]) -> None:
        accepted = [
            self._accepted_then(pathway, cohort, REASONS[n % len(REASONS)])
            for n, pathway in enumerate(pathways)
        ]
        self._attendance(cohort, accepted, until=self.day - datetime.timedelta(days=1))
        for rank, referral in enumerate(accepted[:6]):
            self._diagnostics(referral, rank, cohort.starts_on, at_end=False)
        self._sheet(accepted[0], 0, SheetKind.INTERIM, send=False)
        if len(accepted) < 2:
            return
        follow_up.post_message(
            referral=accepted[1],
            body="Bonjour, comment se passe la première semaine ? Je la revois jeudi.",
            by=accepted[1].pathway.referent,
        )

    def coming_cohort(self, cohort: Cohort, pathways: list[Pathway]) -> None:
        """Referred from the files by their référents; the provider accepted all but the last,
        who waits for an answer."""
        for n, pathway in enumerate(pathways):
            referral = referrals.refer(
                participant=pathway.participant,
                action=cohort.action,
                cohort=cohort,
                expected_diagnostics=[Diagnostic.FRENCH, Diagnostic.CLEA],
                reason=REASONS[n % len(REASONS)],
                shared_fields=SHARED,
                by=pathway.referent,
            )
            if n < len(pathways) - 1:
                referrals.accept(referral=referral, by=self.provider_user)
