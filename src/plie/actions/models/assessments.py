"""The diagnostics an action delivers for each person referred (issue 12, §4): French (FLE) on
the CEFR scale, mobility, CléA positioning against its 7 domains and 28 sub-domains (kept as
data), and the self-assessment of the fundamentals at the start and at the end."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.actions.enums import (
    CefrLevel,
    CleaLevel,
    DrivingLicence,
    Fundamental,
    Moment,
    SelfAssessmentScore,
    TransportAutonomy,
    Vehicle,
)


class Assessment(models.Model):
    """What every diagnostic has: the referral it belongs to, its date, who recorded it."""

    assessed_on = models.DateField(_("date"))
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    recorded_at = models.DateTimeField(_("saisi le"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class FrenchAssessment(Assessment):
    """Level in French per skill on the CEFR scale A1–C2, or « non évalué »."""

    referral = models.ForeignKey(
        "actions.ActionReferral",
        on_delete=models.CASCADE,
        related_name="french_assessments",
        verbose_name=_("orientation"),
    )
    moment = models.CharField(
        _("début ou fin de l'action"), max_length=10, choices=Moment, default=Moment.START
    )
    oral_comprehension = models.CharField(
        _("compréhension orale"), max_length=2, choices=CefrLevel, blank=True
    )
    written_comprehension = models.CharField(
        _("compréhension écrite"), max_length=2, choices=CefrLevel, blank=True
    )
    oral_expression = models.CharField(
        _("expression orale"), max_length=2, choices=CefrLevel, blank=True
    )
    written_expression = models.CharField(
        _("expression écrite"), max_length=2, choices=CefrLevel, blank=True
    )

    class Meta:
        ordering = ["referral", "assessed_on"]
        verbose_name = _("évaluation du français")
        verbose_name_plural = _("évaluations du français")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "moment"], name="french_assessment_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"Français — {self.get_moment_display()}"


class MobilityAssessment(Assessment):
    """Licence, vehicle, autonomy on public transport, radius of travel, and the orientation to
    the mobility platform (seed 001: the Mission locale's « Plateforme Mobilité »)."""

    referral = models.OneToOneField(
        "actions.ActionReferral",
        on_delete=models.CASCADE,
        related_name="mobility_assessment",
        verbose_name=_("orientation"),
    )
    driving_licence = models.CharField(
        _("permis de conduire"), max_length=12, choices=DrivingLicence
    )
    vehicle = models.CharField(_("véhicule"), max_length=12, choices=Vehicle)
    public_transport = models.CharField(
        _("autonomie dans les transports en commun"), max_length=15, choices=TransportAutonomy
    )
    travel_radius_km = models.PositiveSmallIntegerField(
        _("rayon de déplacement (km)"), validators=[MaxValueValidator(500)]
    )
    oriented_to_platform = models.BooleanField(
        _("orientée vers la plateforme mobilité"), default=False
    )

    class Meta:
        verbose_name = _("diagnostic de mobilité")
        verbose_name_plural = _("diagnostics de mobilité")

    def __str__(self) -> str:
        return "Diagnostic de mobilité"


class CleaDomain(models.Model):
    """One of the 7 domains of CléA (Code du travail D.6113-1), kept as data."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("intitulé"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("domaine CléA")
        verbose_name_plural = _("domaines CléA")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class CleaSubdomain(models.Model):
    """One of the 28 sub-domains; each weighs its points in the 75 % the certification asks."""

    domain = models.ForeignKey(
        CleaDomain, on_delete=models.PROTECT, related_name="subdomains", verbose_name=_("domaine")
    )
    number = models.PositiveSmallIntegerField(_("numéro dans le domaine"))
    name = models.CharField(_("intitulé"), max_length=200)
    points = models.PositiveSmallIntegerField(
        _("nombre de points"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["domain__number", "number"]
        verbose_name = _("sous-domaine CléA")
        verbose_name_plural = _("sous-domaines CléA")
        constraints = [
            models.UniqueConstraint(fields=["domain", "number"], name="clea_subdomain_unique")
        ]

    def __str__(self) -> str:
        return f"{self.domain.number}.{self.number} {self.name}"


class CleaPositioning(Assessment):
    """A CléA positioning: each sub-domain acquired, to work on or not assessed, and the
    orientation towards the regional qualification access scheme (DAQ)."""

    referral = models.ForeignKey(
        "actions.ActionReferral",
        on_delete=models.CASCADE,
        related_name="clea_positionings",
        verbose_name=_("orientation"),
    )
    moment = models.CharField(
        _("début ou fin de l'action"), max_length=10, choices=Moment, default=Moment.START
    )
    oriented_to_daq = models.BooleanField(
        _("orientée vers le Dispositif d'Accès à la Qualification (DAQ)"), default=False
    )

    class Meta:
        ordering = ["referral", "assessed_on"]
        verbose_name = _("positionnement CléA")
        verbose_name_plural = _("positionnements CléA")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "moment"], name="clea_positioning_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"Positionnement CléA — {self.get_moment_display()}"


class CleaResult(models.Model):
    positioning = models.ForeignKey(
        CleaPositioning,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("positionnement"),
    )
    subdomain = models.ForeignKey(
        CleaSubdomain, on_delete=models.PROTECT, related_name="+", verbose_name=_("sous-domaine")
    )
    level = models.CharField(
        _("résultat"), max_length=12, choices=CleaLevel, default=CleaLevel.NOT_ASSESSED
    )

    class Meta:
        ordering = ["positioning", "subdomain__domain__number", "subdomain__number"]
        verbose_name = _("résultat CléA")
        constraints = [
            models.UniqueConstraint(
                fields=["positioning", "subdomain"], name="clea_result_once_per_subdomain"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subdomain} : {self.get_level_display()}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.positioning.referral.participant_id}


class SelfAssessment(Assessment):
    """The person's own view of the fundamentals (seed 000), at the start and at the end."""

    referral = models.ForeignKey(
        "actions.ActionReferral",
        on_delete=models.CASCADE,
        related_name="self_assessments",
        verbose_name=_("orientation"),
    )
    moment = models.CharField(_("début ou fin de l'action"), max_length=10, choices=Moment)

    class Meta:
        ordering = ["referral", "moment"]
        verbose_name = _("autoévaluation")
        verbose_name_plural = _("autoévaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "moment"], name="self_assessment_once_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"Autoévaluation — {self.get_moment_display()}"


class SelfAssessmentAnswer(models.Model):
    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("autoévaluation"),
    )
    fundamental = models.CharField(_("fondamental"), max_length=15, choices=Fundamental)
    score = models.PositiveSmallIntegerField(_("réponse"), choices=SelfAssessmentScore)

    class Meta:
        ordering = ["self_assessment", "fundamental"]
        verbose_name = _("réponse d'autoévaluation")
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "fundamental"], name="self_assessment_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_fundamental_display()} : {self.score}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.self_assessment.referral.participant_id}
