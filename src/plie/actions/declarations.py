"""What actions add to the menu, the participant page and the home pages (core.plugins), and
their entries of the personal-data register (register.py); run when the app is ready."""

from django.utils import timezone

from plie.accounts.enums import Role
from plie.actions import register, rules, survey_register, survey_rules  # noqa: F401  (rules declares the permissions)  # noqa: F401  (survey_rules declares)
from plie.actions.diagnostic_section import SECTION as DIAGNOSTICS_SECTION
from plie.actions.enums import ReferralStatus, SheetKind
from plie.actions.models import ActionReferral
from plie.actions.referrals import PROVIDER_ANSWERS
from plie.core import formatting
from plie.core.plugins import (
    HistoryEvent,
    HomePanel,
    MenuEntry,
    ParticipantPage,
    ParticipantSection,
    declare_history_source,
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


# Within a day, an action's course follows the pathway's (core.plugins.HistoryEvent): a
# referral sent or answered is recorded with the day's steps (7), its end with the steps' (8).
RECORDED = 7
ENDED = 8
ANSWERS = {
    ReferralStatus.DECLINED: "Orientation refusée par le prestataire",
    ReferralStatus.OTHER_COHORT: "Le prestataire propose un autre groupe",
}


def _moment(value) -> tuple:
    local = timezone.localtime(value)
    return local.date(), local


def history(participant, show_sensitive: bool) -> list[HistoryEvent]:
    """Each referral to an action: sent, answered by the provider, ended (completed or dropped
    out, with the reason), and the final follow-up sheet received. The référent's reason and
    the sheet's texts are the file's sections', not the history's."""
    events = []
    referrals = participant.action_referrals.select_related(
        "action", "cohort", "created_by"
    ).prefetch_related("follow_up_sheets")
    for referral in referrals:
        where = str(referral.action)
        if referral.cohort_id:
            where += f", groupe du {formatting.day(referral.cohort.starts_on)}"
        day, at = _moment(referral.created_at)
        by = f", par {referral.created_by}" if referral.created_by else ""
        events.append(
            HistoryEvent(day, "Orientation vers une action", f"{where}{by}", RECORDED, at)
        )
        if referral.answered_at:
            day, at = _moment(referral.answered_at)
            title = ANSWERS.get(referral.status, "Orientation acceptée par le prestataire")
            detail = where
            if referral.status == ReferralStatus.DECLINED and referral.decline_reason:
                detail += f" — {referral.decline_reason}"
            events.append(HistoryEvent(day, title, detail, RECORDED, at))
        if referral.ended_on and referral.status == ReferralStatus.COMPLETED:
            events.append(HistoryEvent(referral.ended_on, "Action terminée", where, ENDED))
        elif referral.ended_on and referral.status == ReferralStatus.DROPPED_OUT:
            reason = referral.get_drop_out_reason_display()
            events.append(
                HistoryEvent(referral.ended_on, f"Abandon de l'action : {reason}", where, ENDED)
            )
        for sheet in referral.follow_up_sheets.all():
            if sheet.sent_at:
                day, at = _moment(sheet.sent_at)
                kind = "finale" if sheet.kind == SheetKind.FINAL else "intermédiaire"
                events.append(
                    HistoryEvent(day, f"Fiche de suivi {kind} reçue", where, RECORDED, at)
                )
    return events


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
    declare_history_source(history)
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
