from django.urls import path

from plie.agreements import views

app_name = "agreements"
AGREEMENT = "conventions/<int:pk>/"
urlpatterns = [
    path("conventions/", views.agreement_list, name="agreement_list"),
    path("conventions/nouvelle/", views.agreement_create, name="agreement_create"),
    path(
        "conventions/ordres-de-paiement.xlsx",
        views.payment_orders_xlsx,
        name="payment_orders_xlsx",
    ),
    path("conventions/ordres-de-paiement.csv", views.payment_orders_csv, name="payment_orders_csv"),
    path(AGREEMENT, views.agreement_detail, name="agreement_detail"),
    path(AGREEMENT + "signature/", views.agreement_sign, name="agreement_sign"),
    path(AGREEMENT + "avenants/", views.amendment_ask, name="amendment_ask"),
    path(
        AGREEMENT + "avenants/<int:amendment_pk>/decision/",
        views.amendment_decide,
        name="amendment_decide",
    ),
    path(
        AGREEMENT + "livrables/<int:deliverable_pk>/depot/",
        views.deliverable_upload,
        name="deliverable_upload",
    ),
    path(
        AGREEMENT + "livrables/<int:deliverable_pk>/verification/",
        views.deliverable_check,
        name="deliverable_check",
    ),
    path(
        AGREEMENT + "livrables/<int:deliverable_pk>/document/",
        views.deliverable_download,
        name="deliverable_download",
    ),
    path(
        AGREEMENT + "echeances/<int:instalment_pk>/paiement/",
        views.payment_record,
        name="payment_record",
    ),
]
