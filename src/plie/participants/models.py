"""The participant record: the person, their referrals, first appointments and outreach.

Their pathways (situation at entry, eligibility, steps, exit) live in the pathways app; a
person can come back after an exit: each return is a new `Pathway`. `Participant.status`
and `Participant.referent` are the current state, kept by the services in `services.py`
so that lists and permission checks need no joins.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.core import formatting
from plie.core.dates import age_on
from plie.core.versioning import Versioned
from plie.participants.enums import (
    AppointmentOutcome,
    Nationality,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    ReferralOutcome,
    ReferralStatus,
    Sex,
)
from plie.participants.names import name_key
from plie.participants.validators import (
    french_postcode,
    not_in_future,
    phone_number,
    plausible_birth_date,
)

YES_NO = {"null": True, "blank": True}


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        """Participants a user may open: the coordination team sees all, a référent their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordination_team:
            return self
        if user.is_referent:
            return self.filter(referent=user)
        return self.none()

    def search(self, text: str):
        """By file number, or by every word typed found in the names, accents and case aside."""
        text = (text or "").strip()
        if not text:
            return self
        words = name_key(text).split()
        names = models.Q()
        for word in words:
            names &= models.Q(name_key__contains=word)
        if not words:
            return self.filter(file_number__iexact=text)
        return self.filter(models.Q(file_number__iexact=text) | names)


class Participant(Versioned):
    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="participants"
    )
    file_number = models.CharField(_("numéro de dossier"), max_length=20, unique=True)
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    last_name = models.CharField(_("nom"), max_length=100)
    birth_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    # The names as searched: without accents or case (kept by save() and bulk writers).
    name_key = models.CharField(
        _("clé de recherche"), max_length=320, blank=True, editable=False, db_index=True
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex)
    birth_date = models.DateField(
        _("date de naissance"), validators=[not_in_future, plausible_birth_date]
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[phone_number])
    email = models.EmailField(_("courriel"), max_length=150, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[french_postcode]
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("commune de résidence"),
    )
    commune_outside_territory = models.CharField(
        _("commune hors territoire"),
        max_length=100,
        blank=True,
        help_text=_("À remplir seulement si la personne habite hors du territoire du PLIE."),
    )
    qpv = models.ForeignKey(
        "territory.Qpv",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("quartier prioritaire (QPV)"),
    )
    # Sensitive: nationality and right to work.
    nationality = models.CharField(_("nationalité"), max_length=20, choices=Nationality, blank=True)
    right_to_work = models.BooleanField(_("autorisé(e) à travailler en France"), **YES_NO)
    foreign_background = models.BooleanField(
        _("parents nés à l'étranger (origine étrangère, FSE+)"), **YES_NO
    )
    minority = models.BooleanField(
        _("appartenance à une minorité (FSE+, réponse facultative)"), **YES_NO
    )

    status = models.CharField(
        _("situation"), max_length=30, choices=ParticipantStatus, default=ParticipantStatus.REFERRED
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("référent(e)"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("participant(e)")
        indexes = [
            models.Index(fields=["referent", "status"]),
            models.Index(fields=["last_name", "first_name", "birth_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.refresh_name_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def refresh_name_key(self) -> None:
        self.name_key = name_key(self.last_name, self.birth_name, self.first_name)

    @property
    def age(self) -> int:
        from django.utils import timezone

        return age_on(self.birth_date, timezone.localdate())

    @property
    def residence_label(self) -> str:
        if self.commune_id:
            return self.commune.name
        return self.commune_outside_territory

    def current_pathway(self):
        return self.pathways.order_by("-number").first()

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pk}


class Referral(Versioned):
    """An orientation by a prescriber, up to the first appointment and its outreach."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="referrals")
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    prescriber = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("prescripteur"),
    )
    prescriber_contact = models.CharField(_("personne qui oriente"), max_length=150, blank=True)
    referred_on = models.DateField(_("date d'orientation"), validators=[not_in_future])
    reason = models.TextField(
        _("motif de l'orientation"), max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    status = models.CharField(
        _("état"),
        max_length=30,
        choices=ReferralStatus,
        default=ReferralStatus.AWAITING_APPOINTMENT,
    )
    outcome = models.CharField(_("issue"), max_length=30, choices=ReferralOutcome, blank=True)
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    closing_note = models.CharField(_("précision sur la clôture"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("orientation")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Orientation du {formatting.day(self.referred_on)}"

    @property
    def is_open(self) -> bool:
        return self.status != ReferralStatus.CLOSED

    def get_additional_data(self) -> dict:
        return {"participant_id": self.participant_id}


class Appointment(Versioned):
    """First appointment (or a new one after outreach)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="appointments")
    scheduled_for = models.DateTimeField(_("date et heure"))
    with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("avec"),
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    outcome = models.CharField(
        _("issue"), max_length=20, choices=AppointmentOutcome, default=AppointmentOutcome.PLANNED
    )

    class Meta:
        ordering = ["-scheduled_for"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")

    def __str__(self) -> str:
        return f"Rendez-vous du {formatting.day(self.scheduled_for)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class OutreachAttempt(models.Model):
    """One attempt to reach a person who did not come ("aller-vers")."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="outreach_attempts"
    )
    attempted_on = models.DateField(_("date"), validators=[not_in_future])
    mode = models.CharField(_("moyen"), max_length=20, choices=OutreachMode)
    result = models.CharField(_("résultat"), max_length=20, choices=OutreachResult)
    note = models.CharField(_("commentaire"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-attempted_on", "-pk"]
        verbose_name = _("tentative d'aller-vers")
        verbose_name_plural = _("tentatives d'aller-vers")

    def __str__(self) -> str:
        return f"{self.get_mode_display()} du {formatting.day(self.attempted_on)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}
