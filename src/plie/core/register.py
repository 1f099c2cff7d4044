"""The personal-data register: every field that holds personal data, declared once by the app
that owns its model, with what it is about, why it is kept, who reads it, the FSE+ indicator
it feeds and how long it is kept. Forms, pages, the extraction, the journal and the document
for the data protection officer (docs/personal-data.md, `plie register --markdown`) read it.

Core offers the structure and the registry; each app declares the entries of its own models
(`<app>/register.py`, called when the app is ready), as it declares its menu entries
(core.plugins). Readers are role values (strings): core knows no role, the accounts app
declares their French names (`declare_roles`). A field is sensitive when its category is;
a field whose values are sometimes sensitive (an exit « for health reasons ») names those
categories (`sensitive_values`) and who reads such values (`value_readers`).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable


class Subject(enum.Enum):
    """Whose data it is (the register's « personnes concernées »)."""

    PARTICIPANT = "Personnes accompagnées"
    STAFF = "Utilisateurs de l'application"
    PARTNER = "Interlocuteurs des partenaires"

    @property
    def label(self) -> str:
        return self.value


class Category(enum.Enum):
    """What the data says; the sensitive categories are read only by the roles named for them."""

    IDENTITY = ("Identité", False)
    CONTACT = ("Coordonnées et lieu de vie", False)
    SOCIO_ECONOMIC = ("Situation sociale et professionnelle", False)
    PATHWAY = ("Parcours et accompagnement", False)
    HEALTH = ("Santé", True)
    DISABILITY = ("Handicap", True)
    ADDICTION = ("Conduites addictives", True)
    JUSTICE = ("Justice", True)
    ORIGIN = ("Nationalité et origine", True)
    MINORITY = ("Appartenance à une minorité", True)
    MINIMUM_INCOME = ("Minima sociaux", True)
    # A text typed about a person may say anything (health, justice…): read as sensitive.
    FREE_TEXT = ("Observations en texte libre", True)
    ACCOUNT = ("Compte et droits d'accès", False)
    TRACE = ("Traces d'activité (qui a fait quoi, quand)", False)

    def __init__(self, label: str, sensitive: bool):
        self.label = label
        self.sensitive = sensitive


class Retention(enum.Enum):
    """How long a field is kept, as data (applying it is the data-protection lifecycle's job):
    the period, from when, what happens next, and the source of the rule."""

    ACTIVE_RECORD = (
        "Dossier d'accompagnement",
        24,
        "2 ans",
        "le dernier contact avec la personne",
        "archive restreinte, seulement pour un besoin légal ou de preuve ; sinon suppression",
        "CNIL, référentiel de l'accompagnement social et médico-social",
    )
    FSE_EVIDENCE = (
        "Justificatif FSE+",
        60,
        "5 ans",
        "le 31 décembre de l'année du dernier paiement de l'opération",
        "en archive restreinte dès la fin du dossier actif (2 ans après le dernier contact), "
        "puis suppression",
        "Règlement (UE) 2021/1060, article 82",
    )
    JOURNAL = (
        "Journal et traces",
        12,
        "6 mois au moins, 1 an au plus",
        "l'événement",
        "suppression",
        "CNIL, recommandation relative à la journalisation",
    )
    STAFF_ACCOUNT = (
        "Compte d'un utilisateur",
        0,
        "tant que la personne travaille avec le PLIE (durée à confirmer)",
        "la désactivation du compte",
        "suppression du compte ; son nom reste dans les dossiers et le journal qu'il a écrits",
        "à confirmer avec la personne déléguée à la protection des données",
    )

    def __init__(self, label, months, period, counted_from, afterwards, source):
        self.label = label
        self.months = months  # the longest period, in months (0: tied to an event)
        self.period = period
        self.counted_from = counted_from
        self.afterwards = afterwards
        self.source = source


@dataclasses.dataclass(frozen=True)
class PersonalField:
    """One field of one model that holds personal data."""

    model: str  # "app_label.ModelName"
    field: str
    subject: Subject
    category: Category
    purpose: str  # French, for the register: why the field is kept
    readers: frozenset[str]  # the roles that read it (besides each user's own account)
    retention: Retention
    fse: str = ""  # the FSE+ indicators it feeds (Regulation (EU) 2021/1057, Annex I)
    label: str = ""  # French name, when the model's verbose_name is not one
    sensitive_values: tuple[Category, ...] = ()  # sensitive values of an ordinary field
    value_readers: frozenset[str] = frozenset()  # who reads those values
    note: str = ""  # French, printed under the register's table
    # The référent may pass it to the provider of an action the person is referred to
    # (actions.ActionReferral.shared_fields): never a sensitive field nor one with sensitive values.
    shared_on_referral: bool = False

    def __post_init__(self):
        if self.shared_on_referral and (self.sensitive or self.sensitive_values):
            raise ValueError(f"{self.key}: a sensitive field is never passed to a provider")
        if self.sensitive_values and not self.value_readers:
            raise ValueError(f"{self.key}: name who reads its sensitive values (value_readers)")
        if any(not category.sensitive for category in self.sensitive_values):
            raise ValueError(f"{self.key}: sensitive_values names only sensitive categories")
        if not self.value_readers <= self.readers:
            raise ValueError(f"{self.key}: who reads its sensitive values must read the field")

    @property
    def key(self) -> str:
        return f"{self.model}.{self.field}"

    @property
    def sensitive(self) -> bool:
        return self.category.sensitive

    def read_by(self, role: str) -> bool:
        """Whether `role` reads the field, values included (a health exit reason…)."""
        if role not in self.readers:
            return False
        return not self.sensitive_values or role in self.value_readers


class NotDeclared(LookupError):
    pass


class Register:
    """The entries the apps declared, by "app_label.Model.field"."""

    def __init__(self):
        self._entries: dict[str, PersonalField] = {}
        self.roles: dict[str, str] = {}  # role value → French name, in the order declared

    def declare(self, *entries: PersonalField) -> None:
        for entry in entries:
            known = self._entries.get(entry.key)
            if known is not None and known != entry:  # the same one twice: an app made ready twice
                raise ValueError(f"{entry.key} is declared twice in the personal-data register")
            unknown = (entry.readers | entry.value_readers) - set(self.roles)
            if self.roles and unknown:
                raise ValueError(f"{entry.key}: unknown roles {sorted(unknown)}")
            self._entries[entry.key] = entry

    def declare_roles(self, roles: Iterable[tuple[str, str]]) -> None:
        self.roles.update((str(value), str(label)) for value, label in roles)

    def entries(self) -> list[PersonalField]:
        return list(self._entries.values())

    def get(self, model: str, field: str) -> PersonalField | None:
        return self._entries.get(f"{model}.{field}")

    def entry(self, model: str, field: str) -> PersonalField:
        found = self.get(model, field)
        if found is None:
            app = model.split(".")[0]
            raise NotDeclared(
                f"{model}.{field} is not in the personal-data register: declare it in "
                f"plie/{app}/register.py (docs/architecture.md, « Le registre des données "
                "personnelles »)."
            )
        return found

    def of_model(self, model: str) -> list[PersonalField]:
        return [entry for entry in self._entries.values() if entry.model == model]

    def shared_on_referral(self) -> list[PersonalField]:
        """The fields a référent may pass to an action's provider, in the order declared."""
        return [entry for entry in self._entries.values() if entry.shared_on_referral]

    def sensitive_fields(self, model: str) -> frozenset[str]:
        """The fields of `model` hidden from whoever may not read sensitive data."""
        return frozenset(entry.field for entry in self.of_model(model) if entry.sensitive)

    def reads_sensitive_data(self, role: str) -> bool:
        """Whether `role` reads every sensitive field and value of the people accompanied,
        on the records it may open; False until such fields are declared."""
        sensitive = [
            entry
            for entry in self._entries.values()
            if entry.subject == Subject.PARTICIPANT and (entry.sensitive or entry.sensitive_values)
        ]
        return bool(sensitive) and all(entry.read_by(role) for entry in sensitive)


register = Register()


def declare_personal_data(*entries: PersonalField) -> None:
    register.declare(*entries)


def declare_roles(roles: Iterable[tuple[str, str]]) -> None:
    register.declare_roles(roles)


def personal_field(model: str, field: str) -> PersonalField:
    """The entry of `model.field`; NotDeclared (saying where to declare it) if there is none."""
    return register.entry(model, field)


def sensitive_fields(model: str) -> frozenset[str]:
    return register.sensitive_fields(model)


def shown(key: str, show_sensitive: bool) -> bool:
    """Whether a page that shows sensitive data or not (`show_sensitive`) shows the field
    "app_label.Model.field"."""
    model, _, field = key.rpartition(".")
    return show_sensitive or not register.entry(model, field).sensitive


def reads_sensitive_data(role: str) -> bool:
    return register.reads_sensitive_data(role)


def entries_along(model: str, path: str) -> list[PersonalField]:
    """The entries met along a query path from `model` ("participant__commune__name" from
    "pathways.Pathway" meets Participant.commune), in order; FieldDoesNotExist if the path
    names no field. A value read through such a path is as sensitive as its entries."""
    from django.apps import apps

    current = apps.get_model(model)
    found = []
    for name in path.split("__"):
        field = current._meta.get_field(name)
        entry = register.get(current._meta.label, field.name)
        if entry is not None:
            found.append(entry)
        if not field.is_relation:
            break
        current = field.related_model
    return found
