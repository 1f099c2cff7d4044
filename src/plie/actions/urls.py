from django.urls import path

from plie.actions import views

app_name = "actions"
urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/groupes/", views.cohorts_generate, name="cohorts_generate"),
    path("actions/groupes/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("actions/groupes/<int:pk>/seances/", views.session_add, name="session_add"),
    path("actions/seances/<int:pk>/deplacement/", views.session_move, name="session_move"),
    path("actions/seances/<int:pk>/annulation/", views.session_cancel, name="session_cancel"),
]
