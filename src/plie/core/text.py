"""Texts people type or paste: what the application refuses to store.

A name, a note or an import cell may carry characters nobody sees: control characters (an
escape sequence, a NUL byte), bidirectional overrides that show « txt.exe » as « exe.txt »,
zero-width spaces that make two identical-looking names differ, private-use characters.
They come from a copy and paste or from someone trying; they are refused with the place
of the first one, so that the person can retype the text. A long text (a note, a summary)
keeps its line breaks and tabs; a one-line text keeps neither.

Sources: Unicode general categories (UAX #44) — Cc control, Cf format (which holds the
bidirectional controls of UAX #9 and the zero-width characters), Co private use, Cs
surrogates, Zl / Zp line and paragraph separators.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})
LINE_BREAKS = frozenset("\n\r\t")

# The longest text a form or an import cell takes when its field sets no smaller length:
# about four pages; a note longer than that is a document, which belongs elsewhere.
LONGEST_TEXT = 10_000


def first_hidden_character(text: str, *, multiline: bool) -> tuple[int, str] | None:
    """The position (from 1) and the character of the first refused character, or None."""
    for position, character in enumerate(text, start=1):
        if multiline and character in LINE_BREAKS:
            continue
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            return position, character
    return None


def describe(character: str) -> str:
    """« U+202E » and, when it has one, its kind in French."""
    code = f"U+{ord(character):04X}"
    category = unicodedata.category(character)
    if character in LINE_BREAKS:
        return f"un saut de ligne ou une tabulation ({code})"
    if category == "Cc":
        return f"un caractère de contrôle ({code})"
    if category == "Cf":
        return f"un caractère invisible de mise en forme ou de sens d'écriture ({code})"
    return f"un caractère invisible ou non imprimable ({code})"


def hidden_character_problem(text: str, *, multiline: bool) -> str | None:
    """In French, what is wrong with `text` and what to do, or None when it is clean."""
    found = first_hidden_character(text, multiline=multiline)
    if found is None:
        return None
    position, character = found
    where = "1er caractère" if position == 1 else f"{position}e caractère"
    advice = (
        "ce champ tient sur une ligne : retirez-le"
        if multiline is False and character in LINE_BREAKS
        else "effacez ce passage et retapez-le au clavier (un copier-coller l'a sans doute apporté)"
    )
    return f"Le texte contient {describe(character)} au {where} : {advice}."


@deconstructible
class VisibleTextValidator:
    """Refuses a text with a hidden character (see the module); `multiline` keeps line breaks
    and tabs."""

    code = "hidden_character"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        problem = hidden_character_problem(value, multiline=self.multiline)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, VisibleTextValidator) and other.multiline == self.multiline
