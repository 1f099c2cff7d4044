"""One row's cells turned into typed values, and the model's own field validation on them.

`parse_row` reads every cell with its column's type; `model_problems` then runs the
model's own validation (what `full_clean` runs: validators such as `not_in_future` or
`plausible_birth_date`, e-mail syntax, choices) on the values read, without the look-ups
that would cost a query per row: foreign keys are already resolved from preloaded tables
and uniqueness is checked over the whole file by the checker.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import models

from plie.core.text import LONGEST_TEXT, hidden_character_problem

from .formats import Kind
from .values import CellError, Lookup, Text

EMPTY = (None, "", [])


def parse_row(kind: Kind, cells: dict, lookups) -> tuple[dict, list[str]]:
    """Values by header for the cells that could be read, and a message for each other."""
    values: dict = {}
    problems: list[str] = []
    for header, raw in cells.items():
        column = kind.column(header)
        if isinstance(raw, str) and (problem := _unreadable(raw, column.type)):
            problems.append(f"{header} : {problem}")
            continue
        try:
            if isinstance(column.type, Lookup):
                value = column.type.parse_with(raw, lookups)
            else:
                value = column.type.parse(raw)
        except CellError as error:
            problems.append(f"{header} : {error}")
            continue
        if column.required and value in EMPTY:
            problems.append(f"{header} : cette valeur est obligatoire, la cellule est vide")
            continue
        values[header] = value
    return values, problems


def _unreadable(raw: str, kind_of_value) -> str | None:
    """What no column takes, refused before its type reads the cell (nor quotes it): a cell
    longer than the longest text, a control or invisible character (a NUL byte, which
    PostgreSQL refuses mid-import) — line breaks in a long text only."""
    if len(raw) > LONGEST_TEXT:
        return (
            f"cellule trop longue : {len(raw)} caractères pour {LONGEST_TEXT} au plus, "
            "raccourcissez-la (ou vérifiez qu'un guillemet n'a pas été oublié)"
        )
    multiline = isinstance(kind_of_value, Text) and kind_of_value.multiline
    problem = hidden_character_problem(raw.strip(), multiline=multiline)
    return problem[0].lower() + problem[1:] if problem else None


@functools.cache
def _validated(kind: Kind) -> tuple[list[tuple], bool]:
    """(column, model field) pairs to validate, and whether the model has its own clean()."""
    pairs = [
        (column, kind.model._meta.get_field(column.field))
        for column in kind.columns
        if column.field and not column.is_reference and not isinstance(column.type, Lookup)
    ]
    return pairs, kind.model.clean is not models.Model.clean


def model_problems(kind: Kind, values: dict) -> list[str]:
    """The model's validation on the values read, each message named by its column.

    What `full_clean` does for these fields (`Field.clean`: blank, choices, length and the
    field's validators such as `not_in_future`), field by field rather than through a model
    instance, which costs more than the checks at 100,000 rows; a model's own `clean()`,
    if it ever gets one, is called too. An empty derived column (file number to generate,
    state to deduce) is left out: the checker decides its value.
    """
    pairs, has_clean = _validated(kind)
    problems = []
    fields = {}
    for column, field in pairs:
        if column.header not in values:
            continue
        value = values[column.header]
        if column.derived and value in EMPTY:
            continue
        fields[column.field] = value
        try:
            field.clean(value, None)
        except ValidationError as error:
            problems.extend(f"{column.header} : {message}" for message in error.messages)
    if has_clean and not problems:
        try:
            kind.model(**fields).clean()
        except ValidationError as error:
            problems.extend(error.messages)
    return problems
