from django.urls import path

from plie.actions import views

app_name = "actions"
REFERRAL = "orientations/<int:pk>/"
urlpatterns = [
    path("orientations-recues/", views.referrals_received, name="referrals_received"),
    path(
        "participants/<int:pk>/orienter/",
        views.referral_new,
        name="referral_new",
    ),
    path(REFERRAL, views.referral_detail, name="referral"),
    path(REFERRAL + "accepter/", views.referral_accept, name="referral_accept"),
    path(REFERRAL + "refuser/", views.referral_decline, name="referral_decline"),
    path(REFERRAL + "autre-groupe/", views.referral_propose, name="referral_propose"),
    path(
        REFERRAL + "groupe-accepte/",
        views.referral_accept_proposal,
        name="referral_accept_proposal",
    ),
    path(REFERRAL + "retrait/", views.referral_withdraw, name="referral_withdraw"),
    path(REFERRAL + "issue/", views.referral_close, name="referral_close"),
]
