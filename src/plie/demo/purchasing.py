"""The demo PLIE's programme and purchasing: the year's operations with their budgets and
funding plans, a consultation for a service judged and awarded (three proposals, two
evaluators, a hearing, a negotiated offer, the steering committee's written consultation)
whose agreement has its first instalment paid and its second waiting for the interim report,
and a call for projects open to answers (seed 001's remobilisation action).

Everything goes through the apps' services, as a team would do it in the pages; the dates
that the services stamp with « now » are then set back to the story's (a consultation opened
weeks ago, not during `plie demo`). The programme is the demo day's year; the calls are told
from the real day, which the services compare with.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from weasyprint import HTML

from plie.accounts.models import Organisation, User
from plie.agreements import services as agreement_services
from plie.agreements.enums import CheckOutcome
from plie.core.models import Notice
from plie.pathways.models import StepType
from plie.programme import services as programme_services
from plie.programme.enums import Funder, OperationKind, OperationState
from plie.programme.models import Operation
from plie.purchasing import decision
from plie.purchasing import services as purchasing_services
from plie.purchasing.enums import (
    CallStatus,
    Channel,
    ConsultationAnswerChoice,
    OfferKind,
    PriceFormula,
    Procedure,
)
from plie.purchasing.models import (
    CallForProposals,
    ConsultationAnswer,
    Evaluation,
    Proposal,
    WrittenConsultation,
)
from plie.territory.models import Programme

# Seed 000, « Présentation de l'offre et prix »; seed 001, the answer form's plan.
SERVICE_CONTENTS = (
    "Présentation du candidat",
    "Compréhension du contexte, des enjeux et des objectifs",
    "Approche méthodologique proposée",
    "Planning d'exécution et répartition des tâches",
    "Présentation de l'intervenant",
    "Proposition financière détaillée",
    "Références pour le même type de prestations",
)
PROJECT_CONTENTS = (
    "Dossier de réponse (formulaire annexé au cahier des charges)",
    "Budget prévisionnel de l'action",
    "Calendrier des entrées (toutes les trois semaines)",
    "Présentation des intervenants",
)
CRITERIA = (
    (
        "Valeur technique de l'offre",
        40,
        False,
        "compréhension du dossier, pertinence des approches",
    ),
    ("Expérience et compétences de l'équipe", 30, False, "profil et expérience de l'intervenant"),
    ("Prix", 30, True, ""),
)


def document(title: str, paragraphs: list[str], name: str) -> SimpleUploadedFile:
    """A short real PDF, as a provider or the team would send it."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = (
        "<html lang='fr'><body style='font-family: DejaVu Sans, sans-serif; font-size: 11pt'>"
        f"<h1 style='font-size: 16pt'>{escape(title)}</h1>{body}</body></html>"
    )
    return SimpleUploadedFile(name, HTML(string=html).write_pdf(), "application/pdf")


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class PurchasingStory:
    def __init__(self, programme: Programme, organisations: list[Organisation], today):
        self.programme = programme
        self.organisations = organisations
        self.today = today  # the demo's day: the programme's year
        # The calls' and the agreement's story is told from the real day: the services
        # compare with it (a deadline to come, a consultation's date not passed).
        self.day = timezone.localdate()
        self.coordinator = User.objects.get(username="coordinatrice")
        self.officer = User.objects.get(username="charge.projet")
        self.steering = list(User.objects.filter(username__startswith="copil").order_by("username"))
        self.counts: dict[str, int] = {}

    def create(self) -> dict[str, int]:
        self.create_programme()
        self.create_awarded_consultation()
        # The awarded call's notices were read as it went; the open call's are new.
        Notice.objects.update(read_at=timezone.now())
        self.create_open_call()
        return self.counts

    # The annual programme ------------------------------------------------------------------

    def create_programme(self) -> None:
        year = programme_services.open_year(programme=self.programme, year=self.today.year)
        planned_on = datetime.date(self.today.year, 1, 6)
        approved_on = datetime.date(self.today.year, 1, 27)
        started_on = datetime.date(self.today.year, 2, 2)
        gip, savoirs = self.organisations[0], self.organisations[11]
        referents = {
            organisation: User.objects.filter(organisation=organisation, role="referent").count()
            for organisation in self.organisations[1:5]
        }
        operations = [
            (
                OperationKind.ANIMATION,
                "Animation et coordination du PLIE",
                gip,
                Decimal(420000),
                {Funder.FSE: 210000, Funder.METROPOLE: 150000, Funder.DEPARTEMENT: 60000},
                {"target_entries": 450, "target_people": 1200, "target_positive_exits": 300},
            ),
            *(
                (
                    OperationKind.ACCOMPANIMENT,
                    f"Portage des référents — {organisation.name}",
                    organisation,
                    Decimal(58000 * count),
                    {
                        Funder.FSE: 29000 * count,
                        Funder.METROPOLE: 17400 * count,
                        Funder.COMMUNES: 11600 * count,
                    },
                    {
                        "target_entries": 35 * count,
                        "target_people": 92 * count,
                        "target_positive_exits": 23 * count,
                        "target_fte": Decimal(count),
                        "target_caseload": 70 * count,
                    },
                )
                for organisation, count in referents.items()
                if count
            ),
            (
                OperationKind.INSERTION_CLAUSES,
                "Facilitation des clauses sociales d'insertion",
                gip,
                Decimal(60000),
                {Funder.FSE: 30000, Funder.METROPOLE: 30000},
                {"target_people": 90},
            ),
            (
                OperationKind.PARTICIPANT_ACTIONS,
                "Action de remobilisation (entrées toutes les trois semaines)",
                savoirs,
                Decimal(40000),
                {Funder.FSE: 24000, Funder.METROPOLE: 16000},
                {"target_people": 120},
            ),
            (
                OperationKind.REFERENT_DEVELOPMENT,
                "Professionnalisation des référents de parcours",
                gip,
                Decimal(15000),
                {Funder.FSE: 7500, Funder.REGION: 7500},
                {"volume_unit": "journées", "planned_volume": 20, "achieved_volume": 12},
            ),
        ]
        action = StepType.objects.filter(code="plie-action").first()
        for kind, title, carrier, budget, funding, targets in operations:
            operation = Operation.objects.create(
                year=year,
                kind=kind,
                title=title,
                carrier=carrier,
                budget=budget,
                planned_on=planned_on,
                **targets,
            )
            if kind == OperationKind.PARTICIPANT_ACTIONS and action is not None:
                operation.step_types.add(action)
                self.action_operation = operation
            programme_services.set_funding(
                operation=operation,
                amounts={funder: Decimal(amount) for funder, amount in funding.items()},
            )
            programme_services.change_state(
                operation=operation, target=OperationState.APPROVED, on=approved_on
            )
            programme_services.change_state(
                operation=operation, target=OperationState.RUNNING, on=started_on
            )
        self.counts["opérations de la programmation"] = len(operations)

    # A consultation for a service, judged and awarded ---------------------------------------

    def create_awarded_consultation(self) -> None:
        year = self.day.year
        deadline = moment(self.day - datetime.timedelta(days=84), 17)
        call = self._call(
            procedure=Procedure.SERVICE,
            reference=f"CPS-{year}-01",
            title="Ateliers « Oser l'emploi » : un groupe de 8 participants",
            purpose=(
                "Accompagner un groupe de 8 participants récemment entrés dans le PLIE : "
                "ateliers collectifs et entretiens individuels pour mettre en mots leur "
                "parcours, exprimer un projet, reprendre confiance, et transmettre à chaque "
                "référent des préconisations pour la suite du parcours."
            ),
            deadline=deadline,
            cap=Decimal(25000),
            contents=SERVICE_CONTENTS,
            published=deadline - datetime.timedelta(days=30),
            hearing=True,
            documents=(
                ("Cahier des charges", "Contexte, objectifs, contenu et calendrier de la mission."),
            ),
        )
        candidates = [
            (self.organisations[11], Decimal(21800), Channel.PORTAL, 9),
            (self.organisations[10], Decimal(19500), Channel.PORTAL, 4),
            (self._provider("Cabinet Horizons Conseil"), Decimal(24900), Channel.EMAIL, 2),
        ]
        proposals = []
        for provider, price, channel, days_before in candidates:
            received = deadline - datetime.timedelta(days=days_before, hours=3)
            proposals.append(self._deposit(call, provider, price, channel, received))
        purchasing_services.close_deposits(call=call, now=deadline + datetime.timedelta(days=1))
        savoirs, jardins, horizons = proposals
        hearing_day = deadline + datetime.timedelta(days=10)
        for proposal, note in (
            (savoirs, "Audition en visioconférence : méthode claire, intervenante expérimentée."),
            (jardins, "Audition : ateliers sur le chantier, peu d'entretiens individuels."),
        ):
            decision.record_offer(
                proposal=proposal,
                kind=OfferKind.HEARING,
                made_at=hearing_day,
                price=None,
                note=note,
                by=self.coordinator,
            )
        decision.record_offer(
            proposal=savoirs,
            kind=OfferKind.NEGOTIATED,
            made_at=hearing_day + datetime.timedelta(days=3),
            price=Decimal(20400),
            note="Offre révisée : deux ateliers regroupés, prix ramené à 20 400 €.",
            by=self.coordinator,
        )
        points = {savoirs: ((9, 8), (8, 8)), jardins: ((7, 7), (6, 7)), horizons: ((7, 6), (8, 6))}
        technical, team = list(call.criteria.filter(is_price=False).order_by("order"))
        for index, evaluator in enumerate((self.coordinator, self.officer)):
            for proposal in proposals:
                evaluation = decision.declare_interests(
                    proposal=proposal, evaluator=evaluator, conflict=False
                )
                given = points[proposal][index]
                decision.record_scores(
                    evaluation=evaluation,
                    scores={
                        technical: (Decimal(given[0]), "Démarche adaptée au public du PLIE."),
                        team: (Decimal(given[1]), "Intervenante formée à l'accompagnement."),
                    },
                )
        consultation = decision.open_consultation(
            call=call,
            proposed=savoirs,
            message=(
                "Le classement de la structure d'animation propose de retenir l'offre de "
                f"{savoirs.provider}. Merci de donner votre avis."
            ),
            answer_by=self.day,
            by=self.coordinator,
        )
        for member, answer in zip(
            self.steering,
            (
                ConsultationAnswerChoice.FAVOURABLE,
                ConsultationAnswerChoice.FAVOURABLE,
                ConsultationAnswerChoice.ABSTENTION,
            ),
            strict=False,
        ):
            decision.answer_consultation(
                consultation=consultation,
                member=member,
                answer=answer,
                comment="Avis donné au vu du classement." if answer != "abstention" else "",
            )
        decision.close_consultation(consultation=consultation)
        starts_on = (deadline + datetime.timedelta(days=35)).date().replace(day=1)
        winner = decision.award(call=call, by=self.coordinator, starts_on=starts_on)
        self._agreement_under_way(winner.agreement, starts_on)
        # The moments the services stamped « now », set back to the story's.
        opened = hearing_day + datetime.timedelta(days=6)
        WrittenConsultation.objects.filter(pk=consultation.pk).update(
            opened_at=opened, closed_at=opened + datetime.timedelta(days=8)
        )
        WrittenConsultation.objects.filter(pk=consultation.pk).update(
            answer_by=(opened + datetime.timedelta(days=8)).date()
        )
        ConsultationAnswer.objects.filter(consultation=consultation).update(
            answered_at=opened + datetime.timedelta(days=2)
        )
        Evaluation.objects.filter(proposal__call=call).update(
            no_conflict_declared_at=hearing_day + datetime.timedelta(days=4),
            completed_at=hearing_day + datetime.timedelta(days=5),
        )
        CallForProposals.objects.filter(pk=call.pk).update(
            awarded_at=opened + datetime.timedelta(days=9),
            consultation_answer_by=(opened + datetime.timedelta(days=8)).date(),
        )
        self.counts["appels attribués"] = 1

    def _agreement_under_way(self, agreement, starts_on: datetime.date) -> None:
        """Signed on its first day; the signed agreement received, checked and the first
        instalment paid; the interim report not yet sent, so the second waits."""
        agreement_services.sign(agreement=agreement, signed_on=starts_on, by=self.coordinator)
        first = agreement.instalments.get(order=1)
        for deliverable in first.deliverables.all():
            agreement_services.receive_deliverable(
                deliverable=deliverable,
                uploaded=document(
                    f"Convention {agreement.reference} signée",
                    [
                        f"Convention entre le PLIE et {agreement.provider}, signée le "
                        f"{starts_on:%d/%m/%Y}."
                    ],
                    "convention-signee.pdf",
                ),
                by=User.objects.filter(organisation=agreement.provider, role="provider").first()
                or self.coordinator,
            )
            agreement_services.check_deliverable(
                deliverable=deliverable,
                outcome=CheckOutcome.ACCEPTED,
                comment="Convention signée des deux parties.",
                by=self.officer,
            )
        # Received two days after the signature, checked the day after, as a team works.
        signed_at = moment(starts_on, 10)
        first.deliverables.update(
            received_at=signed_at + datetime.timedelta(days=2),
            checked_at=signed_at + datetime.timedelta(days=3),
        )
        agreement_services.record_payment(
            instalment=first,
            paid_on=starts_on + datetime.timedelta(days=21),
            reference=f"MANDAT-{starts_on.year}-0412",
            by=self.coordinator,
        )
        self.counts["conventions"] = self.counts.get("conventions", 0) + 1

    # A call for projects, open ---------------------------------------------------------------

    def create_open_call(self) -> None:
        deadline = moment(self.day + datetime.timedelta(days=21), 17)
        call = self._call(
            procedure=Procedure.PROJECTS,
            reference=f"AAP-{self.day.year + 1}-01",
            title="Action de remobilisation vers l'emploi et la formation",
            purpose=(
                "Des groupes de 8 à 12 participants entrant toutes les trois semaines (environ "
                "120 personnes par an), trois semaines à temps partiel : diagnostic du français, "
                "de la mobilité (avec la Plateforme Mobilité de la Mission locale) et des "
                "compétences du socle CléA, fiche de suivi à chaque référent, bilans au premier "
                "trimestre, à mi-parcours et en fin d'action. Le coût de l'action ne devra pas "
                "excéder 40 K €."
            ),
            deadline=deadline,
            cap=Decimal(40000),
            contents=PROJECT_CONTENTS,
            published=moment(self.day - datetime.timedelta(days=10), 9),
            hearing=False,
            operation=getattr(self, "action_operation", None),
            documents=(
                ("Cahier des charges", "Contexte, public, contenu de l'action, obligations."),
                ("Dossier de réponse", "Présentation, projet, moyens, budget, calendrier."),
            ),
        )
        self._deposit(
            call,
            self.organisations[10],
            Decimal(38500),
            Channel.PORTAL,
            moment(self.day - datetime.timedelta(days=2), 10, 14),
        )
        self.counts["appels ouverts"] = 1

    # Helpers ---------------------------------------------------------------------------------

    def _provider(self, name: str) -> Organisation:
        organisation, _ = Organisation.objects.get_or_create(
            programme=self.programme, name=name, defaults={"is_provider": True}
        )
        return organisation

    def _call(
        self,
        *,
        procedure,
        reference,
        title,
        purpose,
        deadline,
        cap,
        contents,
        published,
        hearing,
        documents,
        operation=None,
    ) -> CallForProposals:
        call = CallForProposals.objects.create(
            programme=self.programme,
            procedure=procedure,
            reference=reference,
            title=title,
            purpose=purpose,
            deadline=deadline,
            budget_cap=cap,
            price_formula=PriceFormula.LOWEST_OVER_PRICE,
            hearing_planned=hearing,
            operation=operation,
            created_by=self.officer,
        )
        for order, label in enumerate(contents):
            call.required_contents.create(label=label, order=order)
        for order, (label, weight, is_price, description) in enumerate(CRITERIA):
            call.criteria.create(
                label=label,
                weight=weight,
                is_price=is_price,
                description=description,
                order=order,
            )
        for title, text in documents:
            name = f"{title.lower().replace(' ', '-')}.pdf"
            purchasing_services.add_call_document(
                call=call,
                title=title,
                uploaded=document(f"{title} — {reference}", [title, text], name),
                by=self.coordinator,
            )
        # Published before its deadline (the publication rule reads « now »: the story's).
        purchasing_services.publish(call=call, now=min(published, deadline))
        CallForProposals.objects.filter(pk=call.pk).update(published_at=published)
        call.refresh_from_db()
        assert call.status == CallStatus.OPEN
        return call

    def _deposit(self, call, provider, price, channel, received) -> Proposal:
        depositor = (
            User.objects.filter(organisation=provider, role="provider").first()
            if channel == Channel.PORTAL
            else None
        ) or self.officer
        documents = [
            (
                content,
                document(
                    content.label,
                    [f"{provider.name} — réponse à l'appel {call.reference}.", content.label],
                    f"{content.label[:40]}.pdf",
                ),
            )
            for content in call.required_contents.all()
        ]
        return purchasing_services.deposit(
            call=call,
            provider=provider,
            received_at=received,
            channel=channel,
            by=depositor,
            price=price,
            documents=documents,
            summary=f"Offre de {provider.name}",
        )
