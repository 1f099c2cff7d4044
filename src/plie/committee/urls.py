from django.urls import path

from plie.committee import views

app_name = "committee"
PATHWAY = "participants/<int:pk>/parcours/<int:number>/"
urlpatterns = [
    path("commissions/", views.committee_list, name="committee_list"),
    path("commissions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("commissions/<int:pk>/dossiers/<int:item_pk>/decision/", views.decide, name="decide"),
    path("commissions/<int:pk>/cloturer/", views.close, name="close"),
    path("commissions/<int:pk>/ordre-du-jour.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("commissions/<int:pk>/compte-rendu.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(
        "commissions/<int:pk>/dossiers/<int:item_pk>/reporter/",
        views.move,
        name="move",
    ),
    path(
        "commissions/<int:pk>/dossiers/<int:item_pk>/retirer/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "commissions/proposer/<int:pk>/parcours/<int:number>/",
        views.propose_entry,
        name="propose_entry",
    ),
    path(PATHWAY + "sortie/", views.propose_exit, name="propose_exit"),
]
