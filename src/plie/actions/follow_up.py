"""The provider's follow-up sheets and the thread between provider and référent about a
referral (issue 12, §5). A sheet is written as a draft (observations and recommendations, one
per working axis), then sent to the référent: sent, it is never changed again. Each sheet
sent and each message notifies the other side (in the application and by e-mail); a notice
names the action, never the person (core.notices)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.accounts.models import User
from plie.actions.models import ActionReferral, FollowUpSheet, Recommendation, ReferralMessage
from plie.actions.referrals import for_referent
from plie.core.notices import notify
from plie.core.versioning import lock

SENT_ALREADY = "Cette fiche a déjà été envoyée au référent : elle ne peut plus être modifiée."


def provider_users(referral: ActionReferral):
    return User.objects.filter(
        organisation_id=referral.action.agreement.provider_id, role=Role.PROVIDER, is_active=True
    )


def referents(referral: ActionReferral) -> list:
    """The référent who follows the person now (the one who referred, failing that)."""
    referent = referral.participant.referent or referral.created_by
    return [referent] if referent is not None else []


def _url(referral: ActionReferral) -> str:
    return reverse("actions:referral_follow_up", args=[referral.pk])


def _check_recommendations(recommendations) -> list[tuple[str, str]]:
    kept = [(axis, text.strip()) for axis, text in recommendations if axis or text.strip()]
    for axis, text in kept:
        if not axis or not text:
            raise ValidationError(
                "Chaque préconisation a un axe de travail et un texte : complétez-la ou videz-la."
            )
    return kept


def save_sheet(
    *,
    referral: ActionReferral,
    kind: str,
    observations: str,
    recommendations: list[tuple[str, str]],
    by,
    sheet: FollowUpSheet | None = None,
) -> FollowUpSheet:
    """A new draft, or a draft corrected (its recommendations replaced)."""
    kept = _check_recommendations(recommendations)
    with transaction.atomic():
        if sheet is None:
            sheet = FollowUpSheet(referral=referral, written_by=by)
        else:
            lock(sheet)
            if sheet.sent_at is not None:
                raise ValidationError(SENT_ALREADY)
        sheet.kind = kind
        sheet.observations = observations
        sheet.full_clean(exclude=["referral", "written_by"])
        sheet.save()
        sheet.recommendations.all().delete()
        for axis, text in kept:
            recommendation = Recommendation(sheet=sheet, axis=axis, text=text)
            recommendation.full_clean(exclude=["sheet"])
            recommendation.save()
    return sheet


def send_sheet(*, sheet: FollowUpSheet, by) -> FollowUpSheet:
    """The draft goes to the référent, who is told; from now on it never changes."""
    with transaction.atomic():
        lock(sheet)
        if sheet.sent_at is not None:
            raise ValidationError(SENT_ALREADY)
        sheet.sent_at = timezone.now()
        sheet.save(update_fields=["sent_at"])
        referral = sheet.referral
        notify(
            referents(referral),
            subject=f"Fiche de suivi reçue — {referral.action.title}" + for_referent(referral),
            body=(
                f"Le prestataire de l'action « {referral.action.title} » vous a envoyé une "
                f"{sheet.get_kind_display().lower()} pour une personne que vous suivez."
            ),
            url=_url(referral),
        )
    return sheet


def post_message(*, referral: ActionReferral, body: str, by) -> ReferralMessage:
    """A message of the thread; the other side is told (both sides when the coordination
    writes)."""
    message = ReferralMessage(referral=referral, body=body, author=by)
    message.full_clean(exclude=["referral", "author"])
    if by.role == Role.PROVIDER:
        recipients = referents(referral)
    elif by.role in COORDINATION_TEAM:
        recipients = [*referents(referral), *provider_users(referral)]
    else:
        recipients = list(provider_users(referral))
    with transaction.atomic():
        message.save()
        notify(
            [user for user in recipients if user.pk != by.pk],
            subject=f"Nouveau message — {referral.action.title}",
            body=(
                f"Un nouveau message a été écrit sur une orientation vers l'action "
                f"« {referral.action.title} »."
            ),
            url=_url(referral),
        )
    return message
