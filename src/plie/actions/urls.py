from django.urls import path

from plie.actions import diagnostic_views

app_name = "actions"
REFERRAL = "actions/orientations/<int:pk>/"
urlpatterns = [
    # Diagnostics, follow-up sheets and thread of a referral (issue 12, §4 and §5).
    path(
        REFERRAL + "diagnostics/",
        diagnostic_views.referral_assessments,
        name="referral_assessments",
    ),
    path(
        REFERRAL + "diagnostics/francais/<slug:moment>/",
        diagnostic_views.assessment_french,
        name="assessment_french",
    ),
    path(
        REFERRAL + "diagnostics/mobilite/",
        diagnostic_views.assessment_mobility,
        name="assessment_mobility",
    ),
    path(
        REFERRAL + "diagnostics/clea/<slug:moment>/",
        diagnostic_views.assessment_clea,
        name="assessment_clea",
    ),
    path(
        REFERRAL + "diagnostics/autoevaluation/<slug:moment>/",
        diagnostic_views.assessment_self,
        name="assessment_self",
    ),
    path(REFERRAL + "suivi/", diagnostic_views.referral_follow_up, name="referral_follow_up"),
    path(REFERRAL + "suivi/fiches/nouvelle/", diagnostic_views.sheet_create, name="sheet_create"),
    path(
        REFERRAL + "suivi/fiches/<int:sheet_pk>/",
        diagnostic_views.sheet_edit,
        name="sheet_edit",
    ),
    path(
        REFERRAL + "suivi/fiches/<int:sheet_pk>/envoi/",
        diagnostic_views.sheet_send,
        name="sheet_send",
    ),
    path(REFERRAL + "suivi/messages/", diagnostic_views.message_post, name="message_post"),
]
