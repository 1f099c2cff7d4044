"""The provider's block of the home page (core.plugins.HomePanel): its organisation's
agreements and the deliverables the PLIE awaits from it."""

from django.db.models import Q

from plie.accounts.enums import Role
from plie.agreements.enums import CheckOutcome
from plie.agreements.models import Agreement, Deliverable


def is_provider(user) -> bool:
    return user.role == Role.PROVIDER


def provider_panel(user) -> dict:
    agreements = Agreement.objects.for_user(user)
    awaited = (
        Deliverable.objects.filter(instalment__agreement__in=agreements)
        .filter(Q(document__isnull=True) | Q(outcome=CheckOutcome.TO_REDO))
        .select_related("instalment__agreement")
        .order_by("instalment__agreement__starts_on", "instalment__order", "pk")
    )
    return {
        "agreements": list(agreements.order_by("-starts_on")[:10]),
        "awaited": list(awaited[:20]),
    }
