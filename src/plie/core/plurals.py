"""Counts in French: « aucun dossier », « 1 dossier », « 2 dossiers ».

In French, 0 and 1 take the singular, and none reads better as « aucun » / « aucune »
(Django's `pluralize` follows English: « 0 dossiers »). Every count written in a page or a
message goes through `counted`, or `noun_for` where the figure is written apart.
"""

from django.utils.formats import number_format

# Words that do not change in the plural.
_INVARIABLE_ENDINGS = ("s", "x", "z")


def _plural(phrase: str) -> str:
    return " ".join(
        word if word.endswith(_INVARIABLE_ENDINGS) or not word[-1:].isalpha() else word + "s"
        for word in phrase.split(" ")
    )


def _parts(noun: str) -> tuple[str, str, str]:
    """("un dossier", "dossier", "dossiers") from "un dossier"; an irregular plural follows a
    bar: "un journal|journaux"."""
    one, _, many = noun.partition("|")
    article, _, singular = one.partition(" ")
    if article not in ("un", "une") or not singular:
        raise ValueError(f"« {noun} » : écrivez le nom avec son article, « un … » ou « une … ».")
    return article, singular, many or _plural(singular)


def noun_for(count: int, noun: str) -> str:
    """The noun in the number `count` asks for: "dossier" for 0 or 1, "dossiers" from 2."""
    _, singular, plural = _parts(noun)
    return singular if abs(count) < 2 else plural


def counted(count: int, noun: str) -> str:
    """`count` with `noun` ("un dossier", "une personne entrée"): « aucun dossier »,
    « 1 dossier », « 2 dossiers », « 1 234 personnes entrées »."""
    article, singular, _ = _parts(noun)
    if count == 0:
        return f"{'aucune' if article == 'une' else 'aucun'} {singular}"
    return f"{number_format(count, force_grouping=True)} {noun_for(count, noun)}"


# A name whose first letter calls for the elision of « de » (« d'Emmaüs », « de Lumière »).
# A silent or aspirated « h » cannot be told from the spelling: « de » stays before it.
ELIDED_BEFORE = frozenset("aàâäeéèêëiîïoôöuùûüyAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜY")


def of(name) -> str:
    """« de » before a name, elided before a vowel: « d'Organisme A », « de Lumière »."""
    text = str(name)
    return f"d'{text}" if text[:1] in ELIDED_BEFORE else f"de {text}"
