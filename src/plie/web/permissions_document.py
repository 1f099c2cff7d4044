"""The table of roles as a French document (docs/permissions.md, written by
`plie permissions --markdown`): each role's summary, then each group of actions with what
every role may do, then every address with the action it needs. It is read from the
declarations (core.permissions, web.permissions); a test checks that the file in docs/ is
what this module writes today, and the permission-matrix test that the pages obey it.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from plie.accounts.enums import Role
from plie.core.permissions import action, actions
from plie.web.permissions import ADMIN_NAMESPACE, ANYONE, GROUPS, PAGES, SIGNED_IN, reach, summary

COMMAND = "plie permissions --markdown > docs/permissions.md"

INTRODUCTION = f"""\
# Rôles et permissions

> Document généré à partir des règles d'accès de l'application (les `rules.py` de chaque
> application, et `src/plie/web/permissions.py` pour les adresses) par la commande
> `{COMMAND}`.
> Ne le modifiez pas à la main : un test vérifie qu'il est à jour, un autre que chaque
> adresse de l'application répond à chaque rôle comme il le dit.

Chaque case dit ce que le rôle peut faire de l'action, telle que la règle le décide :

- **tous** : sur tous les dossiers ;
- **les siens** : sur les dossiers des personnes qu'il ou elle accompagne (pour une
  extraction : celles qu'il ou elle a demandées) ;
- **oui** : l'action ne porte pas sur un dossier précis ;
- **—** : refusé (la page répond « accès refusé », ou « introuvable » pour ne pas dire
  qu'un fichier existe).

Sans connexion, on n'ouvre que la page de connexion. Les droits de Django donnés un par un
dans l'administration ne donnent aucune de ces actions : aucune ne porte leur nom.
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _role_labels() -> list[str]:
    return [str(label) for _, label in Role.choices]


def _summaries() -> list[str]:
    lines = ["## Ce que fait chaque rôle", "", "| Rôle | Ce qu'il fait |", "|---|---|"]
    lines += [f"| {_cell(label)} | {_cell(summary(role))} |" for role, label in Role.choices]
    return lines


def _group(group: str) -> list[str]:
    declared = [a for a in actions() if a.group == group]
    lines = [
        f"## {group}",
        "",
        "| Action | " + " | ".join(_role_labels()) + " |",
        "|---" * (len(Role.choices) + 1) + "|",
    ]
    for one in declared:
        cells = [reach(one, role).value for role, _ in Role.choices]
        lines.append(f"| {_cell(one.label)} (`{one.permission}`) | " + " | ".join(cells) + " |")
    notes = [f"- *{_cell(one.label)}* : {_cell(one.note)}" for one in declared if one.note]
    return [*lines, *(["", *notes] if notes else [])]


def addresses(resolver=None, prefix: str = "/", namespace: str = "") -> list[tuple[str, str]]:
    """(URL name, route) of every address, in the order of the URL configuration; the
    administration's once, as « admin:* »."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == ADMIN_NAMESPACE:
                found.append((f"{ADMIN_NAMESPACE}:*", route + "…"))
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += addresses(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            found.append((namespace + (pattern.name or ""), route))
    return found


def _needed(names: tuple[str, ...]) -> str:
    labels = {ANYONE: "tout le monde, sans connexion", SIGNED_IN: "toute personne connectée"}
    texts = [labels.get(name) or action(name).label for name in names]
    return " et ".join([texts[0], *(text[:1].lower() + text[1:] for text in texts[1:])])


def _pages() -> list[str]:
    lines = [
        "## Pages",
        "",
        "Ce que chaque adresse demande pour être consultée (GET) et pour recevoir un "
        "formulaire (POST).",
        "",
        "| Adresse | Nom | Consulter | Envoyer |",
        "|---|---|---|---|",
    ]
    for name, route in addresses():
        if name == f"{ADMIN_NAMESPACE}:*":
            get = post = action("accounts.administer").label
        else:
            page = PAGES[name]
            get, post = _needed(page.get), _needed(page.post)
        lines.append(
            f"| `{_cell(route)}` | `{name}` | {_cell(get)} | "
            + ("idem" if post == get else _cell(post))
            + " |"
        )
    return lines


def markdown() -> str:
    """The whole document, in French, the same every time for the same declarations."""
    with translation.override("fr"):
        lines = [INTRODUCTION, *_summaries()]
        for group in GROUPS:
            lines += ["", *_group(group)]
        lines += ["", *_pages()]
        return "\n".join(lines) + "\n"
