"""The participants' satisfaction survey (issue 13, §1): a survey is data — its questions on a
scale of 1 to 4, with choices or in free text, in plain French — one per programme by default,
or a version for one action; the personal link each participant of a cohort receives
(`SurveyInvitation`, an unguessable token), and what they answered (`SurveyAnswer`, read only
in aggregate or, for free texts, without the name)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.actions.enums import SCALE_LABELS, QuestionKind


class Survey(models.Model):
    """A satisfaction survey: the programme's default one (no action; the first one if there
    are several), or the version an action uses instead."""

    action = models.OneToOneField(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey",
        verbose_name=_("action (version propre à une action)"),
        help_text=_("Vide : le questionnaire par défaut, pour toutes les autres actions."),
    )
    title = models.CharField(_("titre"), max_length=200)
    intro = models.TextField(
        _("introduction"),
        max_length=2000,
        help_text=_("Phrases courtes, une idée par phrase (« facile à lire et à comprendre »)."),
    )
    thanks = models.TextField(
        _("remerciement"),
        max_length=1000,
        default="Merci pour vos réponses. Elles vont nous aider à améliorer l'action.",
    )

    class Meta:
        ordering = ["action", "pk"]
        verbose_name = _("questionnaire de satisfaction")
        verbose_name_plural = _("questionnaires de satisfaction")

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """One question: `options` are the labels of the scale's four steps (1 to 4) or the
    choices offered; a free text has none."""

    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Nom court et stable, pour les bilans (par exemple « accueil »)."),
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind)
    options = models.JSONField(
        _("réponses proposées"),
        default=list,
        blank=True,
        help_text=_(
            "Échelle : les 4 libellés, de 1 à 4 (vide : « Non, pas du tout » … « Oui, tout à "
            "fait »). Choix : les réponses proposées. Texte libre : rien."
        ),
    )
    required = models.BooleanField(_("réponse obligatoire"), default=True)

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("question du questionnaire")
        verbose_name_plural = _("questions du questionnaire")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="survey_question_unique_code")
        ]

    def __str__(self) -> str:
        return self.text

    def labels(self) -> list[str]:
        """The scale's four labels, or the choices."""
        if self.kind == QuestionKind.SCALE:
            options = [str(o) for o in self.options or []]
            return options if len(options) == 4 else list(SCALE_LABELS)
        if self.kind == QuestionKind.CHOICE:
            return [str(o) for o in self.options or []]
        return []


class SurveyInvitation(models.Model):
    """The personal link of one participant of a cohort: a secret token, valid up to its
    closing day included, answered once."""

    survey = models.ForeignKey(
        Survey,
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("questionnaire"),
    )
    cohort = models.ForeignKey(
        "actions.Cohort",
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("groupe"),
    )
    referral = models.OneToOneField(
        "actions.ActionReferral",
        on_delete=models.CASCADE,
        related_name="survey_invitation",
        verbose_name=_("orientation"),
    )
    token = models.CharField(_("jeton du lien"), max_length=64, unique=True)
    closes_on = models.DateField(_("date de clôture"))
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    created_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("ouvert par"),
    )

    class Meta:
        ordering = ["cohort", "pk"]
        verbose_name = _("invitation au questionnaire")
        verbose_name_plural = _("invitations au questionnaire")

    def __str__(self) -> str:
        return f"Invitation au questionnaire — {self.cohort}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class SurveyAnswer(models.Model):
    """One answer to one question, linked to the invitation only (never shown with a name)."""

    invitation = models.ForeignKey(
        SurveyInvitation,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("lien personnel"),
    )
    question = models.ForeignKey(
        SurveyQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    scale = models.PositiveSmallIntegerField(_("note de 1 à 4"), null=True, blank=True)
    choice = models.CharField(_("réponse choisie"), max_length=200, blank=True)
    text = models.TextField(_("réponse libre"), max_length=2000, blank=True)

    class Meta:
        ordering = ["invitation", "question__order", "pk"]
        verbose_name = _("réponse au questionnaire")
        verbose_name_plural = _("réponses au questionnaire")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(scale__isnull=True) | models.Q(scale__gte=1, scale__lte=4),
                name="survey_answer_scale_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"Réponse à « {self.question} »"
