from django import forms
from django.contrib.auth.forms import AuthenticationForm

from plie.accounts.models import User
from plie.core.forms import SiteFormMixin


class LoginForm(SiteFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Identifiant ou mot de passe incorrect. Vérifiez la saisie (majuscules comprises) ; "
            "après cinq échecs, le compte est bloqué 15 minutes."
        ),
        "inactive": "Ce compte est désactivé : adressez-vous à la coordination du PLIE.",
    }

    username = forms.CharField(label="Identifiant", max_length=150)
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)


class CodeForm(SiteFormMixin, forms.Form):
    """A code of the second factor: six digits from the application, or a backup code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="Le code à 6 chiffres de votre application d'authentification, ou l'un de vos "
        "codes de secours.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolmentCodeForm(SiteFormMixin, forms.Form):
    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=32,
        help_text="6 chiffres, qui changent toutes les 30 secondes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccountHelpForm(SiteFormMixin, forms.Form):
    """One action of « Accès des comptes » on one active account."""

    account = forms.ModelChoiceField(queryset=User.objects.filter(is_active=True))
    action = forms.ChoiceField(
        choices=[("unlock", "Débloquer"), ("remove_second_factor", "Retirer le second facteur")]
    )
    confirm = forms.BooleanField(required=False)
