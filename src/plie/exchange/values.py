"""The kinds of value a column holds: how a cell is read (CSV text or XLSX cell) and written.

Each type reads what French spreadsheets and other information systems write (ISO or
French dates, decimal comma or dot, "oui"/"non", a code or its French label) and raises
`CellError` with a French message that says what to write instead. Writing gives one
canonical value, which reading accepts, so that an export imports back unchanged; its
`cell_format` (core.spreadsheets, the one writer) makes it an XLSX cell or a CSV text.
"""

from __future__ import annotations

import abc
import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from plie.core import spreadsheets
from plie.core.text import LONGEST_TEXT


class CellError(ValueError):
    """A value that cannot be read; the message is French and says what to write."""


def normalise(text: str) -> str:
    """Case, accents, apostrophes and spacing ignored: how codes and labels are matched."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.replace("’", "'").casefold()
    return " ".join(text.split())


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class ValueType(abc.ABC):
    """Base type: `read` gets a non-empty cell, `write` gives the exported cell."""

    empty = None
    doc = ""
    cell_format: spreadsheets.CellFormat = spreadsheets.TEXT

    def parse(self, value):
        if _is_empty(value):
            return self.empty
        return self.read(value.strip() if isinstance(value, str) else value)

    @abc.abstractmethod
    def read(self, value):
        """The Python value of a non-empty cell, or CellError with a French reason."""

    def write(self, value):
        """The value written in a file (None: an empty cell); see `cell_format`."""
        return None if value == "" else value


class Text(ValueType):
    """A text of at most `max_length` characters (LONGEST_TEXT when its field sets none);
    `multiline` for a long text (notes, summaries), which keeps its line breaks."""

    empty = ""

    def __init__(self, max_length: int | None, *, multiline: bool = False):
        self.max_length = max_length or LONGEST_TEXT
        self.multiline = multiline
        self.doc = f"texte, {self.max_length} caractères au plus" + (
            ", sur plusieurs lignes" if multiline else ""
        )

    def read(self, value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            raise CellError(
                "un texte est attendu, pas une date : mettez la cellule au format texte"
            )
        text = str(value).strip()
        if len(text) > self.max_length:
            raise CellError(
                f"texte trop long : {len(text)} caractères pour {self.max_length} au plus, "
                "raccourcissez-le"
            )
        return text


class Date(ValueType):
    doc = "date, 2024-03-15 ou 15/03/2024"
    cell_format = spreadsheets.DAY
    _iso = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
    _french = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")

    def read(self, value) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value)
        if match := self._iso.match(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := self._french.match(text):
            day, month, year_text = match.groups()
            if len(year_text) == 2:
                raise CellError(
                    f"année sur deux chiffres dans « {text} » : écrivez l'année en entier "
                    "(15/03/2024)"
                )
            day, month, year = int(day), int(month), int(year_text)
        else:
            raise CellError(f"date illisible « {text} » : écrivez-la 2024-03-15 ou 15/03/2024")
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise CellError(f"date impossible « {text} » : ce jour n'existe pas") from None


class DateTime(ValueType):
    doc = "date et heure, 2024-03-15 14:30 ou 15/03/2024 14:30 (heure de Paris)"
    cell_format = spreadsheets.MOMENT
    _pattern = re.compile(r"^(\S+)[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?$")

    def read(self, value) -> datetime.datetime:
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            match = self._pattern.match(str(value))
            if not match:
                raise CellError(
                    f"date et heure illisibles « {value} » : écrivez-les 2024-03-15 14:30 "
                    "ou 15/03/2024 14:30"
                )
            day = Date().read(match.group(1))
            hour, minute, second = (int(part or 0) for part in match.groups()[1:])
            try:
                moment = datetime.datetime.combine(day, datetime.time(hour, minute, second))
            except ValueError:
                raise CellError(f"heure impossible dans « {value} »") from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def write(self, value):
        """In local time, without a zone: as a spreadsheet shows it (and openpyxl needs)."""
        return None if value is None else timezone.localtime(value).replace(tzinfo=None)


YES = {"oui", "o", "vrai", "1", "true", "yes", "x"}
NO = {"non", "n", "faux", "0", "false", "no"}


class YesNo(ValueType):
    doc = "oui, non, ou vide si non renseigné"

    def read(self, value) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = normalise(str(value))
        if text in YES:
            return True
        if text in NO:
            return False
        raise CellError(f"« {value} » n'est ni oui ni non : écrivez oui, non, ou laissez vide")

    def write(self, value):
        return None if value is None else ("oui" if value else "non")


class Flag(YesNo):
    """A yes/no that cannot stay unknown: empty means no."""

    doc = "oui ou non (vide = non)"
    empty = False


class Integer(ValueType):
    cell_format = spreadsheets.INTEGER

    def __init__(self, minimum: int, maximum: int):
        self.minimum, self.maximum = minimum, maximum
        self.doc = f"nombre entier de {minimum} à {maximum}"

    def read(self, value) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise CellError(f"« {value} » n'est pas un nombre entier")
        try:
            number = int(str(value).replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise CellError(f"« {value} » n'est pas un nombre entier") from None
        if not self.minimum <= number <= self.maximum:
            raise CellError(
                f"{number} est hors limites : indiquez de {self.minimum} à {self.maximum}"
            )
        return number


class Number(ValueType):
    """A decimal number written with a comma (French) or a dot."""

    cell_format = spreadsheets.EXACT

    def __init__(self, places: int, minimum: Decimal, maximum: Decimal):
        self.places, self.minimum, self.maximum = places, minimum, maximum
        self.doc = f"nombre, virgule ou point décimal ({places} décimale au plus)"

    def read(self, value) -> Decimal:
        if isinstance(value, bool):
            raise CellError(f"« {value} » n'est pas un nombre")
        text = str(value).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"« {value} » n'est pas un nombre : écrivez par exemple 17,5") from None
        if not number.is_finite():
            raise CellError(f"« {value} » n'est pas un nombre")
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise CellError(f"« {value} » a trop de décimales : {self.places} au plus")
        if not self.minimum <= number <= self.maximum:
            raise CellError(
                f"{value} est hors limites : indiquez de {self.minimum} à {self.maximum}"
            )
        return number.quantize(Decimal(1).scaleb(-self.places))


class Choice(ValueType):
    """One of an enum's values, read from its code or its French label; written as the label."""

    def __init__(self, choices):
        self.choices = choices
        self.empty = None if issubclass(choices, int) else ""
        self.by_text: dict[str, object] = {}
        for member in choices:
            texts = [str(member.value), str(member.label)]
            prefix = f"{member.value} — "
            if texts[1].startswith(prefix):  # "2 — Autonomie partielle": "Autonomie partielle"
                texts.append(texts[1].removeprefix(prefix))
            for text in texts:
                key = normalise(text)
                assert self.by_text.get(key, member.value) == member.value, key
                self.by_text[key] = member.value
        self.doc = "libellé ou code de la liste"

    def read(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        found = self.by_text.get(normalise(str(value)))
        if found is None:
            raise CellError(f"« {value} » n'est pas dans la liste : {self.listing()}")
        return found

    def listing(self) -> str:
        return ", ".join(f"« {member.label} » ({member.value})" for member in self.choices)

    def write(self, value):
        if value in (None, ""):
            return None
        return str(self.choices(value).label)


class Lookup(ValueType):
    """A row of a nomenclature or another table, named by its code; gives the row's pk.

    The tables are loaded once by the importer (`Lookups`), so reading a cell costs a dict
    look-up, never a query.
    """

    def __init__(self, table: str, doc: str):
        self.table = table
        self.doc = doc

    def read(self, value):
        """The code as written; `parse_with` turns it into a row with the loaded tables."""
        return str(value).strip()

    def parse_with(self, value, lookups):
        if _is_empty(value):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return lookups.find(self.table, str(value).strip())

    def write_with(self, pk, codes) -> str:
        return "" if pk is None else codes[self.table][pk]


class CodeList(Lookup):
    """Several codes separated by `|` or `,`."""

    def parse_with(self, value, lookups):
        if _is_empty(value):
            return []
        parts = [part.strip() for part in re.split(r"[|,;]", str(value)) if part.strip()]
        return sorted({lookups.find(self.table, part) for part in parts})

    def write_with(self, pks, codes) -> str:
        return "|".join(sorted(codes[self.table][pk] for pk in pks))


class Reference(Text):
    """The `id` of a row of another kind (in the same import or already in the database)."""

    def __init__(self, kind: str):
        super().__init__(64)
        self.kind = kind
        self.doc = f"identifiant (colonne id) d'une ligne de {kind}"
