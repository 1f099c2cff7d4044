"""How names are compared: without accents, case or punctuation ("Lefèvre" = "LEFEVRE")."""

import re
import unicodedata


def name_key(*parts: str) -> str:
    """The names as searched and compared: "Lefèvre-Dupont Amandine" → "lefevre dupont amandine"."""
    text = unicodedata.normalize("NFKD", " ".join(part for part in parts if part))
    text = text.encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
