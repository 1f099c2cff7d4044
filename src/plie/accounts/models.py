"""Users, their role, and the organisations they work for."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.accounts.enums import COORDINATION_TEAM, Role, RoleRequestStatus


class OrganisationQuerySet(models.QuerySet):
    def prescribers(self):
        return self.filter(is_prescriber=True, is_active=True)

    def referent_employers(self):
        return self.filter(employs_referents=True, is_active=True)


class Organisation(models.Model):
    """A partner body: employs référents, refers people, runs actions — often several at once."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(_("nom"), max_length=200)
    employs_referents = models.BooleanField(_("employeur de référents"), default=False)
    is_prescriber = models.BooleanField(_("prescripteur"), default=False)
    is_provider = models.BooleanField(_("prestataire"), default=False)
    is_coordination = models.BooleanField(_("structure d'animation du PLIE"), default=False)
    prescriber_type = models.ForeignKey(
        "territory.PrescriberType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("type de prescripteur"),
    )
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("structure")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def referents(self):
        return self.filter(role=Role.REFERENT, is_active=True).order_by("last_name", "first_name")


class PlieUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    # Django's « statut équipe » and « statut super-utilisateur » say nothing to the PLIE's
    # administrator: the admin form and the journal name these two as below.
    is_staff = models.BooleanField(
        _("accès à l'administration"),
        default=False,
        help_text=_("Peut ouvrir l'administration : nomenclatures, types d'étapes, comptes."),
    )
    is_superuser = models.BooleanField(
        _("tous les droits (super-utilisateur)"),
        default=False,
        help_text=_("A tous les droits, sans qu'on les lui donne un par un."),
    )
    role = models.CharField(_("rôle"), max_length=30, choices=Role, default=Role.REFERENT)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("structure"),
    )

    objects = PlieUserManager()

    class Meta:
        verbose_name = _("utilisateur")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_coordination_team(self) -> bool:
        return self.role in COORDINATION_TEAM

    @property
    def is_referent(self) -> bool:
        return self.role == Role.REFERENT


class RoleRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RoleRequestStatus.PENDING)


class RoleRequest(models.Model):
    """A role asked for an account in the administration, given once a coordinator approves
    it (accounts/roles.py): the administrator never gives a role that opens every file."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_requests", verbose_name=_("compte")
    )
    previous_role = models.CharField(_("rôle d'avant"), max_length=30, choices=Role)
    role = models.CharField(_("rôle demandé"), max_length=30, choices=Role)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("demandé par")
    )
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    status = models.CharField(
        _("décision"), max_length=20, choices=RoleRequestStatus, default=RoleRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    objects = RoleRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de rôle")
        verbose_name_plural = _("demandes de rôle")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_role_request_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} : {self.get_role_display()}"
