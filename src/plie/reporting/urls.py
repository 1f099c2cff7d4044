from django.urls import path

from plie.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.key_figures_page, name="key_figures"),
]
