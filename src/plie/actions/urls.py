from django.urls import path

from plie.actions import attendance_views

app_name = "actions"
SESSION = "actions/seances/<int:pk>/"
ACTION = "actions/<int:pk>/"
urlpatterns = [
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
