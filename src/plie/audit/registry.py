"""Which models the journal follows: every creation and change (field, before, after)."""

from auditlog.registry import auditlog


def register_journaled_models() -> None:
    from plie.accounts.models import Organisation, User
    from plie.committee.models import CommitteeItem, CommitteeMeeting
    from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
    from plie.pathways.models import (
        Contact,
        EligibilityAssessment,
        FollowUp,
        Pathway,
        ReferentChange,
        Step,
        StepType,
    )

    auditlog.register(Participant, exclude_fields=["name_key"])
    auditlog.register(Referral)
    auditlog.register(Pathway, m2m_fields={"barriers"})
    auditlog.register(Appointment)
    auditlog.register(OutreachAttempt)
    auditlog.register(EligibilityAssessment, exclude_fields=["explanation", "facts"])
    auditlog.register(CommitteeItem)
    auditlog.register(Step)
    auditlog.register(Contact)
    auditlog.register(ReferentChange)
    auditlog.register(FollowUp)
    auditlog.register(StepType)
    auditlog.register(CommitteeMeeting)
    auditlog.register(Organisation)
    auditlog.register(
        User,
        include_fields=[
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "organisation",
            "is_active",
            "is_staff",
            "is_superuser",
        ],
    )
