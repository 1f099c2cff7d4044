"""What an import reads from the database before the first row: nomenclatures and accounts.

Everything a cell may name (commune, QPV, education level, barrier, step type, account,
prescriber) is loaded once into dicts, so that checking 100,000 rows costs no query;
`find` turns a cell into a primary key or raises a French `CellError` that lists what
exists.
"""

from __future__ import annotations

from plie.accounts.enums import Role
from plie.accounts.models import Organisation, User
from plie.pathways.models import StepType
from plie.territory.models import BarrierType, Commune, EducationLevel, Qpv

from .values import CellError, normalise

AMBIGUOUS = object()


def _listing(names, limit: int = 30) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f"… ({len(names)} en tout)" if len(names) > limit else "")


class Lookups:
    """Dicts from a code (or name) to a primary key, and back for the export."""

    def __init__(self, programme):
        self.programme = programme
        communes = list(Commune.objects.filter(programme=programme).order_by("name"))
        self.commune_names = {c.pk: c.name for c in communes}
        self.communes = {c.insee_code: c.pk for c in communes}
        self.communes_by_name: dict[str, object] = {}
        for commune in communes:
            key = normalise(commune.name)
            self.communes_by_name[key] = AMBIGUOUS if key in self.communes_by_name else commune.pk
        self.commune_listing = _listing(f"{c.insee_code} {c.name}" for c in communes)
        qpvs = Qpv.objects.filter(commune__programme=programme).order_by("code")
        self.qpvs = {q.code.upper(): q.pk for q in qpvs}
        self.qpv_communes = {q.pk: q.commune_id for q in qpvs}
        self.qpv_names = {q.pk: q.name for q in qpvs}
        self.qpv_listing = _listing(f"{q.code} {q.name}" for q in qpvs)
        levels = EducationLevel.objects.order_by("order", "level")
        self.education_levels = {level.code.casefold(): level.pk for level in levels}
        self.level_listing = _listing(level.code for level in levels)
        barriers = BarrierType.objects.order_by("code")
        self.barriers = {b.code.casefold(): b.pk for b in barriers}
        self.barrier_listing = _listing(b.code for b in barriers)
        step_types = list(StepType.objects.order_by("order", "code"))
        self.step_types = {t.code.casefold(): t.pk for t in step_types}
        self.step_types_by_label = {normalise(t.label): t.pk for t in step_types}
        self.step_categories = {t.pk: t.category for t in step_types}
        self.step_type_listing = _listing(t.code for t in step_types)
        users = User.objects.values_list("pk", "username", "role")
        self.users = {username: pk for pk, username, _ in users}
        self.users_folded: dict[str, object] = {}
        for pk, username, _ in users:
            key = username.casefold()
            self.users_folded[key] = AMBIGUOUS if key in self.users_folded else pk
        self.roles = {pk: role for pk, _, role in users}
        organisations = Organisation.objects.filter(programme=programme).order_by("name")
        self.organisations = {normalise(o.name): (o.pk, o.is_prescriber) for o in organisations}
        self.prescriber_listing = _listing(
            f"« {o.name} »" for o in organisations if o.is_prescriber
        )

    def find(self, table: str, text: str) -> int:
        return getattr(self, f"_find_{table}")(text)

    def _find_commune(self, text: str) -> int:
        found = self.communes.get(text) or self.communes_by_name.get(normalise(text))
        if found is AMBIGUOUS:
            raise CellError(f"plusieurs communes s'appellent « {text} » : donnez le code INSEE")
        if found is None:
            raise CellError(
                f"commune inconnue « {text} » : indiquez le code INSEE d'une commune du "
                f"territoire ({self.commune_listing}), ou remplissez commune_hors_territoire"
            )
        return found

    def _find_qpv(self, text: str) -> int:
        found = self.qpvs.get(text.upper())
        if found is None:
            raise CellError(
                f"QPV inconnu « {text} » : indiquez le code officiel d'un quartier du "
                f"territoire ({self.qpv_listing})"
            )
        return found

    def _find_education_level(self, text: str) -> int:
        found = self.education_levels.get(text.casefold())
        if found is None:
            raise CellError(
                f"niveau de formation inconnu « {text} » : codes possibles {self.level_listing}"
            )
        return found

    def _find_barrier(self, text: str) -> int:
        found = self.barriers.get(text.casefold())
        if found is None:
            raise CellError(f"frein inconnu « {text} » : codes possibles {self.barrier_listing}")
        return found

    def _find_step_type(self, text: str) -> int:
        found = self.step_types.get(text.casefold()) or self.step_types_by_label.get(
            normalise(text)
        )
        if found is None:
            raise CellError(
                f"type d'étape inconnu « {text} » : codes possibles {self.step_type_listing}"
            )
        return found

    def _find_user(self, text: str) -> int:
        found = self.users.get(text) or self.users_folded.get(text.casefold())
        if found is AMBIGUOUS:
            raise CellError(f"plusieurs comptes s'écrivent « {text} » : respectez les majuscules")
        if found is None:
            raise CellError(
                f"aucun compte « {text} » : créez-le dans l'administration ou corrigez "
                "l'identifiant de connexion"
            )
        return found

    def _find_referent(self, text: str) -> int:
        found = self._find_user(text)
        if self.roles[found] != Role.REFERENT:
            raise CellError(
                f"le compte « {text} » n'est pas celui d'un ou d'une référente de parcours "
                f"(rôle : {Role(self.roles[found]).label})"
            )
        return found

    def _find_prescriber(self, text: str) -> int:
        found = self.organisations.get(normalise(text))
        if found is None:
            known = (
                f"structures prescriptrices connues : {self.prescriber_listing}"
                if self.prescriber_listing
                else "aucune structure n'est encore déclarée prescriptrice"
            )
            raise CellError(
                f"prescripteur inconnu « {text} » ({known}) : corrigez le nom, ou créez cette "
                "structure dans l'administration en cochant « prescripteur »"
            )
        pk, is_prescriber = found
        if not is_prescriber:
            raise CellError(
                f"la structure « {text} » n'est pas déclarée prescriptrice : cochez "
                "« prescripteur » dans l'administration ou choisissez une autre structure"
            )
        return pk


def export_codes(programme) -> dict[str, dict[int, str]]:
    """The reverse tables, primary key to the code an export writes."""
    return {
        "commune": dict(Commune.objects.values_list("pk", "insee_code")),
        "qpv": dict(Qpv.objects.values_list("pk", "code")),
        "education_level": dict(EducationLevel.objects.values_list("pk", "code")),
        "barrier": dict(BarrierType.objects.values_list("pk", "code")),
        "step_type": dict(StepType.objects.values_list("pk", "code")),
        "user": dict(User.objects.values_list("pk", "username")),
        "referent": dict(User.objects.values_list("pk", "username")),
        "prescriber": dict(
            Organisation.objects.filter(programme=programme).values_list("pk", "name")
        ),
    }
