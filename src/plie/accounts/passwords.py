"""Password rules: the CNIL's four kinds of characters (délibération 2022-100), and no
password that people commonly use in France, whatever digits and symbols surround it."""

import functools
import re
import string
import unicodedata
from pathlib import Path

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


COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords-fr.txt"
# Characters typed for letters: « M0tdep@sse » is « motdepasse ».
LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
LEET |= str.maketrans({"@": "a", "$": "s", "€": "e", "!": "i", "|": "i", "+": "t"})
ONE_AS = ("i", "l")  # « sole1l », « 1nsertion »
SEPARATORS = re.compile(r"[\s\-_.,'’/]+")
EDGES = string.digits + string.punctuation + " €£§°²"


@functools.cache
def common_cores() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _plain(text: str) -> str:
    """Lower case, without accents: « Été » is « ete »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cores(password: str) -> set[str]:
    """The word a password is built on, as people build them: digits and symbols around it
    (« Azerty123! »), separators inside (« Mot-de-passe »), digits and symbols for letters
    (« P@ssw0rd »). Several readings, since « 2024! » around a word and « 0 » for « o »
    inside it cannot be told apart without trying."""
    plain = _plain(password)
    readings = {plain.strip(EDGES), plain.rstrip(EDGES)}
    found = set()
    for reading in readings:
        joined = SEPARATORS.sub("", reading)
        for one in ONE_AS:
            letters = joined.translate(LEET).replace("1", one)
            found |= {letters, letters.strip(EDGES)}
    return {core for core in found if core}


def is_common(password: str) -> bool:
    return not cores(password).isdisjoint(common_cores())


class FrenchCommonPasswordValidator:
    """Refuses the passwords most used in France (accounts/data/common-passwords-fr.txt),
    compared without case, accents, separators or the digits and symbols around them."""

    def validate(self, password, user=None):
        if is_common(password):
            raise ValidationError(
                _(
                    "Ce mot de passe est l'un des plus courants (un mot très utilisé, entouré "
                    "de chiffres ou de symboles) : il se devine en quelques essais. Choisissez-en "
                    "un autre, par exemple trois mots sans rapport entre eux, avec une "
                    "majuscule, un chiffre et un caractère spécial."
                ),
                code="password_too_common_in_french",
            )

    def get_help_text(self):
        return _("Votre mot de passe ne peut pas être un mot de passe courant, même modifié.")
