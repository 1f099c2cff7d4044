from django.contrib.auth import views as auth_views
from django.urls import path

from plie.accounts import second_factor_views
from plie.accounts.forms import LoginForm
from plie.accounts.views import LogoutView, account_access, role_decide, role_requests

app_name = "accounts"
urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("code/", second_factor_views.verify, name="second_factor"),
    path("code/confirmer/", second_factor_views.reauthenticate, name="reauthenticate"),
    path("second-facteur/", second_factor_views.account, name="second_factor_account"),
    path("second-facteur/activer/", second_factor_views.enrol, name="second_factor_enrol"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/"
        ),
        name="password_change",
    ),
    path("roles/", role_requests, name="role_requests"),
    path("roles/<int:pk>/decision/", role_decide, name="role_decide"),
    path("acces/", account_access, name="account_access"),
]
