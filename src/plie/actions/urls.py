from django.urls import include, path

from plie.actions import attendance_views, cohort_views, diagnostic_views, referral_views

app_name = "actions"
REFERRAL = "orientations/<int:pk>/"
SESSION = "actions/seances/<int:pk>/"
ACTION = "actions/<int:pk>/"
urlpatterns = [
    # Actions, their cohorts and sessions (cohort_views)
    path("actions/", cohort_views.action_list, name="action_list"),
    path("actions/nouvelle/", cohort_views.action_create, name="action_create"),
    path("actions/<int:pk>/", cohort_views.action_detail, name="action_detail"),
    path("actions/<int:pk>/groupes/", cohort_views.cohorts_generate, name="cohorts_generate"),
    path("actions/groupes/<int:pk>/", cohort_views.cohort_detail, name="cohort_detail"),
    path("actions/groupes/<int:pk>/seances/", cohort_views.session_add, name="session_add"),
    path(
        "actions/seances/<int:pk>/deplacement/",
        cohort_views.session_move,
        name="session_move",
    ),
    path(
        "actions/seances/<int:pk>/annulation/",
        cohort_views.session_cancel,
        name="session_cancel",
    ),
    # Referrals from the participant's file (referral_views)
    path("orientations-recues/", referral_views.referrals_received, name="referrals_received"),
    path("participants/<int:pk>/orienter/", referral_views.referral_new, name="referral_new"),
    path(REFERRAL, referral_views.referral_detail, name="referral"),
    path(REFERRAL + "accepter/", referral_views.referral_accept, name="referral_accept"),
    path(REFERRAL + "refuser/", referral_views.referral_decline, name="referral_decline"),
    path(REFERRAL + "autre-groupe/", referral_views.referral_propose, name="referral_propose"),
    path(
        REFERRAL + "groupe-accepte/",
        referral_views.referral_accept_proposal,
        name="referral_accept_proposal",
    ),
    path(REFERRAL + "retrait/", referral_views.referral_withdraw, name="referral_withdraw"),
    path(REFERRAL + "issue/", referral_views.referral_close, name="referral_close"),
    # Attendance (issue 12, §3).
    path(SESSION + "presences/", attendance_views.session_attendance, name="session_attendance"),
    path(
        SESSION + "feuille-emargement.pdf",
        attendance_views.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        SESSION + "feuille-signee/depot/",
        attendance_views.signed_sheet_upload,
        name="signed_sheet_upload",
    ),
    path(SESSION + "feuille-signee/", attendance_views.signed_sheet, name="signed_sheet"),
    path(ACTION + "jours-realises/", attendance_views.days_statement, name="days_statement"),
    path(
        ACTION + "jours-realises.pdf",
        attendance_views.days_statement_pdf,
        name="days_statement_pdf",
    ),
    path(
        ACTION + "jours-realises.xlsx",
        attendance_views.days_statement_xlsx,
        name="days_statement_xlsx",
    ),
    path(
        ACTION + "jours-realises/livrable/",
        attendance_views.days_statement_hand_in,
        name="days_statement_hand_in",
    ),
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
    path("", include("plie.actions.survey_urls")),  # the satisfaction survey (issue 13, §1)
]
