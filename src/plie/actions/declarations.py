"""What actions add to the menu, the participant page and the home pages (core.plugins), and
their entries of the personal-data register (register.py); run when the app is ready."""

from plie.accounts.enums import Role
from plie.actions import register, rules, survey_register, survey_rules  # noqa: F401  (rules declares the permissions)  # noqa: F401  (survey_rules declares)
from plie.actions.diagnostic_section import SECTION as DIAGNOSTICS_SECTION
from plie.actions.enums import ReferralStatus
from plie.actions.models import ActionReferral
from plie.actions.referrals import PROVIDER_ANSWERS
from plie.core.plugins import (
    HomePanel,
    MenuEntry,
    ParticipantPage,
    ParticipantSection,
    declare_home_panel,
    declare_menu_entry,
    declare_participant_section,
)
from plie.participants.enums import PathwayStatus
from plie.pathways.presenters import current_pathway


def is_provider(user) -> bool:
    return user.role == Role.PROVIDER and user.has_perm("actions.view_actions")


def actions_section(page: ParticipantPage) -> dict | None:
    """The person's referrals to actions, and the button to refer them to one (who may refer
    and opens the file, on a pathway in progress)."""
    user, participant = page.user, page.participant
    referrals = list(
        participant.action_referrals.select_related(
            "action__agreement__provider", "cohort", "proposed_cohort", "step"
        ).order_by("-created_at", "-pk")
    )
    pathway = current_pathway(page)
    can_refer = (
        pathway is not None
        and pathway.status == PathwayStatus.ACTIVE
        and user.has_perm("actions.refer_participant")
        and user.has_perm("participants.open_participant", participant)
    )
    if not referrals and not can_refer:
        return None
    return {"action_referrals": referrals, "can_refer_to_action": can_refer}


def provider_panel(user) -> dict:
    """« N orientations en attente de réponse » for the provider's home."""
    awaiting = (
        ActionReferral.objects.of_provider(user.organisation_id)
        .filter(status__in=PROVIDER_ANSWERS)
        .count()
    )
    accepted = (
        ActionReferral.objects.of_provider(user.organisation_id)
        .filter(status=ReferralStatus.ACCEPTED)
        .count()
    )
    return {"awaiting": awaiting, "accepted": accepted}


def declare() -> None:
    register.declare()
    survey_register.declare()
    # The team's and the référents' entry stands on its own, just before « Achats »; a
    # provider's « Mes actions » comes after its agreements, then the referrals it received.
    declare_menu_entry(
        MenuEntry(
            "Actions",
            "actions:action_list",
            lambda user: user.role != Role.PROVIDER and user.has_perm("actions.view_actions"),
            order=69,
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Mes actions",
            "actions:action_list",
            lambda user: user.role == Role.PROVIDER and user.has_perm("actions.view_actions"),
            order=31,
        )
    )
    declare_menu_entry(
        MenuEntry("Orientations reçues", "actions:referrals_received", is_provider, order=32)
    )
    declare_home_panel(
        HomePanel("actions/_provider_home.html", provider_panel, is_provider, order=31)
    )
    declare_participant_section(
        ParticipantSection(
            "actions", "Actions", "actions/_participant_actions.html", actions_section, order=35
        )
    )
    declare_participant_section(DIAGNOSTICS_SECTION)
