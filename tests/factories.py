"""factory_boy factories shared by the tests; each test builds what it needs."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from plie.accounts.enums import Role
from plie.accounts.models import Organisation, User
from plie.committee.models import CommitteeMeeting
from plie.participants.enums import (
    ParticipantStatus,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
    Sex,
)
from plie.participants.models import Participant, Referral
from plie.pathways.models import Pathway, Step, StepType
from plie.programme.enums import OperationKind
from plie.programme.models import Operation, ProgrammeYear
from plie.purchasing.enums import CallStatus, Channel, OfferKind, Procedure
from plie.purchasing.models import CallForProposals, Proposal
from plie.territory.models import Commune, PrescriberType, Programme

PASSWORD = "Test-Plie-2026!"


def programme() -> Programme:
    return Programme.objects.get()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    programme = factory.LazyFunction(programme)
    name = factory.Sequence(lambda n: f"Structure {n}")
    employs_referents = True


class PrescriberFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"France Travail agence {n}")
    employs_referents = False
    is_prescriber = True
    prescriber_type = factory.LazyFunction(
        lambda: PrescriberType.objects.get(code="france-travail")
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.REFERENT
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    programme = factory.LazyFunction(programme)
    file_number = factory.Sequence(lambda n: f"2026-{n + 1:05d}")
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name_female", locale="fr_FR")
    sex = Sex.FEMALE
    birth_date = datetime.date(1985, 4, 12)
    commune = factory.LazyFunction(lambda: Commune.objects.get(insee_code="21231"))
    right_to_work = True
    referent = None


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    participant = factory.SubFactory(ParticipantFactory)
    prescriber = factory.SubFactory(PrescriberFactory)
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=20))
    reason = "Recherche d'emploi après une longue période d'inactivité"


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    participant = factory.SubFactory(ParticipantFactory)
    referent = factory.LazyAttribute(lambda o: o.participant.referent)
    number = 1


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMeeting

    programme = factory.LazyFunction(programme)
    held_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


def active_pathway(referent, *, entry_date: datetime.date, birth_date=None, **participant_fields):
    """A participant followed by `referent`, entered on `entry_date` (as the committee leaves it)."""
    participant = ParticipantFactory(
        referent=referent,
        status=ParticipantStatus.ACTIVE,
        birth_date=birth_date or datetime.date(1985, 4, 12),
        **participant_fields,
    )
    referral = ReferralFactory(
        participant=participant,
        referred_on=entry_date - datetime.timedelta(days=30),
        status=ReferralStatus.CLOSED,
        outcome=ReferralOutcome.ENTERED,
        closed_on=entry_date,
    )
    return PathwayFactory(
        participant=participant,
        referral=referral,
        referent=referent,
        status=PathwayStatus.ACTIVE,
        entry_date=entry_date,
    )


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    step_type = factory.LazyFunction(lambda: StepType.objects.get(code="plie-action"))
    start_date = factory.LazyAttribute(lambda o: o.pathway.entry_date)


# Purchasing ------------------------------------------------------------------------------


class ProviderFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Prestataire {n}")
    employs_referents = False
    is_provider = True


class CallForProposalsFactory(factory.django.DjangoModelFactory):
    """An open call for projects, deadline in two weeks, with the seed-000 criteria
    (technical value 40 %, team 30 %, price 30 %) and two required contents."""

    class Meta:
        model = CallForProposals
        skip_postgeneration_save = True

    programme = factory.LazyFunction(programme)
    procedure = Procedure.PROJECTS
    reference = factory.Sequence(lambda n: f"AAP-2027-{n:02d}")
    title = "Action de remobilisation"
    purpose = "Remobiliser des participants éloignés de l'emploi."
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    budget_cap = 40000
    status = CallStatus.OPEN
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for order, (label, weight, is_price) in enumerate(
            (("Valeur technique", 40, False), ("Équipe", 30, False), ("Prix", 30, True))
        ):
            self.criteria.create(label=label, weight=weight, is_price=is_price, order=order)
        for order, label in enumerate(("Présentation du candidat", "Proposition financière")):
            self.required_contents.create(label=label, order=order)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal deposited in the portal, with its initial offer at `price`."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    call = factory.SubFactory(CallForProposalsFactory)
    provider = factory.SubFactory(ProviderFactory)
    received_at = factory.LazyFunction(timezone.now)
    channel = Channel.PORTAL
    submitted_by = factory.SubFactory(UserFactory, role=Role.PROVIDER)
    receipt_number = factory.Sequence(lambda n: f"AD-{n:05d}")

    @factory.post_generation
    def price(self, create, extracted, **kwargs):
        """The initial offer's price (30,000 € unless given)."""
        if create:
            self.offers.create(
                kind=OfferKind.INITIAL,
                made_at=self.received_at,
                price=30000 if extracted is None else extracted,
                recorded_by=self.submitted_by,
            )


class ProgrammeYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeYear
        django_get_or_create = ("programme", "year")

    programme = factory.LazyFunction(programme)
    year = 2026


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation
        skip_postgeneration_save = True

    year = factory.SubFactory(ProgrammeYearFactory)
    kind = OperationKind.ACCOMPANIMENT
    title = factory.Sequence(lambda n: f"Opération {n}")
    carrier = factory.SubFactory(OrganisationFactory)
    budget = Decimal(100000)
    planned_on = datetime.date(2026, 1, 5)

    @factory.post_generation
    def step_types(self, create, codes, **kwargs):
        if create and codes:
            self.step_types.set(StepType.objects.filter(code__in=codes))


# Agreements ------------------------------------------------------------------------------


def schedule_template(name_start: str = "Consultation"):
    """A payment-schedule template of the data migration (seed 000's 30/30/40 by default)."""
    from plie.agreements.models import PaymentScheduleTemplate

    return PaymentScheduleTemplate.objects.get(name__startswith=name_start)


def make_agreement(provider=None, *, amount="40000.00", by=None, signed=False, **fields):
    """An agreement made by the service (its instalments and deliverables with it)."""
    from decimal import Decimal

    from plie.agreements import services

    agreement = services.create_agreement(
        programme=programme(),
        provider=provider or ProviderFactory(),
        title=fields.pop("title", "Remobilisation vers l'emploi"),
        purpose=fields.pop("purpose", "Remobiliser des participants éloignés de l'emploi."),
        amount=Decimal(amount),
        starts_on=fields.pop("starts_on", timezone.localdate() - datetime.timedelta(days=30)),
        schedule_template=fields.pop("schedule_template", None) or schedule_template(),
        by=by or UserFactory(role=Role.COORDINATOR),
        **fields,
    )
    if signed:
        services.sign(agreement=agreement, signed_on=agreement.starts_on, by=by)
        agreement.refresh_from_db()
    return agreement


