"""The purchasing blocks of the home page (core.plugins.HomePanel): a provider's open calls
and its proposals; a steering member's written consultations to answer."""

from django.utils import timezone

from plie.accounts.enums import Role
from plie.purchasing.models import CallForProposals, ConsultationAnswer
from plie.purchasing.selectors import proposals_for_user


def provider_panel(user) -> dict:
    return {
        "open_calls": list(
            CallForProposals.objects.open()
            .filter(deadline__gt=timezone.now())
            .order_by("deadline")
            .only("pk", "reference", "title", "deadline")
        ),
        "proposals": list(proposals_for_user(user).order_by("-received_at")[:10]),
    }


def is_provider(user) -> bool:
    return user.role == Role.PROVIDER


def consultations_panel(user) -> dict:
    """The consultations the member is asked about, those to answer first."""
    rows = (
        ConsultationAnswer.objects.filter(member=user)
        .select_related("consultation__call", "consultation__proposed__provider")
        .order_by("answered_at", "-consultation__answer_by")
    )
    today = timezone.localdate()
    return {
        "to_answer": [
            row
            for row in rows
            if not row.answered_at
            and row.consultation.closed_at is None
            and row.consultation.answer_by >= today
        ],
        "answered": [row for row in rows if row.answered_at][:5],
    }


def is_steering_member(user) -> bool:
    return user.role == Role.STEERING_VIEWER
