"""Calls for proposals and what answers them: the call with its documents, required contents
and weighted criteria (all data), the providers' proposals with their documents and offers
(the one deposited, the hearing, each negotiated revision), the evaluators' scores, the
steering committee's written consultation and the award.

The rules that read these rows are plain functions beside them: a proposal's flags (late,
incomplete, over the cap) in flags.py, the scores and the ranking in scoring.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.purchasing.enums import (
    CallStatus,
    Channel,
    ConsultationAnswerChoice,
    OfferKind,
    PriceFormula,
    Procedure,
    ProposalStatus,
    TieRule,
)

MONEY = {"max_digits": 12, "decimal_places": 2}


class CallQuerySet(models.QuerySet):
    def published(self):
        """Calls a provider may read: open, or past their deadline and not yet decided."""
        return self.exclude(status=CallStatus.DRAFT)

    def open(self):
        return self.filter(status=CallStatus.OPEN)


class CallForProposals(models.Model):
    """A consultation for a service or a call for projects (Procedure), with its deadline,
    budget cap, required contents and weighted criteria."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="calls_for_proposals"
    )
    procedure = models.CharField(_("procédure"), max_length=20, choices=Procedure)
    reference = models.CharField(_("référence"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=200)
    purpose = models.TextField(_("objet"), max_length=10000)
    deadline = models.DateTimeField(_("date et heure limites de dépôt"))
    late_proposals_refused = models.BooleanField(
        _("les propositions reçues après la date limite sont refusées"), default=True
    )
    budget_cap = models.DecimalField(
        _("plafond du budget (€)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("« Le coût de l'action ne devra pas excéder… » ; vide : pas de plafond."),
    )
    price_formula = models.CharField(
        _("notation du prix"),
        max_length=30,
        choices=PriceFormula,
        default=PriceFormula.LOWEST_OVER_PRICE,
    )
    tie_rule = models.CharField(
        _("départage des ex aequo"),
        max_length=30,
        choices=TieRule,
        default=TieRule.HEAVIEST_CRITERION,
    )
    hearing_planned = models.BooleanField(_("audition des candidats"), default=False)
    operation = models.ForeignKey(
        "programme.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls_for_proposals",
        verbose_name=_("opération de la programmation"),
        help_text=_("L'opération qui financera l'action ; la convention la reprendra."),
    )
    payment_schedule = models.ForeignKey(
        "agreements.PaymentScheduleTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("échéancier de paiement"),
        help_text=_(
            "Les règles de paiement que l'appel annonce ; la convention les reprendra. Vide : "
            "celui de la procédure (30 / 30 / 40 pour une prestation, 50 / 50 pour un appel "
            "à projets)."
        ),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=CallStatus, default=CallStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    consultation_answer_by = models.DateField(
        _("réponse du comité de pilotage attendue le"), null=True, blank=True
    )
    awarded_at = models.DateTimeField(_("attribué le"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attribué par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("préparé par"),
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("appel à propositions")
        verbose_name_plural = _("appels à propositions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "reference"], name="call_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class CallDocument(models.Model):
    """A document of the call (the specifications, the answer form), public once published."""

    call = models.ForeignKey(CallForProposals, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    document = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("fichier")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("document de l'appel")
        verbose_name_plural = _("documents de l'appel")

    def __str__(self) -> str:
        return self.title


class RequiredContent(models.Model):
    """An element a proposal must contain (« présentation du candidat », « proposition
    financière détaillée »…): a proposal without a document for each is incomplete."""

    call = models.ForeignKey(
        CallForProposals, on_delete=models.CASCADE, related_name="required_contents"
    )
    label = models.CharField(_("élément demandé"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("élément demandé")
        verbose_name_plural = _("éléments demandés")

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A weighted criterion (« valeur technique : 40 % »); the weights of a call add up to
    100. The price criterion is scored by the call's formula, the others by the evaluators."""

    call = models.ForeignKey(CallForProposals, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("critère"), max_length=200)
    description = models.TextField(_("apprécié au regard de"), max_length=2000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("poids (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_price = models.BooleanField(_("critère du prix"), default=False)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("critère de jugement")
        verbose_name_plural = _("critères de jugement")
        constraints = [
            models.UniqueConstraint(
                fields=["call"],
                condition=models.Q(is_price=True),
                name="criterion_one_price_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.weight} %)"


class ProposalQuerySet(models.QuerySet):
    def of_provider(self, organisation_id):
        return self.filter(provider_id=organisation_id)


class Proposal(models.Model):
    """A provider's answer to a call, time-stamped at its deposit; its price is that of its
    last offer (Offer)."""

    call = models.ForeignKey(CallForProposals, on_delete=models.PROTECT, related_name="proposals")
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("candidat"),
    )
    received_at = models.DateTimeField(_("reçue le"))
    channel = models.CharField(_("reçue par"), max_length=20, choices=Channel)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistrée par"),
    )
    receipt_number = models.CharField(_("numéro d'accusé de dépôt"), max_length=40, unique=True)
    status = models.CharField(
        _("état"), max_length=20, choices=ProposalStatus, default=ProposalStatus.RECEIVED
    )
    summary = models.TextField(_("résumé de l'offre"), max_length=4000, blank=True)
    agreement = models.OneToOneField(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("convention issue de l'attribution"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("proposition")
        constraints = [
            models.UniqueConstraint(fields=["call", "provider"], name="proposal_one_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.provider} — {self.call.reference}"


class ProposalDocument(models.Model):
    """A document of a proposal, and the required content it answers (if any)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    required_content = models.ForeignKey(
        RequiredContent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("élément demandé"),
    )
    document = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("fichier")
    )

    class Meta:
        ordering = ["required_content__order", "pk"]
        verbose_name = _("document de la proposition")
        verbose_name_plural = _("documents de la proposition")

    def __str__(self) -> str:
        return str(self.document)


class Offer(models.Model):
    """The offer deposited, then the hearing and each negotiated revision, in order: the
    score uses the last price given, and the history stays."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("nature"), max_length=20, choices=OfferKind)
    made_at = models.DateTimeField(_("le"))
    price = models.DecimalField(
        _("prix (€, ferme)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("ce qui a été dit ou changé"), max_length=10000, blank=True)
    document = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("noté par"),
    )

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("offre")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.made_at:%d/%m/%Y}"


class Evaluation(models.Model):
    """One evaluator's scoring of one proposal, after declaring no conflict of interest."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("évaluateur"),
    )
    no_conflict_declared_at = models.DateTimeField(
        _("absence de conflit d'intérêts déclarée le"), null=True, blank=True
    )
    completed_at = models.DateTimeField(_("notation terminée le"), null=True, blank=True)
    # An evaluator who declares a conflict of interest does not score the proposal: the
    # declaration is kept, and the ranking does without this evaluation.
    conflict_declared_at = models.DateTimeField(
        _("conflit d'intérêts déclaré le"), null=True, blank=True
    )

    class Meta:
        ordering = ["proposal", "evaluator"]
        verbose_name = _("évaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="evaluation_one_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} — {self.proposal}"


class Score(models.Model):
    """The points an evaluator gives a proposal on a criterion other than price, from 0 to 10,
    with the comment that justifies them."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(
        _("note sur 10"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    comment = models.TextField(_("commentaire"), max_length=4000)

    class Meta:
        verbose_name = _("note")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="score_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.label} : {self.points}/10"


class WrittenConsultation(models.Model):
    """The steering committee's written consultation on the proposed award: each member
    answers in the application by a date (seed 001)."""

    call = models.OneToOneField(
        CallForProposals, on_delete=models.PROTECT, related_name="consultation"
    )
    proposed = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposition soumise au comité"),
    )
    message = models.TextField(_("message au comité"), max_length=10000)
    answer_by = models.DateField(_("réponse attendue au plus tard le"))
    opened_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ouverte par"),
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation écrite")
        verbose_name_plural = _("consultations écrites")

    def __str__(self) -> str:
        return f"Consultation écrite — {self.call.reference}"


class ConsultationAnswer(models.Model):
    """A member's answer; the rows are written when the consultation opens, one per member
    asked, so that the page shows who has not answered yet."""

    consultation = models.ForeignKey(
        WrittenConsultation, on_delete=models.CASCADE, related_name="answers"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultation_answers",
        verbose_name=_("membre"),
    )
    answer = models.CharField(
        _("avis"), max_length=20, choices=ConsultationAnswerChoice, blank=True
    )
    comment = models.TextField(_("commentaire"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        ordering = ["member__last_name", "member__first_name"]
        verbose_name = _("réponse à la consultation")
        verbose_name_plural = _("réponses à la consultation")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "member"], name="consultation_one_answer_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_answer_display() or 'sans réponse'}"
