from django.urls import path

from plie.actions import attendance_views, cohort_views, referral_views

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
]
