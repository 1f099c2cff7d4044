"""Password rule of the CNIL (délibération 2022-100): four kinds of characters."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KINDS = (
    ("une minuscule", str.islower),
    ("une majuscule", str.isupper),
    ("un chiffre", str.isdigit),
    ("un caractère spécial", lambda c: c in string.punctuation or not c.isalnum()),
)


class FourCharacterKindsValidator:
    def validate(self, password, user=None):
        missing = [name for name, test in KINDS if not any(test(c) for c in password)]
        if missing:
            raise ValidationError(
                _("Le mot de passe doit contenir au moins %(missing)s.")
                % {"missing": ", ".join(missing)},
                code="password_missing_kinds",
            )

    def get_help_text(self):
        return _(
            "Votre mot de passe doit mélanger minuscules, majuscules, chiffres et caractères spéciaux."
        )
