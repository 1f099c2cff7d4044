"""The personal-data register as a French document for the data protection officer
(docs/personal-data.md, written by `plie register --markdown`): the roles, the retention
classes, then every declared field by whose data it is and by category, with its purpose,
readers, FSE+ indicator and retention. It is the basis of the PLIE's record of processing
activities; a test checks that the file in docs/ is what this module writes today.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import translation
from django.utils.text import capfirst

from plie.core.register import Category, PersonalField, Retention, Subject, register

COMMAND = "plie register --markdown > docs/personal-data.md"

INTRODUCTION = f"""\
# Registre des données personnelles

> Document généré à partir de ce que chaque application déclare
> (`src/plie/<application>/register.py`) par la commande `{COMMAND}`.
> Ne le modifiez pas à la main : un test vérifie qu'il est à jour, et un autre qu'aucun
> champ de donnée personnelle n'est oublié.

Ce registre recense chaque donnée personnelle que l'application enregistre : de qui elle
parle, ce qu'elle dit, pourquoi elle est gardée, quels rôles la lisent, l'indicateur FSE+
qu'elle alimente et combien de temps elle est conservée. Il sert de base au registre des
activités de traitement du PLIE et à son analyse d'impact (AIPD).

## Comment le lire

- **Donnée sensible** : santé, handicap, conduites addictives, justice, nationalité et
  origine, appartenance à une minorité, minima sociaux, et tout texte libre écrit sur une
  personne (il peut tout dire). Elle n'est lue que par les rôles indiqués ; pour les
  autres, l'application la retire des formulaires, des pages, de l'extraction mensuelle et
  du journal.
- **Valeurs sensibles** : certaines données ordinaires ont des valeurs sensibles (une
  sortie « pour raisons de santé », un frein « santé ») ; ces valeurs ne sont lues que par
  les rôles indiqués après « valeurs sensibles ».
- **Lue par** : les rôles qui lisent la donnée dans l'application (pages, fichiers,
  journal, administration), sur les seuls dossiers qu'ils peuvent ouvrir : un ou une
  référente ne lit que les dossiers des personnes qu'il ou elle accompagne. « Aucun rôle » :
  la donnée ne sert qu'à un traitement (recherche, import) ou n'est jamais affichée.
- **FSE+** : l'indicateur commun du règlement (UE) 2021/1057, annexe I, ou la donnée
  d'entrée que le champ alimente.
- **Conservation** : la classe de conservation, décrite ci-dessous. Son application
  (archivage, effacement) relève du cycle de vie des données, qui n'est pas encore en place.
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _roles(roles: frozenset[str]) -> str:
    if not roles:
        return "Aucun rôle"
    return ", ".join(label for value, label in register.roles.items() if value in roles)


def _model(entry: PersonalField):
    return apps.get_model(entry.model)


def field_label(entry: PersonalField) -> str:
    """The entry's French name: its own, or the model field's verbose_name."""
    if entry.label:
        return capfirst(entry.label)
    return capfirst(str(_model(entry)._meta.get_field(entry.field).verbose_name))


def _readers(entry: PersonalField) -> str:
    text = _roles(entry.readers)
    if entry.sensitive_values:
        kinds = ", ".join(category.label.lower() for category in entry.sensitive_values)
        text += f" ; valeurs sensibles ({kinds}) : {_roles(entry.value_readers)}"
    return text


def _sort_key(entry: PersonalField) -> tuple:
    """Whose, what, then the application's own tables in the order of the layers before the
    libraries' (journal, logins), then the model's own order of fields."""
    model = _model(entry)
    configs = apps.get_app_configs()
    app_order = [c.label for c in configs if c.name.startswith("plie.")]
    app_order += [c.label for c in configs if not c.name.startswith("plie.")]
    models = list(apps.get_app_config(model._meta.app_label).get_models())
    fields = [field.name for field in model._meta.get_fields()]
    return (
        list(Subject).index(entry.subject),
        list(Category).index(entry.category),
        app_order.index(model._meta.app_label),
        models.index(model),
        fields.index(entry.field),
    )


def _roles_section() -> list[str]:
    lines = ["## Rôles", "", "| Rôle | Code |", "|---|---|"]
    lines += [f"| {_cell(label)} | `{value}` |" for value, label in register.roles.items()]
    return lines


def _retention_section() -> list[str]:
    lines = [
        "## Durées de conservation",
        "",
        "| Classe | Durée | À compter de | Ensuite | Source |",
        "|---|---|---|---|---|",
    ]
    for retention in Retention:
        cells = (
            retention.label,
            retention.period,
            retention.counted_from,
            retention.afterwards,
            retention.source,
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return lines


def _category_section(category: Category, entries: list[PersonalField]) -> list[str]:
    title = f"### {category.label}" + (" — donnée sensible" if category.sensitive else "")
    lines = [
        title,
        "",
        "| Donnée | Enregistrée dans | Finalité | Lue par | FSE+ | Conservation |",
        "|---|---|---|---|---|---|",
    ]
    notes = []
    for entry in entries:
        label = field_label(entry)
        table = capfirst(str(_model(entry)._meta.verbose_name))
        cells = (
            f"{label} (`{entry.field}`)",
            table,
            entry.purpose,
            _readers(entry),
            entry.fse or "—",
            entry.retention.label,
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        if entry.note:
            notes.append(f"- *{label}* ({table}) : {_cell(entry.note)}")
    return [*lines, *(["", *notes] if notes else [])]


def markdown() -> str:
    """The whole document, in French, the same every time for the same declarations."""
    with translation.override("fr"):
        entries = sorted(register.entries(), key=_sort_key)
        sensitive = sum(1 for entry in entries if entry.sensitive)
        lines = [
            INTRODUCTION,
            f"{len(entries)} données déclarées, dont {sensitive} sensibles.",
            "",
            *_roles_section(),
            "",
            *_retention_section(),
        ]
        for subject in Subject:
            about = [entry for entry in entries if entry.subject == subject]
            if not about:
                continue
            lines += ["", f"## {subject.label}"]
            for category in Category:
                of_category = [entry for entry in about if entry.category == category]
                if of_category:
                    lines += ["", *_category_section(category, of_category)]
        return "\n".join(lines) + "\n"
