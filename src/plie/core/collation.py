"""French alphabetical order for the short lists a page shows (communes, QPV, structures,
nomenclature labels, référents).

The database cannot be trusted with it: SQLite compares bytes, so « Fénay » came after
« Fontaine » and « Écully » after « Zèbre », and PostgreSQL follows whatever locale the
server was created with. These lists are short, so they are sorted in Python with a key
that ignores accents and case first, as a French dictionary does, then breaks ties by
accents, then by case.
"""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Ligatures that Unicode does not decompose, spelled out as French dictionaries file them.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def french_sort_key(text: str) -> tuple[str, str, str]:
    """« Fénay » < « Fontaine » < « Œuilly » < « Talant »; « cote » < « côte » < « Côte »."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Then the accents, then the case: lower case first, as dictionaries and ICU do.
    return letters.translate(_LIGATURES), decomposed, text.swapcase()


def french_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """`items` in French alphabetical order of `key(item)` (their text by default)."""
    return sorted(items, key=lambda item: french_sort_key(key(item)))


def by_last_name(person) -> str:
    """The sort text of a person shown as « Prénom NOM »: last name, then first name (the
    login name for an account without a name)."""
    return f"{person.last_name} {person.first_name}".strip() or person.username
