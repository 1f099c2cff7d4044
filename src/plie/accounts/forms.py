from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Identifiant ou mot de passe incorrect. Vérifiez la saisie (majuscules comprises) ; "
            "après cinq échecs, le compte est bloqué 15 minutes."
        ),
        "inactive": "Ce compte est désactivé : adressez-vous à la coordination du PLIE.",
    }

    username = forms.CharField(label="Identifiant", max_length=150)
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)
