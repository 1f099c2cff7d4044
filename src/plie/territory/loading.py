"""Load a PLIE's territory from its package: the programme, communes and QPV.

The package format is documented in docs/territory-format.md; `data/dijon-metropole.json`
is the reference example. Loading is idempotent (keys: INSEE code, QPV code) and all or
nothing; the package's protocols are loaded by `programme.loading`, which calls this.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from plie.territory.models import Commune, Programme, Qpv

BUNDLED = Path(__file__).parent / "data"


def bundled_package(name: str) -> Path:
    return BUNDLED / f"{name}.json"


def resolve_package(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.exists():
        return path
    bundled = bundled_package(name_or_path)
    if bundled.exists():
        return bundled
    available = ", ".join(sorted(p.stem for p in BUNDLED.glob("*.json")))
    raise ValidationError(
        f"Fichier de territoire introuvable : « {name_or_path} ». "
        f"Donnez le chemin d'un fichier JSON ou un territoire fourni ({available})."
    )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_territory(path: Path) -> Programme:
    """The programme, its communes and QPV (the protocols: programme.loading)."""
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    programme = Programme.current()
    if programme is None:
        programme = Programme.objects.create(**data["programme"])
    else:
        for field, value in data["programme"].items():
            setattr(programme, field, value)
        programme.save()

    for row in data.get("communes", []):
        Commune.objects.update_or_create(
            insee_code=row["insee_code"],
            defaults={
                "programme": programme,
                "name": row["name"],
                "postcode": row.get("postcode", ""),
                "is_rural": row.get("is_rural", False),
            },
        )
    communes = {c.insee_code: c for c in Commune.objects.filter(programme=programme)}
    for row in data.get("qpvs", []):
        if row["commune"] not in communes:
            raise ValidationError(
                f"Le QPV « {row['name']} » est rattaché à la commune {row['commune']}, "
                "absente de la liste des communes du fichier."
            )
        Qpv.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "commune": communes[row["commune"]],
                "is_watch_area": row.get("is_watch_area", False),
                "valid_from": _date(row.get("valid_from")),
                "valid_until": _date(row.get("valid_until")),
            },
        )
    return programme
