"""« Questionnaire de satisfaction »: the block the action's and the cohort's pages show to
those who open the survey or read its results — one tag, so that those pages' views need
not know the survey."""

from django import template

from plie.actions.models import SurveyInvitation

register = template.Library()


@register.inclusion_tag("actions/surveys/_survey_block.html", takes_context=True)
def survey_block(context, action, cohort=None):
    user = context["request"].user
    can_read = user.has_perm("actions.view_satisfaction", action)
    invitations = SurveyInvitation.objects.filter(cohort__action=action)
    if cohort is not None:
        invitations = invitations.filter(cohort=cohort)
    return {
        "action": action,
        "cohort": cohort,
        "can_read": can_read,
        "can_open": user.has_perm("actions.open_survey", action),
        "invited": invitations.count() if can_read else 0,
        "answered": invitations.filter(answered_at__isnull=False).count() if can_read else 0,
    }
