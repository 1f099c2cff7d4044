from django.urls import path

from plie.pathways import entry_views, pathway_views, worklist_views

app_name = "pathways"
PATHWAY = "participants/<int:pk>/parcours/<int:number>/"
urlpatterns = [
    path(
        "participants/<int:pk>/rendez-vous/<int:appointment_pk>/issue/",
        entry_views.appointment_outcome,
        name="appointment_outcome",
    ),
    path(
        "participants/<int:pk>/orientation/cloturer/",
        entry_views.referral_close,
        name="referral_close",
    ),
    path(PATHWAY + "entree/", entry_views.entry_file_edit, name="entry_file"),
    path(PATHWAY + "eligibilite/", entry_views.eligibility_assess, name="eligibility_assess"),
    path("a-suivre/", worklist_views.worklist_page, name="worklists"),
    path("a-suivre/<slug:slug>/", worklist_views.worklist_list, name="worklist"),
    path("files-actives/", worklist_views.caseload_page, name="caseloads"),
    path("sorties/", worklist_views.exit_list, name="exits"),
    path(PATHWAY + "etapes/nouvelle/", pathway_views.step_edit, name="step_add"),
    path(PATHWAY + "etapes/<int:step_pk>/", pathway_views.step_edit, name="step_edit"),
    path(
        PATHWAY + "etapes/<int:step_pk>/retirer/", pathway_views.step_withdraw, name="step_withdraw"
    ),
    path(PATHWAY + "contacts/nouveau/", pathway_views.contact_edit, name="contact_add"),
    path(PATHWAY + "contacts/<int:contact_pk>/", pathway_views.contact_edit, name="contact_edit"),
    path(
        PATHWAY + "contacts/<int:contact_pk>/retirer/",
        pathway_views.contact_withdraw,
        name="contact_withdraw",
    ),
    path(PATHWAY + "referent/", pathway_views.transfer, name="transfer"),
    path(PATHWAY + "suivi/", pathway_views.follow_up, name="follow_up"),
]
