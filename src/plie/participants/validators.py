"""Field validators shared by forms, imports and the admin, with French messages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from plie.core import formatting


def not_in_future(value: datetime.date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(
            "Cette date est dans le futur (%(date)s) : saisissez une date passée ou celle d'aujourd'hui.",
            params={"date": formatting.day(value)},
            code="future_date",
        )


def plausible_birth_date(value: datetime.date) -> None:
    today = timezone.localdate()
    if not value or value > today:
        return  # a future date is reported by not_in_future
    if value.year < today.year - 110:
        raise ValidationError(
            "Cette date de naissance donne plus de 110 ans : vérifiez l'année.",
            code="implausible_birth_date",
        )
    if value.year > today.year - 14:
        raise ValidationError(
            "Cette date de naissance donne moins de 14 ans : vérifiez l'année.",
            code="implausible_birth_date",
        )


def french_postcode(value: str) -> None:
    if value and not (len(value) == 5 and value.isdigit()):
        raise ValidationError(
            "Un code postal s'écrit avec 5 chiffres (par exemple 21000).", code="postcode"
        )


def postcode_of_another_departement(postcode: str, commune_postcode: str, commune: str) -> str:
    """What is wrong with a postcode given beside a commune of the territory, or "". Only
    another département is refused: a commune may have several postcodes of its own."""
    if not (commune_postcode and len(postcode) == 5 and postcode.isdigit()):
        return ""
    if postcode[:2] == commune_postcode[:2]:
        return ""
    return (
        f"Le code postal {postcode} n'est pas celui de {commune} ({commune_postcode}) : "
        "corrigez le code postal ou la commune."
    )


def phone_number(value: str) -> None:
    """Digits with spaces, dots or dashes, optionally +33: at least 10 digits."""
    digits = [char for char in value if char.isdigit()]
    allowed = set("0123456789 .-+()")
    if value and (len(digits) < 10 or not set(value) <= allowed):
        raise ValidationError(
            "Saisissez un numéro de téléphone (10 chiffres, par exemple 06 12 34 56 78).",
            code="phone",
        )
