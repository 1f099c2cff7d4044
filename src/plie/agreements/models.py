"""Agreements with providers (issue 11, §3-4): the agreement with its commitments, its
amendments, its payment schedule (instalments) and the deliverables that release each
instalment; and the payment schedules offered as data (PaymentScheduleTemplate).

The rules that read these rows are pure functions beside them: the renewal limit in
amendments.py, an instalment's state and the split of the amount in payments.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.agreements.enums import (
    AgreementStatus,
    AmendmentKind,
    AmendmentStatus,
    CheckOutcome,
    DeliverableKind,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
SHARE = {"max_digits": 5, "decimal_places": 2}

# The commitments every agreement carries by default (seed 000 « Valorisation du soutien du
# FSE », seed 001 « Obligations du porteur » and the follow-up of operations); editable.
DEFAULT_COMMITMENTS = (
    "Mentionner le soutien du FSE+ sur chaque document produit, selon la charte graphique",
    "Recueillir les données des participants à l'entrée et à la sortie (« Ma Démarche FSE+ »)",
    "Faire signer une feuille d'émargement aux participants à chaque séance",
    "Remettre les bilans aux dates fixées",
    "Fournir les situations budgétaires avec les justificatifs de dépenses et de ressources",
)


class AgreementQuerySet(models.QuerySet):
    def for_user(self, user):
        """The team reads every agreement; a provider, its organisation's; others, none."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.role in COORDINATION_TEAM:
            return self
        if user.role == Role.PROVIDER and user.organisation_id:
            return self.filter(provider_id=user.organisation_id)
        return self.none()


class Agreement(models.Model):
    """The agreement with a provider: parties, object, objectives, commitments, a firm price,
    a one-year term (seed 001, line 243), a payment schedule."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="agreements"
    )
    operation = models.ForeignKey(
        "programme.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("opération de la programmation"),
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("prestataire"),
    )
    reference = models.CharField(_("référence"), max_length=30)
    title = models.CharField(_("intitulé"), max_length=200)
    purpose = models.TextField(_("objet"), max_length=10000)
    objectives = models.TextField(_("objectifs"), max_length=10000, blank=True)
    amount = models.DecimalField(
        _("montant (€, prix ferme)"), **MONEY, validators=[MinValueValidator(0)]
    )
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=AgreementStatus, default=AgreementStatus.DRAFT
    )
    schedule_name = models.CharField(_("échéancier"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("préparée par"),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("convention")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="agreement_unique_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class Commitment(models.Model):
    """One of the provider's commitments, as the agreement lists them."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    label = models.CharField(_("engagement"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("engagement du prestataire")
        verbose_name_plural = _("engagements du prestataire")

    def __str__(self) -> str:
        return self.label


class Amendment(models.Model):
    """An amendment asked, then validated or refused by the PLIE's bodies (seed 001, l. 243):
    an extension moves the end date once validated, twice at most."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="amendments")
    kind = models.CharField(_("nature"), max_length=20, choices=AmendmentKind)
    new_ends_on = models.DateField(_("nouvelle date de fin"), null=True, blank=True)
    amount_change = models.DecimalField(
        _("variation du montant (€)"), **MONEY, null=True, blank=True
    )
    reason = models.TextField(_("motif"), max_length=4000)
    asked_on = models.DateField(_("demandé le"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=AmendmentStatus, default=AmendmentStatus.PENDING
    )
    validated_on = models.DateField(_("décidé le"), null=True, blank=True)
    validating_body = models.CharField(
        _("instance qui a décidé"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « comité de pilotage du 12 mars 2027 »."),
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision enregistrée par"),
    )
    decision_note = models.TextField(_("commentaire de la décision"), max_length=4000, blank=True)

    class Meta:
        ordering = ["asked_on", "pk"]
        verbose_name = _("avenant")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.agreement.reference}"


class Instalment(models.Model):
    """An instalment of the payment schedule: its share of the amount, the amount computed at
    creation (payments.split_amount), and its payment once recorded."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="instalments")
    order = models.PositiveSmallIntegerField(_("ordre"))
    label = models.CharField(_("échéance"), max_length=200)
    share = models.DecimalField(
        _("part (%)"),
        **SHARE,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(_("montant (€)"), **MONEY)
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paiement enregistré par"),
    )
    payment_reference = models.CharField(_("référence du paiement"), max_length=60, blank=True)

    class Meta:
        ordering = ["agreement", "order"]
        verbose_name = _("échéance")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="instalment_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.agreement.reference})"


class Deliverable(models.Model):
    """A document an instalment needs: received (uploaded by the provider, or by the team on
    its behalf), then checked by a member of the team — accepted, or to redo with a comment."""

    instalment = models.ForeignKey(
        Instalment, on_delete=models.CASCADE, related_name="deliverables"
    )
    kind = models.CharField(_("nature"), max_length=30, choices=DeliverableKind)
    label = models.CharField(_("livrable"), max_length=200)
    document = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    received_at = models.DateTimeField(_("reçu le"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    checked_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié par"),
    )
    outcome = models.CharField(_("vérification"), max_length=20, choices=CheckOutcome, blank=True)
    check_comment = models.TextField(
        _("commentaire de la vérification"), max_length=4000, blank=True
    )

    class Meta:
        ordering = ["instalment__order", "pk"]
        verbose_name = _("livrable")

    def __str__(self) -> str:
        return self.label


class PaymentScheduleTemplate(models.Model):
    """A payment schedule offered when an agreement is created (seed 000's 30/30/40…), data."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("modèle d'échéancier")
        verbose_name_plural = _("modèles d'échéancier")

    def __str__(self) -> str:
        return self.name


class ScheduleLine(models.Model):
    """An instalment of a schedule template: its label, share and the deliverables it needs."""

    template = models.ForeignKey(
        PaymentScheduleTemplate, on_delete=models.CASCADE, related_name="lines"
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    label = models.CharField(_("échéance"), max_length=200)
    share = models.DecimalField(
        _("part (%)"), **SHARE, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    deliverable_kinds = models.JSONField(
        _("livrables demandés"),
        default=list,
        help_text=_("Les natures de livrable (DeliverableKind) que l'échéance attend."),
    )

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("ligne d'échéancier")
        verbose_name_plural = _("lignes d'échéancier")
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="schedule_line_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.share} %)"
