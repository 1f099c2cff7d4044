"""The query parameters of an address (`?annee=2025&page=2`), read and checked.

Anyone may edit an address by hand or a script may send anything: every parameter a page
reads goes through one of these readers, which returns a value the page can use or raises
`BadQuery` — a 400 with a French page that says what to do (web/views.py `bad_request`),
never a server error. The message names the parameter and the accepted values, never the
value received (it may be a name typed in a search). A parameter absent or empty takes its
default. A form fed by the address (a filter) gets its parameters through `form_data`,
which refuses only what no form should see (hidden characters, over-long values) and lets
the form explain the rest on the page.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.core.exceptions import BadRequest

from plie.core.dates import EARLIEST_DATE
from plie.core.text import first_hidden_character

# A value of an address a page reads is a year, a number, a date or a few words of a search:
# 300 characters is far beyond any of them.
LONGEST_VALUE = 300
# Any parameter of any address, read or not: a path to come back to (`next`) with its own
# query is the longest a page writes.
LONGEST_ANY_VALUE = 2000
# A page number beyond this is no list of this application (100 rows a page).
HIGHEST_PAGE = 1_000_000
ADVICE = "Revenez à la page précédente ou repartez du menu."


class BadQuery(BadRequest):
    """A query parameter refused. Its message is French, written in this module, and names
    no one: the 400 page shows it as it is (unlike a library's BadRequest)."""


def _refuse(name: str, why: str) -> BadQuery:
    return BadQuery(f"Le paramètre « {name} » de l'adresse {why} {ADVICE}")


def _checked(name: str, value: str, *, longest: int = LONGEST_VALUE) -> str:
    if len(value) > longest:
        raise _refuse(name, f"est trop long ({longest} caractères au plus).")
    if first_hidden_character(value, multiline=False):
        raise _refuse(name, "contient un caractère invisible ou de contrôle.")
    return value


def text(request, name: str, default: str = "", *, longest: int = LONGEST_VALUE) -> str:
    """A parameter as text, without hidden characters and at most `longest` long."""
    value = request.GET.get(name, "")
    if value == "":
        return default
    return _checked(name, value, longest=longest)


def integer(request, name: str, default: int, *, lowest: int, highest: int, what: str) -> int:
    """A whole number from `lowest` to `highest`, written in ASCII digits."""
    value = text(request, name)
    if value == "":
        return default
    # str.isdigit would take « ² » or « ٣ », which int() refuses or reads otherwise.
    if not (value.isascii() and value.isdigit()):
        raise _refuse(name, f"doit être {what}, en chiffres de 0 à 9.")
    number = int(value)  # at most LONGEST_VALUE digits: quick
    if not lowest <= number <= highest:
        raise _refuse(name, f"doit être {what} de {lowest} à {highest}.")
    return number


def whole_number(request, name: str) -> tuple[str, int | None]:
    """The text of a parameter and the whole number it writes (from 1 to 2³¹ − 1, a row's
    number or a year), None when it writes none: for a page that says it does not know the
    value and shows its default instead (« Ce référent n'existe pas… »)."""
    value = text(request, name)
    if value.isascii() and value.isdigit() and 0 < int(value) < 2**31:
        return value, int(value)
    return value, None


def year(
    request, name: str, default: int, *, lowest: int = EARLIEST_DATE.year, highest: int
) -> int:
    """A year from `lowest` (by default 1900, as every date) to `highest`."""
    return integer(request, name, default, lowest=lowest, highest=highest, what="une année")


def page(request, name: str = "page") -> int:
    """A page number of a list, from 1. Beyond the last page the paginator shows the last one:
    the list may have shrunk since the link was written."""
    return integer(request, name, 1, lowest=1, highest=HIGHEST_PAGE, what="un numéro de page")


def choice(request, name: str, allowed: Collection[str], default: str = "") -> str:
    """One of `allowed` (or `default` when absent)."""
    value = text(request, name)
    if value == "":
        return default
    if value not in allowed:
        listed = ", ".join(f"« {option} »" for option in sorted(allowed))
        raise _refuse(name, f"ne peut valoir que {listed}.")
    return value


def form_data(request, names: Iterable[str]) -> dict[str, str]:
    """The parameters `names` of a form fed by the address, those present only (empty ones
    too: the form says what is missing): a hidden character or an over-long value is refused
    here; the form explains any other error."""
    return {name: _checked(name, request.GET[name]) for name in names if name in request.GET}


def every_parameter(request) -> None:
    """Refuses an address any of whose parameters, read by the page or not, carries a hidden
    character or is over-long (core/middleware.py: no page, the administration's included,
    passes them on to a query)."""
    for name, values in request.GET.lists():
        for value in (name, *values):
            if len(value) > LONGEST_ANY_VALUE or first_hidden_character(value, multiline=False):
                raise BadQuery(
                    "L'adresse contient un paramètre trop long ou un caractère invisible ou de "
                    f"contrôle. {ADVICE}"
                )
