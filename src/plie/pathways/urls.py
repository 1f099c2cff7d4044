from django.urls import path

from plie.pathways import views

app_name = "pathways"
urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/dossiers/<int:item_pk>/decision/", views.decide, name="decide"),
    path("<int:pk>/cloturer/", views.close, name="close"),
    path(
        "proposer/<int:pk>/parcours/<int:number>/",
        views.propose_entry,
        name="propose_entry",
    ),
]