def pdf_upload(name: str = "bilan.pdf"):
    """A small real PDF, as a browser sends it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_action(agreement=None, **fields):
    """An action of seed 001 on an agreement: groups of 8 to 12 entering every three weeks,
    three weeks of half-day workshops on Monday, Tuesday and Thursday mornings."""
    from plie.actions.enums import Diagnostic
    from plie.actions.models import Action

    agreement = agreement or make_agreement()
    values = {
        "programme": agreement.programme,
        "agreement": agreement,
        "title": "Remobilisation vers l'emploi",
        "places": 120,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "weekdays": [0, 1, 3],
        "diagnostics": [choice.value for choice in Diagnostic],
    }
    values.update(fields)
    return Action.objects.create(**values)


def make_cohort(action=None, *, number=1, starts_on=None, weeks=3, capacity=12, sessions=True):
    """A cohort of `action` and, unless told otherwise, a morning workshop on each weekday of
    its weeks (holidays not skipped: tests of the calendar use actions.calendar)."""
    from plie.actions.enums import HalfDay
    from plie.actions.models import Cohort, Session

    action = action or make_action()
    starts_on = starts_on or action.starts_on
    cohort = Cohort.objects.create(
        action=action,
        number=number,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(weeks=weeks, days=-1),
        capacity=capacity,
    )
    if sessions:
        day = starts_on
        while day <= cohort.ends_on:
            if day.weekday() in action.weekdays:
                Session.objects.create(
                    cohort=cohort, date=day, half_day=HalfDay.MORNING, hours=Decimal("3.5")
                )
            day += datetime.timedelta(days=1)
    return cohort


def refer(participant, cohort, *, status=None, by=None, **fields):
    """A referral of `participant` (with an ongoing pathway) to `cohort`, as the référent
    would send it; `status` sets where it stands (accepted: holds a place, without the step)."""
    from plie.actions.enums import ReferralStatus
    from plie.actions.models import ActionReferral

    pathway = participant.pathways.order_by("-number").first() or PathwayFactory(
        participant=participant
    )
    return ActionReferral.objects.create(
        participant=participant,
        pathway=pathway,
        action=cohort.action,
        cohort=cohort,
        reason=fields.pop("reason", "Reprendre un rythme et travailler son projet."),
        status=status or ReferralStatus.SENT,
        created_by=by or participant.referent,
        **fields,
    )


# --- Issue 13, §1: the satisfaction survey (helper A) -------------------------------------


def survey_cohort(provider_organisation=None, *, people=6, by=None, first_names=None):
    """A finished cohort of an action of `provider_organisation` (three weeks from 30 days
    ago), with `people` participants accepted in it (« Prénom1 »… unless `first_names`)."""
    from plie.actions.enums import ReferralStatus

    agreement = make_agreement(provider_organisation or ProviderFactory(), by=by, signed=True)
    cohort = make_cohort(make_action(agreement), sessions=False)
    referent = UserFactory(role=Role.REFERENT)
    names = first_names or [f"Prénom{n}" for n in range(1, people + 1)]
    for number, first_name in enumerate(names, start=1):
        pathway = active_pathway(
            referent,
            entry_date=timezone.localdate() - datetime.timedelta(days=60),
            last_name=f"Sondé{number}",
            first_name=first_name,
        )
        refer(pathway.participant, cohort, status=ReferralStatus.COMPLETED)
    return cohort


def answer_survey(invitation, *, scale=4, choice="Oui", text=""):
    """`invitation` answered through the service: every scale question `scale`, every
    choice question `choice` (or its first option), the free text `text`."""
    from plie.actions import surveys
    from plie.actions.enums import QuestionKind

    values = {}
    for question in invitation.survey.questions.all():
        if question.kind == QuestionKind.SCALE:
            values[question.pk] = scale
        elif question.kind == QuestionKind.CHOICE:
            values[question.pk] = choice if choice in question.labels() else question.labels()[0]
        else:
            values[question.pk] = text
    return surveys.record_answers(invitation=invitation, values=values)


# Issue 13, the action's reports (helper B) ------------------------------------------------


def make_report(action, *, kind="final", status=None, **fields):
    """A report of `action` covering it from its first day (its last day for the final one),
    as `evaluation.reports.open_reports` plans it."""
    from plie.evaluation import report_plan
    from plie.evaluation.enums import ReportStatus
    from plie.evaluation.models import ActionReport

    ends_on = report_plan.period_end(kind, action.starts_on, action.ends_on)
    values = {
        "action": action,
        "kind": kind,
        "starts_on": action.starts_on,
        "ends_on": ends_on,
        "due_on": ends_on + datetime.timedelta(days=30),
        "status": status or ReportStatus.DRAFT,
    }
    values.update(fields)
    return ActionReport.objects.create(**values)
