from django.urls import path

from plie.web import journal_views, notice_views, participant_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("participants/", participant_views.participant_list, name="participant_list"),
    path("participants/<int:pk>/", participant_views.participant_detail, name="participant"),
    path("journal/", journal_views.journal, name="journal"),
    path("avis/", notice_views.notices, name="notices"),
]
