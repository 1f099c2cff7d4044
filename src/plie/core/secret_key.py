"""Whether a secret key is too weak to sign the sessions of a production installation.

Read by the settings before Django starts (pure Python, no Django import): a weak key with
DEBUG off stops the start with a French message. The bar is Django's own (`check --deploy`,
security.W009: 50 characters, 5 distinct ones, no `django-insecure-` prefix), plus what
people type when asked for a key: a known placeholder, a short word repeated.
"""

MINIMUM_LENGTH = 50
MINIMUM_DISTINCT = 5
PLACEHOLDERS = frozenset(
    {
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "secretkey",
        "secret-key",
        "secret_key",
        "motdepasse",
        "password",
        "django",
        "plie",
    }
)


def _repeats_a_shorter_text(key: str) -> bool:
    """'changemechangeme…' is 'changeme' again and again: a string is periodic exactly when it
    appears inside itself doubled, away from both ends."""
    return key in (key + key)[1:-1]


def weakness(key: str, development_key: str) -> str | None:
    """Why `key` is too weak, in French, or None when it will do."""
    if key == development_key:
        return "c'est la clé de développement, publiée avec le code"
    if key.lower() in PLACEHOLDERS or key.startswith("django-insecure"):
        return "c'est une valeur d'exemple"
    if len(key) < MINIMUM_LENGTH:
        return f"{len(key)} caractères, il en faut au moins {MINIMUM_LENGTH}"
    if len(set(key)) < MINIMUM_DISTINCT:
        return f"moins de {MINIMUM_DISTINCT} caractères différents"
    if _repeats_a_shorter_text(key):
        return "un même motif répété"
    return None
