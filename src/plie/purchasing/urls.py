from django.urls import path

from plie.purchasing import portal_views, proposal_views, public_views, views

app_name = "purchasing"
CALL = "appels-a-propositions/<int:pk>/"
urlpatterns = [
    # The coordination team
    path("appels-a-propositions/", views.call_list, name="call_list"),
    path("appels-a-propositions/nouvel-appel/", views.call_create, name="call_create"),
    path(CALL, views.call_detail, name="call_detail"),
    path(CALL + "modifier/", views.call_edit, name="call_edit"),
    path(CALL + "publier/", views.call_publish, name="call_publish"),
    path(CALL + "cloturer/", views.call_close, name="call_close"),
    path(CALL + "documents/", views.call_document_add, name="call_document_add"),
    path(CALL + "documents/<int:document_pk>/", views.call_document, name="call_document"),
    path(
        CALL + "documents/<int:document_pk>/retirer/",
        views.call_document_remove,
        name="call_document_remove",
    ),
    path(CALL + "saisir-une-proposition/", views.proposal_record, name="proposal_record"),
    # A proposal: the team, and the provider whose proposal it is
    path("propositions/<int:pk>/", proposal_views.proposal_detail, name="proposal_detail"),
    path(
        "propositions/<int:pk>/attestation-de-depot.pdf",
        proposal_views.proposal_receipt,
        name="proposal_receipt",
    ),
    path(
        "propositions/<int:pk>/documents/<int:document_pk>/",
        proposal_views.proposal_document,
        name="proposal_document",
    ),
    # Anyone, without an account
    path("appels/", public_views.public_calls, name="public_calls"),
    path("appels/<int:pk>/", public_views.public_call, name="public_call"),
    path(
        "appels/<int:pk>/documents/<int:document_pk>/",
        public_views.public_document,
        name="public_document",
    ),
    # The providers' portal
    path("espace-prestataire/", portal_views.portal, name="portal"),
    path(
        "espace-prestataire/appels/<int:pk>/deposer/",
        portal_views.portal_deposit,
        name="portal_deposit",
    ),
]
