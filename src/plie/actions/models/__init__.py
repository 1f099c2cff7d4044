"""Actions for participants (issue 12): the action an agreement funds, its cohorts and their
half-day sessions; the référents' referrals and the attendance; the diagnostics (French,
mobility, CléA, self-assessment); the provider's follow-up sheets and the thread with the
référent."""

from plie.actions.models.actions import Action, Cohort, Session
from plie.actions.models.assessments import (
    CleaDomain,
    CleaPositioning,
    CleaResult,
    CleaSubdomain,
    FrenchAssessment,
    MobilityAssessment,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from plie.actions.models.referrals import (
    ActionReferral,
    Attendance,
    FollowUpSheet,
    Recommendation,
    ReferralMessage,
)
from plie.actions.models.surveys import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion

__all__ = [
    "Action",
    "ActionReferral",
    "Attendance",
    "CleaDomain",
    "CleaPositioning",
    "CleaResult",
    "CleaSubdomain",
    "Cohort",
    "FollowUpSheet",
    "FrenchAssessment",
    "MobilityAssessment",
    "Recommendation",
    "ReferralMessage",
    "SelfAssessment",
    "SelfAssessmentAnswer",
    "Session",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyQuestion",
]
