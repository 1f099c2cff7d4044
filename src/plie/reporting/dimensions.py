"""The ways a figure can be broken down: référent, organisation, commune, QPV, sex, age band.

Each dimension names what a pathway is grouped on (the same path, prefixed with
`pathway__`, groups contacts) and turns the grouped values into a stable key and a French
label with at most one query. Months are not a grouping but a split of the period: see
`indicators.breakdown`. Definitions: docs/indicators.md, § « Ventilations ».
"""

import dataclasses
import itertools
from collections.abc import Callable, Iterable

from django.db.models import Case, CharField, F, Value, When
from django.db.models.lookups import LessThan

from plie.accounts.models import Organisation, User
from plie.core.collation import french_sort_key
from plie.core.expressions import AgeInYears
from plie.participants.enums import Sex
from plie.territory.models import Commune, Qpv

# (code, label, first age of the band); each band runs to the next one's first age.
AGE_BANDS = (
    ("under_26", "Moins de 26 ans", 0),
    ("26_44", "26 à 44 ans", 26),
    ("45_54", "45 à 54 ans", 45),
    ("55_and_over", "55 ans et plus", 55),
)


def age_at_entry(prefix: str = "") -> AgeInYears:
    """Age in completed years on the pathway's entry date (as `core.dates.age_on`)."""
    return AgeInYears(f"{prefix}entry_date", f"{prefix}participant__birth_date")


def age_band(prefix: str = "") -> Case:
    whens = [
        When(LessThan(age_at_entry(prefix), Value(following[2])), then=Value(band[0]))
        for band, following in itertools.pairwise(AGE_BANDS)
    ]
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


Labels = dict[object, tuple[object, str]]  # grouped value → (key, label)


def _referents(values: Iterable) -> Labels:
    users = User.objects.filter(pk__in=[v for v in values if v is not None])
    return {user.pk: (user.username, str(user)) for user in users}


def _organisations(values: Iterable) -> Labels:
    rows = Organisation.objects.filter(pk__in=[v for v in values if v is not None])
    return {row.pk: (row.pk, row.name) for row in rows}


def _communes(values: Iterable) -> Labels:
    rows = Commune.objects.filter(pk__in=[v for v in values if v is not None])
    return {row.pk: (row.insee_code, row.name) for row in rows}


def _qpvs(values: Iterable) -> Labels:
    rows = Qpv.objects.filter(pk__in=[v for v in values if v is not None])
    return {row.pk: (row.code, row.name) for row in rows}


def _sexes(values: Iterable) -> Labels:
    return {value: (value, str(Sex(value).label)) for value in values if value in Sex.values}


def _age_bands(values: Iterable) -> Labels:
    return {code: (code, label) for code, label, _ in AGE_BANDS}


@dataclasses.dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    path: str | None  # a field path from the pathway, or None when `expression` builds it
    expression: Callable[[str], object] | None
    labels: Callable[[Iterable], Labels]
    missing: str  # label of the group with no value
    ordered_by_key: tuple = ()  # a fixed order of keys (else by label)

    def group_by(self, prefix: str = ""):
        if self.expression is not None:
            return self.expression(prefix)
        return F(f"{prefix}{self.path}")

    def keys_and_labels(self, values: Iterable) -> Labels:
        """Every grouped value (None included) → its stable key and its French label."""
        labels = self.labels(values)
        return {
            value: (None, self.missing) if value is None else labels.get(value, (value, str(value)))
            for value in values
        }

    def sort_key(self, key, label: str):
        if key is None:
            return (2, 0, "")
        if self.ordered_by_key:
            return (0, self.ordered_by_key.index(key), "")
        return (1, 0, french_sort_key(label))


DIMENSIONS = {
    d.name: d
    for d in (
        Dimension("referent", "Référent(e)", "referent", None, _referents, "Sans référent(e)"),
        Dimension(
            "organisation",
            "Structure du référent",
            "referent__organisation",
            None,
            _organisations,
            "Sans structure",
        ),
        Dimension(
            "commune",
            "Commune de résidence",
            "participant__commune",
            None,
            _communes,
            "Hors territoire ou non renseignée",
        ),
        Dimension("qpv", "Quartier prioritaire", "participant__qpv", None, _qpvs, "Hors QPV"),
        Dimension(
            "sex",
            "Sexe",
            "participant__sex",
            None,
            _sexes,
            "Non renseigné",
            ordered_by_key=tuple(Sex.values),
        ),
        Dimension(
            "age_band",
            "Âge à l'entrée",
            None,
            age_band,
            _age_bands,
            "Non renseigné",
            ordered_by_key=tuple(code for code, _, _ in AGE_BANDS),
        ),
    )
}
MONTH = "month"
BREAKDOWNS = (*DIMENSIONS, MONTH)

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
