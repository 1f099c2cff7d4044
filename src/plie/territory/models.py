"""The programme, its territory and the national nomenclatures, all kept as data.

Another PLIE loads its own communes, QPV and protocols with `plie territory load`;
nothing in the logic names a commune or a level.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.territory.enums import IscedBand


class Programme(models.Model):
    """The PLIE this installation runs; every row that belongs to a PLIE can be scoped by it."""

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=50)
    territory_name = models.CharField(_("territoire"), max_length=200)
    managing_body = models.CharField(_("structure porteuse"), max_length=200, blank=True)
    # Thresholds of the référents' worklists, set by the PLIE (in days).
    alert_days_without_step = models.PositiveSmallIntegerField(
        _("alerte : jours sans étape"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    alert_days_not_seen = models.PositiveSmallIntegerField(
        _("alerte : jours sans contact"),
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    alert_days_step_ending = models.PositiveSmallIntegerField(
        _("alerte : étapes se terminant dans les N jours"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    alert_days_referral_waiting = models.PositiveSmallIntegerField(
        _("alerte : jours d'attente d'un premier rendez-vous"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    alert_days_follow_up = models.PositiveSmallIntegerField(
        _("alerte : suivis à six mois dus dans les N jours"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("PLIE")
        verbose_name_plural = _("PLIE")

    def __str__(self) -> str:
        return self.short_name

    @classmethod
    def current(cls) -> "Programme | None":
        return cls.objects.order_by("pk").first()


class Commune(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="communes", verbose_name=_("PLIE")
    )
    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    is_rural = models.BooleanField(_("zone rurale"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")

    def __str__(self) -> str:
        return self.name


class Qpv(models.Model):
    """Quartier prioritaire de la politique de la ville (or a neighbourhood under watch)."""

    code = models.CharField(_("code officiel"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="qpvs", verbose_name=_("commune")
    )
    is_watch_area = models.BooleanField(_("quartier de veille"), default=False)
    valid_from = models.DateField(_("en vigueur depuis"), null=True, blank=True)
    valid_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["commune__name", "name"]
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"


# A nomenclature offers each label once: two "Logement" rows would split the figures.
LABEL_TAKEN = {"unique": _("Ce libellé existe déjà : modifiez la ligne existante.")}


class EducationLevel(models.Model):
    """Décret 2019-14 levels, with the old levels and the ISCED band used by the FSE+."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    level = models.PositiveSmallIntegerField(_("niveau (nomenclature 2019)"))
    old_level = models.CharField(_("ancien niveau"), max_length=10)
    isced_band = models.CharField(_("tranche CITE (ISCED)"), max_length=10, choices=IscedBand)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # A value in use is retired, never deleted: the records that hold it keep it.
    is_active = models.BooleanField(
        _("proposé à la saisie"),
        default=True,
        help_text=_("Décochez pour ne plus le proposer ; les dossiers qui l'ont le gardent."),
    )

    class Meta:
        ordering = ["order", "level"]
        verbose_name = _("niveau de formation")
        verbose_name_plural = _("niveaux de formation")

    def __str__(self) -> str:
        return self.label


class PrescriberType(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=150, unique=True, error_messages=LABEL_TAKEN)
    # A value in use is retired, never deleted: the records that hold it keep it.
    is_active = models.BooleanField(
        _("proposé à la saisie"),
        default=True,
        help_text=_("Décochez pour ne plus le proposer ; les dossiers qui l'ont le gardent."),
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("type de prescripteur")
        verbose_name_plural = _("types de prescripteurs")

    def __str__(self) -> str:
        return self.label


class BarrierType(models.Model):
    """Frein périphérique (mobility, housing, health...); its code is what protocols refer to."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=150, unique=True, error_messages=LABEL_TAKEN)
    is_sensitive = models.BooleanField(_("donnée sensible"), default=False)
    # A value in use is retired, never deleted: the records that hold it keep it.
    is_active = models.BooleanField(
        _("proposé à la saisie"),
        default=True,
        help_text=_("Décochez pour ne plus le proposer ; les dossiers qui l'ont le gardent."),
    )

    class Meta:
        ordering = ["label"]
        verbose_name = _("type de frein")
        verbose_name_plural = _("types de freins")

    def __str__(self) -> str:
        return self.label
