from django.urls import path

from plie.participants import views

app_name = "participants"
urlpatterns = [
    path("orientation/nouvelle/", views.referral_create, name="referral_create"),
    path("aller-vers/", views.outreach_list, name="outreach"),
    path("<int:pk>/modifier/", views.participant_edit, name="edit"),
    path("<int:pk>/orientation/nouvelle/", views.referral_create, name="referral_add"),
    path("<int:pk>/rendez-vous/", views.appointment_plan, name="appointment_plan"),
    path("<int:pk>/aller-vers/", views.outreach_attempt, name="outreach_attempt"),
]
